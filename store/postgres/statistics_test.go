package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/avisera/avisera/store/postgres"
	"github.com/avisera/avisera/store/storetest"
)

// A young table that has grown gets statistics long before autovacuum
// would look; one that has not changed is left alone.
func TestStatisticsOfGrowingTables(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	raw := storetest.OpenPostgres(t).WriteDB()
	if _, err := raw.ExecContext(ctx, `INSERT INTO events (tenant_id, id, event_type, trigger_name, occurred_at,
		subject_type, subject_id, refs, data, files, body_hash, planned, suppressed, accepted_at)
		SELECT 't1', 'e' || i, 'order', 'completed', now(), 'order', 'o' || i, '{}', '{}', '[]', '', 1, 0, now()
		FROM generate_series(1, 3000) AS i`); err != nil {
		t.Fatal(err)
	}
	reltuples := func(table string) float64 {
		var n float64
		if err := raw.QueryRowContext(ctx, `SELECT reltuples FROM pg_class
			WHERE oid = to_regclass($1)`, table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// The server publishes a session's row counts within a second or so.
	deadline := time.Now().Add(10 * time.Second)
	for reltuples("events") != 3000 && time.Now().Before(deadline) {
		postgres.AnalyzeStale(ctx, raw)
		time.Sleep(100 * time.Millisecond)
	}
	if n := reltuples("events"); n != 3000 {
		t.Fatalf("events: reltuples = %v, want 3000 after the keeper analyzed it", n)
	}
	// A table's first rows are enough: before its first analyze the
	// planner has no idea that one tenant holds them all.
	if _, err := raw.ExecContext(ctx, `INSERT INTO contents (tenant_id, id, subject, html, text_body, sms, personal)
		VALUES ('t1', 'c1', 's', '', '', '', FALSE), ('t1', 'c2', 's', '', '', '', FALSE)`); err != nil {
		t.Fatal(err)
	}
	postgres.AnalyzeStale(ctx, raw)
	if n := reltuples("contents"); n != 2 {
		t.Errorf("contents: reltuples = %v, want 2 (analyzed at its first rows)", n)
	}
	if n := reltuples("delivery_history"); n >= 0 {
		t.Errorf("delivery_history: reltuples = %v, want -1 (never analyzed: still empty)", n)
	}
}
