package email

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	gomail "github.com/wneessen/go-mail"
	gosmtp "github.com/wneessen/go-mail/smtp"
)

// conn is one pooled SMTP connection: a go-mail Client (the settings:
// TLS, auth, timeouts), the SMTP session it opened (go-mail's smtp.Client)
// and the network connection under it. One goroutine at a time uses it
// (the one that took it from Sender.slots); only abort may be called
// concurrently.
type conn struct {
	id        int
	client    *gomail.Client
	session   *gosmtp.Client // the open SMTP session; nil when there is none
	tlsConfig *tls.Config
	implicit  bool
	log       *slog.Logger

	nc       atomic.Pointer[abortConn] // the current network connection
	dialErr  error                     // the last failed connect, nil after a good one
	eightBit bool                      // the session's server takes 8-bit mail (8BITMIME)

	timeout    time.Duration // per message
	mayFly     bool          // Config.NoFlights unset
	flights    bool          // the session takes flights (see flight.go)
	mailParams string        // what MAIL FROM adds to the address: " BODY=8BITMIME" …
	wire       bytes.Buffer  // a flight's message, reused
}

// authMechanisms are tried in this order; PLAIN and LOGIN refuse to send a
// password over an unencrypted connection (unless to localhost).
var authMechanisms = []gomail.SMTPAuthType{
	gomail.SMTPAuthSCRAMSHA256, gomail.SMTPAuthSCRAMSHA1,
	gomail.SMTPAuthPlain, gomail.SMTPAuthLogin, gomail.SMTPAuthCramMD5,
}

func newConn(id int, cfg Config, tlsConfig *tls.Config, log *slog.Logger) (*conn, error) {
	c := &conn{id: id, tlsConfig: tlsConfig, implicit: cfg.TLS == TLSImplicit, log: log, timeout: cfg.Timeout,
		mayFly: !cfg.NoFlights}
	client, err := gomail.NewClient(cfg.Host, clientOptions(cfg, tlsConfig, c.dial)...)
	if err != nil {
		return nil, err
	}
	c.client = client
	return c, nil
}

func clientOptions(cfg Config, tlsConfig *tls.Config, dial gomail.DialContextFunc) []gomail.Option {
	opts := []gomail.Option{
		gomail.WithPort(cfg.Port),
		gomail.WithTimeout(cfg.Timeout),
		gomail.WithTLSConfig(tlsConfig),
		gomail.WithDialContextFunc(dial),
		gomail.WithoutNoop(), // a NOOP before every message costs a round trip
		// A transaction ends with the reply to its data (RFC 5321, 4.1.1.4):
		// an RSET after every message would cost a round trip more. After a
		// refused MAIL or RCPT go-mail still resets, after a refused DATA
		// settle does.
		gomail.WithoutRset(),
	}
	switch cfg.TLS {
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL()) // dial does the TLS: see there
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSOpportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if cfg.Username != "" {
		opts = append(opts, gomail.WithOpportunisticSMTPAuth(authMechanisms...),
			gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password))
	}
	return opts
}

// dial opens the network connection for go-mail and keeps hold of it, so
// that abort and drop can reach it. go-mail skips its own implicit-TLS
// dialer when given a dial function, so the handshake is done here.
func (c *conn) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	raw, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	ac := &abortConn{Conn: raw}
	c.nc.Store(ac)
	if ctx.Err() != nil {
		ac.abort()
	}
	if !c.implicit {
		return ac, nil
	}
	tc := tls.Client(ac, c.tlsConfig)
	if err := tc.HandshakeContext(ctx); err != nil {
		return nil, err
	}
	return tc, nil
}

// connect opens a new SMTP session (greeting, EHLO, STARTTLS, AUTH).
func (c *conn) connect(ctx context.Context) error {
	c.drop()
	session, err := c.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		c.drop() // go-mail leaves the socket open when EHLO, TLS or AUTH fail
		c.dialErr = err
		c.log.Warn("email: connect failed", "conn", c.id, "err", err)
		return err
	}
	c.session, c.dialErr = session, nil
	c.learn(session)
	c.log.Debug("email: connected", "conn", c.id, "8bitmime", c.eightBit, "flights", c.flights)
	return nil
}

// learn notes what the session's server announced: 8-bit mail, and
// whether messages can go as flights, with the MAIL FROM parameters go-mail
// would add.
func (c *conn) learn(session *gosmtp.Client) {
	c.eightBit, _ = session.Extension("8BITMIME")
	pipelining, _ := session.Extension("PIPELINING")
	chunking, _ := session.Extension("CHUNKING")
	c.flights = c.mayFly && pipelining && chunking
	c.mailParams = ""
	if c.eightBit {
		c.mailParams += " BODY=8BITMIME"
	}
	if utf8, _ := session.Extension("SMTPUTF8"); utf8 {
		c.mailParams += " SMTPUTF8"
	}
}

// errNo8Bit refuses to send an 8-bit message on a session whose server
// does not take it; sent again later, the message goes quoted-printable.
var errNo8Bit = errors.New("email: after a reconnect the server no longer takes 8-bit mail (8BITMIME)")

