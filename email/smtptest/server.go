// Package smtptest runs a real SMTP server (github.com/emersion/go-smtp) on
// the loopback interface for tests and benchmarks. It records what it
// accepts, optionally offers STARTTLS and AUTH PLAIN, and can be told to
// reject messages or drop connections, so that a client's error handling
// and reconnection can be tested against the real protocol.
package smtptest

import (
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Server is a running SMTP server. Its methods are safe for concurrent use.
type Server struct {
	opts options
	srv  *smtp.Server
	ln   net.Listener

	mu        sync.Mutex
	changed   *sync.Cond // signalled when count or open changes
	received  []Received
	count     int
	connCount int
	open      map[net.Conn]struct{}
	faults    faults
	closeOnce sync.Once
}

// NewServer starts a server on 127.0.0.1 with a random port. With a non-nil
// t the server is closed when the test ends and a start failure fails the
// test; with a nil t (a benchmark command) the caller must call Close, and a
// start failure panics.
func NewServer(t testing.TB, opts ...Option) *Server {
	if t != nil {
		t.Helper()
	}
	s, err := start(opts)
	if err != nil {
		if t == nil {
			panic(fmt.Sprintf("smtptest: %v", err))
		}
		t.Fatalf("smtptest: %v", err)
	}
	if t != nil {
		t.Cleanup(s.Close)
	}
	return s
}

func start(opts []Option) (*Server, error) {
	s := &Server{open: make(map[net.Conn]struct{})}
	s.changed = sync.NewCond(&s.mu)
	s.faults.rcpt = make(map[string]*smtp.SMTPError)
	for _, opt := range opts {
		opt(&s.opts)
	}
	s.srv = smtp.NewServer(backend{s})
	s.srv.Domain = "localhost"
	s.srv.ErrorLog = log.New(io.Discard, "", 0)
	s.srv.ReadTimeout = s.opts.idleTimeout
	s.srv.AllowInsecureAuth = !s.opts.startTLS
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s.ln = ln
	served, err := s.setupTLS(listener{Listener: ln, s: s})
	if err != nil {
		ln.Close()
		return nil, err
	}
	go s.srv.Serve(served)
	return s, nil
}

// setupTLS gives the server a certificate for STARTTLS, or wraps ln for
// implicit TLS.
func (s *Server) setupTLS(ln net.Listener) (net.Listener, error) {
	if !s.opts.startTLS && !s.opts.implicitTLS {
		return ln, nil
	}
	cfg, err := selfSignedTLS()
	if err != nil {
		return nil, fmt.Errorf("generate certificate: %w", err)
	}
	if s.opts.implicitTLS {
		return tls.NewListener(ln, cfg), nil
	}
	s.srv.TLSConfig = cfg
	return ln, nil
}

// Addr returns the host:port the server listens on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Host returns the IP address the server listens on.
func (s *Server) Host() string { return s.ln.Addr().(*net.TCPAddr).IP.String() }

// Port returns the port the server listens on.
func (s *Server) Port() int { return s.ln.Addr().(*net.TCPAddr).Port }

// URL returns an smtp:// URL for email.ParseURL that reaches this server:
// tls=none for a plain server, tls=starttls&insecure=1 with STARTTLS,
// smtps://…?insecure=1 with ImplicitTLS, and the credentials when AUTH is
// required.
func (s *Server) URL() string {
	u := url.URL{Scheme: "smtp", Host: s.Addr(), RawQuery: "tls=none"}
	switch {
	case s.opts.startTLS:
		u.RawQuery = "tls=starttls&insecure=1"
	case s.opts.implicitTLS:
		u.Scheme, u.RawQuery = "smtps", "insecure=1"
	}
	if s.opts.user != "" {
		u.User = url.UserPassword(s.opts.user, s.opts.pass)
	}
	return u.String()
}

// Messages returns the accepted messages in order of arrival, with their
// headers parsed. It returns nothing with CountOnly.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	out := make([]Received, len(s.received))
	copy(out, s.received)
	s.mu.Unlock()
	for i := range out {
		out[i].parseHeader()
	}
	return out
}

// Count returns how many messages the server has accepted.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

// ConnectionCount returns how many connections were opened in total.
func (s *Server) ConnectionCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.connCount
}

// WaitFor waits until at least n messages have been accepted and reports
// whether that happened within timeout.
func (s *Server) WaitFor(n int, timeout time.Duration) bool {
	return s.wait(timeout, func() bool { return s.count >= n })
}

// WaitIdle waits until no client connection is open (the clients quit or
// the server dropped them) and reports whether that happened within timeout.
func (s *Server) WaitIdle(timeout time.Duration) bool {
	return s.wait(timeout, func() bool { return len(s.open) == 0 })
}

// wait blocks until cond, evaluated under s.mu, holds or timeout passes.
func (s *Server) wait(timeout time.Duration, cond func() bool) bool {
	timedOut := false
	timer := time.AfterFunc(timeout, func() {
		s.mu.Lock()
		timedOut = true
		s.mu.Unlock()
		s.changed.Broadcast()
	})
	defer timer.Stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	for !cond() && !timedOut {
		s.changed.Wait()
	}
	return cond()
}

// Reset forgets the accepted messages and clears all injected faults. The
// connection count is kept.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.received = nil
	s.count = 0
	s.faults = faults{rcpt: make(map[string]*smtp.SMTPError)}
}

// DropConnections closes every open client connection abruptly, as a
// server restart or an idle timeout would.
func (s *Server) DropConnections() {
	s.mu.Lock()
	conns := make([]net.Conn, 0, len(s.open))
	for c := range s.open {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
}

// Close stops the server and closes all connections. It is idempotent.
func (s *Server) Close() {
	s.closeOnce.Do(func() { s.srv.Close() })
}

// accept records a message (or only counts it with CountOnly).
func (s *Server) accept(r Received) {
	s.mu.Lock()
	s.count++
	if !s.opts.countOnly {
		s.received = append(s.received, r)
	}
	s.mu.Unlock()
	s.changed.Broadcast()
}

// listener counts and tracks accepted connections, so that they can be
// dropped on demand.
type listener struct {
	net.Listener
	s *Server
}

// Accept implements net.Listener.
func (l listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	tc := &trackedConn{Conn: c, s: l.s}
	l.s.mu.Lock()
	l.s.connCount++
	l.s.open[tc] = struct{}{}
	l.s.mu.Unlock()
	return tc, nil
}

type trackedConn struct {
	net.Conn
	s    *Server
	once sync.Once
}

// Close implements net.Conn and forgets the connection.
func (c *trackedConn) Close() error {
	c.once.Do(func() {
		c.s.mu.Lock()
		delete(c.s.open, c)
		c.s.mu.Unlock()
		c.s.changed.Broadcast()
	})
	return c.Conn.Close()
}
