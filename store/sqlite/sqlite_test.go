package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"

	"github.com/avisera/avisera/store"
	"github.com/avisera/avisera/store/sqlite"
	"github.com/avisera/avisera/store/sqlstore"
	"github.com/avisera/avisera/store/storetest"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t testing.TB) store.Store { return storetest.OpenSQLite(t).Store() })
}

// TestCommitsAreDurable: the writer syncs its WAL at every commit
// (synchronous=FULL, 2), so an accepted event survives a power loss; a
// LazyTx, work that is redone, commits without (NORMAL, 1), and the
// writer is FULL again after it, whether it committed or not.
func TestCommitsAreDurable(t *testing.T) {
	t.Parallel()
	db := storetest.OpenSQLite(t)
	level := func(q interface {
		QueryRow(string, ...any) *sql.Row
	}) int {
		var n int
		if err := q.QueryRow(`PRAGMA synchronous`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if got := level(db.WriteDB()); got != 2 {
		t.Errorf("PRAGMA synchronous = %d, want 2 (FULL)", got)
	}
	ctx := context.Background()
	for _, fail := range []error{nil, errors.New("rolled back")} {
		var inside int
		err := db.Store().LazyTx(ctx, func(s store.Store) error {
			inside = level(s.(*sqlstore.Store).SQLTx())
			return fail
		})
		if err != fail || inside != 1 || level(db.WriteDB()) != 2 {
			t.Errorf("LazyTx returning %v: %v, synchronous %d inside and %d after; want 1 and 2", fail, err, inside, level(db.WriteDB()))
		}
	}
	// A panic in fn rolls back and sets the writer back too: later
	// transactions do not wait for it.
	func() {
		defer func() { _ = recover() }()
		_ = db.Store().LazyTx(ctx, func(store.Store) error { panic("boom") })
	}()
	if got := level(db.WriteDB()); got != 2 {
		t.Errorf("after a panic in a LazyTx, synchronous = %d, want 2", got)
	}
	var inside int
	if err := db.Store().Tx(ctx, func(s store.Store) error {
		inside = level(s.(*sqlstore.Store).SQLTx())
		return nil
	}); err != nil || inside != 2 {
		t.Errorf("Tx: %v, synchronous %d inside; want 2", err, inside)
	}
}

// The migration that moved delivery history onto the deliveries keeps the
// history of an existing database, both ways.
func TestHistoryMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "avisera.db")
	raw := sqlite.OpenRaw(path)
	defer raw.Close()
	storetest.HistoryMigration(t, raw, func(v int64) error { return sqlite.MigrateTo(ctx, raw, v) },
		func() (store.Store, func()) {
			db, err := sqlite.Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			return db.Store(), func() { db.Close() }
		})
}
