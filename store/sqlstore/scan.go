package sqlstore

import (
	"database/sql"
	"strings"
	"time"

	"github.com/avisera/avisera/store"
)

// collect scans every row with scan and closes rows.
func collect[T any](rows *sql.Rows, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// mustAffect turns "no row changed" into store.ErrNotFound.
func (s *Store) mustAffect(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return s.wrap(err)
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time.UTC()
	return &v
}

// nullTime is the argument form of an optional time, always UTC so that
// SQLite's text timestamps sort correctly.
func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

// nullString stores "" as NULL (optional references).
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func joinList(v []string) string { return strings.Join(v, ",") }

func splitList(v string) []string {
	if v == "" {
		return []string{}
	}
	return strings.Split(v, ",")
}

// in returns "column IN (?, …)" with its arguments, one per value; on
// PostgreSQL "column = ANY(?)" with one array argument, so that the server
// parses and plans one statement however many values there are.
func (s *Store) in(column string, values []string) (string, []any) {
	if s.db.dialect.Name == "postgres" {
		return column + " = ANY(?)", []any{values}
	}
	return column + " IN (" + placeholders(len(values)) + ")", anys(values)
}

// placeholders returns "?, ?, ?" for n arguments.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// likePattern builds a %q% pattern from an already folded filter.
func likePattern(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(q) + "%"
}

func anys(v []string) []any {
	out := make([]any, len(v))
	for i, s := range v {
		out[i] = s
	}
	return out
}
