// Package sqlite opens Avisera's embedded database: a SQLite file (pure Go,
// modernc.org/sqlite) in WAL mode with one writer connection and a pool of
// readers, migrated with its own embedded goose migrations and River's.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	sqlite3 "modernc.org/sqlite"
	sqlite3lib "modernc.org/sqlite/lib"

	"github.com/avisera/avisera/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Open opens (creating if needed) the database file at path and migrates it.
func Open(ctx context.Context, path string) (*sqlstore.DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("sqlite: create data folder: %w", err)
	}
	write := sql.OpenDB(connector{dsn: dsn(path, "immediate"), driver: &sqlite3.Driver{}})
	write.SetMaxOpenConns(1) // SQLite has one writer; queue writers in Go, not in busy loops
	read := sql.OpenDB(connector{dsn: dsn(path, "deferred") + "&_pragma=query_only(1)", driver: &sqlite3.Driver{}})
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8) // keep readers (and their statement caches) open
	db := sqlstore.New(write, read, sqlstore.Dialect{Name: "sqlite", IsUniqueViolation: isUnique,
		LazyBefore: "PRAGMA synchronous = NORMAL", LazyAfter: "PRAGMA synchronous = FULL"})
	if err := migrate(ctx, write); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// dsn sets the pragmas in the order that matters: busy_timeout first so the
// others wait for a lock instead of failing. synchronous=FULL syncs the
// WAL at every commit: an event answered 202 survives the machine losing
// power, not only the process dying (NORMAL may lose the last commits, and
// is what a LazyTx, work that is redone, commits with).
func dsn(path, txlock string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Set("_txlock", txlock)
	q.Set("_time_format", "sqlite")
	return "file:" + path + "?" + q.Encode()
}

func migrate(ctx context.Context, db *sql.DB) error {
	if err := sqlstore.Migrate(ctx, db, migration(db)); err != nil {
		return err
	}
	// Give the planner statistics, as SQLite recommends for long-lived
	// connections; without them it walks whole indexes for selective queries.
	if _, err := db.ExecContext(ctx, `PRAGMA optimize=0x10002`); err != nil {
		return fmt.Errorf("sqlite: optimize: %w", err)
	}
	return nil
}

// migration is the database's migrations, Avisera's and River's.
func migration(db *sql.DB) sqlstore.Migration {
	return sqlstore.Migration{Name: "sqlite", Dialect: goose.DialectSQLite3, Files: migrations,
		River: riversqlite.New(db)}
}

func isUnique(err error) bool {
	var e *sqlite3.Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code() == sqlite3lib.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3lib.SQLITE_CONSTRAINT_PRIMARYKEY
}
