package smtptest

import (
	"bytes"
	"io"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// faults holds the injected failures; it is guarded by Server.mu.
type faults struct {
	rcptNext  int
	rcptErr   *smtp.SMTPError
	dataNext  int
	dataErr   *smtp.SMTPError
	rcpt      map[string]*smtp.SMTPError
	dropAfter int
}

// FailNext makes the next n messages fail at RCPT TO with this reply, for
// example FailNext(1, 451, [3]int{4, 3, 0}, "try again later"). A zero
// enhanced code is sent as X.0.0.
func (s *Server) FailNext(n, code int, enhanced [3]int, msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.rcptNext, s.faults.rcptErr = n, smtpError(code, enhanced, msg)
}

// FailNextData is FailNext for the reply to the end of DATA, after the
// server has read the whole message (where content filters reject).
func (s *Server) FailNextData(n, code int, enhanced [3]int, msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.dataNext, s.faults.dataErr = n, smtpError(code, enhanced, msg)
}

// FailRecipient makes the server always reject addr at RCPT TO with code
// and msg; the enhanced code is X.1.1 (bad mailbox).
func (s *Server) FailRecipient(addr string, code int, msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.rcpt[addr] = smtpError(code, [3]int{code / 100, 1, 1}, msg)
}

// DropAfter makes the server close every connection abruptly right after
// it has accepted n messages on it (after the 250 reply to DATA). Zero turns
// it off.
func (s *Server) DropAfter(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.dropAfter = n
}

func smtpError(code int, enhanced [3]int, msg string) *smtp.SMTPError {
	ec := smtp.EnhancedCode(enhanced)
	if enhanced == [3]int{} {
		ec = smtp.EnhancedCodeNotSet
	}
	return &smtp.SMTPError{Code: code, EnhancedCode: ec, Message: msg}
}

// rcptFault returns the error for a RCPT TO, consuming FailNext.
func (s *Server) rcptFault(to string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err, ok := s.faults.rcpt[to]; ok {
		return err
	}
	if s.faults.rcptNext > 0 {
		s.faults.rcptNext--
		return s.faults.rcptErr
	}
	return nil
}

// dataFault returns the error for the end of DATA, consuming FailNextData.
func (s *Server) dataFault() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.faults.dataNext > 0 {
		s.faults.dataNext--
		return s.faults.dataErr
	}
	return nil
}

func (s *Server) dropAfter() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults.dropAfter
}

type backend struct{ s *Server }

// NewSession implements smtp.Backend. go-smtp calls it after EHLO, again
// after STARTTLS.
func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{s: b.s, conn: c}, nil
}

// session is one SMTP session; go-smtp calls it from one goroutine.
type session struct {
	s        *Server
	conn     *smtp.Conn
	authed   bool
	from     string
	to       []string
	accepted int
}

// AuthMechanisms implements smtp.AuthSession.
func (ss *session) AuthMechanisms() []string {
	if ss.s.opts.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

// Auth implements smtp.AuthSession.
func (ss *session) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain || ss.s.opts.user == "" {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != ss.s.opts.user || pass != ss.s.opts.pass {
			return smtp.ErrAuthFailed
		}
		ss.authed = true
		return nil
	}), nil
}

// Mail implements smtp.Session.
func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.opts.user != "" && !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

// Rcpt implements smtp.Session.
func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := ss.s.rcptFault(to); err != nil {
		return err
	}
	ss.to = append(ss.to, to)
	return nil
}

// Data implements smtp.Session.
func (ss *session) Data(r io.Reader) error {
	var data []byte
	var err error
	if ss.s.opts.countOnly {
		_, err = io.Copy(io.Discard, r)
	} else {
		var buf bytes.Buffer
		_, err = buf.ReadFrom(r)
		data = buf.Bytes()
	}
	if err != nil {
		return err
	}
	if err := ss.s.dataFault(); err != nil {
		return err
	}
	ss.accepted++
	_, isTLS := ss.conn.TLSConnectionState()
	ss.s.accept(Received{From: ss.from, To: ss.to, Data: data, TLS: isTLS, ReceivedAt: time.Now()})
	return nil
}

// Reset implements smtp.Session. go-smtp calls it after every DATA reply
// has been written, which is where DropAfter cuts the connection.
func (ss *session) Reset() {
	ss.from, ss.to = "", nil
	if n := ss.s.dropAfter(); n > 0 && ss.accepted >= n {
		ss.conn.Conn().Close()
	}
}

// Logout implements smtp.Session.
func (ss *session) Logout() error { return nil }
