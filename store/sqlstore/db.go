// Package sqlstore implements store.Store with database/sql in the SQL that
// SQLite and PostgreSQL both speak. The database packages (store/sqlite,
// store/postgres) open the connections, run their own migrations and supply
// a Dialect for the few things that differ.
package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/avisera/avisera/store"
)

// Dialect is what differs between the databases.
type Dialect struct {
	// Name is "sqlite" or "postgres", used in error messages.
	Name string
	// Numbered rewrites ? placeholders to $1, $2 … (PostgreSQL).
	Numbered bool
	// IsUniqueViolation recognises a unique-constraint error.
	IsUniqueViolation func(error) bool
	// LockSkip is appended to a SELECT to lock its rows for the
	// transaction, skipping rows other transactions hold (PostgreSQL);
	// empty on SQLite, whose single writer serialises transactions.
	LockSkip string
	// LazyCommit is run first in a LazyTx (PostgreSQL: SET LOCAL
	// synchronous_commit = off).
	LazyCommit string
	// LazyBefore and LazyAfter are run on the writer connection before and
	// after a LazyTx, where a setting cannot change inside a transaction
	// (SQLite: PRAGMA synchronous NORMAL, then back to FULL).
	LazyBefore, LazyAfter string
	// Lock takes a named lock until the transaction ends, the name as its
	// one parameter (PostgreSQL: an advisory transaction lock on the name's
	// hash); empty on SQLite, whose single writer serialises transactions.
	Lock string
	// Copy writes rows into table's columns in one go on conn, inside the
	// transaction begun on it (PostgreSQL: COPY FROM STDIN, which skips
	// the executor and logs a page of rows at a time); nil: INSERT
	// statements.
	Copy func(ctx context.Context, conn *sql.Conn, table string, columns []string, rows [][]any) error
	// TimeResolution is the precision the database keeps times at
	// (PostgreSQL: microseconds); zero keeps Go's nanoseconds.
	TimeResolution time.Duration
}

// DB is a store.Store over one database. Writes and transactions go to
// write; reads outside a transaction go to read. On SQLite write is a pool
// of one connection (one writer) and read a larger pool; on PostgreSQL both
// are the same pool.
type DB struct {
	write, read *sql.DB
	dialect     Dialect
	rebound     sync.Map // query text → rewritten text
	closers     []func() error
}

// New returns a DB. closers run on Close before the pools are closed: they
// stop background work that uses them.
func New(write, read *sql.DB, d Dialect, closers ...func() error) *DB {
	return &DB{write: write, read: read, dialect: d, closers: closers}
}

// WriteDB returns the writer pool (for River and migrations).
func (db *DB) WriteDB() *sql.DB { return db.write }

// OpenConns opens the writer pool's connections up to its limit, all at
// once, and leaves them idle in the pool. A server calls it at start: on
// PostgreSQL each new connection costs the server a process to start, so
// opened lazily they all come at the first burst of events, on its time
// (avisera bench: 17 of 21 came then, a tenth of the server's work in it).
func (db *DB) OpenConns(ctx context.Context) error {
	n := db.write.Stats().MaxOpenConnections
	conns := make([]*sql.Conn, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range conns {
		wg.Go(func() { conns[i], errs[i] = db.write.Conn(ctx) })
	}
	wg.Wait()
	for _, c := range conns {
		if c != nil {
			c.Close() // back to the pool, which keeps it
		}
	}
	return errors.Join(errs...)
}

// Dialect returns the dialect.
func (db *DB) Dialect() Dialect { return db.dialect }

// Store returns the store.Store working outside any transaction.
func (db *DB) Store() store.Store { return &Store{db: db} }

// Close closes the pools.
func (db *DB) Close() error {
	var errs []error
	for _, c := range db.closers {
		errs = append(errs, c())
	}
	errs = append(errs, db.write.Close())
	if db.read != db.write {
		errs = append(errs, db.read.Close())
	}
	return errors.Join(errs...)
}

// rebind rewrites ? placeholders for the dialect. Queries never hold a
// literal question mark.
func (db *DB) rebind(q string) string {
	if !db.dialect.Numbered {
		return q
	}
	if v, ok := db.rebound.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	db.rebound.Store(q, b.String())
	return b.String()
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Store implements store.Store; tx is set inside a transaction, and conn
// when the transaction holds a connection of its own (for Dialect.Copy).
type Store struct {
	db   *DB
	tx   *sql.Tx
	conn *sql.Conn
}

// SQLTx returns the transaction the store is bound to, or nil; the queue
// uses it to insert jobs in the same transaction.
func (s *Store) SQLTx() *sql.Tx { return s.tx }

func (s *Store) reader() querier {
	if s.tx != nil {
		return s.tx
	}
	return s.db.read
}

func (s *Store) writer() querier {
	if s.tx != nil {
		return s.tx
	}
	return s.db.write
}

func (s *Store) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	res, err := s.writer().ExecContext(ctx, s.db.rebind(q), args...)
	return res, s.wrap(err)
}

func (s *Store) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	rows, err := s.reader().QueryContext(ctx, s.db.rebind(q), args...)
	return rows, s.wrap(err)
}

