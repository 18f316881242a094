package email

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"strings"
	"testing"

	"github.com/avisera/avisera/email/smtptest"
)

// sendOne sends m to a fresh server and returns the result and what arrived.
func sendOne(t *testing.T, m *Message) (Result, []smtptest.Received) {
	t.Helper()
	srv := smtptest.NewServer(t)
	s := newTestSender(t, srv, 1)
	r := s.Send(context.Background(), []*Message{m})[0]
	return r, srv.Messages()
}

func TestMessageHeaderInjection(t *testing.T) {
	t.Parallel()
	r, got := sendOne(t, &Message{
		FromName: "Evil\r\nBcc: boss@example.com",
		To:       "kund@example.com",
		ToName:   "Kund\nX-Injected: 1",
		Subject:  "Hej\r\nBcc: spy@example.com\r\n\r\nfake body",
		Text:     "body",
		Headers:  map[string]string{"X-Avisera-Delivery": "d-1\r\nX-Injected: 2"},
	})
	if r.Err != nil {
		t.Fatalf("Send: %v", r.Err)
	}
	if len(got) != 1 {
		t.Fatalf("server got %d messages, want 1", len(got))
	}
	h := got[0].Header
	for _, name := range []string{"Bcc", "X-Injected"} {
		if v := h.Get(name); v != "" {
			t.Errorf("injected header %s: %q", name, v)
		}
	}
	if h.Get("Auto-Submitted") != "auto-generated" || h.Get("X-Auto-Response-Suppress") != "All" {
		t.Errorf("Auto-Submitted = %q, X-Auto-Response-Suppress = %q; want a machine's mail that auto-replies leave alone",
			h.Get("Auto-Submitted"), h.Get("X-Auto-Response-Suppress"))
	}
	if want := "Hej  Bcc: spy@example.com    fake body"; got[0].Subject != want {
		t.Errorf("subject = %q, want %q", got[0].Subject, want)
	}
	if len(got[0].To) != 1 {
		t.Errorf("envelope recipients = %v, want only kund@example.com", got[0].To)
	}
}

func TestMessageInvalid(t *testing.T) {
	t.Parallel()
	valid := func() *Message { return &Message{To: "kund@example.com", Subject: "s", Text: "t"} }
	tests := []struct {
		name   string
		change func(*Message)
		want   string
	}{
		{"bad recipient", func(m *Message) { m.To = "not an address" }, "email: to:"},
		{"bad sender", func(m *Message) { m.From = "nobody" }, "email: from:"},
		{"header name with colon", func(m *Message) { m.Headers = map[string]string{"X-A: b\r\nBcc": "x"} }, "header name"},
		{"reserved header", func(m *Message) { m.Headers = map[string]string{"bcc": "spy@example.com"} }, "set by the sender"},
		{"bad message id", func(m *Message) { m.MessageID = "<no at sign>" }, "message id"},
		{"bad attachment type", func(m *Message) {
			m.Attachments = []Attachment{{Name: "a.pdf", ContentType: "application/pdf\r\nX-Evil: 1", Data: []byte("x")}}
		}, "content type"},
	}
	srv := smtptest.NewServer(t)
	s := newTestSender(t, srv, 1)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := valid()
			tt.change(m)
			r := s.Send(context.Background(), []*Message{m})[0]
			var se *SendError
			if !errors.As(r.Err, &se) || se.Temporary || !strings.Contains(se.Error(), tt.want) {
				t.Errorf("got %v, want a permanent *SendError mentioning %q", r.Err, tt.want)
			}
		})
	}
	if n := srv.Count(); n != 0 {
		t.Errorf("server accepted %d invalid messages", n)
	}
}

func TestMessageID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, given, want string
	}{
		{"kept with brackets", "<abc.1@avisera.example>", "<abc.1@avisera.example>"},
		{"brackets added", "abc.2@avisera.example", "<abc.2@avisera.example>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, got := sendOne(t, &Message{To: "kund@example.com", Text: "t", MessageID: tt.given})
			if r.Err != nil || r.MessageID != tt.want || len(got) != 1 || got[0].MessageID != tt.want {
				t.Errorf("result %q (%v), received %v; want %q", r.MessageID, r.Err, got, tt.want)
			}
		})
	}
	t.Run("generated", func(t *testing.T) {
		t.Parallel()
		r, got := sendOne(t, &Message{To: "kund@example.com", Text: "t"})
		if r.Err != nil || !strings.HasSuffix(r.MessageID, "@example.com>") || got[0].MessageID != r.MessageID {
			t.Errorf("result %q (%v), received %q; want <random@example.com>", r.MessageID, r.Err, got[0].MessageID)
		}
	})
}

