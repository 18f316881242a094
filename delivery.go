package avisera

import "time"

// Delivery statuses: one state machine for email and SMS (DESIGN §5).
const (
	StatusQueued         = "queued"
	StatusSending        = "sending"
	StatusSent           = "sent"
	StatusDelivered      = "delivered"
	StatusOpened         = "opened"
	StatusClicked        = "clicked"
	StatusDownloaded     = "downloaded"
	StatusDeferred       = "deferred"
	StatusBounced        = "bounced"
	StatusRejected       = "rejected"
	StatusInvalidAddress = "invalid_address"
	StatusFailed         = "failed"
	StatusExpired        = "expired"
	StatusSuppressed     = "suppressed"
	StatusScheduled      = "scheduled"
)

// Statuses lists every status, in the order of the state machine.
var Statuses = []string{StatusScheduled, StatusQueued, StatusSending, StatusDeferred, StatusSent, StatusDelivered,
	StatusOpened, StatusClicked, StatusDownloaded, StatusBounced, StatusRejected, StatusInvalidAddress,
	StatusFailed, StatusExpired, StatusSuppressed}

// Pending reports whether a delivery in status s still waits to be sent.
func Pending(s string) bool {
	return s == StatusQueued || s == StatusDeferred || s == StatusSending || s == StatusScheduled
}

// Delivery is one rendered message to one address on one channel, or a
// recipient who was skipped (StatusSuppressed, with the reason in Detail).
type Delivery struct {
	ID             string         `json:"id"`
	EventID        string         `json:"event_id"`
	EventType      string         `json:"event_type"`
	Trigger        string         `json:"trigger"`
	OccurredAt     time.Time      `json:"occurred_at"`
	Object         Target         `json:"object"` // the business object: the event's subject
	MessageID      string         `json:"message_id"`
	MessageVersion int            `json:"message_version"`
	LinkIDs        []string       `json:"link_ids"`
	Channel        string         `json:"channel"`
	RecipientName  string         `json:"recipient_name"`
	Address        string         `json:"address"`
	Language       string         `json:"language"`
	ReachedVia     string         `json:"reached_via"`
	OrgUnitID      string         `json:"org_unit_id,omitempty"`
	OrgUnitName    string         `json:"org_unit_name,omitempty"`
	CustomerID     string         `json:"customer_id,omitempty"`
	ContractID     string         `json:"contract_id,omitempty"`
	Status         string         `json:"status"`
	StatusAt       time.Time      `json:"status_at"`
	Detail         string         `json:"detail,omitempty"`
	Attempts       int            `json:"attempts"`
	NextAttemptAt  *time.Time     `json:"next_attempt_at,omitempty"`
	ProviderID     string         `json:"provider_id,omitempty"` // Message-ID or the SMS provider's id
	Segments       int            `json:"segments,omitempty"`
	SentAt         *time.Time     `json:"sent_at,omitempty"`
	CreatedAt      time.Time      `json:"created_at"`
	Subject        string         `json:"subject"`
	HTML           string         `json:"html,omitempty"`
	Text           string         `json:"text,omitempty"`
	SMS            string         `json:"sms,omitempty"`
	History        []StatusChange `json:"history,omitempty"`
	// ContentID names the rendered content the delivery shares with the
	// others of its event and message; Personal says the content holds the
	// recipient-name placeholder, filled in when it is sent or shown.
	ContentID string `json:"-"`
	Personal  bool   `json:"-"`
}

// Rendered is a message rendered for an event, stored once and shared by
// its deliveries.
type Rendered struct {
	ID       string
	Subject  string
	HTML     string
	Text     string
	SMS      string
	Personal bool
}

// StatusChange is one entry of a delivery's status history. Changes that
// did not move the status (a late callback) are kept too, with Applied
// false.
type StatusChange struct {
	Status  string    `json:"status"`
	At      time.Time `json:"at"`
	Detail  string    `json:"detail,omitempty"`
	Applied bool      `json:"applied"`
}

// MailboxItem is an email or SMS captured by the built-in dev mailbox.
type MailboxItem struct {
	ID         string    `json:"id"`
	DeliveryID string    `json:"delivery_id,omitempty"`
	Channel    string    `json:"channel"`
	From       string    `json:"from"`
	To         string    `json:"to"`
	Subject    string    `json:"subject,omitempty"`
	Text       string    `json:"text"`
	HTML       string    `json:"html,omitempty"`
	MessageID  string    `json:"message_id,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}