func (s *Store) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return s.reader().QueryRowContext(ctx, s.db.rebind(q), args...)
}

// wrap maps driver errors onto the store sentinels.
func (s *Store) wrap(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return store.ErrNotFound
	case s.db.dialect.IsUniqueViolation(err):
		return fmt.Errorf("%w: %v", store.ErrConflict, err)
	}
	return fmt.Errorf("%s: %w", s.db.dialect.Name, err)
}

// Tx implements store.Store.
func (s *Store) Tx(ctx context.Context, fn func(store.Store) error) error {
	if s.tx != nil {
		return fn(s)
	}
	if s.db.dialect.Copy == nil {
		return s.txOn(ctx, s.db.write, nil, fn)
	}
	conn, err := s.db.write.Conn(ctx)
	if err != nil {
		return s.wrap(err)
	}
	defer conn.Close()
	return s.txOn(ctx, conn, conn, fn)
}

// txOn runs fn in a transaction begun on db (the pool or conn, the one
// connection, which may be nil). A panic in fn rolls the transaction back
// before it goes on: an open one would hold SQLite's one writer
// connection for good.
func (s *Store) txOn(ctx context.Context, db interface {
	BeginTx(context.Context, *sql.TxOptions) (*sql.Tx, error)
}, conn *sql.Conn, fn func(store.Store) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return s.wrap(err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
	}()
	if err := fn(&Store{db: s.db, tx: tx, conn: conn}); err != nil {
		_ = tx.Rollback()
		return err
	}
	return s.wrap(tx.Commit())
}

// LazyTx implements store.Store.
func (s *Store) LazyTx(ctx context.Context, fn func(store.Store) error) error {
	d := s.db.dialect
	switch {
	case s.tx != nil:
		return fn(s) // inside a transaction, its own durability holds
	case d.LazyCommit != "":
		return s.Tx(ctx, func(tx store.Store) error {
			if _, err := tx.(*Store).exec(ctx, d.LazyCommit); err != nil {
				return err
			}
			return fn(tx)
		})
	case d.LazyBefore != "":
		return s.lazyConnTx(ctx, fn)
	}
	return s.Tx(ctx, fn)
}

// lazyConnTx runs fn in a transaction on the writer connection set lazy
// by LazyBefore, and sets it back with LazyAfter; a connection that cannot
// be set back is discarded, so no other transaction commits lazily.
func (s *Store) lazyConnTx(ctx context.Context, fn func(store.Store) error) (err error) {
	conn, err := s.db.write.Conn(ctx)
	if err != nil {
		return s.wrap(err)
	}
	defer conn.Close()
	defer func() { // also when fn panics
		if rerr := s.restore(conn); rerr != nil {
			err = errors.Join(err, rerr)
		}
	}()
	if _, err := conn.ExecContext(ctx, s.db.dialect.LazyBefore); err != nil {
		return s.wrap(err)
	}
	return s.txOn(ctx, conn, conn, fn) // the error as fn returned it
}

// restore runs LazyAfter on conn, even when the caller's context has
// ended; failing, it marks conn bad so the pool closes it.
func (s *Store) restore(conn *sql.Conn) error {
	_, err := conn.ExecContext(context.Background(), s.db.dialect.LazyAfter)
	if err != nil {
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		return s.wrap(err)
	}
	return nil
}

// Lock implements store.Store.
func (s *Store) Lock(ctx context.Context, name string) error {
	if s.tx == nil {
		return errors.New("store: Lock outside a transaction")
	}
	if s.db.dialect.Lock == "" {
		return nil
	}
	_, err := s.exec(ctx, s.db.dialect.Lock, name)
	return err
}

// Ping implements store.Store.
func (s *Store) Ping(ctx context.Context) error {
	return s.wrap(s.db.write.PingContext(ctx))
}

// Close implements store.Store.
func (s *Store) Close() error { return s.db.Close() }

// scanRow runs a single-row query and maps no rows to store.ErrNotFound.
func (s *Store) scanRow(ctx context.Context, dest []any, q string, args ...any) error {
	return s.wrap(s.queryRow(ctx, q, args...).Scan(dest...))
}
