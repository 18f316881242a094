package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

const deliveryColumns = `id, event_id, event_type, trigger_name, occurred_at, object_type, object_id,
	message_id, message_version, link_ids, channel, recipient_name, address, language, reached_via,
	org_unit_id, org_unit_name, customer_id, contract_id, status, status_at, detail, attempts,
	next_attempt_at, provider_id, segments, sent_at, created_at, subject`

// contentJoin reads a delivery's content from its shared row, or from the
// delivery itself for rows written before contents were shared.
const contentJoin = `, COALESCE(c.html, d.html), COALESCE(c.text_body, d.text_body), COALESCE(c.sms, d.sms),
	d.content_id, COALESCE(c.personal, FALSE)
	FROM deliveries d LEFT JOIN contents c ON c.tenant_id = d.tenant_id AND c.id = d.content_id`

// qualified is deliveryColumns with the d. prefix.
var qualified = qualify("d.", deliveryColumns)

func qualify(prefix, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = prefix + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// scanDelivery scans deliveryColumns, plus the content when withContent.
func scanDelivery(withContent bool) func(interface{ Scan(...any) error }) (avisera.Delivery, error) {
	return func(sc interface{ Scan(...any) error }) (avisera.Delivery, error) {
		var d avisera.Delivery
		var links string
		var next, sent sql.NullTime
		dest := []any{&d.ID, &d.EventID, &d.EventType, &d.Trigger, &d.OccurredAt, &d.Object.Type, &d.Object.ID,
			&d.MessageID, &d.MessageVersion, &links, &d.Channel, &d.RecipientName, &d.Address, &d.Language,
			&d.ReachedVia, &d.OrgUnitID, &d.OrgUnitName, &d.CustomerID, &d.ContractID, &d.Status, &d.StatusAt,
			&d.Detail, &d.Attempts, &next, &d.ProviderID, &d.Segments, &sent, &d.CreatedAt, &d.Subject}
		if withContent {
			dest = append(dest, &d.HTML, &d.Text, &d.SMS, &d.ContentID, &d.Personal)
		}
		err := sc.Scan(dest...)
		d.LinkIDs, d.NextAttemptAt, d.SentAt = splitList(links), timePtr(next), timePtr(sent)
		return d, err
	}
}

// GetDeliveries implements store.EventStore.
func (s *Store) GetDeliveries(ctx context.Context, tenantID string, ids []string) ([]avisera.Delivery, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	in, args := s.in("id", ids)
	rows, err := s.query(ctx, `SELECT `+deliveryColumns+`, html, text_body, sms, content_id, FALSE FROM deliveries
		WHERE tenant_id = ? AND `+in, append([]any{tenantID}, args...)...)
	if err != nil {
		return nil, err
	}
	ds, err := collect(rows, scanDelivery(true))
	if err != nil {
		return nil, err
	}
	return ds, s.fillContents(ctx, tenantID, ds)
}

// fillContents sets the content of deliveries that share one, reading
// each shared content once however many deliveries hold it (a send job's
// deliveries come from a few events).
func (s *Store) fillContents(ctx context.Context, tenantID string, ds []avisera.Delivery) error {
	byID := map[string][]int{}
	var ids []string
	for i, d := range ds {
		if d.ContentID == "" {
			continue
		}
		if _, seen := byID[d.ContentID]; !seen {
			ids = append(ids, d.ContentID)
		}
		byID[d.ContentID] = append(byID[d.ContentID], i)
	}
	if len(ids) == 0 {
		return nil
	}
	in, args := s.in("id", ids)
	rows, err := s.query(ctx, `SELECT id, html, text_body, sms, personal FROM contents
		WHERE tenant_id = ? AND `+in, append([]any{tenantID}, args...)...)
	if err != nil {
		return err
	}
	cs, err := collect(rows, func(sc interface{ Scan(...any) error }) (avisera.Rendered, error) {
		var c avisera.Rendered
		return c, sc.Scan(&c.ID, &c.HTML, &c.Text, &c.SMS, &c.Personal)
	})
	if err != nil {
		return s.wrap(err)
	}
	for _, c := range cs {
		for _, i := range byID[c.ID] {
			ds[i].HTML, ds[i].Text, ds[i].SMS, ds[i].Personal = c.HTML, c.Text, c.SMS, c.Personal
		}
	}
	return nil
}

// GetDelivery implements store.EventStore.
func (s *Store) GetDelivery(ctx context.Context, tenantID, id string) (avisera.Delivery, error) {
	var history string
	d, err := scanDelivery(true)(scanFirst{s.queryRow(ctx, `SELECT d.history, `+qualified+contentJoin+`
		WHERE d.tenant_id = ? AND d.id = ?`, tenantID, id), []any{&history}})
	if err != nil {
		return d, s.wrap(err)
	}
	d.History, err = parseHistory(history)
	return d, err
}

// scanFirst scans the leading columns of a row into first, the rest into
// what Scan is given.
type scanFirst struct {
	row   interface{ Scan(...any) error }
	first []any
}

func (f scanFirst) Scan(dest ...any) error { return f.row.Scan(append(f.first, dest...)...) }

// SMSByProviderID implements store.EventStore.
func (s *Store) SMSByProviderID(ctx context.Context, tenantID, providerID string) (avisera.Delivery, error) {
	d, err := scanDelivery(false)(s.queryRow(ctx, `SELECT `+deliveryColumns+` FROM deliveries
		WHERE tenant_id = ? AND channel = 'sms' AND provider_id = ? LIMIT 1`, tenantID, providerID))
	return d, s.wrap(err)
}

// UpdateDeliveries implements store.EventStore.
func (s *Store) UpdateDeliveries(ctx context.Context, tenantID string, us []store.DeliveryUpdate) ([]string, error) {
	updated := map[string]bool{}
	if err := s.perStatement(len(us), func(lo, hi int) error {
		return s.updateDeliveries(ctx, tenantID, us[lo:hi], updated)
	}); err != nil {
		return nil, err
	}
	var stale []string
	for _, u := range us {
		switch {
		case updated[u.ID]:
		case u.Seen == "":
			return nil, fmt.Errorf("%w: delivery %s", store.ErrNotFound, u.ID)
		default:
			stale = append(stale, u.ID)
		}
	}
	return stale, nil
}

// updateColumns are the values updateDeliveries sets, by delivery id, the
// history lines it appends, and the status each update saw.
var updateColumns = []column{{"id", "text"}, {"status", "text"}, {"status_at", "timestamptz"}, {"detail", "text"},
	{"attempts", "integer"}, {"next_attempt_at", "timestamptz"}, {"provider_id", "text"}, {"segments", "integer"},
	{"sent_at", "timestamptz"}, {"history", "text"}, {"seen", "text"}, {"seen_attempts", "integer"}}

// updateDeliveries stores new states with one UPDATE … FROM statement (the
// new values unnested from arrays on PostgreSQL, a VALUES list on SQLite)
// and adds the ids it updated to updated. A row whose status or attempts
// are no longer the ones its update saw is left alone; PostgreSQL checks that again on
// the newest version of a row another transaction just changed.
func (s *Store) updateDeliveries(ctx context.Context, tenantID string, us []store.DeliveryUpdate, updated map[string]bool) error {
	rows := make([][]any, len(us))
	precision := s.db.dialect.TimeResolution
	for i, u := range us {
		rows[i] = []any{u.ID, u.Status, u.StatusAt.UTC(), u.Detail, u.Attempts, nullTime(u.NextAttemptAt),
			u.ProviderID, u.Segments, nullTime(u.SentAt), historyLines(precision, u.History...), u.Seen, u.SeenAttempts}
	}
	with, from, args, err := s.valuesTable(updateColumns, rows)
	if err != nil {
		return err
	}
	res, err := s.writer().QueryContext(ctx, s.db.rebind(with+`UPDATE deliveries SET status = v.status,
		status_at = v.status_at, detail = v.detail, attempts = v.attempts, next_attempt_at = v.next_attempt_at,
		provider_id = v.provider_id, segments = v.segments, sent_at = v.sent_at,
		history = deliveries.history || v.history
		FROM `+from+` WHERE deliveries.tenant_id = ? AND deliveries.id = v.id
		AND (v.seen = '' OR (deliveries.status = v.seen AND deliveries.attempts = v.seen_attempts))
		RETURNING deliveries.id`), append(args, tenantID)...)
	if err != nil {
		return s.wrap(err)
	}
	ids, err := collect(res, func(sc interface{ Scan(...any) error }) (string, error) {
		var id string
		return id, sc.Scan(&id)
	})
	for _, id := range ids {
		updated[id] = true
	}
	return s.wrap(err)
}

// ListDeliveries implements store.EventStore.
func (s *Store) ListDeliveries(ctx context.Context, tenantID string, f store.DeliveryFilter, p avisera.Page) ([]avisera.Delivery, error) {
	where, args := s.deliveryWhere(tenantID, f)
	if at, id, ok := store.ParseCursor(p.After); ok {
		where += ` AND (created_at < ? OR (created_at = ? AND id < ?))`
		args = append(args, at, at, id)
	}
	rows, err := s.query(ctx, `SELECT `+deliveryColumns+` FROM deliveries`+where+`
		ORDER BY created_at DESC, id DESC LIMIT ?`, append(args, p.Limit)...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanDelivery(false))
}

func (s *Store) deliveryWhere(tenantID string, f store.DeliveryFilter) (string, []any) {
	where, args := ` WHERE tenant_id = ?`, []any{tenantID}
	if f.From != nil {
		where += ` AND created_at >= ?`
		args = append(args, f.From.UTC())
	}
	if f.To != nil {
		where += ` AND created_at < ?`
		args = append(args, f.To.UTC())
	}
	if len(f.Statuses) > 0 {
		where += ` AND status IN (` + placeholders(len(f.Statuses)) + `)`
		args = append(args, anys(f.Statuses)...)
	}
	for _, c := range []struct{ col, v string }{{"channel", f.Channel}, {"event_type", f.EventType},
		{"trigger_name", f.Trigger}, {"message_id", f.MessageID}, {"customer_id", f.CustomerID},
		{"contract_id", f.ContractID}, {"org_unit_id", f.OrgUnitID}, {"event_id", f.EventID}} {
		if c.v != "" {
			where += ` AND ` + c.col + ` = ?`
			args = append(args, c.v)
		}
	}
	if len(f.OrgUnitIDs) > 0 {
		in, inArgs := s.in("org_unit_id", f.OrgUnitIDs)
		where += ` AND ` + in
		args = append(args, inArgs...)
	}
	if len(f.Words) > 0 {
		// Every word somewhere in the name or address, in any order
		// ("lindqvist anna"), or the whole q as a phone number.
		var like string
		for i, w := range f.Words {
			if i > 0 {
				like += ` AND `
			}
			if w.Phone != "" {
				like += `(search LIKE ? ESCAPE '\' OR search LIKE ? ESCAPE '\')`
				args = append(args, likePattern(w.Text), likePattern(w.Phone))
				continue
			}
			like += `search LIKE ? ESCAPE '\'`
			args = append(args, likePattern(w.Text))
		}
		if f.QPhone != "" {
			like += ` OR search LIKE ? ESCAPE '\'`
			args = append(args, likePattern(f.QPhone))
		}
		where += ` AND (` + like + `)`
	}
	return where, args
}
