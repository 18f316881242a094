package sqlite

import (
	"context"
	"database/sql/driver"
	"sync"

	sqlite3 "modernc.org/sqlite"
)

// maxCachedStatements bounds each connection's statement cache.
const maxCachedStatements = 512

// connector opens modernc.org/sqlite connections that keep their prepared
// statements: the driver otherwise parses every statement again on every
// call (its own, River's and the migrations'), which cost about a quarter
// of the event pipeline's CPU.
type connector struct {
	dsn    string
	driver *sqlite3.Driver
}

// Connect implements driver.Connector.
func (c connector) Connect(ctx context.Context) (driver.Conn, error) {
	inner, err := c.driver.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &conn{inner: inner, stmts: map[string]*cachedStmt{}}, nil
}

// Driver implements driver.Connector.
func (c connector) Driver() driver.Driver { return c.driver }

type cachedStmt struct {
	stmt driver.Stmt
	busy bool // rows of it are still open; a nested use prepares afresh
}

// conn wraps a driver connection with a statement cache. database/sql
// uses a connection from one goroutine at a time; the mutex only guards
// rows closed from elsewhere.
type conn struct {
	inner driver.Conn
	mu    sync.Mutex
	stmts map[string]*cachedStmt
}

func (c *conn) Prepare(q string) (driver.Stmt, error) { return c.inner.Prepare(q) }

func (c *conn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	return c.inner.(driver.ConnPrepareContext).PrepareContext(ctx, q)
}

func (c *conn) Begin() (driver.Tx, error) { return c.BeginTx(context.Background(), driver.TxOptions{}) }

func (c *conn) BeginTx(ctx context.Context, o driver.TxOptions) (driver.Tx, error) {
	return c.inner.(driver.ConnBeginTx).BeginTx(ctx, o)
}

func (c *conn) Close() error {
	for _, s := range c.stmts {
		s.stmt.Close()
	}
	return c.inner.Close()
}

func (c *conn) ResetSession(ctx context.Context) error {
	return c.inner.(driver.SessionResetter).ResetSession(ctx)
}

func (c *conn) IsValid() bool { return c.inner.(driver.Validator).IsValid() }

func (c *conn) Ping(ctx context.Context) error { return c.inner.(driver.Pinger).Ping(ctx) }

// take returns the cached statement for q, marked busy, preparing it on a
// miss; nil when the cached one is in use.
func (c *conn) take(ctx context.Context, q string) (*cachedStmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.stmts[q]; ok {
		if s.busy {
			return nil, nil
		}
		s.busy = true
		return s, nil
	}
	if len(c.stmts) >= maxCachedStatements {
		c.evict()
	}
	st, err := c.inner.(driver.ConnPrepareContext).PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	s := &cachedStmt{stmt: st, busy: true}
	c.stmts[q] = s
	return s, nil
}

// evict drops the idle statements (the cache is full of one-off queries).
func (c *conn) evict() {
	for q, s := range c.stmts {
		if !s.busy {
			s.stmt.Close()
			delete(c.stmts, q)
		}
	}
}

func (c *conn) release(s *cachedStmt) {
	c.mu.Lock()
	s.busy = false
	c.mu.Unlock()
}

// ExecContext implements driver.ExecerContext.
func (c *conn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	s, err := c.take(ctx, q)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return c.inner.(driver.ExecerContext).ExecContext(ctx, q, args)
	}
	defer c.release(s)
	return s.stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

// QueryContext implements driver.QueryerContext.
func (c *conn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	s, err := c.take(ctx, q)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return c.inner.(driver.QueryerContext).QueryContext(ctx, q, args)
	}
	rows, err := s.stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		c.release(s)
		return nil, err
	}
	return &cachedRows{Rows: rows, done: func() { c.release(s) }}, nil
}

// cachedRows frees its statement for reuse when closed.
type cachedRows struct {
	driver.Rows
	done func()
	once sync.Once
}

func (r *cachedRows) Close() error {
	err := r.Rows.Close()
	r.once.Do(r.done)
	return err
}

// ColumnTypeDatabaseTypeName passes the declared type through, which
// River reads.
func (r *cachedRows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}
