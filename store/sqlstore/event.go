package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

var eventColumns = []column{{"tenant_id", "text"}, {"id", "text"}, {"event_type", "text"},
	{"trigger_name", "text"}, {"occurred_at", "timestamptz"}, {"subject_type", "text"}, {"subject_id", "text"},
	{"refs", "text"}, {"data", "text"}, {"files", "text"}, {"body_hash", "text"}, {"planned", "integer"},
	{"suppressed", "integer"}, {"accepted_at", "timestamptz"}}

// InsertEvents implements store.EventStore.
func (s *Store) InsertEvents(ctx context.Context, es []store.NewEvent) error {
	r := newRows{res: s.db.dialect.TimeResolution}
	for _, e := range es {
		row, err := eventRow(e.TenantID, e.Event)
		if err != nil {
			return err
		}
		r.events = append(r.events, row)
		r.addDeliveries(e.TenantID, e.Deliveries, e.Contents)
	}
	return s.insertNew(ctx, r)
}

// InsertDeliveries implements store.EventStore.
func (s *Store) InsertDeliveries(ctx context.Context, tenantID string, ds []avisera.Delivery, cs []avisera.Rendered) error {
	r := newRows{res: s.db.dialect.TimeResolution}
	r.addDeliveries(tenantID, ds, cs)
	return s.insertNew(ctx, r)
}

func eventRow(tenantID string, ev avisera.Event) ([]any, error) {
	refs, err := json.Marshal(ev.Refs)
	if err != nil {
		return nil, fmt.Errorf("encode refs: %w", err)
	}
	files, err := json.Marshal(ev.Files)
	if err != nil {
		return nil, fmt.Errorf("encode files: %w", err)
	}
	data := string(ev.Data)
	if data == "" {
		data = "{}"
	}
	return []any{tenantID, ev.ID, ev.EventType, ev.Trigger, ev.OccurredAt.UTC(), ev.Subject.Type, ev.Subject.ID,
		string(refs), data, string(files), ev.BodyHash, ev.Planned, ev.Suppressed, ev.AcceptedAt.UTC()}, nil
}

// newRows collects the rows that new events write, per table; res is the
// database's time resolution.
type newRows struct {
	events, contents, deliveries [][]any
	res                          time.Duration
}

// addDeliveries adds deliveries, each with its first status as its
// history, and the contents they share.
func (r *newRows) addDeliveries(tenantID string, ds []avisera.Delivery, cs []avisera.Rendered) {
	for _, c := range cs {
		r.contents = append(r.contents, []any{tenantID, c.ID, c.Subject, c.HTML, c.Text, c.SMS, c.Personal})
	}
	for _, d := range ds {
		r.deliveries = append(r.deliveries, deliveryArgs(tenantID, d, r.res))
	}
}

// insertNew writes the rows, a statement per table (on SQLite, per 40
// rows), events before the rows that name them.
func (s *Store) insertNew(ctx context.Context, r newRows) error {
	for _, t := range []struct {
		table string
		cols  []column
		rows  [][]any
	}{{"events", eventColumns, r.events}, {"contents", contentColumns, r.contents},
		{"deliveries", deliveryInsertColumns, r.deliveries}} {
		if err := s.insertRows(ctx, t.table, t.cols, t.rows); err != nil {
			return err
		}
	}
	return nil
}

var contentColumns = []column{{"tenant_id", "text"}, {"id", "text"}, {"subject", "text"}, {"html", "text"},
	{"text_body", "text"}, {"sms", "text"}, {"personal", "boolean"}}

