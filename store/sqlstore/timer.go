package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

var timerInsertColumns = []column{{"id", "text"}, {"tenant_id", "text"}, {"kind", "text"}, {"plan_type", "text"},
	{"plan_id", "text"}, {"link_id", "text"}, {"trigger_name", "text"}, {"due_at", "timestamptz"},
	{"status", "text"}, {"detail", "text"}, {"event_id", "text"}, {"created_at", "timestamptz"}}

// InsertTimers implements store.PlanStore.
func (s *Store) InsertTimers(ctx context.Context, ts []avisera.Timer) error {
	rows := make([][]any, len(ts))
	for i, t := range ts {
		rows[i] = []any{t.ID, t.TenantID, t.Kind, t.PlanType, t.PlanID, t.LinkID, t.Trigger, t.DueAt.UTC(),
			t.Status, t.Detail, t.EventID, t.CreatedAt.UTC()}
	}
	return s.insertRows(ctx, "timers", timerInsertColumns, rows)
}

func timerWhere(tenantID string, f store.TimerFilter) (string, []any) {
	where, args := ` WHERE tenant_id = ?`, []any{tenantID}
	for _, c := range []struct{ col, v string }{{"plan_type", f.PlanType}, {"plan_id", f.PlanID},
		{"link_id", f.LinkID}, {"status", f.Status}} {
		if c.v != "" {
			where += ` AND ` + c.col + ` = ?`
			args = append(args, c.v)
		}
	}
	if len(f.Triggers) > 0 {
		where += ` AND trigger_name IN (` + placeholders(len(f.Triggers)) + `)`
		args = append(args, anys(f.Triggers)...)
	}
	return where, args
}

// CancelTimers implements store.PlanStore.
func (s *Store) CancelTimers(ctx context.Context, tenantID string, f store.TimerFilter, detail string) (int, error) {
	f.Status = avisera.TimerPending
	where, args := timerWhere(tenantID, f)
	res, err := s.exec(ctx, `UPDATE timers SET status = ?, detail = ?`+where,
		append([]any{avisera.TimerCancelled, detail}, args...)...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), s.wrap(err)
}

const timerColumns = `id, tenant_id, kind, plan_type, plan_id, link_id, trigger_name, due_at, status, detail,
	event_id, fired_at, created_at`

func scanTimer(sc interface{ Scan(...any) error }) (avisera.Timer, error) {
	var t avisera.Timer
	var fired sql.NullTime
	err := sc.Scan(&t.ID, &t.TenantID, &t.Kind, &t.PlanType, &t.PlanID, &t.LinkID, &t.Trigger, &t.DueAt, &t.Status,
		&t.Detail, &t.EventID, &fired, &t.CreatedAt)
	t.FiredAt, t.DueAt = timePtr(fired), t.DueAt.UTC()
	return t, err
}

// ListTimers implements store.PlanStore.
func (s *Store) ListTimers(ctx context.Context, tenantID string, f store.TimerFilter) ([]avisera.Timer, error) {
	where, args := timerWhere(tenantID, f)
	rows, err := s.query(ctx, `SELECT `+timerColumns+` FROM timers`+where+` ORDER BY due_at, id LIMIT 1000`, args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanTimer)
}

// ClaimDueTimer implements store.PlanStore.
func (s *Store) ClaimDueTimer(ctx context.Context, now time.Time) (avisera.Timer, error) {
	t, err := scanTimer(s.queryRow(ctx, `SELECT `+timerColumns+` FROM timers WHERE status = ? AND due_at <= ?
		ORDER BY due_at LIMIT 1`+s.db.dialect.LockSkip, avisera.TimerPending, now.UTC()))
	return t, s.wrap(err)
}

// FinishTimer implements store.PlanStore.
func (s *Store) FinishTimer(ctx context.Context, t avisera.Timer) error {
	res, err := s.exec(ctx, `UPDATE timers SET status = ?, detail = ?, event_id = ?, fired_at = ? WHERE id = ?`,
		t.Status, t.Detail, t.EventID, nullTime(t.FiredAt), t.ID)
	return s.mustAffect(res, err)
}

// CountTimers implements store.PlanStore.
func (s *Store) CountTimers(ctx context.Context, status string) (int, error) {
	var n int
	err := s.scanRow(ctx, []any{&n}, `SELECT COUNT(*) FROM timers WHERE status = ?`, status)
	return n, err
}
