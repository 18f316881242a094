package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// column is a column that many rows are written to at once, with its
// PostgreSQL type (for the array that carries it there).
type column struct{ name, pgType string }

func columnNames(cols []column) string { return strings.Join(names(cols), ", ") }

func names(cols []column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.name
	}
	return out
}

// copyMinRows is the fewest rows Dialect.Copy writes: below it INSERT
// costs less. PostgreSQL's COPY saves the server a seventh to a fifth of a
// row's insert but costs pgx about 0.1 ms a statement (two goroutines and
// a pipe), so it pays for a group's deliveries, not for its few events
// (BenchmarkInsertEvents in store/postgres).
const copyMinRows = 20

// sqliteRowsPerStatement keeps a multi-row statement's parameters well
// under SQLite's limit.
const sqliteRowsPerStatement = 40

// insertRows inserts rows, each holding values in the order of cols. In a
// transaction on a connection of its own, the dialect's Copy writes many
// (PostgreSQL: COPY). Otherwise SQLite gets multi-row VALUES lists, and
// PostgreSQL one array per column, unnested: one statement text whatever
// the number of rows (so one prepared statement and one cached plan per
// connection instead of one per row count) and a few dozen parameters
// instead of a few dozen per row.
func (s *Store) insertRows(ctx context.Context, table string, cols []column, rows [][]any) error {
	return s.insertRowsThen(ctx, table, cols, rows, "")
}

// insertRowsThen is insertRows with a clause after the rows, such as
// " ON CONFLICT DO NOTHING".
func (s *Store) insertRowsThen(ctx context.Context, table string, cols []column, rows [][]any, then string) error {
	if len(rows) == 0 {
		return nil
	}
	if copyRows := s.db.dialect.Copy; copyRows != nil && s.conn != nil && then == "" && len(rows) >= copyMinRows {
		return s.wrap(copyRows(ctx, s.conn, table, names(cols), rows))
	}
	insert := `INSERT INTO ` + table + ` (` + columnNames(cols) + `) `
	if s.db.dialect.Name == "postgres" {
		args, arrays, err := unnestArgs(cols, rows)
		if err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
		_, err = s.exec(ctx, insert+`SELECT * FROM `+arrays+then, args...)
		return err
	}
	return s.perStatement(len(rows), func(lo, hi int) error {
		values, args := valuesList(len(cols), rows[lo:hi])
		_, err := s.exec(ctx, insert+`VALUES `+values+then, args...)
		return err
	})
}

// valuesTable returns rows as a table named v with the columns of cols,
// for an UPDATE … FROM or a JOIN: a WITH clause to put first (SQLite
// names a VALUES list's columns only in a WITH) and the table to name.
func (s *Store) valuesTable(cols []column, rows [][]any) (with, from string, args []any, err error) {
	if s.db.dialect.Name == "postgres" {
		if args, from, err = unnestArgs(cols, rows); err != nil {
			return "", "", nil, err
		}
		return "", from + " AS v (" + columnNames(cols) + ")", args, nil
	}
	values, args := valuesList(len(cols), rows)
	return "WITH v (" + columnNames(cols) + ") AS (VALUES " + values + ") ", "v", args, nil
}

// perStatement calls write for the rows lo:hi of n rows that one
// statement takes: all of them on PostgreSQL (arrays), sqliteRowsPerStatement
// on SQLite.
func (s *Store) perStatement(n int, write func(lo, hi int) error) error {
	step := n
	if s.db.dialect.Name != "postgres" {
		step = sqliteRowsPerStatement
	}
	for lo := 0; lo < n; lo += step {
		if err := write(lo, min(lo+step, n)); err != nil {
			return err
		}
	}
	return nil
}

// valuesList returns "(?, ?), (?, ?)" for rows of n values each, and the
// rows' values in that order.
func valuesList(n int, rows [][]any) (string, []any) {
	args := make([]any, 0, len(rows)*n)
	for _, r := range rows {
		args = append(args, r...)
	}
	row := "(" + placeholders(n) + ")"
	return strings.TrimSuffix(strings.Repeat(row+", ", len(rows)), ", "), args
}

// unnestArgs turns rows into one array argument per column and returns
// them with "unnest(?::type[], …)" to select them as rows again.
func unnestArgs(cols []column, rows [][]any) ([]any, string, error) {
	args := make([]any, len(cols))
	casts := make([]string, len(cols))
	for j, c := range cols {
		a, err := pgArray(c.pgType, rows, j)
		if err != nil {
			return nil, "", fmt.Errorf("column %s: %w", c.name, err)
		}
		args[j], casts[j] = a, "?::"+c.pgType+"[]"
	}
	return args, "unnest(" + strings.Join(casts, ", ") + ")", nil
}

// pgArray collects column j of rows as a slice that pgx sends as an array
// of typ; nil values become NULL.
func pgArray(typ string, rows [][]any, j int) (any, error) {
	switch typ {
	case "timestamptz":
		return collectColumn(rows, j, func(v any) (time.Time, bool) { t, ok := v.(time.Time); return t, ok })
	case "integer", "bigint":
		return collectColumn(rows, j, func(v any) (int64, bool) {
			switch n := v.(type) {
			case int:
				return int64(n), true
			case int64:
				return n, true
			}
			return 0, false
		})
	case "boolean":
		return collectColumn(rows, j, func(v any) (bool, bool) { b, ok := v.(bool); return b, ok })
	case "text":
		return collectColumn(rows, j, func(v any) (string, bool) { s, ok := v.(string); return s, ok })
	}
	return nil, fmt.Errorf("no array of %s", typ)
}

// collectColumn returns column j of rows as a []T, or as a []*T when it
// holds a NULL: pgx encodes a slice of values without reflection, one of
// pointers only through it.
func collectColumn[T any](rows [][]any, j int, as func(any) (T, bool)) (any, error) {
	values := make([]T, len(rows))
	var pointers []*T // made at the first nil
	for i, r := range rows {
		v, ok := as(r[j])
		switch {
		case !ok && r[j] != nil:
			return nil, fmt.Errorf("row %d holds a %T", i, r[j])
		case !ok && pointers == nil:
			pointers = make([]*T, len(rows))
			for k := range i {
				pointers[k] = &values[k]
			}
		case ok && pointers != nil:
			values[i] = v
			pointers[i] = &values[i]
		case ok:
			values[i] = v
		}
	}
	if pointers != nil {
		return pointers, nil
	}
	return values, nil
}
