package bench

import (
	"bufio"
	"bytes"
	"io"
	"log"
	"mime"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"
)

// sink is the SMTP server every part sends to: email/smtptest's count-only
// mode plus one thing the latency needs and smtptest cannot give without
// keeping whole messages — when each delivery arrived. It reads the header
// only as far as it must (X-Avisera-Delivery and Subject), discards the
// body and keeps about 100 bytes per message.
type sink struct {
	srv   *smtp.Server
	ln    net.Listener
	count atomic.Int64

	mu       sync.Mutex
	arrivals []arrival
}

// arrival is one accepted message.
type arrival struct {
	delivery string    // the X-Avisera-Delivery header
	subject  string    // the raw Subject header, unfolded, still RFC 2047 encoded
	size     int       // bytes of DATA, after dot-unstuffing
	at       time.Time // when the last byte was read
}

func newSink() (*sink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &sink{ln: ln}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &sinkSession{s: s, br: bufio.NewReaderSize(nil, 4096)}, nil
	}))
	s.srv.Domain = "localhost"
	s.srv.ErrorLog = log.New(io.Discard, "", 0)
	s.srv.ReadTimeout = 2 * time.Minute
	s.srv.WriteTimeout = time.Minute
	s.srv.MaxRecipients = 10
	s.srv.MaxMessageBytes = 10 << 20
	go s.srv.Serve(ln)
	return s, nil
}

// Addr is the host:port of the sink.
func (s *sink) Addr() string { return s.ln.Addr().String() }

// URL is the sink's smtp:// URL for email.ParseURL, with a pool of conns.
func (s *sink) URL(conns int) string {
	return "smtp://" + s.Addr() + "?tls=none&pool=" + itoa(conns)
}

// Count returns how many messages the sink has accepted.
func (s *sink) Count() int { return int(s.count.Load()) }

// WaitFor waits until n messages have arrived and reports whether they
// did within timeout. Polling is fine: arrival times are taken when the
// mail arrives, not when the wait ends.
func (s *sink) WaitFor(n int, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for s.Count() < n {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(2 * time.Millisecond)
	}
	return true
}

// Since returns the arrivals from the i-th (0-based) on.
func (s *sink) Since(i int) []arrival {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]arrival(nil), s.arrivals[min(i, len(s.arrivals)):]...)
}

// Close stops the sink.
func (s *sink) Close() error { return s.srv.Close() }

func (s *sink) record(a arrival) {
	s.mu.Lock()
	s.arrivals = append(s.arrivals, a)
	s.mu.Unlock()
	s.count.Add(1)
}

// sinkSession is one SMTP session; go-smtp calls it from one goroutine.
type sinkSession struct {
	s  *sink
	br *bufio.Reader
}

// Mail implements smtp.Session.
func (*sinkSession) Mail(string, *smtp.MailOptions) error { return nil }

// Rcpt implements smtp.Session.
func (*sinkSession) Rcpt(string, *smtp.RcptOptions) error { return nil }

// Reset implements smtp.Session.
func (*sinkSession) Reset() {}

// Logout implements smtp.Session.
func (*sinkSession) Logout() error { return nil }

var (
	deliveryHeader = []byte("X-Avisera-Delivery:")
	subjectHeader  = []byte("Subject:")
)

// Data implements smtp.Session: it scans the header for the two fields,
// then discards the rest.
func (ss *sinkSession) Data(r io.Reader) error {
	ss.br.Reset(r)
	var a arrival
	var inSubject bool
	var subject []byte
	for {
		line, err := ss.br.ReadSlice('\n')
		a.size += len(line)
		if err != nil && err != bufio.ErrBufferFull {
			if err == io.EOF {
				break
			}
			return err
		}
		trimmed := bytes.TrimRight(line, "\r\n")
		if len(trimmed) == 0 {
			break // the end of the header
		}
		if inSubject && (trimmed[0] == ' ' || trimmed[0] == '\t') {
			subject = append(subject, trimmed...)
			continue
		}
		inSubject = false
		switch {
		case hasPrefixFold(trimmed, deliveryHeader):
			a.delivery = string(bytes.TrimSpace(trimmed[len(deliveryHeader):]))
		case hasPrefixFold(trimmed, subjectHeader):
			subject, inSubject = append(subject[:0], bytes.TrimSpace(trimmed[len(subjectHeader):])...), true
		}
	}
	n, err := io.Copy(io.Discard, ss.br)
	if err != nil {
		return err
	}
	a.size += int(n)
	a.subject, a.at = string(subject), time.Now()
	ss.s.record(a)
	return nil
}

func hasPrefixFold(b, prefix []byte) bool {
	return len(b) >= len(prefix) && bytes.EqualFold(b[:len(prefix)], prefix)
}

// eventOf returns the event id a subject starts with (the message template
// puts {{ event.id }} first), decoding RFC 2047 words after the run.
func eventOf(subject string) string {
	if dec, err := new(mime.WordDecoder).DecodeHeader(subject); err == nil {
		subject = dec
	}
	id, _, _ := strings.Cut(strings.TrimSpace(subject), " ")
	return id
}
