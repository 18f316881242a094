package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

// PutPlan implements store.PlanStore.
func (s *Store) PutPlan(ctx context.Context, tenantID string, p avisera.Plan) (bool, error) {
	refs, err := json.Marshal(p.Refs)
	if err != nil {
		return false, fmt.Errorf("encode refs: %w", err)
	}
	data := string(p.Data)
	if data == "" || data == "null" {
		data = "{}"
	}
	created, err := s.upsertKey(ctx, "plans", []string{"tenant_id", "type", "id"}, []any{tenantID, p.Type, p.ID},
		[]string{"refs", "starts_at", "ends_at", "earliest_at", "latest_at", "data", "status", "started_at",
			"completed_at", "updated_at"},
		string(refs), p.StartsAt.UTC(), nullTime(p.EndsAt), nullTime(p.EarliestAt), nullTime(p.LatestAt), data,
		p.Status, nullTime(p.StartedAt), nullTime(p.CompletedAt), p.UpdatedAt.UTC())
	if err != nil {
		return false, err
	}
	return created, s.putPlanUsers(ctx, tenantID, p)
}

func (s *Store) putPlanUsers(ctx context.Context, tenantID string, p avisera.Plan) error {
	if _, err := s.exec(ctx, `DELETE FROM plan_users WHERE tenant_id = ? AND type = ? AND plan_id = ?`,
		tenantID, p.Type, p.ID); err != nil {
		return err
	}
	rows := make([][]any, len(p.UserIDs))
	for i, u := range p.UserIDs {
		rows[i] = []any{tenantID, p.Type, p.ID, u}
	}
	return s.insertRowsThen(ctx, "plan_users", planUserColumns, rows, ` ON CONFLICT DO NOTHING`)
}

var planUserColumns = []column{{"tenant_id", "text"}, {"type", "text"}, {"plan_id", "text"}, {"user_id", "text"}}

const planColumns = `type, id, refs, starts_at, ends_at, earliest_at, latest_at, data, status, started_at,
	completed_at, updated_at`

func scanPlan(sc interface{ Scan(...any) error }) (avisera.Plan, error) {
	var p avisera.Plan
	var refs, data string
	var ends, earliest, latest, started, completed sql.NullTime
	err := sc.Scan(&p.Type, &p.ID, &refs, &p.StartsAt, &ends, &earliest, &latest, &data, &p.Status, &started,
		&completed, &p.UpdatedAt)
	if err != nil {
		return p, err
	}
	p.EndsAt, p.EarliestAt, p.LatestAt = timePtr(ends), timePtr(earliest), timePtr(latest)
	p.StartedAt, p.CompletedAt, p.Data = timePtr(started), timePtr(completed), json.RawMessage(data)
	p.StartsAt = p.StartsAt.UTC()
	return p, json.Unmarshal([]byte(refs), &p.Refs)
}

// GetPlan implements store.PlanStore.
func (s *Store) GetPlan(ctx context.Context, tenantID, typ, id string) (avisera.Plan, error) {
	p, err := scanPlan(s.queryRow(ctx, `SELECT `+planColumns+` FROM plans WHERE tenant_id = ? AND type = ? AND id = ?`,
		tenantID, typ, id))
	if err != nil {
		return p, s.wrap(err)
	}
	ps := []avisera.Plan{p}
	err = s.fillPlanUsers(ctx, tenantID, ps)
	return ps[0], err
}

// ListPlans implements store.PlanStore: by start time, keyset on (start, type, id).
func (s *Store) ListPlans(ctx context.Context, tenantID string, f store.PlanFilter, p avisera.Page) ([]avisera.Plan, error) {
	where, args := ` WHERE tenant_id = ?`, []any{tenantID}
	for _, c := range []struct{ col, v string }{{"type", f.Type}, {"status", f.Status}} {
		if c.v != "" {
			where += ` AND ` + c.col + ` = ?`
			args = append(args, c.v)
		}
	}
	if f.UserID != "" {
		where += ` AND EXISTS (SELECT 1 FROM plan_users u WHERE u.tenant_id = plans.tenant_id AND u.type = plans.type
			AND u.plan_id = plans.id AND u.user_id = ?)`
		args = append(args, f.UserID)
	}
	if f.From != nil {
		where += ` AND starts_at >= ?`
		args = append(args, f.From.UTC())
	}
	if f.To != nil {
		where += ` AND starts_at < ?`
		args = append(args, f.To.UTC())
	}
	if at, key, ok := store.ParseCursor(p.After); ok {
		where += ` AND (starts_at > ? OR (starts_at = ? AND type || '/' || id > ?))`
		args = append(args, at, at, key)
	}
	rows, err := s.query(ctx, `SELECT `+planColumns+` FROM plans`+where+` ORDER BY starts_at, type, id LIMIT ?`,
		append(args, p.Limit)...)
	if err != nil {
		return nil, err
	}
	ps, err := collect(rows, scanPlan)
	if err != nil {
		return nil, err
	}
	return ps, s.fillPlanUsers(ctx, tenantID, ps)
}

