package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"github.com/avisera/avisera"
)

// InsertEvent implements store.EventStore.
func (s *Store) InsertEvent(ctx context.Context, tenantID string, ev avisera.Event, ds []avisera.Delivery, cs []avisera.Rendered) error {
	refs, err := json.Marshal(ev.Refs)
	if err != nil {
		return fmt.Errorf("encode refs: %w", err)
	}
	files, err := json.Marshal(ev.Files)
	if err != nil {
		return fmt.Errorf("encode files: %w", err)
	}
	data := string(ev.Data)
	if data == "" {
		data = "{}"
	}
	if _, err := s.exec(ctx, `INSERT INTO events (tenant_id, id, event_type, trigger_name, occurred_at,
		subject_type, subject_id, refs, data, files, body_hash, planned, suppressed, accepted_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, tenantID, ev.ID, ev.EventType, ev.Trigger,
		ev.OccurredAt.UTC(), ev.Subject.Type, ev.Subject.ID, string(refs), data, string(files), ev.BodyHash,
		ev.Planned, ev.Suppressed, ev.AcceptedAt.UTC()); err != nil {
		return err
	}
	return s.InsertDeliveries(ctx, tenantID, ds, cs)
}

// InsertDeliveries implements store.EventStore.
func (s *Store) InsertDeliveries(ctx context.Context, tenantID string, ds []avisera.Delivery, cs []avisera.Rendered) error {
	if err := s.insertContents(ctx, tenantID, cs); err != nil {
		return err
	}
	return s.insertDeliveries(ctx, tenantID, ds)
}

var contentColumns = []column{{"tenant_id", "text"}, {"id", "text"}, {"subject", "text"}, {"html", "text"},
	{"text_body", "text"}, {"sms", "text"}, {"personal", "boolean"}}

func (s *Store) insertContents(ctx context.Context, tenantID string, cs []avisera.Rendered) error {
	rows := make([][]any, len(cs))
	for i, c := range cs {
		rows[i] = []any{tenantID, c.ID, c.Subject, c.HTML, c.Text, c.SMS, c.Personal}
	}
	return s.insertRows(ctx, "contents", contentColumns, rows)
}

// deliveryInsertColumns are written by insertDeliveries, in this order.
var deliveryInsertColumns = []column{{"tenant_id", "text"}, {"id", "text"}, {"event_id", "text"},
	{"event_type", "text"}, {"trigger_name", "text"}, {"occurred_at", "timestamptz"}, {"object_type", "text"},
	{"object_id", "text"}, {"message_id", "text"}, {"message_version", "integer"}, {"link_ids", "text"},
	{"channel", "text"}, {"recipient_name", "text"}, {"address", "text"}, {"search", "text"},
	{"language", "text"}, {"reached_via", "text"}, {"org_unit_id", "text"}, {"org_unit_name", "text"},
	{"customer_id", "text"}, {"contract_id", "text"}, {"status", "text"}, {"status_at", "timestamptz"},
	{"detail", "text"}, {"next_attempt_at", "timestamptz"}, {"created_at", "timestamptz"}, {"subject", "text"},
	{"html", "text"}, {"text_body", "text"}, {"sms", "text"}, {"content_id", "text"}, {"provider_id", "text"}}

func deliveryArgs(tenantID string, d avisera.Delivery) []any {
	return []any{tenantID, d.ID, d.EventID, d.EventType, d.Trigger, d.OccurredAt.UTC(), d.Object.Type,
		d.Object.ID, d.MessageID, d.MessageVersion, joinList(d.LinkIDs), d.Channel, d.RecipientName, d.Address,
		searchKey(d.RecipientName, d.Address), d.Language, d.ReachedVia, d.OrgUnitID, d.OrgUnitName,
		d.CustomerID, d.ContractID, d.Status, d.StatusAt.UTC(), d.Detail, nullTime(d.NextAttemptAt),
		d.CreatedAt.UTC(), d.Subject, d.HTML, d.Text, d.SMS, d.ContentID, d.ProviderID}
}

// insertDeliveries writes deliveries and their first history entry, a
// statement or two for all of them.
func (s *Store) insertDeliveries(ctx context.Context, tenantID string, ds []avisera.Delivery) error {
	rows := make([][]any, len(ds))
	history := make([]avisera.StatusChange, len(ds))
	for i, d := range ds {
		rows[i] = deliveryArgs(tenantID, d)
		history[i] = avisera.StatusChange{DeliveryID: d.ID, Status: d.Status, At: d.StatusAt, Detail: d.Detail,
			Applied: true}
	}
	if err := s.insertRows(ctx, "deliveries", deliveryInsertColumns, rows); err != nil {
		return err
	}
	return s.insertHistory(ctx, tenantID, history)
}

var historyColumns = []column{{"tenant_id", "text"}, {"delivery_id", "text"}, {"id", "text"}, {"status", "text"},
	{"at", "timestamptz"}, {"detail", "text"}, {"applied", "boolean"}}

func (s *Store) insertHistory(ctx context.Context, tenantID string, hs []avisera.StatusChange) error {
	rows := make([][]any, len(hs))
	for i, h := range hs {
		rows[i] = []any{tenantID, h.DeliveryID, uuid.Must(uuid.NewV7()).String(), h.Status, h.At.UTC(), h.Detail,
			h.Applied}
	}
	return s.insertRows(ctx, "delivery_history", historyColumns, rows)
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
