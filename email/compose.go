package email

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"slices"
	"strings"
	"time"
)

// A notification without attachments is written by the Sender itself: the
// same headers and parts, encoded the same way, as go-mail writes them
// (compose_test.go holds the two to each other), at a fraction of the
// cost — go-mail's writer formats every header line with fmt and builds a
// message object first, which made composing most of a flight's CPU.
// Messages with attachments are composed by go-mail.

// composable reports whether the Sender writes m itself.
func composable(m *Message) bool { return len(m.Attachments) == 0 }

// envelope is a message's envelope, each address in angle brackets.
type envelope struct{ from, to string }

// compose writes m with the Message-ID id to buf, LF line ends made CRLF:
// the message as it goes on the wire after BDAT. With eightBit (the server
// takes 8BITMIME) a part whose lines fit goes 8bit; sent8 reports whether
// one did. Errors mean the message itself is invalid.
func (s *Sender) compose(buf *bytes.Buffer, m *Message, id string, eightBit bool) (env envelope, sent8 bool, err error) {
	from, err := s.sender(m)
	if err != nil {
		return env, false, err
	}
	to, err := parseAddress(m.To, m.ToName)
	if err != nil {
		return env, false, fmt.Errorf("email: to: %w", err)
	}
	fields, err := genericFields(m, id)
	if err != nil {
		return env, false, err
	}
	for _, f := range fields {
		writeField(buf, f.name, mime.QEncoding.Encode("UTF-8", f.value))
	}
	writeField(buf, "From", from.String())
	writeField(buf, "To", to.String())
	parts := bodyParts(m, eightBit)
	if len(parts) == 1 {
		writeField(buf, "Content-Transfer-Encoding", parts[0].encoding())
		writeField(buf, "Content-Type", parts[0].contentType())
		buf.WriteString("\r\n")
		parts[0].writeBody(buf)
	} else {
		writeAlternative(buf, parts)
	}
	endLine(buf)
	for _, p := range parts {
		sent8 = sent8 || p.eightBit
	}
	return envelope{from: bare(from), to: bare(to)}, sent8, nil
}

// bare is a's address without its name, in angle brackets, as go-mail
// writes it after MAIL FROM and RCPT TO (a local part that needs quotes
// keeps them).
func bare(a *mail.Address) string { return (&mail.Address{Address: a.Address}).String() }

// field is a header field before encoding.
type field struct{ name, value string }

// genericFields are the fields that are neither addresses nor content, as
// build sets them (m's headers may replace the defaults), sorted by name
// as go-mail writes them.
func genericFields(m *Message, id string) ([]field, error) {
	values := map[string]string{
		"Date":         time.Now().Format(time.RFC1123Z),
		"MIME-Version": "1.0",
		"Message-ID":   id,
		"Subject":      oneLine(m.Subject),
	}
	for _, f := range machineHeaders {
		values[f.name] = f.value
	}
	for name, value := range m.Headers {
		if err := checkHeader(name); err != nil {
			return nil, err
		}
		values[name] = oneLine(value)
	}
	fields := make([]field, 0, len(values))
	for name, value := range values {
		fields = append(fields, field{name, value})
	}
	slices.SortFunc(fields, func(a, b field) int { return strings.Compare(a.name, b.name) })
	return fields, nil
}

// maxHeaderLine is the length go-mail folds header lines at.
const maxHeaderLine = 76

// writeField writes "name: value" folded as go-mail's writeHeader folds:
// before a word (what lies between spaces) that would not fit in the
// line, the space before it becoming the line break.
func writeField(buf *bytes.Buffer, name, value string) {
	buf.WriteString(name)
	buf.WriteByte(':')
	room := maxHeaderLine - len(name) - 4 // ": " and CRLF
	for word := range strings.SplitSeq(value, " ") {
		if room-len(word) <= 1 {
			buf.WriteString("\r\n ")
			room = maxHeaderLine - 3
		} else {
			buf.WriteByte(' ')
		}
		buf.WriteString(word)
		room -= len(word) + 1
	}
	buf.WriteString("\r\n")
}

// writeAlternative writes parts as a multipart/alternative body with its
// Content-Type, as go-mail and mime/multipart do.
func writeAlternative(buf *bytes.Buffer, parts []part) {
	boundary := newBoundary()
	buf.WriteString("Content-Type: multipart/alternative;\r\n boundary=" + boundary + "\r\n\r\n")
	for i, p := range parts {
		if i > 0 {
			buf.WriteString("\r\n")
		}
		buf.WriteString("--" + boundary + "\r\n")
		buf.WriteString("Content-Transfer-Encoding: " + p.encoding() + "\r\n")
		buf.WriteString("Content-Type: " + p.contentType() + "\r\n\r\n")
		p.writeBody(buf)
	}
	buf.WriteString("\r\n--" + boundary + "--\r\n")
}

// A part is a text body with its media type and encoding.
type part struct {
	mediaType string // text/plain or text/html
	text      string
	eightBit  bool // as it is, else quoted-printable
}

// bodyParts returns the parts of m's body, for the Sender's writer and for
// go-mail's (setBody): text and HTML as alternatives, or the one there is
// (text when neither). A part goes 8bit, as it is, when the server takes
// that (eightBit) and every line fits SMTP's 998 octets; else
// quoted-printable, which costs a pass over every byte and makes Swedish
// text larger on the wire (å is =C3=A5).
func bodyParts(m *Message, eightBit bool) []part {
	newPart := func(mediaType, text string) part {
		return part{mediaType: mediaType, text: text, eightBit: eightBit && fitsEightBit(text)}
	}
	switch {
	case m.Text != "" && m.HTML != "":
		return []part{newPart("text/plain", m.Text), newPart("text/html", m.HTML)}
	case m.HTML != "":
		return []part{newPart("text/html", m.HTML)}
	}
	return []part{newPart("text/plain", m.Text)}
}

func (p part) contentType() string { return p.mediaType + "; charset=UTF-8" }

func (p part) encoding() string {
	if p.eightBit {
		return "8bit"
	}
	return "quoted-printable"
}

// writeBody writes the part's text: 8bit with CRLF line ends, or
// quoted-printable.
func (p part) writeBody(buf *bytes.Buffer) {
	var w io.WriteCloser = quotedprintable.NewWriter(buf)
	if p.eightBit {
		w = nopCloser{&crlfWriter{buf: buf}}
	}
	io.WriteString(w, p.text) // into a buffer: cannot fail
	w.Close()
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// newBoundary returns a random multipart boundary: 30 random bytes in hex,
// as go-mail's.
func newBoundary() string {
	var raw [30]byte
	rand.Read(raw[:])
	return hex.EncodeToString(raw[:])
}
