package postgres

import (
	"context"
	"database/sql"

	"github.com/pressly/goose/v3"

	"github.com/avisera/avisera/store/sqlstore"
)

// AnalyzeStale runs one round of the statistics keeper over db.
func AnalyzeStale(ctx context.Context, db *sql.DB) { (&statistics{db: db}).analyzeStale(ctx) }

// MigrateTo moves db to version of Avisera's migrations.
func MigrateTo(ctx context.Context, db *sql.DB, version int64) error {
	return sqlstore.MigrateTo(ctx, db, sqlstore.Migration{Name: "postgres", Dialect: goose.DialectPostgres,
		Files: migrations}, version)
}
