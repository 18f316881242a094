package sqlite

import (
	"context"
	"database/sql"

	sqlite3 "modernc.org/sqlite"

	"github.com/avisera/avisera/store/sqlstore"
)

// OpenRaw opens the file at path as the store's writer does, unmigrated.
func OpenRaw(path string) *sql.DB {
	return sql.OpenDB(connector{dsn: dsn(path, "immediate"), driver: &sqlite3.Driver{}})
}

// MigrateTo moves db to version of Avisera's migrations.
func MigrateTo(ctx context.Context, db *sql.DB, version int64) error {
	return sqlstore.MigrateTo(ctx, db, migration(db), version)
}