// deliveryInsertColumns are written for a new delivery, in the order of
// deliveryArgs.
var deliveryInsertColumns = []column{{"tenant_id", "text"}, {"id", "text"}, {"event_id", "text"},
	{"event_type", "text"}, {"trigger_name", "text"}, {"occurred_at", "timestamptz"}, {"object_type", "text"},
	{"object_id", "text"}, {"message_id", "text"}, {"message_version", "integer"}, {"link_ids", "text"},
	{"channel", "text"}, {"recipient_name", "text"}, {"address", "text"}, {"search", "text"},
	{"language", "text"}, {"reached_via", "text"}, {"org_unit_id", "text"}, {"org_unit_name", "text"},
	{"customer_id", "text"}, {"contract_id", "text"}, {"status", "text"}, {"status_at", "timestamptz"},
	{"detail", "text"}, {"next_attempt_at", "timestamptz"}, {"created_at", "timestamptz"}, {"subject", "text"},
	{"html", "text"}, {"text_body", "text"}, {"sms", "text"}, {"content_id", "text"}, {"provider_id", "text"},
	{"history", "text"}}

func deliveryArgs(tenantID string, d avisera.Delivery, res time.Duration) []any {
	return []any{tenantID, d.ID, d.EventID, d.EventType, d.Trigger, d.OccurredAt.UTC(), d.Object.Type,
		d.Object.ID, d.MessageID, d.MessageVersion, joinList(d.LinkIDs), d.Channel, d.RecipientName, d.Address,
		searchKey(d.RecipientName, d.Address), d.Language, d.ReachedVia, d.OrgUnitID, d.OrgUnitName,
		d.CustomerID, d.ContractID, d.Status, d.StatusAt.UTC(), d.Detail, nullTime(d.NextAttemptAt),
		d.CreatedAt.UTC(), d.Subject, d.HTML, d.Text, d.SMS, d.ContentID, d.ProviderID,
		historyLines(res, avisera.StatusChange{Status: d.Status, At: d.StatusAt, Detail: d.Detail, Applied: true})}
}

// FirstOccurrences implements store.EventStore.
func (s *Store) FirstOccurrences(ctx context.Context, tenantID, eventType, subjectID string, triggers []string,
	since time.Time) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	if len(triggers) == 0 {
		return out, nil
	}
	in, args := s.in("trigger_name", triggers)
	rows, err := s.query(ctx, `SELECT trigger_name, occurred_at FROM events
		WHERE tenant_id = ? AND event_type = ? AND subject_id = ? AND occurred_at >= ? AND `+in+`
		ORDER BY occurred_at`, append([]any{tenantID, eventType, subjectID, since.UTC()}, args...)...)
	if err != nil {
		return nil, err
	}
	type occurrence struct {
		trigger string
		at      time.Time
	}
	os, err := collect(rows, func(sc interface{ Scan(...any) error }) (occurrence, error) {
		var o occurrence
		return o, sc.Scan(&o.trigger, &o.at)
	})
	for _, o := range os {
		if _, seen := out[o.trigger]; !seen {
			out[o.trigger] = o.at.UTC()
		}
	}
	return out, err
}

// GetEvent implements store.EventStore.
func (s *Store) GetEvent(ctx context.Context, tenantID, id string) (avisera.Event, error) {
	var ev avisera.Event
	var refs, data, files string
	err := s.scanRow(ctx, []any{&ev.ID, &ev.EventType, &ev.Trigger, &ev.OccurredAt, &ev.Subject.Type,
		&ev.Subject.ID, &refs, &data, &files, &ev.BodyHash, &ev.Planned, &ev.Suppressed, &ev.AcceptedAt},
		`SELECT id, event_type, trigger_name, occurred_at, subject_type, subject_id, refs, data, files,
		body_hash, planned, suppressed, accepted_at FROM events WHERE tenant_id = ? AND id = ?`, tenantID, id)
	if err != nil {
		return ev, err
	}
	ev.Type = ev.EventType + "." + ev.Trigger
	ev.Data = json.RawMessage(data)
	if err := json.Unmarshal([]byte(refs), &ev.Refs); err != nil {
		return ev, fmt.Errorf("decode refs: %w", err)
	}
	if err := json.Unmarshal([]byte(files), &ev.Files); err != nil {
		return ev, fmt.Errorf("decode files: %w", err)
	}
	return ev, nil
}
