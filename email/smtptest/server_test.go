package smtptest_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/avisera/avisera/email/smtptest"
	"github.com/emersion/go-smtp"
)

// send delivers one message with a plain go-smtp client.
func send(t *testing.T, c *smtp.Client, to, body string) error {
	t.Helper()
	if err := c.Mail("from@example.com", nil); err != nil {
		return err
	}
	if err := c.Rcpt(to, nil); err != nil {
		c.Reset()
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write([]byte(body)); err != nil {
		return err
	}
	return w.Close()
}

func dial(t *testing.T, s *smtptest.Server) *smtp.Client {
	t.Helper()
	c, err := smtp.Dial(s.Addr())
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

const body = "Subject: =?UTF-8?q?H=C3=A4lsning?=\r\nMessage-ID: <1@test>\r\n\r\nHej\r\n"

func TestServerRecords(t *testing.T) {
	t.Parallel()
	s := smtptest.NewServer(t)
	c := dial(t, s)
	if err := send(t, c, "a@example.com", body); err != nil {
		t.Fatalf("send: %v", err)
	}
	if !s.WaitFor(1, 5*time.Second) {
		t.Fatal("WaitFor(1) = false")
	}
	got := s.Messages()
	if len(got) != 1 {
		t.Fatalf("got %d messages, want 1", len(got))
	}
	m := got[0]
	if m.From != "from@example.com" || strings.Join(m.To, ",") != "a@example.com" ||
		m.Subject != "Hälsning" || m.MessageID != "<1@test>" || string(m.Body()) != "Hej\r\n" || m.TLS {
		t.Errorf("got %+v", m)
	}
	if s.WaitFor(2, 10*time.Millisecond) {
		t.Error("WaitFor(2) = true with one message")
	}
	s.Reset()
	if s.Count() != 0 || len(s.Messages()) != 0 {
		t.Errorf("after Reset: Count %d, %d messages", s.Count(), len(s.Messages()))
	}
}

func TestServerFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		fault   func(*smtptest.Server)
		to      string
		results []int // the reply code per message; 0 = accepted
	}{
		{"FailNext twice", func(s *smtptest.Server) { s.FailNext(2, 451, [3]int{4, 3, 0}, "later") },
			"a@example.com", []int{451, 451, 0}},
		{"FailNextData once", func(s *smtptest.Server) { s.FailNextData(1, 554, [3]int{5, 7, 1}, "spam") },
			"a@example.com", []int{554, 0, 0}},
		{"FailRecipient always", func(s *smtptest.Server) { s.FailRecipient("bad@example.com", 550, "unknown") },
			"bad@example.com", []int{550, 550, 550}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := smtptest.NewServer(t, smtptest.CountOnly())
			tt.fault(s)
			c := dial(t, s)
			accepted := 0
			for i, want := range tt.results {
				err := send(t, c, tt.to, body)
				var se *smtp.SMTPError
				switch {
				case want == 0 && err != nil:
					t.Errorf("message %d: %v, want accepted", i, err)
				case want != 0 && (!errors.As(err, &se) || se.Code != want):
					t.Errorf("message %d: got %v, want code %d", i, err, want)
				case want == 0:
					accepted++
				}
			}
			if s.Count() != accepted || len(s.Messages()) != 0 {
				t.Errorf("Count %d, Messages %d; want %d and 0 (CountOnly)", s.Count(), len(s.Messages()), accepted)
			}
		})
	}
}

func TestServerDrops(t *testing.T) {
	t.Parallel()
	s := smtptest.NewServer(t)
	s.DropAfter(2)
	c := dial(t, s)
	for i := range 2 {
		if err := send(t, c, "a@example.com", body); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
	if err := send(t, c, "a@example.com", body); err == nil {
		t.Error("third message on a dropped connection: got nil error")
	}
	if !s.WaitIdle(5 * time.Second) {
		t.Error("WaitIdle = false after the drop")
	}
	c2 := dial(t, s)
	if err := c2.Noop(); err != nil {
		t.Fatalf("noop: %v", err)
	}
	s.DropConnections()
	if !s.WaitIdle(5*time.Second) || s.ConnectionCount() != 2 {
		t.Errorf("after DropConnections: idle %v, %d connections; want true, 2", s.WaitIdle(0), s.ConnectionCount())
	}
}

func TestServerURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		opts []smtptest.Option
		want string
	}{
		{nil, "smtp://127.0.0.1:PORT?tls=none"},
		{[]smtptest.Option{smtptest.STARTTLS(), smtptest.AuthPlain("u", "p w")}, "smtp://u:p%20w@127.0.0.1:PORT?tls=starttls&insecure=1"},
		{[]smtptest.Option{smtptest.ImplicitTLS()}, "smtps://127.0.0.1:PORT?insecure=1"},
	}
	for _, tt := range tests {
		s := smtptest.NewServer(t, tt.opts...)
		want := strings.Replace(tt.want, "PORT", strings.TrimPrefix(s.Addr(), "127.0.0.1:"), 1)
		if got := s.URL(); got != want || s.Host() != "127.0.0.1" || s.Port() == 0 {
			t.Errorf("URL() = %q, want %q (Host %q, Port %d)", got, want, s.Host(), s.Port())
		}
	}
}
