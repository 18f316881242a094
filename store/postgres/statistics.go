package postgres

import (
	"context"
	"database/sql"
	"time"
)

// growingTables are the tables an installation fills fastest: events and
// their deliveries, and River's jobs.
var growingTables = []string{"events", "deliveries", "contents", "river_job"}

// plannedColumns are, per growing table of Avisera's, the columns its
// statements look rows up by and filter on; the keeper gives only these
// statistics. The rest (subjects, bodies, history, the event's data) steer
// no plan, and they are the wide ones that made most of an analyze's
// cost. River's table is analyzed whole: its queries are River's.
var plannedColumns = map[string]string{
	"events":     "tenant_id, id, event_type, trigger_name, subject_id, occurred_at",
	"deliveries": "tenant_id, id, event_id, created_at, status, channel, provider_id",
	"contents":   "tenant_id, id",
}

// statistics keeps the planner's statistics of growingTables fresh while
// they are young. PostgreSQL's autovacuum analyzes a table once a tenth of
// it has changed, but looks only once a minute; until then a new table has
// no statistics, the planner takes "tenant_id = $1" for a rare value, and
// a lookup of 50 deliveries by id walks the whole tenant. statistics looks
// every interval (a cheap catalog query, for the life of the process) and
// analyzes a table that holds rows but was never analyzed, or whose rows
// changed by more than 1,000 plus its size since an analyze that counted
// fewer than youngRows rows: busy in an installation's first minutes,
// after that it leaves the analyzing to autovacuum. (avisera bench on a
// fresh database: the first analyze of the deliveries came at 13,000 rows
// while it waited for 1,000 counted changes, which the server publishes a
// second late; now it comes at about 2,000. Once a table's statistics say
// that one tenant holds most rows and ids are unique, growth changes no
// plan, and analyzing the grown table took a tenth of the server's time.)
// An ANALYZE also makes the server drop the plans it cached for
// statements prepared on the table (pgx prepares every statement), so a
// plan chosen while the table was empty does not outlive its emptiness.
type statistics struct {
	db   *sql.DB
	stop context.CancelFunc
	done chan struct{}
}

// keepStatistics starts the loop; Close stops it.
func keepStatistics(db *sql.DB, interval time.Duration) *statistics {
	ctx, cancel := context.WithCancel(context.Background())
	s := &statistics{db: db, stop: cancel, done: make(chan struct{})}
	go s.run(ctx, interval)
	return s
}

// Close stops the loop and waits for it.
func (s *statistics) Close() error {
	s.stop()
	<-s.done
	return nil
}

func (s *statistics) run(ctx context.Context, interval time.Duration) {
	defer close(s.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.analyzeStale(ctx)
		}
	}
}

// analyzeStale analyzes the growing tables of the current schema that
// hold rows but were never analyzed, or, still young, have changed by
// 1,000 rows plus their size since their last analyze.
// Errors are left for the next round: statistics only steer the planner.
func (s *statistics) analyzeStale(ctx context.Context) {
	for _, table := range s.stale(ctx) {
		if err := s.analyze(ctx, table); err != nil {
			return
		}
	}
}

// analyze samples 3,000 rows of table instead of the default 30,000, and
// only its plannedColumns: what the planner lacks in a young table is the
// rough shape (one tenant holds most rows), and autovacuum's full analyze
// follows once the table is older. SKIP_LOCKED: another replica is
// analyzing it already.
func (s *statistics) analyze(ctx context.Context, table string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "SET LOCAL default_statistics_target = 10"); err != nil {
		return err
	}
	target := table
	if cols, ok := plannedColumns[table]; ok {
		target += " (" + cols + ")"
	}
	if _, err := tx.ExecContext(ctx, "ANALYZE (SKIP_LOCKED) "+target); err != nil {
		return err
	}
	return tx.Commit()
}

// youngRows is the size up to which a table is analyzed again as it grows.
const youngRows = 5000

func (s *statistics) stale(ctx context.Context) []string {
	rows, err := s.db.QueryContext(ctx, `SELECT t.relname FROM pg_stat_user_tables t
		JOIN pg_class c ON c.oid = t.relid
		WHERE t.schemaname = current_schema() AND t.relname = ANY($1)
		AND (t.n_mod_since_analyze > 1000 + GREATEST(c.reltuples, 0) AND c.reltuples < $2
			OR c.reltuples < 0 AND pg_relation_size(c.oid) > 0)`, growingTables, youngRows)
	if err != nil {
		return nil
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if rows.Scan(&n) == nil {
			names = append(names, n)
		}
	}
	return names
}
