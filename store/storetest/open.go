// Package storetest is the storage conformance suite: Run exercises a
// store.Store against the contract every database must keep, and the
// openers give tests a fresh SQLite file or a fresh PostgreSQL schema.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the pgx database/sql driver

	"github.com/avisera/avisera/store/postgres"
	"github.com/avisera/avisera/store/sqlite"
	"github.com/avisera/avisera/store/sqlstore"
)

// PostgresEnv names the variable holding the PostgreSQL test server URL.
const PostgresEnv = "AVISERA_TEST_POSTGRES_URL"

// OpenSQLite opens a migrated SQLite database in a temporary folder.
func OpenSQLite(t testing.TB) *sqlstore.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "avisera.db"))
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// PostgresURL returns a URL of a fresh, empty schema on the server named by
// AVISERA_TEST_POSTGRES_URL, dropped when the test ends. The test is
// skipped when the variable is not set.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skipf("PostgreSQL tests skipped: set %s (e.g. postgres://postgres@127.0.0.1:5432/postgres)", PostgresEnv)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", PostgresEnv, err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "avisera_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err == nil {
			_, _ = admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
			admin.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// OpenPostgres opens a migrated PostgreSQL database in a fresh schema, or
// skips the test when AVISERA_TEST_POSTGRES_URL is not set.
func OpenPostgres(t testing.TB) *sqlstore.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), PostgresURL(t))
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Databases lists the openers to run a test on: SQLite always, PostgreSQL
// when configured (its subtest skips otherwise).
func Databases() map[string]func(testing.TB) *sqlstore.DB {
	return map[string]func(testing.TB) *sqlstore.DB{"sqlite": OpenSQLite, "postgres": OpenPostgres}
}
