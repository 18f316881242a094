package postgres

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"
)

// freshSchema opens the database of AVISERA_TEST_POSTGRES_URL in a new
// schema, dropped afterwards, or skips.
func freshSchema(t *testing.T) string {
	base := os.Getenv("AVISERA_TEST_POSTGRES_URL")
	if base == "" {
		t.Skip("PostgreSQL tests skipped: set AVISERA_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	schema := "avisera_test_" + hex.EncodeToString([]byte(rand.Text()[:6]))
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE") })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// A young table that has grown gets statistics long before autovacuum
// would look; one that has not changed is left alone.
func TestStatisticsOfGrowingTables(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := Open(ctx, freshSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	raw := db.WriteDB()
	if _, err := raw.ExecContext(ctx, `INSERT INTO events (tenant_id, id, event_type, trigger_name, occurred_at,
		subject_type, subject_id, refs, data, files, body_hash, planned, suppressed, accepted_at)
		SELECT 't1', 'e' || i, 'order', 'completed', now(), 'order', 'o' || i, '{}', '{}', '[]', '', 1, 0, now()
		FROM generate_series(1, 3000) AS i`); err != nil {
		t.Fatal(err)
	}
	s := &statistics{db: raw}
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
		s.analyzeStale(ctx)
		time.Sleep(100 * time.Millisecond)
	}
	if n := reltuples("events"); n != 3000 {
		t.Fatalf("events: reltuples = %v, want 3000 after the keeper analyzed it", n)
	}
	if n := reltuples("contents"); n >= 0 {
		t.Errorf("contents: reltuples = %v, want -1 (never analyzed: nothing changed)", n)
	}
}
