// Package email sends email over SMTP with github.com/wneessen/go-mail,
// through a small pool of persistent connections that are used in parallel
// and kept open between batches, because connecting (TCP, TLS, AUTH) costs
// far more than sending a message. Failures are classified as temporary or
// permanent so that the caller knows whether to retry.
package email

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net/mail"
	"sync"
	"sync/atomic"

	gomail "github.com/wneessen/go-mail"
)

// Sender sends messages through a pool of SMTP connections. Connections
// are opened on first use, kept open between batches and re-opened when the
// server has dropped them. It is safe for concurrent use.
type Sender struct {
	cfg       Config
	log       *slog.Logger
	from      *mail.Address // parsed Config.From; nil when unset
	slots     chan *conn    // the idle connections
	done      chan struct{} // closed by Close
	closeOnce sync.Once
	closeErr  error
}

// Result is the outcome of sending one message: its Message-ID and nil, or
// a *SendError.
type Result struct {
	MessageID string
	Err       error
}

// NewSender returns a Sender for cfg; it does not connect yet. A nil logger
// discards.
func NewSender(cfg Config, logger *slog.Logger) (*Sender, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Sender{cfg: cfg, log: logger, slots: make(chan *conn, cfg.PoolSize), done: make(chan struct{})}
	if cfg.From != "" {
		s.from, _ = parseAddress(cfg.From, "") // validated above
	}
	tlsConfig := &tls.Config{
		ServerName:         cfg.Host,
		InsecureSkipVerify: cfg.InsecureSkipVerify, //nolint:gosec // opt-in, for tests
		MinVersion:         tls.VersionTLS12,
	}
	for i := range cfg.PoolSize {
		c, err := newConn(i, cfg, tlsConfig, logger)
		if err != nil {
			return nil, err
		}
		s.slots <- c
	}
	return s, nil
}

// Send sends msgs over up to PoolSize connections in parallel and returns
// one Result per message, in input order. Messages that could not be tried
// (ctx ended, the Sender was closed, no connection could be opened) get a
// temporary *SendError.
func (s *Sender) Send(ctx context.Context, msgs []*Message) []Result {
	b := &batch{msgs: msgs, results: make([]Result, len(msgs))}
	if workers := min(cap(s.slots), len(msgs)); workers == 1 {
		s.work(ctx, b)
	} else {
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() { s.work(ctx, b) })
		}
		wg.Wait()
	}
	s.failUntaken(ctx, b)
	return b.results
}

// batch is one Send call, shared by its workers.
type batch struct {
	msgs    []*Message
	results []Result
	next    atomic.Int64
	connErr atomic.Pointer[SendError] // why a worker gave up connecting
}

// take returns the index of the next message to send.
func (b *batch) take() (int, bool) {
	i := int(b.next.Add(1)) - 1
	return i, i < len(b.msgs)
}

// work sends messages of b on one pooled connection until none are left.
// A worker that cannot connect stops, leaving the rest to the others.
func (s *Sender) work(ctx context.Context, b *batch) {
	c := s.acquire(ctx)
	if c == nil {
		return
	}
	defer func() { s.slots <- c }()
	c.dialErr = nil
	stop := c.watch(ctx)
	defer stop()
	for ctx.Err() == nil && !s.closed() {
		i, ok := b.take()
		if !ok {
			return
		}
		b.results[i] = s.deliver(ctx, c, b.msgs[i])
		if c.dialErr != nil {
			b.connErr.Store(b.results[i].Err.(*SendError))
			return
		}
	}
}

// deliver renders and sends one message.
func (s *Sender) deliver(ctx context.Context, c *conn, m *Message) Result {
	if m == nil {
		return Result{Err: invalid(errors.New("email: nil message"))}
	}
	id, err := s.messageID(m)
	if err != nil {
		return Result{MessageID: id, Err: invalid(err)}
	}
	fresh := c.session == nil
	if fresh { // first, to know whether the server takes 8-bit mail
		if err := c.connect(ctx); err != nil {
			return failed(ctx, id, connectFailure(err))
		}
	}
	out, err := s.prepare(c, m, id)
	if err != nil {
		return Result{MessageID: id, Err: invalid(err)}
	}
	if se := c.send(ctx, out, fresh); se != nil {
		return failed(ctx, id, se)
	}
	return Result{MessageID: id}
}

// prepare makes m ready for c's session: written by the Sender itself for
// a flight when it can be (composable), else built by go-mail.
func (s *Sender) prepare(c *conn, m *Message, id string) (*outgoing, error) {
	out := &outgoing{build: func(eightBit bool) (*gomail.Msg, error) {
		msg, _, err := s.build(m, id, eightBit)
		return msg, err
	}}
	var err error
	if c.flights && composable(m) {
		c.wire.Reset()
		out.composed = true
		out.env, out.sent8, err = s.compose(&c.wire, m, id, c.eightBit)
		return out, err
	}
	out.msg, out.sent8, err = s.build(m, id, c.eightBit)
	return out, err
}

// failed is the result of a connect or send that failed: when ctx has
// ended, the abort is its cause, and the message is worth another try.
func failed(ctx context.Context, id string, se *SendError) Result {
	if ctx.Err() != nil {
		se.Temporary, se.Err = true, errors.Join(ctx.Err(), se.Err)
	}
	return Result{MessageID: id, Err: se}
}

// failUntaken gives the messages no worker took a temporary error.
func (s *Sender) failUntaken(ctx context.Context, b *batch) {
	for i := min(int(b.next.Load()), len(b.msgs)); i < len(b.msgs); i++ {
		r := Result{Err: s.untakenReason(ctx, b)}
		if m := b.msgs[i]; m != nil {
			r.MessageID, _ = s.messageID(m)
		}
		b.results[i] = r
	}
}

func (s *Sender) untakenReason(ctx context.Context, b *batch) error {
	switch {
	case s.closed():
		return &SendError{Temporary: true, Err: ErrClosed}
	case ctx.Err() != nil:
		return &SendError{Temporary: true, Err: ctx.Err()}
	case b.connErr.Load() != nil:
		return b.connErr.Load()
	}
	return &SendError{Temporary: true, Err: errors.New("email: message not sent")}
}

// acquire takes an idle connection, or returns nil when ctx ends or the
// Sender is closed first.
func (s *Sender) acquire(ctx context.Context) *conn {
	select {
	case c := <-s.slots:
		return c
	case <-ctx.Done():
	case <-s.done:
	}
	return nil
}

func (s *Sender) closed() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// Ping checks that the server can be reached and accepts the configured
// TLS and credentials, using (and keeping) one pooled connection.
func (s *Sender) Ping(ctx context.Context) error {
	c := s.acquire(ctx)
	if c == nil {
		if s.closed() {
			return ErrClosed
		}
		return ctx.Err()
	}
	defer func() { s.slots <- c }()
	stop := c.watch(ctx)
	defer stop()
	return c.ping(ctx)
}

// Close waits for the messages being sent, says QUIT on every open
// connection and closes it. Later Sends fail with ErrClosed.
func (s *Sender) Close() error {
	s.closeOnce.Do(func() {
		close(s.done)
		var errs []error
		for range cap(s.slots) {
			if err := (<-s.slots).close(); err != nil {
				errs = append(errs, err)
			}
		}
		s.closeErr = errors.Join(errs...)
	})
	return s.closeErr
}