// planKeyColumns name plans in a values table.
var planKeyColumns = []column{{"type", "text"}, {"id", "text"}}

// fillPlanUsers loads the users of plans in one query, the plans' keys
// joined as a values table.
func (s *Store) fillPlanUsers(ctx context.Context, tenantID string, ps []avisera.Plan) error {
	if len(ps) == 0 {
		return nil
	}
	byKey := make(map[[2]string]*avisera.Plan, len(ps))
	keys := make([][]any, len(ps))
	for i := range ps {
		p := &ps[i]
		p.UserIDs = []string{}
		byKey[[2]string{p.Type, p.ID}] = p
		keys[i] = []any{p.Type, p.ID}
	}
	with, from, args, err := s.valuesTable(planKeyColumns, keys)
	if err != nil {
		return err
	}
	rows, err := s.query(ctx, with+`SELECT pu.type, pu.plan_id, pu.user_id FROM plan_users pu
		JOIN `+from+` ON pu.type = v.type AND pu.plan_id = v.id
		WHERE pu.tenant_id = ? ORDER BY pu.user_id`, append(args, tenantID)...)
	if err != nil {
		return err
	}
	users, err := collect(rows, func(sc interface{ Scan(...any) error }) ([3]string, error) {
		var u [3]string
		return u, sc.Scan(&u[0], &u[1], &u[2])
	})
	if err != nil {
		return s.wrap(err)
	}
	for _, u := range users {
		p := byKey[[2]string{u[0], u[1]}]
		p.UserIDs = append(p.UserIDs, u[2])
	}
	return nil
}

// markColumns are a plan's new start and completion times, NULL where a
// mark sets neither.
var markColumns = []column{{"type", "text"}, {"id", "text"}, {"started", "timestamptz"}, {"completed", "timestamptz"}}

// MarkPlans implements store.PlanStore: one UPDATE … FROM statement for
// all marks (a group of accepted events), after merging the marks of each
// plan into one row, the first mark of a field first.
func (s *Store) MarkPlans(ctx context.Context, tenantID string, marks []store.PlanMark) ([]bool, error) {
	type key struct{ typ, id string }
	merged := map[key][]any{}
	var rows [][]any
	for _, m := range marks {
		var j int // the field's place in a row of markColumns
		switch m.Field {
		case "started_at":
			j = 2
		case "completed_at":
			j = 3
		default:
			return nil, fmt.Errorf("sqlstore: MarkPlans: unknown field %q", m.Field)
		}
		k := key{m.Type, m.ID}
		r, seen := merged[k]
		if !seen {
			r = []any{m.Type, m.ID, nil, nil}
			merged[k], rows = r, append(rows, r)
		}
		if r[j] == nil {
			r[j] = m.At.UTC()
		}
	}
	found := map[key]bool{}
	if err := s.perStatement(len(rows), func(lo, hi int) error {
		marked, err := s.markPlans(ctx, tenantID, rows[lo:hi])
		for _, k := range marked {
			found[key{k[0], k[1]}] = true
		}
		return err
	}); err != nil {
		return nil, err
	}
	out := make([]bool, len(marks))
	for i, m := range marks {
		out[i] = found[key{m.Type, m.ID}]
	}
	return out, nil
}

// markPlans runs MarkPlans' statement for rows and returns the keys
// (type, id) of the plans it found.
func (s *Store) markPlans(ctx context.Context, tenantID string, rows [][]any) ([][2]string, error) {
	with, from, args, err := s.valuesTable(markColumns, rows)
	if err != nil {
		return nil, err
	}
	res, err := s.writer().QueryContext(ctx, s.db.rebind(with+`UPDATE plans SET started_at = COALESCE(plans.started_at, v.started),
		completed_at = COALESCE(plans.completed_at, v.completed)
		FROM `+from+` WHERE plans.tenant_id = ? AND plans.type = v.type AND plans.id = v.id
		RETURNING plans.type, plans.id`), append(args, tenantID)...)
	if err != nil {
		return nil, s.wrap(err)
	}
	keys, err := collect(res, func(sc interface{ Scan(...any) error }) ([2]string, error) {
		var k [2]string
		return k, sc.Scan(&k[0], &k[1])
	})
	return keys, s.wrap(err)
}
