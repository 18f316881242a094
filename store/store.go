// Package store is the storage seam: the Store interface every database
// implementation satisfies, and the sentinel errors they return. SQL lives
// only below it (store/sqlstore for the SQL both databases share,
// store/sqlite and store/postgres for connections, migrations and dialect);
// business rules live above it, in engine.
package store

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/avisera/avisera"
)

// Sentinel errors. Implementations wrap them; callers test with errors.Is.
var (
	ErrNotFound = errors.New("store: not found")
	ErrConflict = errors.New("store: unique constraint violated")
)

// Store is everything the engine needs from a database. All methods but the
// tenant and key lookups are scoped by tenant id: a row of another tenant is
// never read or written.
type Store interface {
	// Tx runs fn in one write transaction; fn's Store is bound to it. An
	// error from fn rolls everything back.
	Tx(ctx context.Context, fn func(Store) error) error
	// LazyTx is Tx for work whose loss in a database crash is harmless
	// because it is redone (results of a send, a timer's firing): it may
	// commit without waiting for the disk (PostgreSQL's synchronous_commit
	// off; a crash loses the transaction whole, never part of it).
	LazyTx(ctx context.Context, fn func(Store) error) error
	// Lock waits for, and holds until the transaction ends, the lock named
	// name: two transactions that lock the same name run one after the
	// other, so a rule checked after the lock (an org unit may not become
	// its own ancestor) still holds when the second commits. Only inside
	// Tx or LazyTx.
	Lock(ctx context.Context, name string) error
	Ping(ctx context.Context) error
	Close() error

	TenantStore
	MasterStore
	ContactStore
	MessageStore
	EventStore
	FileStore
	PlanStore
	AdminStore
}

// TenantStore keeps tenants and their API keys.
type TenantStore interface {
	CreateTenant(ctx context.Context, t avisera.Tenant) error
	GetTenant(ctx context.Context, id string) (avisera.Tenant, error)
	ListTenants(ctx context.Context) ([]avisera.Tenant, error)
	CreateAPIKey(ctx context.Context, k avisera.APIKey) error
	APIKeyByHash(ctx context.Context, hash string) (avisera.APIKey, error)
	ListAPIKeys(ctx context.Context, tenantID string) ([]avisera.APIKey, error)
	RevokeAPIKey(ctx context.Context, tenantID, id string, at time.Time) error
	// UpdateTenant stores a tenant's name, defaults, secrets and settings.
	UpdateTenant(ctx context.Context, t avisera.Tenant) error
	// TenantByWebhookSecret finds the tenant of a callback URL.
	TenantByWebhookSecret(ctx context.Context, secret string) (avisera.Tenant, error)
	// MasterRevision returns a number that moves when a transaction
	// commits (on SQLite: as it writes) any change to the tenant's master data that an
	// event's planning reads (the tenant, its org units, customers,
	// contracts, places, users and their devices, contacts and their
	// addresses and links, messages and links), whoever makes it.
	MasterRevision(ctx context.Context, tenantID string) (int64, error)
}

// FileStore keeps uploaded reports and their downloads.
type FileStore interface {
	PutFile(ctx context.Context, tenantID string, f avisera.File, data []byte) error
	// GetFile returns a file's metadata and, with withData, its bytes.
	GetFile(ctx context.Context, tenantID, id string, withData bool) (avisera.File, []byte, error)
	RecordDownload(ctx context.Context, tenantID, fileID, deliveryID string, at time.Time) error
}

