package postgres_test

import (
	"context"
	"database/sql"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/avisera/avisera/store"
	"github.com/avisera/avisera/store/postgres"
	"github.com/avisera/avisera/store/storetest"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	storetest.PostgresURL(t) // skips with a message when PostgreSQL is not configured
	storetest.Run(t, func(t testing.TB) store.Store { return storetest.OpenPostgres(t).Store() })
}

// The migration that moved delivery history onto the deliveries keeps the
// history of an existing database, both ways.
func TestHistoryMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := storetest.PostgresURL(t)
	raw, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	storetest.HistoryMigration(t, raw, func(v int64) error { return postgres.MigrateTo(ctx, raw, v) },
		func() (store.Store, func()) {
			db, err := postgres.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			return db.Store(), func() { db.Close() }
		})
}
