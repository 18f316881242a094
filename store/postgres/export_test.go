package postgres

import (
	"context"
	"database/sql"

	"github.com/avisera/avisera/store/sqlstore"
)

// AnalyzeStale runs one round of the statistics keeper over db.
func AnalyzeStale(ctx context.Context, db *sql.DB) { (&statistics{db: db}).analyzeStale(ctx) }

// MigrateTo moves db to version of Avisera's migrations.
func MigrateTo(ctx context.Context, db *sql.DB, version int64) error {
	m, err := migration(db)
	if err != nil {
		return err
	}
	return sqlstore.MigrateTo(ctx, db, m, version)
}
