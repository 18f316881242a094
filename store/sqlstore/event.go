package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

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

var contentColumnList = []string{"tenant_id", "id", "subject", "html", "text_body", "sms", "personal"}

func (s *Store) insertContents(ctx context.Context, tenantID string, cs []avisera.Rendered) error {
	for start := 0; start < len(cs); start += 50 {
		part := cs[start:min(start+50, len(cs))]
		args := make([]any, 0, len(part)*len(contentColumnList))
		for _, c := range part {
			args = append(args, tenantID, c.ID, c.Subject, c.HTML, c.Text, c.SMS, c.Personal)
		}
		if _, err := s.exec(ctx, multiInsert("contents", contentColumnList, len(part)), args...); err != nil {
			return err
		}
	}
	return nil
}

// deliveryInsertColumns are written by insertDeliveries, in this order.
var deliveryInsertColumns = []string{"tenant_id", "id", "event_id", "event_type", "trigger_name", "occurred_at",
	"object_type", "object_id", "message_id", "message_version", "link_ids", "channel", "recipient_name",
	"address", "search", "language", "reached_via", "org_unit_id", "org_unit_name", "customer_id",
	"contract_id", "status", "status_at", "detail", "next_attempt_at", "created_at", "subject", "html",
	"text_body", "sms", "content_id", "provider_id"}

func deliveryArgs(tenantID string, d avisera.Delivery) []any {
	return []any{tenantID, d.ID, d.EventID, d.EventType, d.Trigger, d.OccurredAt.UTC(), d.Object.Type,
		d.Object.ID, d.MessageID, d.MessageVersion, joinList(d.LinkIDs), d.Channel, d.RecipientName, d.Address,
		searchKey(d.RecipientName, d.Address), d.Language, d.ReachedVia, d.OrgUnitID, d.OrgUnitName,
		d.CustomerID, d.ContractID, d.Status, d.StatusAt.UTC(), d.Detail, nullTime(d.NextAttemptAt),
		d.CreatedAt.UTC(), d.Subject, d.HTML, d.Text, d.SMS, d.ContentID, d.ProviderID}
}

// insertDeliveries writes deliveries and their first history entry with
// multi-row inserts, a few round trips per event instead of one per row.
func (s *Store) insertDeliveries(ctx context.Context, tenantID string, ds []avisera.Delivery) error {
	const chunk = 40
	for start := 0; start < len(ds); start += chunk {
		part := ds[start:min(start+chunk, len(ds))]
		var args []any
		var history []avisera.StatusChange
		for _, d := range part {
			args = append(args, deliveryArgs(tenantID, d)...)
			history = append(history, avisera.StatusChange{DeliveryID: d.ID, Status: d.Status, At: d.StatusAt,
				Detail: d.Detail, Applied: true})
		}
		if _, err := s.exec(ctx, multiInsert("deliveries", deliveryInsertColumns, len(part)), args...); err != nil {
			return err
		}
		if err := s.insertHistory(ctx, tenantID, history); err != nil {
			return err
		}
	}
	return nil
}

var historyColumns = []string{"tenant_id", "delivery_id", "id", "status", "at", "detail", "applied"}

func (s *Store) insertHistory(ctx context.Context, tenantID string, hs []avisera.StatusChange) error {
	if len(hs) == 0 {
		return nil
	}
	args := make([]any, 0, len(hs)*len(historyColumns))
	for _, h := range hs {
		args = append(args, tenantID, h.DeliveryID, uuid.Must(uuid.NewV7()).String(), h.Status, h.At.UTC(),
			h.Detail, h.Applied)
	}
	_, err := s.exec(ctx, multiInsert("delivery_history", historyColumns, len(hs)), args...)
	return err
}

// multiInsert builds INSERT INTO table (cols) VALUES (…), (…) for n rows.
func multiInsert(table string, cols []string, n int) string {
	row := "(" + placeholders(len(cols)) + ")"
	rows := strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
	return `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES ` + rows
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
