package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/avisera/avisera/store/postgres"
	"github.com/avisera/avisera/store/storetest"
)

// A young table gets statistics at its first rows and again once its rows
// changed by more than its size, long before autovacuum would look; an
// empty one is left alone, and so is a table no longer young.
func TestStatisticsOfGrowingTables(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	raw := storetest.OpenPostgres(t).WriteDB()
	// Autovacuum would analyze the events too, at its own moment: only the
	// keeper's analyzes are under test.
	if _, err := raw.ExecContext(ctx, `ALTER TABLE events SET (autovacuum_enabled = false)`); err != nil {
		t.Fatal(err)
	}
	insertEvents := func(from, to int) {
		t.Helper()
		if _, err := raw.ExecContext(ctx, `INSERT INTO events (tenant_id, id, event_type, trigger_name, occurred_at,
			subject_type, subject_id, refs, data, files, body_hash, planned, suppressed, accepted_at)
			SELECT 't1', 'e' || i, 'order', 'completed', now(), 'order', 'o' || i, '{}', '{}', '[]', '', 1, 0, now()
			FROM generate_series($1::int, $2::int) AS i`, from, to); err != nil {
			t.Fatal(err)
		}
	}
	reltuples := func(table string) float64 {
		var n float64
		if err := raw.QueryRowContext(ctx, `SELECT reltuples FROM pg_class
			WHERE oid = to_regclass($1)`, table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// The server publishes a session's row counts within a second or so,
	// and the keeper the store started may hold a table for a moment.
	analyzedTo := func(table string, want float64, why string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for reltuples(table) != want && time.Now().Before(deadline) {
			postgres.AnalyzeStale(ctx, raw)
			time.Sleep(100 * time.Millisecond)
		}
		if n := reltuples(table); n != want {
			t.Fatalf("%s: reltuples = %v, want %v (%s)", table, n, want, why)
		}
	}
	insertEvents(1, 3000)
	analyzedTo("events", 3000, "analyzed at its first rows")
	// Only the columns plans look rows up by get statistics, not the wide
	// ones such as the event's data.
	var withStats []string
	rows, err := raw.QueryContext(ctx, `SELECT attname FROM pg_stats
		WHERE schemaname = current_schema() AND tablename = 'events' ORDER BY attname`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		withStats = append(withStats, c)
	}
	rows.Close()
	if got, want := strings.Join(withStats, ", "), "event_type, id, occurred_at, subject_id, tenant_id, trigger_name"; got != want {
		t.Errorf("events: statistics on %s, want on %s", got, want)
	}
	insertEvents(3001, 7500)
	analyzedTo("events", 7500, "analyzed again: 4,500 new rows are more than 1,000 plus its 3,000")
	insertEvents(7501, 17000)
	for range 10 { // as long as the first analyze took above, and longer than the server's publishing
		postgres.AnalyzeStale(ctx, raw)
		time.Sleep(100 * time.Millisecond)
	}
	if n := reltuples("events"); n != 7500 {
		t.Errorf("events: reltuples = %v, want 7500 (7,500 rows are no longer young: autovacuum's to analyze)", n)
	}
	// A table's first rows are enough: before its first analyze the
	// planner has no idea that one tenant holds them all.
	if _, err := raw.ExecContext(ctx, `INSERT INTO contents (tenant_id, id, subject, html, text_body, sms, personal)
		VALUES ('t1', 'c1', 's', '', '', '', FALSE), ('t1', 'c2', 's', '', '', '', FALSE)`); err != nil {
		t.Fatal(err)
	}
	analyzedTo("contents", 2, "analyzed at its first rows")
	if n := reltuples("deliveries"); n >= 0 {
		t.Errorf("deliveries: reltuples = %v, want -1 (never analyzed: still empty)", n)
	}
}
