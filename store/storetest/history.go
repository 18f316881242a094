package storetest

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

// HistoryOnRow is the migration that moved delivery history from the table
// delivery_history onto the deliveries' rows.
const HistoryOnRow = 14

// HistoryMigration checks that migration HistoryOnRow keeps every status
// change of the deliveries written before it, and that migrating down
// gives the old rows back. raw is the database at any version up to
// HistoryOnRow-1; migrateTo moves it to a version; open opens the store on
// it (migrated to the newest version).
func HistoryMigration(t *testing.T, raw *sql.DB, migrateTo func(version int64) error,
	open func() (store.Store, func())) {
	t.Helper()
	ctx := context.Background()
	if err := migrateTo(HistoryOnRow - 1); err != nil {
		t.Fatal(err)
	}
	// Times as both drivers write them, so that SQLite's text compares.
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 123456000, time.UTC)
	t1 := t0.Add(1500 * time.Millisecond)
	stamp := func(t time.Time) string { return t.Format("2006-01-02 15:04:05.999999999-07:00") }
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := raw.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO tenants (id, name, created_at) VALUES ('t-history', 'History', '` + stamp(t0) + `')`)
	exec(`INSERT INTO events (tenant_id, id, event_type, trigger_name, occurred_at, subject_type, subject_id,
		refs, data, files, body_hash, planned, suppressed, accepted_at) VALUES ('t-history', 'e1', 'order',
		'completed', '` + stamp(t0) + `', 'order', 'o1', '{}', '{}', '[]', '', 2, 0, '` + stamp(t0) + `')`)
	for _, id := range []string{"d1", "d2"} {
		exec(`INSERT INTO deliveries (tenant_id, id, event_id, event_type, trigger_name, occurred_at, object_type,
			object_id, message_id, message_version, link_ids, channel, recipient_name, address, search, language,
			reached_via, org_unit_id, org_unit_name, customer_id, contract_id, status, status_at, detail,
			created_at, subject, html, text_body, sms) VALUES ('t-history', '` + id + `', 'e1', 'order', 'completed',
			'` + stamp(t0) + `', 'order', 'o1', 'm1', 1, '', 'email', 'Anna', 'anna@example.com', 'anna', 'sv',
			'static user', '', '', '', '', 'sent', '` + stamp(t1) + `', '', '` + stamp(t0) + `', 'Hej', '', '', '')`)
	}
	want := []avisera.StatusChange{
		{Status: avisera.StatusQueued, At: t0, Detail: "static user u1", Applied: true},
		{Status: avisera.StatusSending, At: t1, Applied: true},
		{Status: avisera.StatusSent, At: t1, Detail: `250 2.0.0 "queued" as 4F2`, Applied: true},
		{Status: avisera.StatusDelivered, At: t0.Add(time.Hour), Detail: "late report\nsecond line", Applied: false},
	}
	// Ids out of time order on purpose: the history is ordered by time,
	// then by id (the order changes were recorded in).
	for i, h := range want {
		exec(`INSERT INTO delivery_history (tenant_id, delivery_id, id, status, at, detail, applied)
			VALUES ('t-history', 'd1', '` + []string{"z", "a", "b", "m"}[i] + `', '` + h.Status + `', '` + stamp(h.At) + `', ` +
			quote(h.Detail) + `, ` + map[bool]string{true: "TRUE", false: "FALSE"}[h.Applied] + `)`)
	}
	check := func(when string, s store.Store) {
		t.Helper()
		d1, err := s.GetDelivery(ctx, "t-history", "d1")
		if err != nil {
			t.Fatalf("%s: GetDelivery(d1): %v", when, err)
		}
		if !slices.EqualFunc(d1.History, want, sameChange) {
			t.Errorf("%s: d1 history =\n%+v\nwant\n%+v", when, d1.History, want)
		}
		d2, err := s.GetDelivery(ctx, "t-history", "d2")
		if err != nil || len(d2.History) != 0 {
			t.Errorf("%s: d2 history = %+v, %v; want none", when, d2.History, err)
		}
	}
	if err := migrateTo(HistoryOnRow); err != nil {
		t.Fatal(err)
	}
	s, closeStore := open()
	check("migrated up", s)
	// Changes the store records now, one on a whole second and one half a
	// second later: the old table orders them by its text.
	t3 := time.Date(2026, 12, 1, 10, 0, 5, 0, time.UTC)
	added := []avisera.StatusChange{{Status: "opened", At: t3, Applied: true},
		{Status: "clicked", At: t3.Add(500 * time.Millisecond), Applied: true}}
	if _, err := s.UpdateDeliveries(ctx, "t-history", []store.DeliveryUpdate{{ID: "d1", Status: "clicked",
		StatusAt: added[1].At, History: added}}); err != nil {
		t.Fatal(err)
	}
	want = append(want[:3:3], added[0], added[1], want[3])
	check("after two updates", s)
	closeStore()
	if err := migrateTo(HistoryOnRow - 1); err != nil {
		t.Fatal(err)
	}
	rows, err := raw.QueryContext(ctx, `SELECT status, detail FROM delivery_history
		WHERE tenant_id = 't-history' AND delivery_id = 'd1' ORDER BY at, id`)
	if err != nil {
		t.Fatal(err)
	}
	var old []avisera.StatusChange
	for rows.Next() {
		var h avisera.StatusChange
		if err := rows.Scan(&h.Status, &h.Detail); err != nil {
			t.Fatal(err)
		}
		old = append(old, h)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	same := func(a, b avisera.StatusChange) bool { return a.Status == b.Status && a.Detail == b.Detail }
	if !slices.EqualFunc(old, want, same) {
		t.Errorf("migrated down: the old table in its order holds\n%+v\nwant\n%+v", old, want)
	}
	if err := migrateTo(HistoryOnRow); err != nil {
		t.Fatal(err)
	}
	s, closeStore = open()
	defer closeStore()
	check("migrated down and up again", s)
}

func sameChange(a, b avisera.StatusChange) bool {
	return a.Status == b.Status && a.At.Equal(b.At) && a.Detail == b.Detail && a.Applied == b.Applied
}

// quote is s as an SQL string literal, the same on both databases.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
