package engine

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/catalog"
	"github.com/avisera/avisera/store"
)

// EventInput is an event as the host posts it. OccurredAt is parsed by
// the caller so that its errors name the field.
type EventInput struct {
	ID         string
	Type       string
	OccurredAt time.Time
	Subject    avisera.Target
	Refs       avisera.Refs
	Data       json.RawMessage
	Files      []string
}

// EventResult is the answer to an accepted event; the same event posted
// again gets the same answer. Duplicate tells a replay (the API says so in
// the Idempotent-Replayed header, so that the bodies stay identical).
type EventResult struct {
	EventID    string `json:"event_id"`
	Deliveries int    `json:"deliveries"`
	Suppressed int    `json:"suppressed"`
	Duplicate  bool   `json:"-"`
}

// AcceptEvent validates an event, plans its deliveries (matching links,
// resolving recipients, rendering) and stores the event, the deliveries and
// their send job in one transaction. The host's event id is the
// idempotency key: the same event again returns the first answer and sends
// nothing; another event with the same id is a conflict.
func (e *Engine) AcceptEvent(ctx context.Context, tenantID string, in EventInput) (EventResult, error) {
	ev, et, err := e.validateEvent(in)
	if err != nil {
		return EventResult{}, err
	}
	// A repeated id is found when the insert conflicts: no read up front.
	files, err := e.checkFiles(ctx, tenantID, ev.Files)
	if err != nil {
		return EventResult{}, err
	}
	ds, cs, err := e.plan(ctx, tenantID, ev, et, files)
	if err != nil {
		return EventResult{}, err
	}
	err = e.storeAcceptance(&acceptance{ctx: ctx, tenantID: tenantID, ev: &ev, ds: ds, cs: cs})
	if errors.Is(err, store.ErrConflict) {
		return e.replay(ctx, tenantID, ev) // a concurrent post of the same id won
	}
	if err != nil {
		return EventResult{}, err
	}
	e.metrics.EventAccepted(ev.EventType, ev.Trigger)
	return EventResult{EventID: ev.ID, Deliveries: ev.Planned, Suppressed: ev.Suppressed}, nil
}

// sendBatches collects delivery ids to send, by tenant and send time.
type sendBatches map[sendKey][]string

type sendKey struct {
	tenantID string
	at       time.Time
}

// newEvent stamps an event accepted, counts its deliveries, adds the
// sendable ones to sends and returns what the store is to insert.
func (e *Engine) newEvent(tenantID string, ev *avisera.Event, ds []avisera.Delivery, cs []avisera.Rendered,
	sends sendBatches) store.NewEvent {
	ev.AcceptedAt = e.Now()
	ev.Planned, ev.Suppressed = 0, 0
	for _, d := range ds {
		if d.Status == avisera.StatusSuppressed || d.Status == avisera.StatusFailed {
			ev.Suppressed++
			continue
		}
		ev.Planned++
		k := sendKey{tenantID: tenantID}
		if d.NextAttemptAt != nil {
			k.at = *d.NextAttemptAt
		}
		sends[k] = append(sends[k], d.ID)
	}
	return store.NewEvent{TenantID: tenantID, Event: *ev, Deliveries: ds, Contents: cs}
}

// maxJobDeliveries bounds one send job: a job is sent as one batch over
// the SMTP pool, and retried whole (its pending part) if its process dies.
const maxJobDeliveries = 200

// enqueue inserts the send jobs of sends in s's transaction and returns
// them.
func (e *Engine) enqueue(ctx context.Context, s store.Store, sends sendBatches) ([]enqueuedJob, error) {
	if e.queue == nil {
		return nil, nil
	}
	var jobs []enqueuedJob
	for k, ids := range sends {
		for start := 0; start < len(ids); start += maxJobDeliveries {
			part := ids[start:min(start+maxJobDeliveries, len(ids))]
			id, err := e.queue.EnqueueSend(ctx, s, k.tenantID, part, k.at)
			if err != nil {
				return nil, err
			}
			jobs = append(jobs, enqueuedJob{id: id, tenantID: k.tenantID, ids: part})
		}
	}
	return jobs, nil
}

// replay answers an event id that is already stored.
func (e *Engine) replay(ctx context.Context, tenantID string, ev avisera.Event) (EventResult, error) {
	old, err := e.store.GetEvent(ctx, tenantID, ev.ID)
	if errors.Is(err, store.ErrNotFound) {
		return EventResult{}, nil
	}
	if err != nil {
		return EventResult{}, err
	}
	if old.BodyHash != ev.BodyHash {
		return EventResult{}, &avisera.Error{Code: avisera.ECONFLICT, Field: "id",
			Message: "event " + ev.ID + " was already accepted with different content"}
	}
	return EventResult{EventID: old.ID, Deliveries: old.Planned, Suppressed: old.Suppressed, Duplicate: true}, nil
}

