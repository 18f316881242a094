package smtptest

import (
	"bytes"
	"mime"
	"net/mail"
	"strings"
	"time"
)

// Received is one message as the server accepted it.
type Received struct {
	From       string   // the envelope sender (MAIL FROM)
	To         []string // the envelope recipients (RCPT TO)
	Data       []byte   // the message exactly as received, after dot-unstuffing
	Header     mail.Header
	Subject    string // the Subject header, RFC 2047 encoded words decoded
	MessageID  string // the Message-ID header, angle brackets included
	TLS        bool   // the message came over TLS (STARTTLS or implicit)
	ReceivedAt time.Time
}

// Body returns the message body (everything after the header).
func (r Received) Body() []byte {
	if _, body, ok := bytes.Cut(r.Data, []byte("\r\n\r\n")); ok {
		return body
	}
	return nil
}

// parseHeader fills the header fields from Data. It is done when the
// messages are asked for, not when they arrive, to keep the server cheap.
func (r *Received) parseHeader() {
	msg, err := mail.ReadMessage(bytes.NewReader(r.Data))
	if err != nil {
		return
	}
	r.Header = msg.Header
	r.MessageID = strings.TrimSpace(msg.Header.Get("Message-Id"))
	subject := msg.Header.Get("Subject")
	if decoded, err := new(mime.WordDecoder).DecodeHeader(subject); err == nil {
		subject = decoded
	}
	r.Subject = subject
}