// MasterStore keeps the master data the host system upserts by its own ids.
// Put methods insert or update and report whether the row was created.
type MasterStore interface {
	PutOrgUnit(ctx context.Context, tenantID string, o avisera.OrgUnit) (bool, error)
	GetOrgUnit(ctx context.Context, tenantID, id string) (avisera.OrgUnit, error)
	ListOrgUnits(ctx context.Context, tenantID string, p avisera.Page) ([]avisera.OrgUnit, error)

	PutCustomer(ctx context.Context, tenantID string, c avisera.Customer) (bool, error)
	GetCustomer(ctx context.Context, tenantID, id string) (avisera.Customer, error)
	ListCustomers(ctx context.Context, tenantID string, p avisera.Page) ([]avisera.Customer, error)

	PutContract(ctx context.Context, tenantID string, c avisera.Contract) (bool, error)
	GetContract(ctx context.Context, tenantID, id string) (avisera.Contract, error)
	ListContracts(ctx context.Context, tenantID string, p avisera.Page) ([]avisera.Contract, error)

	PutPlace(ctx context.Context, tenantID string, pl avisera.Place) (bool, error)
	GetPlace(ctx context.Context, tenantID, id string) (avisera.Place, error)
	ListPlaces(ctx context.Context, tenantID string, p avisera.Page) ([]avisera.Place, error)

	// PutUser stores the user row and its org units; ContactID links the
	// user's own contact. Emails, Phones and Device are not written here.
	PutUser(ctx context.Context, tenantID string, u avisera.User) (bool, error)
	// GetUser returns the user with org units, the own contact's addresses
	// and the current device login.
	GetUser(ctx context.Context, tenantID, id string) (avisera.User, error)
	// OwnerOfContact returns the user whose own contact contactID is;
	// ErrNotFound when it is nobody's.
	OwnerOfContact(ctx context.Context, tenantID, contactID string) (avisera.User, error)
	ListUsers(ctx context.Context, tenantID string, p avisera.Page) ([]avisera.User, error)
	// LoginDevice ends any current device login of the user and starts d.
	LoginDevice(ctx context.Context, tenantID string, d avisera.Device) error
	// LogoutDevice ends the current device login; ErrNotFound if none.
	LogoutDevice(ctx context.Context, tenantID, userID string, at time.Time) error
}

// ContactStore keeps the contact book and the links of contacts to objects.
type ContactStore interface {
	// PutContact inserts or replaces a contact with its addresses and its
	// search terms. Addresses owned by another contact fail with
	// ErrConflict; the engine checks first so that it can name the owner.
	PutContact(ctx context.Context, tenantID string, c avisera.Contact, terms []string) error
	GetContact(ctx context.Context, tenantID, id string) (avisera.Contact, error)
	GetContacts(ctx context.Context, tenantID string, ids []string) ([]avisera.Contact, error)
	DeleteContact(ctx context.Context, tenantID, id string) error
	// MoveUserContact points users whose own contact is fromID to toID.
	MoveUserContact(ctx context.Context, tenantID, fromID, toID string) error
	// ContactIDByAddress returns the contact owning an email address
	// (lower-cased) or phone number (E.164).
	ContactIDByAddress(ctx context.Context, tenantID, address string) (string, error)
	// SearchContacts returns the contacts having, for every term, a search
	// term starting with it; ordered by name. An empty terms lists all.
	SearchContacts(ctx context.Context, tenantID string, terms []string, p avisera.Page) ([]avisera.Contact, error)

	PutContactLink(ctx context.Context, tenantID string, l avisera.ContactLink) error
	DeleteContactLink(ctx context.Context, tenantID, objectType, objectID, contactID string) error
	// ContactLinks lists an object's links in the order they were made.
	ContactLinks(ctx context.Context, tenantID, objectType, objectID string) ([]avisera.ContactLink, error)
	// LinksOfContact lists every link of one contact.
	LinksOfContact(ctx context.Context, tenantID, contactID string) ([]avisera.ContactLink, error)
	// MainContacts returns, per object id, the contacts linked to it with
	// the main_contact role.
	MainContacts(ctx context.Context, tenantID, objectType string, objectIDs []string) (map[string][]avisera.Contact, error)
}

// MessageFilter selects messages.
type MessageFilter struct {
	EventType string
	Archived  bool // list archived messages instead of active ones
}

// LinkFilter selects links; empty fields do not filter. Deleted links are
// never listed.
type LinkFilter struct {
	Targets    []avisera.Target // any of these targets
	TargetType string           // only targets of this type
	MessageID  string
	Trigger    string
	EventType  string
	StaleOnly  bool // only links pinned to an older version than the latest
}

