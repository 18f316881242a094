package sqlstore

import (
	"context"
	"time"
)

// The queue's process registry (table queue_processes): each serve
// process's queue marks itself alive, and finds the processes that fell
// silent so that the send jobs they held run again. It is the queue's
// machinery, like River's tables, so it is not part of store.Store.

// MarkAlive records that process id is alive at now; started is when it
// started.
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

// ForgetProcess removes a process that stopped cleanly.
func (db *DB) ForgetProcess(ctx context.Context, id string) error {
	_, err := (&Store{db: db}).exec(ctx, `DELETE FROM queue_processes WHERE id = ?`, id)
	return err
}

// ForgetSilent removes the processes last seen before before.
func (db *DB) ForgetSilent(ctx context.Context, before time.Time) error {
	_, err := (&Store{db: db}).exec(ctx, `DELETE FROM queue_processes WHERE seen_at < ?`, before.UTC())
	return err
}
