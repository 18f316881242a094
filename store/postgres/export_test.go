package postgres

import (
	"context"
	"database/sql"
)

// AnalyzeStale runs one round of the statistics keeper over db.
func AnalyzeStale(ctx context.Context, db *sql.DB) { (&statistics{db: db}).analyzeStale(ctx) }
