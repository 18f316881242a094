package email

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/avisera/avisera/email/smtptest"
)

const testFrom = "avisera@example.com"

// newTestSender returns a Sender for srv with the given pool size, closed
// when the test ends.
func newTestSender(t testing.TB, srv *smtptest.Server, pool int) *Sender {
	t.Helper()
	return urlSender(t, srv.URL(), pool)
}

// urlSender returns a Sender configured by the SMTP URL raw, from testFrom,
// with pool connections (0: the URL's or the default), closed when the
// test ends.
func urlSender(t testing.TB, raw string, pool int) *Sender {
	t.Helper()
	cfg, err := ParseURL(raw)
	if err != nil {
		t.Fatalf("ParseURL(%q): %v", raw, err)
	}
	cfg.From, cfg.Timeout = testFrom, 10*time.Second
	if pool > 0 {
		cfg.PoolSize = pool
	}
	s, err := NewSender(cfg, nil)
	if err != nil {
		t.Fatalf("NewSender: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// listen opens a loopback listener for a hand-written server, closed when
// the test ends.
func listen(t testing.TB) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

// senderAt returns a Sender of pool connections speaking plain SMTP to
// addr, closed when the test ends; timeout 0 is the default.
func senderAt(t testing.TB, addr net.Addr, pool int, timeout time.Duration) *Sender {
	t.Helper()
	s, err := NewSender(Config{Host: "127.0.0.1", Port: addr.(*net.TCPAddr).Port, TLS: TLSNone, From: testFrom,
		PoolSize: pool, Timeout: timeout}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// testMessages returns n distinct messages with a Swedish subject and both
// bodies.
func testMessages(n int) []*Message {
	msgs := make([]*Message, n)
	for i := range msgs {
		msgs[i] = &Message{
			FromName: "Avisera Städ",
			To:       fmt.Sprintf("kund%d@example.com", i),
			ToName:   "Åsa Öberg",
			Subject:  fmt.Sprintf("Städning klar: åäö ÅÄÖ #%d", i),
			Text:     fmt.Sprintf("Hej! Städningen är klar (%d).", i),
			HTML:     fmt.Sprintf("<p>Hej! Städningen är <b>klar</b> (%d).</p>", i),
			Headers:  map[string]string{"X-Avisera-Delivery": fmt.Sprintf("d-%d", i)},
		}
	}
	return msgs
}

// mustSend sends msgs and fails the test on any error.
func mustSend(t *testing.T, s *Sender, msgs []*Message) []Result {
	t.Helper()
	results := s.Send(context.Background(), msgs)
	if len(results) != len(msgs) {
		t.Fatalf("got %d results, want %d", len(results), len(msgs))
	}
	for i, r := range results {
		if r.Err != nil {
			t.Fatalf("message %d: %v", i, r.Err)
		}
	}
	return results
}

func TestSendBatch(t *testing.T) {
	t.Parallel()
	srv := smtptest.NewServer(t)
	s := newTestSender(t, srv, 4)
	msgs := testMessages(500)
	results := mustSend(t, s, msgs)

	got := srv.Messages()
	if len(got) != len(msgs) {
		t.Fatalf("server got %d messages, want %d", len(got), len(msgs))
	}
	byID := make(map[string]smtptest.Received, len(got))
	for _, r := range got {
		if _, dup := byID[r.MessageID]; dup {
			t.Fatalf("message %s arrived twice", r.MessageID)
		}
		byID[r.MessageID] = r
	}
	for i, res := range results {
		r, ok := byID[res.MessageID]
		if !ok {
			t.Fatalf("message %d (%s) did not arrive", i, res.MessageID)
		}
		checkReceived(t, r, msgs[i])
	}
	if n := srv.ConnectionCount(); n > 4 {
		t.Errorf("server saw %d connections, want at most the pool size 4", n)
	}
}

// checkReceived compares what the server got with what was sent.
func checkReceived(t *testing.T, r smtptest.Received, m *Message) {
	t.Helper()
	if r.From != testFrom || len(r.To) != 1 || r.To[0] != m.To {
		t.Errorf("envelope = %s -> %v, want %s -> [%s]", r.From, r.To, testFrom, m.To)
	}
	if r.Subject != m.Subject {
		t.Errorf("subject = %q, want %q", r.Subject, m.Subject)
	}
	if got, want := r.Header.Get("X-Avisera-Delivery"), m.Headers["X-Avisera-Delivery"]; got != want {
		t.Errorf("X-Avisera-Delivery = %q, want %q", got, want)
	}
	to, err := r.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Name != m.ToName || to[0].Address != m.To {
		t.Errorf("To header = %v (%v), want %s <%s>", to, err, m.ToName, m.To)
	}
	parts := readParts(t, r)
	if parts["text/plain"] != m.Text || parts["text/html"] != m.HTML {
		t.Errorf("parts = %q, want text %q and html %q", parts, m.Text, m.HTML)
	}
}

// readParts decodes a multipart/alternative message into its parts by
// media type.
func readParts(t *testing.T, r smtptest.Received) map[string]string {
	t.Helper()
	mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/alternative" {
		t.Fatalf("Content-Type = %q (%v), want multipart/alternative", r.Header.Get("Content-Type"), err)
	}
	parts := make(map[string]string)
	mr := multipart.NewReader(strings.NewReader(string(r.Body())), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return parts
		}
		if err != nil {
			t.Fatalf("reading parts: %v", err)
		}
		body, err := io.ReadAll(p) // multipart decodes quoted-printable
		if err != nil {
			t.Fatalf("reading part: %v", err)
		}
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		parts[ct] = string(body)
	}
}

func TestSendFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		fault     func(*smtptest.Server)
		temporary bool
		code      int
		reply     string
	}{
		{"451 at RCPT", func(s *smtptest.Server) { s.FailNext(1, 451, [3]int{4, 3, 0}, "try again later") },
			true, 451, "451 4.3.0 try again later"},
		{"550 unknown recipient", func(s *smtptest.Server) { s.FailRecipient("kund0@example.com", 550, "user unknown") },
			false, 550, "550 5.1.1 user unknown"},
		{"452 at end of DATA", func(s *smtptest.Server) { s.FailNextData(1, 452, [3]int{4, 3, 1}, "mailbox full") },
			true, 452, "452 4.3.1 mailbox full"},
		{"554 at end of DATA", func(s *smtptest.Server) { s.FailNextData(1, 554, [3]int{5, 7, 1}, "looks like spam") },
			false, 554, "554 5.7.1 looks like spam"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := smtptest.NewServer(t)
			tt.fault(srv)
			s := newTestSender(t, srv, 1)
			results := s.Send(context.Background(), testMessages(2))

			var se *SendError
			if !errors.As(results[0].Err, &se) {
				t.Fatalf("first message: got error %v, want a *SendError", results[0].Err)
			}
			if se.Temporary != tt.temporary || se.Code != tt.code || se.Reply != tt.reply {
				t.Errorf("got Temporary=%v Code=%d Reply=%q, want %v %d %q",
					se.Temporary, se.Code, se.Reply, tt.temporary, tt.code, tt.reply)
			}
			if results[1].Err != nil {
				t.Errorf("second message on the same connection: %v", results[1].Err)
			}
			if got := srv.Count(); got != 1 {
				t.Errorf("server accepted %d messages, want 1", got)
			}
		})
	}
}