func TestMessageAttachment(t *testing.T) {
	t.Parallel()
	pdf := bytes.Repeat([]byte("%PDF-1.7 rapport\x00\xff"), 500)
	r, got := sendOne(t, &Message{
		To: "kund@example.com", Subject: "Rapport", Text: "Se bilagan.", HTML: "<p>Se bilagan.</p>",
		Attachments: []Attachment{{Name: "städrapport.pdf", ContentType: "application/pdf", Data: pdf}},
	})
	if r.Err != nil {
		t.Fatalf("Send: %v", r.Err)
	}
	mediaType, params, err := mime.ParseMediaType(got[0].Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/mixed" {
		t.Fatalf("Content-Type = %q, want multipart/mixed", got[0].Header.Get("Content-Type"))
	}
	mr := multipart.NewReader(bytes.NewReader(got[0].Body()), params["boundary"])
	var types []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("reading parts: %v", err)
		}
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		types = append(types, ct)
		if ct == "application/pdf" {
			checkAttachment(t, p, "städrapport.pdf", pdf)
		}
	}
	if want := "multipart/alternative,application/pdf"; strings.Join(types, ",") != want {
		t.Errorf("parts = %v, want %s", types, want)
	}
}

func checkAttachment(t *testing.T, p *multipart.Part, name string, data []byte) {
	t.Helper()
	// go-mail writes filename="=?UTF-8?q?…?=" (RFC 2047, as Gmail does),
	// not RFC 2231.
	got, err := new(mime.WordDecoder).DecodeHeader(p.FileName())
	if err != nil || got != name {
		t.Errorf("attachment name = %q, want %q", got, name)
	}
	raw, err := io.ReadAll(p)
	if err != nil {
		t.Fatal(err)
	}
	decoded, err := decodeBase64(raw)
	if err != nil || !bytes.Equal(decoded, data) {
		t.Errorf("attachment data differs (%d bytes, err %v), want %d bytes", len(decoded), err, len(data))
	}
}

func decodeBase64(raw []byte) ([]byte, error) {
	return base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(string(raw)))
}

// Text goes 8bit, as it is, to a server that takes it, unless a line is
// too long for SMTP; to one that does not, quoted-printable. Either way
// it arrives as sent, lines of dots too, in a flight (BDAT: no
// dot-stuffing) as after DATA.
func TestMessageEightBit(t *testing.T) {
	t.Parallel()
	long := "<p>" + strings.Repeat("Lång rad ", 120) + "</p>" // over 998 octets
	tests := []struct {
		name          string
		hide          string // an extension the client does not see
		html          string
		text, htmlCTE string
	}{
		{"8BITMIME", "", "<p>Städningen är klar.</p>", "8bit", "8bit"},
		{"a line too long", "", long, "8bit", "quoted-printable"},
		{"no 8BITMIME", "8BITMIME", "<p>Städningen är klar.</p>", "quoted-printable", "quoted-printable"},
		{"8BITMIME, no CHUNKING", "CHUNKING", "<p>Städningen är klar.</p>", "8bit", "8bit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := smtptest.NewServer(t)
			tp := newTap(t, srv.Addr(), func(line string) string {
				if tt.hide != "" {
					return strings.Replace(line, tt.hide, "X-HIDDEN", 1)
				}
				return line
			})
			s := senderAt(t, tp.ln.Addr(), 1, 0)
			text := "Hej Åsa!\n.\n..punkter\n\nStädningen är klar."
			mustSend(t, s, []*Message{{To: "kund@example.com", Subject: "Klart", Text: text, HTML: tt.html}})
			got := srv.Messages()
			if len(got) != 1 {
				t.Fatalf("server got %d messages, want 1", len(got))
			}
			parts := rawParts(t, got[0])
			if len(parts) != 2 || parts[0].cte != tt.text || parts[1].cte != tt.htmlCTE {
				t.Fatalf("parts = %+v, want text %s and HTML %s", parts, tt.text, tt.htmlCTE)
			}
			if parts[0].body != strings.ReplaceAll(text, "\n", "\r\n") || parts[1].body != tt.html {
				t.Errorf("decoded parts = %q, %q; want the text and HTML as sent", parts[0].body, parts[1].body)
			}
		})
	}
}

type rawPart struct{ cte, body string }

// rawParts returns the parts of a multipart/alternative message with
// their transfer encoding, decoded.
func rawParts(t *testing.T, r smtptest.Received) []rawPart {
	t.Helper()
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	mr := multipart.NewReader(bytes.NewReader(r.Body()), params["boundary"])
	var out []rawPart
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		var body io.Reader = p
		cte := p.Header.Get("Content-Transfer-Encoding")
		if cte == "quoted-printable" {
			body = quotedprintable.NewReader(p)
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rawPart{cte, strings.TrimSuffix(string(b), "\r\n")})
	}
}