// send delivers msg over the open session; fresh says it was opened for
// msg. A reused session the server has closed meanwhile is replaced first
// when that can be seen (before a flight: hungUp), else the message that
// failed on it without the server taking any of it (dead) is sent once
// more on a new connection — unless it is 8bit (sent8) and the new server
// does not take that.
func (c *conn) send(ctx context.Context, out *outgoing, fresh bool) *SendError {
	if !fresh && c.flights && c.hungUp() {
		if se := c.reconnect(ctx, out.sent8); se != nil {
			return se
		}
		fresh = true
	}
	t := c.transmit(out)
	if t.err != nil && !fresh && t.dead && ctx.Err() == nil {
		c.log.Debug("email: connection was dropped, reconnecting", "conn", c.id, "err", t.err)
		if se := c.reconnect(ctx, out.sent8); se != nil {
			return se
		}
		t = c.transmit(out)
	}
	return c.settle(ctx, t)
}

// reconnect replaces a session the server has dropped, for a message that
// is 8bit when sent8.
func (c *conn) reconnect(ctx context.Context, sent8 bool) *SendError {
	if err := c.connect(ctx); err != nil {
		return connectFailure(err)
	}
	if sent8 && !c.eightBit {
		return &SendError{Temporary: true, Err: errNo8Bit}
	}
	return nil
}

// outgoing is a message on its way: for a flight, written by the Sender
// itself into the connection's wire buffer; else go-mail's message, built
// when a session needs it.
type outgoing struct {
	composed bool     // the conn's wire holds the message, for env
	env      envelope // the envelope of a composed message
	msg      *gomail.Msg
	sent8    bool // some part goes 8bit
	build    func(eightBit bool) (*gomail.Msg, error)
}

// transmit sends out once over the open session: as a flight when the
// server takes flights, else with go-mail, a command at a time.
func (c *conn) transmit(out *outgoing) transmission {
	if c.flights && out.composed {
		return c.fly(out.env)
	}
	if out.msg == nil { // composed for a flight, and the new session takes none
		msg, err := out.build(c.eightBit)
		if err != nil {
			return transmission{err: invalid(err)}
		}
		out.msg = msg
	}
	msg := out.msg
	if c.flights { // a message to one recipient: several would need go-mail's per-recipient handling
		from, ferr := msg.GetSender(false)
		rcpts, rerr := msg.GetRecipients()
		if ferr == nil && rerr == nil && len(rcpts) == 1 {
			return c.flyGoMail(msg, from, rcpts[0])
		}
	}
	err := c.client.SendWithSMTPClient(c.session, msg)
	if err == nil {
		return transmission{}
	}
	t := transmission{dead: deadOnArrival(err), broken: connBroken(err), reset: needsReset(err)}
	if !msg.IsDelivered() { // the server took it: whatever failed after that is no failure of the message
		t.err = sendFailure(err)
	}
	return t
}

// settle leaves the connection ready for the next message, or closed, and
// returns the message's failure.
func (c *conn) settle(ctx context.Context, t transmission) *SendError {
	if t.err == nil && !t.broken && !t.reset {
		return nil
	}
	if t.broken || ctx.Err() != nil {
		c.drop()
	} else if t.reset {
		if rerr := c.session.Reset(); rerr != nil {
			c.drop()
		}
	}
	return t.err
}

// ping checks the session with RSET, reconnecting when it is gone.
func (c *conn) ping(ctx context.Context) error {
	if c.session != nil && c.session.Reset() == nil {
		return nil
	}
	if err := c.connect(ctx); err != nil {
		return connectFailure(err)
	}
	return nil
}

// watch aborts the connection's I/O when ctx ends, until stop is called.
// stop drops the connection if it was aborted.
func (c *conn) watch(ctx context.Context) (stop func()) {
	if ctx.Done() == nil {
		return func() {}
	}
	fired := make(chan struct{})
	stopFunc := context.AfterFunc(ctx, func() {
		defer close(fired)
		if nc := c.nc.Load(); nc != nil {
			nc.abort()
		}
	})
	return func() {
		if stopFunc() {
			return
		}
		<-fired // so that a late abort cannot hit the next batch's connection
		if nc := c.nc.Load(); nc != nil && nc.isAborted() {
			c.drop()
		}
	}
}

// drop closes the network connection without a goodbye.
func (c *conn) drop() {
	c.session = nil
	if nc := c.nc.Swap(nil); nc != nil {
		nc.Close()
	}
}

// close ends the session politely (QUIT) and closes the connection.
func (c *conn) close() error {
	err := c.client.CloseWithSMTPClient(c.session) // nil when there is no session
	c.drop()
	return err
}

// abortConn is a net.Conn whose I/O can be cut from another goroutine for
// good: once aborted, every deadline go-mail sets lies in the past.
type abortConn struct {
	net.Conn
	mu      sync.Mutex
	aborted bool
}

var longAgo = time.Unix(1, 0)

func (a *abortConn) abort() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.aborted = true
	a.Conn.SetDeadline(longAgo)
}

func (a *abortConn) isAborted() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.aborted
}

func (a *abortConn) deadline(t time.Time) time.Time {
	if a.aborted {
		return longAgo
	}
	return t
}

// SetDeadline implements net.Conn.
func (a *abortConn) SetDeadline(t time.Time) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.Conn.SetDeadline(a.deadline(t))
}

// SetReadDeadline implements net.Conn.
func (a *abortConn) SetReadDeadline(t time.Time) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.Conn.SetReadDeadline(a.deadline(t))
}

// SetWriteDeadline implements net.Conn.
func (a *abortConn) SetWriteDeadline(t time.Time) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.Conn.SetWriteDeadline(a.deadline(t))
}
