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

// A server opens its pool at start, so that a first burst of events does
// not wait for new connections.
func TestOpenConns(t *testing.T) {
	t.Parallel()
	db := storetest.OpenPostgres(t)
	stats := db.WriteDB().Stats()
	if stats.MaxOpenConnections < 2 || stats.OpenConnections >= stats.MaxOpenConnections {
		t.Fatalf("before: %d of %d connections open; want a limit of at least 2 and fewer open", stats.OpenConnections, stats.MaxOpenConnections)
	}
	if err := db.OpenConns(context.Background()); err != nil {
		t.Fatal(err)
	}
	if stats = db.WriteDB().Stats(); stats.OpenConnections != stats.MaxOpenConnections {
		t.Errorf("after: %d of %d connections open", stats.OpenConnections, stats.MaxOpenConnections)
	}
}
