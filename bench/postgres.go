package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/avisera/avisera/store/postgres" // also registers the "pgx" database/sql driver
)

// openPostgres opens a migrated database in a fresh schema
// avisera_bench_<random> of the database at base; remove drops the schema.
func openPostgres(ctx context.Context, base string) (opened, error) {
	u, err := url.Parse(base)
	if err != nil {
		return opened{}, fmt.Errorf("postgres url: %w", errors.Unwrap(err))
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return opened{}, fmt.Errorf("postgres: %w", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "avisera_bench_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		return opened{}, fmt.Errorf("postgres: create schema: %w", err)
	}
	remove := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, err := admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE")
		return errors.Join(err, admin.Close())
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := postgres.Open(ctx, u.String())
	if err != nil {
		return opened{}, errors.Join(err, remove())
	}
	return opened{db: db, remove: remove}, nil
}