// MessageStore keeps messages, their immutable versions and the links that
// activate them.
type MessageStore interface {
	// CreateMessage stores a new message with its first version.
	CreateMessage(ctx context.Context, tenantID string, m avisera.Message, v avisera.MessageVersion) error
	// AddMessageVersion stores version v and makes it the message's latest.
	AddMessageVersion(ctx context.Context, tenantID string, m avisera.Message, v avisera.MessageVersion) error
	// SetMessageArchived archives (at non-nil) or restores a message.
	SetMessageArchived(ctx context.Context, tenantID, id string, at *time.Time) error
	GetMessage(ctx context.Context, tenantID, id string) (avisera.Message, error)
	ListMessages(ctx context.Context, tenantID string, f MessageFilter, p avisera.Page) ([]avisera.Message, error)
	GetMessageVersion(ctx context.Context, tenantID, messageID string, version int) (avisera.MessageVersion, error)
	ListMessageVersions(ctx context.Context, tenantID, messageID string) ([]avisera.MessageVersion, error)

	// PutLink inserts or replaces a link.
	PutLink(ctx context.Context, tenantID string, l avisera.Link) error
	GetLink(ctx context.Context, tenantID, id string) (avisera.Link, error)
	// DeleteLink marks a link deleted; deliveries keep referring to it.
	DeleteLink(ctx context.Context, tenantID, id string, at time.Time) error
	ListLinks(ctx context.Context, tenantID string, f LinkFilter) ([]avisera.Link, error)
}

// DeliveryFilter selects deliveries for the follow-up report; empty fields
// do not filter. From and To bound the creation time (To exclusive).
type DeliveryFilter struct {
	From, To   *time.Time
	Statuses   []string
	Channel    string
	EventType  string
	Trigger    string
	MessageID  string
	CustomerID string
	ContractID string
	OrgUnitID  string
	OrgUnitIDs []string // any of these org units
	EventID    string
	Q          string       // the search as given; the engine fills Words and QPhone from it
	Words      []SearchWord // each in the recipient's name or address, in any order
	QPhone     string       // or, when Q is a phone number, its E.164 digits
}

// SearchWord is a word of a follow-up search, folded (lower case, no
// diacritics), and when it is a phone number the digits of its E.164 form,
// which it matches too.
type SearchWord struct{ Text, Phone string }

// DeliveryUpdate is a delivery's new state after an attempt or a callback,
// with the history entries that led there.
type DeliveryUpdate struct {
	ID            string
	Status        string
	StatusAt      time.Time
	Detail        string
	Attempts      int
	NextAttemptAt *time.Time
	ProviderID    string
	Segments      int
	SentAt        *time.Time
	History       []avisera.StatusChange
	// Seen and SeenAttempts are the status and the number of attempts the
	// update was worked out from. When Seen is set, the update applies
	// only while the delivery still has both: another writer (a
	// provider's callback during the send, a retry during a callback) may
	// have moved it.
	Seen         string
	SeenAttempts int
}

// NewEvent is an accepted event with its deliveries and the rendered
// contents they share, for InsertEvents.
type NewEvent struct {
	TenantID   string
	Event      avisera.Event
	Deliveries []avisera.Delivery
	Contents   []avisera.Rendered
}

// EventStore keeps events, their deliveries with status histories, and the
// dev mailbox.
type EventStore interface {
	// InsertDeliveries adds deliveries to a stored event (a resend).
	InsertDeliveries(ctx context.Context, tenantID string, ds []avisera.Delivery, cs []avisera.Rendered) error
	// InsertEvents stores accepted events, of any tenants, with their
	// deliveries, the deliveries' first status and the rendered contents
	// they share: a statement or so per table for all of them. An event id
	// already stored fails with ErrConflict.
	InsertEvents(ctx context.Context, es []NewEvent) error
	GetEvent(ctx context.Context, tenantID, id string) (avisera.Event, error)
	// FirstOccurrences returns, per trigger among triggers, when the
	// earliest of the tenant's events of eventType about subjectID that
	// occurred at or after since occurred; triggers without such an event
	// are absent.
	FirstOccurrences(ctx context.Context, tenantID, eventType, subjectID string, triggers []string,
		since time.Time) (map[string]time.Time, error)
	// GetDeliveries returns deliveries with their rendered content.
	GetDeliveries(ctx context.Context, tenantID string, ids []string) ([]avisera.Delivery, error)
	// GetDelivery returns one delivery with content and history.
	GetDelivery(ctx context.Context, tenantID, id string) (avisera.Delivery, error)
	// UpdateDeliveries stores new states and appends their history. It
	// returns the ids of the updates it left out, state and history,
	// because their delivery is no longer in the status they saw; a
	// delivery missing without Seen is ErrNotFound.
	UpdateDeliveries(ctx context.Context, tenantID string, us []DeliveryUpdate) (stale []string, err error)
	// ListDeliveries lists deliveries newest first, without content; After
	// is a cursor returned as the last item's DeliveryCursor.
	ListDeliveries(ctx context.Context, tenantID string, f DeliveryFilter, p avisera.Page) ([]avisera.Delivery, error)
	// SMSByProviderID finds an SMS delivery by the provider's message id.
	// (An email's Message-ID names its delivery: the engine finds it by id.)
	SMSByProviderID(ctx context.Context, tenantID, providerID string) (avisera.Delivery, error)

	AddToMailbox(ctx context.Context, tenantID string, items []avisera.MailboxItem) error
	ListMailbox(ctx context.Context, tenantID string, p avisera.Page) ([]avisera.MailboxItem, error)
	ClearMailbox(ctx context.Context, tenantID string) error
}