func TestSendConnectionRefused(t *testing.T) {
	t.Parallel()
	ln := listen(t)
	ln.Close() // nothing listens at its address now
	s := senderAt(t, ln.Addr(), 2, 0)

	for i, r := range s.Send(context.Background(), testMessages(5)) {
		var se *SendError
		var opErr *net.OpError
		if !errors.As(r.Err, &se) || !se.Temporary || se.Code != 0 || !errors.As(r.Err, &opErr) {
			t.Errorf("message %d: got %v, want a temporary *SendError wrapping a *net.OpError", i, r.Err)
		}
		if r.MessageID == "" {
			t.Errorf("message %d: no MessageID in a failed result", i)
		}
	}
}

func TestSendReconnects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		opts      []smtptest.Option
		before    func(*smtptest.Server) // before the first batch
		between   func(*testing.T, *smtptest.Server)
		wantConns int
	}{
		{"server drops after 3 messages", nil,
			func(s *smtptest.Server) { s.DropAfter(3) }, nil, 4},
		{"server restarted between batches", nil, nil,
			func(_ *testing.T, s *smtptest.Server) { s.DropConnections() }, 2},
		{"idle timeout between batches", []smtptest.Option{smtptest.IdleTimeout(300 * time.Millisecond)}, nil,
			func(t *testing.T, s *smtptest.Server) {
				if !s.WaitIdle(10 * time.Second) {
					t.Fatal("the server did not close the idle connection")
				}
			}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := smtptest.NewServer(t, tt.opts...)
			if tt.before != nil {
				tt.before(srv)
			}
			s := newTestSender(t, srv, 1)
			msgs := testMessages(10)
			mustSend(t, s, msgs[:5])
			if tt.between != nil {
				tt.between(t, srv)
			}
			mustSend(t, s, msgs[5:])
			if got := srv.Count(); got != 10 {
				t.Errorf("server accepted %d messages, want 10", got)
			}
			if got := srv.ConnectionCount(); got != tt.wantConns {
				t.Errorf("server saw %d connections, want %d", got, tt.wantConns)
			}
		})
	}
}

