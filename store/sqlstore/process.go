package sqlstore

import (
	"context"
	"time"
)

// The queue's process registry (table queue_processes): each serve
// process's queue marks itself alive, and finds the processes that fell
// silent so that the send jobs they held run again. It is the queue's
// machinery, like River's tables, so it is not part of store.Store. Its
// times are the database's (Now), so that processes on hosts whose clocks
// differ judge each other by one clock.

// Now returns the database's current time: PostgreSQL's clock, which every
// process shares (and River stamps its jobs with); on SQLite, whose
// processes share a machine, this process's clock.
func (db *DB) Now(ctx context.Context) (time.Time, error) {
	if db.dialect.Name != "postgres" {
		return time.Now().UTC(), nil
	}
	var now time.Time
	err := db.write.QueryRowContext(ctx, `SELECT CURRENT_TIMESTAMP`).Scan(&now)
	return now.UTC(), err
}

// MarkAlive records that process id, started at started, is alive at now
// (database times).
func (db *DB) MarkAlive(ctx context.Context, id string, started, now time.Time) error {
	s := &Store{db: db}
	_, err := s.exec(ctx, `INSERT INTO queue_processes (id, started_at, seen_at) VALUES (?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at`, id, started.UTC(), now.UTC())
	return err
}

// SilentProcesses returns the processes last seen before before.
func (db *DB) SilentProcesses(ctx context.Context, before time.Time) ([]string, error) {
	s := &Store{db: db}
	rows, err := s.query(ctx, `SELECT id FROM queue_processes WHERE seen_at < ? ORDER BY id`, before.UTC())
	if err != nil {
		return nil, err
	}
	return collect(rows, func(sc interface{ Scan(...any) error }) (string, error) {
		var id string
		return id, sc.Scan(&id)
	})
}

// ForgetProcesses removes processes from the registry: one that stopped
// cleanly, or silent ones whose jobs were made to run again.
func (db *DB) ForgetProcesses(ctx context.Context, ids ...string) error {
	s := &Store{db: db}
	for _, id := range ids {
		if _, err := s.exec(ctx, `DELETE FROM queue_processes WHERE id = ?`, id); err != nil {
			return err
		}
	}
	return nil
}