// DeliveryCursor is the keyset cursor after a delivery in ListDeliveries.
func DeliveryCursor(d avisera.Delivery) string { return timeCursor(d.CreatedAt, d.ID) }

// PlanCursor is the keyset cursor after a plan in ListPlans.
func PlanCursor(p avisera.Plan) string { return timeCursor(p.StartsAt, p.Type+"/"+p.ID) }

func timeCursor(t time.Time, key string) string {
	return t.UTC().Format(time.RFC3339Nano) + "_" + key
}

// ParseCursor reads a DeliveryCursor or PlanCursor: the time and the key.
func ParseCursor(c string) (time.Time, string, bool) {
	at, key, ok := strings.Cut(c, "_")
	if !ok {
		return time.Time{}, "", false
	}
	t, err := time.Parse(time.RFC3339Nano, at)
	return t.UTC(), key, err == nil
}

// PlanFilter selects plans; empty fields do not filter. From and To bound
// the start time (To exclusive).
type PlanFilter struct {
	Type     string
	UserID   string
	Status   string
	From, To *time.Time
}

// TimerFilter selects timers; empty fields do not filter.
type TimerFilter struct {
	PlanType string
	PlanID   string
	LinkID   string
	Triggers []string
	Status   string
}

// PlanMark says that an event started or completed a plan.
type PlanMark struct {
	Type, ID string
	Field    string // "started_at" or "completed_at"
	At       time.Time
}

// PlanStore keeps plans and the timers they and periodic links schedule.
type PlanStore interface {
	// PutPlan inserts or replaces a plan with its users.
	PutPlan(ctx context.Context, tenantID string, p avisera.Plan) (bool, error)
	GetPlan(ctx context.Context, tenantID, typ, id string) (avisera.Plan, error)
	ListPlans(ctx context.Context, tenantID string, f PlanFilter, p avisera.Page) ([]avisera.Plan, error)
	// MarkPlans records that plans started or completed: each mark sets
	// its field unless the plan has it already (of two marks of one
	// field, the first wins). It reports, per mark, whether its plan
	// exists.
	MarkPlans(ctx context.Context, tenantID string, marks []PlanMark) ([]bool, error)

	InsertTimers(ctx context.Context, ts []avisera.Timer) error
	// CancelTimers sets pending timers matching f to cancelled with detail.
	CancelTimers(ctx context.Context, tenantID string, f TimerFilter, detail string) (int, error)
	ListTimers(ctx context.Context, tenantID string, f TimerFilter) ([]avisera.Timer, error)
	// ClaimDueTimer returns the earliest pending timer due at now, locked
	// for the calling transaction (SKIP LOCKED on PostgreSQL, so replicas
	// share the work); ErrNotFound when none is due.
	ClaimDueTimer(ctx context.Context, now time.Time) (avisera.Timer, error)
	// FinishTimer stores a timer's outcome.
	FinishTimer(ctx context.Context, t avisera.Timer) error
	// CountTimers counts timers by status across tenants.
	CountTimers(ctx context.Context, status string) (int, error)
}
