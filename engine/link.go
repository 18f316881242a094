package engine

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/catalog"
	"github.com/avisera/avisera/phone"
	"github.com/avisera/avisera/store"
)

// Warning tells about a recipient a link cannot reach; the link is saved.
type Warning struct {
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// LinkResult is a saved link with its warnings.
type LinkResult struct {
	avisera.Link
	Warnings []Warning `json:"warnings"`
}

// offsetFroms are the plan times a time-based trigger's offset counts from.
var offsetFroms = []string{"", "earliest", "planned", "latest"}

var timeOfDay = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// CreateLink validates and stores a new link pinned to the message's
// latest version.
func (e *Engine) CreateLink(ctx context.Context, tenantID string, l avisera.Link) (LinkResult, error) {
	l.ID, l.CreatedAt = newID(), e.Now()
	return e.saveLink(ctx, tenantID, l, true)
}

// UpdateLink replaces a link's trigger, target, channels, validity and
// recipients. The pinned version stays; re-link to move it.
func (e *Engine) UpdateLink(ctx context.Context, tenantID, id string, l avisera.Link) (LinkResult, error) {
	old, err := e.store.GetLink(ctx, tenantID, id)
	if err != nil {
		return LinkResult{}, notFound(err, "link", id)
	}
	if l.MessageID != "" && l.MessageID != old.MessageID {
		return LinkResult{}, avisera.Invalid("message_id", "a link's message cannot change; create a new link")
	}
	l.ID, l.MessageID, l.MessageVersion, l.CreatedAt = id, old.MessageID, old.MessageVersion, old.CreatedAt
	return e.saveLink(ctx, tenantID, l, false)
}

func (e *Engine) saveLink(ctx context.Context, tenantID string, l avisera.Link, pin bool) (LinkResult, error) {
	l.UpdatedAt = e.Now()
	var res LinkResult
	err := e.store.Tx(ctx, func(s store.Store) error {
		m, err := s.GetMessage(ctx, tenantID, l.MessageID)
		if err != nil {
			return mustExist(ctx, "message_id", "message", l.MessageID, func(context.Context) error { return err })
		}
		if m.ArchivedAt != nil {
			return avisera.Invalid("message_id", "message %q is archived", m.ID)
		}
		if pin {
			l.MessageVersion = m.LatestVersion
		}
		warnings, err := e.checkLink(ctx, s, tenantID, m, &l)
		if err != nil {
			return err
		}
		if err := s.PutLink(ctx, tenantID, l); err != nil {
			return err
		}
		l.EventType, l.LatestVersion, l.Stale = m.EventType, m.LatestVersion, l.MessageVersion < m.LatestVersion
		if err := e.resyncLinkTimers(ctx, s, tenantID, l, false); err != nil {
			return err
		}
		res = LinkResult{Link: l, Warnings: append([]Warning{}, warnings...)}
		return nil
	})
	return res, err
}

// checkLink validates everything but the message and returns warnings.
func (e *Engine) checkLink(ctx context.Context, s store.Store, tenantID string, m avisera.Message, l *avisera.Link) ([]Warning, error) {
	et, err := eventType("event_type", m.EventType)
	if err != nil {
		return nil, err
	}
	if err := first(checkTrigger(et, l), checkSchedule(l), checkPeriod(l.ValidFrom, l.ValidTo), checkChannels(l.Channels),
		checkDynamic(et, l.Dynamic), e.checkTarget(ctx, s, tenantID, et, l.Target)); err != nil {
		return nil, err
	}
	if len(l.Static) == 0 && len(l.Dynamic) == 0 {
		return nil, avisera.Invalid("static", "a link needs at least one static or dynamic recipient")
	}
	warnings, err := e.checkStatic(ctx, s, tenantID, l)
	if err != nil {
		return nil, err
	}
	empty, err := emptyChannelWarnings(ctx, s, tenantID, l)
	if err != nil {
		return nil, err
	}
	warnings = append(warnings, empty...)
	return append(warnings, e.dynamicWarnings(ctx, s, tenantID, l)...), nil
}

// emptyChannelWarnings tells of a channel the pinned message version has
// no text for: its deliveries would all be suppressed.
func emptyChannelWarnings(ctx context.Context, s store.Store, tenantID string, l *avisera.Link) ([]Warning, error) {
	v, err := s.GetMessageVersion(ctx, tenantID, l.MessageID, l.MessageVersion)
	if err != nil {
		return nil, err
	}
	var w []Warning
	for _, ch := range l.Channels {
		if why := emptyFor(ch, v.Content); why != "" {
			w = append(w, Warning{"channels", fmt.Sprintf("%s (version %d): its %s deliveries will be suppressed", why, v.Version, ch)})
		}
	}
	return w, nil
}

func checkTrigger(et catalog.EventType, l *avisera.Link) error {
	tr, ok := et.Trigger(l.Trigger)
	if !ok {
		names := []string{}
		for _, t := range et.Triggers {
			names = append(names, t.Name)
		}
		return avisera.Invalid("trigger", "%q is not a trigger of %s (%v)", l.Trigger, et.Name, names)
	}
	switch {
	case l.Offset != 0 && !tr.TimeBased:
		return avisera.Invalid("offset", "trigger %s fires when the event arrives and takes no offset", tr.Name)
	case l.Offset < 0:
		return avisera.Invalid("offset", "must not be negative (a reminder's offset counts before the start)")
	case !slices.Contains(offsetFroms, l.OffsetFrom):
		return avisera.Invalid("offset_from", "must be earliest, planned or latest")
	case l.TimeOfDay != "" && !timeOfDay.MatchString(l.TimeOfDay):
		return avisera.Invalid("time_of_day", "%q is not a time of day such as 18:00", l.TimeOfDay)
	case l.TimeOfDay != "" && !tr.Periodic:
		return avisera.Invalid("time_of_day", "only schedule summaries (weekly, monthly, dates) have a time of day")
	}
	return nil
}

func checkChannels(channels []string) error {
	if len(channels) == 0 {
		return avisera.Invalid("channels", "choose email, sms or both")
	}
	for i, c := range channels {
		if c != avisera.ChannelEmail && c != avisera.ChannelSMS {
			return avisera.Invalid(fmt.Sprintf("channels[%d]", i), "%q is not a channel (email, sms)", c)
		}
		if slices.Index(channels, c) != i {
			return avisera.Invalid(fmt.Sprintf("channels[%d]", i), "%q is listed twice", c)
		}
	}
	return nil
}

func checkDynamic(et catalog.EventType, tokens []string) error {
	for i, tok := range tokens {
		if !et.HasToken(tok) {
			return avisera.Invalid(fmt.Sprintf("dynamic[%d]", i), "%q is not a dynamic recipient of %s (%v)", tok, et.Name, et.Tokens)
		}
	}
	return nil
}

// checkTarget accepts the tenant, an existing master-data object, or one
// business object of the message's own event type.
func (e *Engine) checkTarget(ctx context.Context, s store.Store, tenantID string, et catalog.EventType, t avisera.Target) error {
	switch t.Type {
	case avisera.TargetTenant:
		if t.ID != "" {
			return avisera.Invalid("target.id", "a tenant-wide link has no target id")
		}
		return nil
	case avisera.TargetOrgUnit, avisera.TargetCustomer, avisera.TargetContract, avisera.TargetPlace, avisera.TargetUser:
		if t.ID == "" {
			return avisera.Invalid("target.id", "is required for a %s target", t.Type)
		}
		err := e.objectExists(ctx, s, tenantID, t.Type, t.ID)
		return mustExist(ctx, "target.id", t.Type, t.ID, func(context.Context) error { return storeErr(err) })
	case et.Name:
		return checkID("target.id", t.ID)
	}
	return avisera.Invalid("target.type", "%q is not a target of %s messages (tenant, org_unit, customer, contract, place, user or %s)", t.Type, et.Name, et.Name)
}

// storeErr turns the engine's not-found error back into the store's, for
// mustExist.
func storeErr(err error) error {
	if avisera.ErrorCode(err) == avisera.ENOTFOUND {
		return store.ErrNotFound
	}
	return err
}

// checkStatic validates static recipients and normalises their addresses.
func (e *Engine) checkStatic(ctx context.Context, s store.Store, tenantID string, l *avisera.Link) ([]Warning, error) {
	region, err := e.region(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	var warnings []Warning
	for i := range l.Static {
		w, err := e.checkStaticOne(ctx, s, tenantID, region, l, i)
		if err != nil {
			return nil, err
		}
		warnings = append(warnings, w...)
	}
	return warnings, nil
}

func (e *Engine) checkStaticOne(ctx context.Context, s store.Store, tenantID, region string, l *avisera.Link, i int) ([]Warning, error) {
	r := &l.Static[i]
	field := fmt.Sprintf("static[%d]", i)
	u, err := s.GetUser(ctx, tenantID, r.UserID)
	if err != nil {
		return nil, mustExist(ctx, field+".user_id", "user", r.UserID, func(context.Context) error { return err })
	}
	if !u.NotificationRecipient {
		return nil, avisera.Invalid(field+".user_id", "user %q is not a notification recipient (their role is not flagged)", u.ID)
	}
	own := append(slices.Clone(u.Emails), u.Phones...)
	if len(own) == 0 {
		return nil, avisera.Invalid(field+".user_id", "user %q has no email address or phone number", u.ID)
	}
	if len(r.Addresses) == 0 {
		r.Addresses = own
	}
	for j, a := range r.Addresses {
		norm := normalizeAddress(a, region)
		if !slices.Contains(own, norm) {
			return nil, avisera.Invalid(fmt.Sprintf("%s.addresses[%d]", field, j), "%q is not one of user %s's addresses %v", a, u.ID, own)
		}
		r.Addresses[j] = norm
	}
	return staticWarnings(field, u, r.Addresses, l, e.Now()), nil
}

// normalizeAddress lower-cases an email or normalises a phone number.
func normalizeAddress(a, region string) string {
	if n, err := phone.Parse(a, region); err == nil {
		return n.E164
	}
	return normalizedEmail(a)
}

func staticWarnings(field string, u avisera.User, addrs []string, l *avisera.Link, now time.Time) []Warning {
	var w []Warning
	hasEmail := slices.ContainsFunc(addrs, isEmail)
	hasPhone := slices.ContainsFunc(addrs, func(a string) bool { return !isEmail(a) })
	if l.HasChannel(avisera.ChannelSMS) && !hasPhone {
		w = append(w, Warning{field, fmt.Sprintf("user %s (%s) gets no SMS: no mobile number is chosen", u.ID, u.Name)})
	}
	if l.HasChannel(avisera.ChannelEmail) && !hasEmail {
		w = append(w, Warning{field, fmt.Sprintf("user %s (%s) gets no email: no email address is chosen", u.ID, u.Name)})
	}
	if u.ValidTo != nil && !u.ValidAt(now) {
		w = append(w, Warning{field, fmt.Sprintf("user %s (%s) is no longer valid and receives nothing", u.ID, u.Name)})
	}
	return w
}

// dynamicWarnings tells when the link's own target has no contact with the
// notification_recipient role for the token that reads it. On an org unit
// the token reads the event's unit, which may be one below the target.
func (e *Engine) dynamicWarnings(ctx context.Context, s store.Store, tenantID string, l *avisera.Link) []Warning {
	tokenOf := map[string]string{avisera.TargetCustomer: avisera.TokenCustomerContacts,
		avisera.TargetContract: avisera.TokenContractContacts, avisera.TargetOrgUnit: avisera.TokenOrgUnitContacts,
		avisera.TargetPlace: avisera.TokenPlaceContacts}
	tok, ok := tokenOf[l.Target.Type]
	if !ok || !slices.Contains(l.Dynamic, tok) {
		return nil
	}
	links, err := s.ContactLinks(ctx, tenantID, l.Target.Type, l.Target.ID)
	if err != nil {
		return nil
	}
	for _, cl := range links {
		if cl.HasRole(avisera.RoleNotificationRecipient) {
			return nil
		}
	}
	msg := fmt.Sprintf("%s %s has no contact with the role notification_recipient: %s reaches nobody",
		l.Target.Type, l.Target.ID, tok)
	if l.Target.Type == avisera.TargetOrgUnit { // the token reads the event's own unit, maybe one below
		msg += fmt.Sprintf(" for events of %s itself (events of the units below it reach those units' contacts)", l.Target.ID)
	}
	return []Warning{{"dynamic", msg}}
}

func isEmail(a string) bool { return strings.Contains(a, "@") }

func normalizedEmail(a string) string { return strings.ToLower(strings.TrimSpace(a)) }