func TestSendTLSAndAuth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts []smtptest.Option
	}{
		{"STARTTLS and AUTH PLAIN", []smtptest.Option{smtptest.STARTTLS(), smtptest.AuthPlain("avisera", "hemligt lösen")}},
		{"implicit TLS and AUTH PLAIN", []smtptest.Option{smtptest.ImplicitTLS(), smtptest.AuthPlain("avisera", "p@ss:/?")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := smtptest.NewServer(t, tt.opts...)
			s := newTestSender(t, srv, 1)
			mustSend(t, s, testMessages(3))
			mustSend(t, s, testMessages(3)) // a second batch reuses the session
			for _, r := range srv.Messages() {
				if !r.TLS {
					t.Fatalf("message %s arrived without TLS", r.MessageID)
				}
			}
			if n := srv.ConnectionCount(); n != 1 {
				t.Errorf("%d connections for two batches over a pool of one, want 1", n)
			}
		})
	}
}

func TestSendWrongPassword(t *testing.T) {
	t.Parallel()
	srv := smtptest.NewServer(t, smtptest.STARTTLS(), smtptest.AuthPlain("avisera", "right"))
	cfg, err := ParseURL(strings.Replace(srv.URL(), ":right@", ":wrong@", 1))
	if err != nil {
		t.Fatal(err)
	}
	cfg.From = testFrom
	s, err := NewSender(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	var se *SendError
	r := s.Send(context.Background(), testMessages(1))[0]
	if !errors.As(r.Err, &se) || !se.Temporary || se.Code != 535 {
		t.Errorf("got %v, want a temporary *SendError with code 535", r.Err)
	}
	if err := s.Ping(context.Background()); err == nil {
		t.Error("Ping with a wrong password: got nil, want an error")
	}
}

func TestSendCanceled(t *testing.T) {
	t.Parallel()
	srv := smtptest.NewServer(t)
	s := newTestSender(t, srv, 2)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for i, r := range s.Send(ctx, testMessages(3)) {
		var se *SendError
		if !errors.As(r.Err, &se) || !se.Temporary || !errors.Is(r.Err, context.Canceled) {
			t.Errorf("message %d: got %v, want a temporary *SendError wrapping context.Canceled", i, r.Err)
		}
	}
}

func TestSenderClose(t *testing.T) {
	t.Parallel()
	srv := smtptest.NewServer(t)
	s := newTestSender(t, srv, 3)
	if err := s.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	mustSend(t, s, testMessages(9))
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if !srv.WaitIdle(10 * time.Second) {
		t.Error("connections still open after Close")
	}
	r := s.Send(context.Background(), testMessages(1))[0]
	if !errors.Is(r.Err, ErrClosed) {
		t.Errorf("Send after Close: got %v, want ErrClosed", r.Err)
	}
	if err := s.Ping(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("Ping after Close: got %v, want ErrClosed", err)
	}
}

func TestSendCanceledWhileConnecting(t *testing.T) {
	t.Parallel()
	ln := listen(t)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { // a server that accepts and never greets
		c, err := ln.Accept()
		if err == nil {
			defer c.Close()
		}
		cancel()
		<-t.Context().Done()
	}()
	s := senderAt(t, ln.Addr(), 1, time.Minute) // the cancel, not the timeout, ends the wait
	r := s.Send(ctx, testMessages(1))[0]
	var se *SendError
	if !errors.As(r.Err, &se) || !se.Temporary || !errors.Is(r.Err, context.Canceled) {
		t.Errorf("got %v, want a temporary *SendError wrapping context.Canceled", r.Err)
	}
}

func TestSendConcurrent(t *testing.T) {
	t.Parallel()
	srv := smtptest.NewServer(t)
	s := newTestSender(t, srv, 3)
	msgs := testMessages(200)
	done := make(chan []Result)
	for i := range 4 {
		go func() { done <- s.Send(context.Background(), msgs[i*50:(i+1)*50]) }()
	}
	for range 4 {
		for _, r := range <-done {
			if r.Err != nil {
				t.Errorf("Send: %v", r.Err)
			}
		}
	}
	if got := srv.Count(); got != len(msgs) {
		t.Errorf("server accepted %d messages, want %d", got, len(msgs))
	}
	if n := srv.ConnectionCount(); n > 3 {
		t.Errorf("server saw %d connections, want at most 3", n)
	}
}

// TestPlainURLSendsToPlainServer: smtp://host:port without tls= and
// without credentials reaches a server that offers no STARTTLS.
func TestPlainURLSendsToPlainServer(t *testing.T) {
	t.Parallel()
	srv := smtptest.NewServer(t)
	s := urlSender(t, "smtp://"+srv.Addr(), 0)
	res := s.Send(context.Background(), []*Message{{To: "anna@kund.se", Subject: "Hej", Text: "Hej"}})
	if res[0].Err != nil || !srv.WaitFor(1, 5*time.Second) {
		t.Errorf("send = %v, sink got %d; want it delivered without TLS", res[0].Err, srv.Count())
	}
}

// A connection the server cuts in the middle of a transaction is a
// temporary failure whose text says where and what, once, without the
// recipient go-mail appends.
func TestSendConnectionCut(t *testing.T) {
	t.Parallel()
	ln := listen(t)
	go func() { // greets, takes EHLO and MAIL, hangs up at RCPT
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		r := bufio.NewReader(c)
		fmt.Fprint(c, "220 cut.example ESMTP\r\n")
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			switch verb := strings.ToUpper(strings.Fields(line)[0]); verb {
			case "EHLO":
				fmt.Fprint(c, "250-cut.example\r\n250 8BITMIME\r\n")
			case "MAIL":
				fmt.Fprint(c, "250 2.1.0 ok\r\n")
			default:
				return
			}
		}
	}()
	s := senderAt(t, ln.Addr(), 1, 0)
	r := s.Send(context.Background(), []*Message{{To: "kund@example.com", Subject: "s", Text: "t"}})[0]
	var se *SendError
	if !errors.As(r.Err, &se) || !se.Temporary {
		t.Fatalf("got %v, want a temporary *SendError", r.Err)
	}
	msg := se.Error()
	if !strings.Contains(msg, "RCPT TO") || !strings.Contains(msg, "the server closed the connection") ||
		strings.Contains(msg, "kund@example.com") || strings.Contains(msg, "affected") || strings.Count(msg, "EOF") > 1 {
		t.Errorf("error text = %q, want the step and the closed connection, once, without the recipient", msg)
	}
}