// validateEvent checks an event against the catalogue.
func (e *Engine) validateEvent(in EventInput) (avisera.Event, catalog.EventType, error) {
	ev := avisera.Event{ID: in.ID, Type: in.Type, OccurredAt: in.OccurredAt.UTC(), Subject: in.Subject,
		Refs: in.Refs, Data: in.Data, Files: in.Files}
	if err := checkID("id", ev.ID); err != nil {
		return ev, catalog.EventType{}, err
	}
	typ, trig, ok := strings.Cut(in.Type, ".")
	if !ok {
		return ev, catalog.EventType{}, avisera.Invalid("type", "%q must be <event type>.<trigger>, e.g. order.completed", in.Type)
	}
	et, err := eventType("type", typ)
	if err != nil {
		return ev, et, err
	}
	if _, ok := et.Trigger(trig); !ok {
		return ev, et, avisera.Invalid("type", "%q is not a trigger of %s", trig, typ)
	}
	ev.EventType, ev.Trigger = typ, trig
	if ev.Subject.Type == "" {
		ev.Subject.Type = typ
	}
	if err := first(checkSubject(ev.Subject, typ), checkData(ev.Data), checkRefs(ev.Refs)); err != nil {
		return ev, et, err
	}
	if ev.OccurredAt.IsZero() {
		return ev, et, avisera.Invalid("occurred_at", "is required (RFC 3339; 0001-01-01T00:00:00Z, a zero time, counts as none)")
	}
	ev.BodyHash = hashEvent(ev)
	return ev, et, nil
}

func checkSubject(t avisera.Target, typ string) error {
	if t.Type != typ {
		return avisera.Invalid("subject.type", "must be %s, the event's type", typ)
	}
	return checkID("subject.id", t.ID)
}

func checkData(data json.RawMessage) error {
	if len(data) == 0 || string(data) == "null" {
		return nil
	}
	if t := bytes.TrimSpace(data); len(t) == 0 || t[0] != '{' {
		// A wrong JSON type, like any other (400), not a wrong value (422).
		return &avisera.Error{Code: avisera.EBADREQUEST, Field: "data", Message: "must be a JSON object"}
	}
	return nil
}

func checkRefs(r avisera.Refs) error {
	for _, ref := range [...]struct{ field, id string }{{"refs.customer", r.Customer}, {"refs.contract", r.Contract},
		{"refs.org_unit", r.OrgUnit}, {"refs.place", r.Place}} { // in order: the first bad one is named
		if ref.id != "" {
			if err := checkID(ref.field, ref.id); err != nil {
				return err
			}
		}
	}
	for i, u := range r.Users {
		if err := checkID(fmt.Sprintf("refs.users[%d]", i), u); err != nil {
			return err
		}
	}
	return nil
}

// hashEvent fingerprints what the host sent, so that a retry of the same
// event is told from a different event reusing its id. Key order and
// spacing do not count, nor an empty data object or file list against none;
// numbers count by value, exactly even beyond float64.
func hashEvent(ev avisera.Event) string {
	var files []string
	if len(ev.Files) > 0 {
		files = ev.Files
	}
	b, _ := json.Marshal(struct {
		Type       string
		OccurredAt time.Time
		Subject    avisera.Target
		Refs       avisera.Refs
		Data       any
		Files      []string
	}{ev.EventType + "." + ev.Trigger, ev.OccurredAt, ev.Subject, ev.Refs, canonicalData(ev.Data), files})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// canonicalData decodes an event's data for hashing: nil when empty.
func canonicalData(raw json.RawMessage) any {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var data any
	if dec.Decode(&data) != nil {
		return nil
	}
	if m, ok := data.(map[string]any); ok && len(m) == 0 {
		return nil
	}
	return canonicalNumbers(data)
}

// canonicalNumbers replaces the numbers in v by their values (see
// canonicalNumber).
func canonicalNumbers(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			v[k] = canonicalNumbers(x)
		}
	case []any:
		for i, x := range v {
			v[i] = canonicalNumbers(x)
		}
	case json.Number:
		return canonicalNumber(string(v))
	}
	return v
}

// canonicalNumber is a JSON number's value: a float64 when it has at most
// 15 significant digits (float64 tells all of those apart, and decoding
// always gave one), else its exact digits and decimal exponent, worked out
// on the text — no arithmetic, so an exponent of a billion costs nothing.
func canonicalNumber(s string) any {
	mant, expText, _ := strings.Cut(strings.ToLower(s), "e")
	sign := ""
	if strings.HasPrefix(mant, "-") {
		sign, mant = "-", mant[1:]
	}
	whole, frac, _ := strings.Cut(mant, ".")
	exp, err := strconv.ParseInt(cmp.Or(expText, "0"), 10, 64)
	if err != nil {
		return s
	}
	digits := strings.TrimLeft(whole+frac, "0")
	significant := strings.TrimRight(digits, "0")
	exp += int64(len(digits)-len(significant)) - int64(len(frac))
	if len(significant) <= 15 {
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f
		}
	}
	return map[string]string{"number": sign + significant + "e" + strconv.FormatInt(exp, 10)}
}
