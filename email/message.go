package email

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net/mail"
	"net/textproto"
	"strings"

	gomail "github.com/wneessen/go-mail"
)

// Message is one email to one recipient.
type Message struct {
	From     string // sender address; default Config.From
	FromName string
	To       string
	ToName   string
	Subject  string
	Text     string // plain-text body
	HTML     string // HTML body; with Text the message is multipart/alternative
	// MessageID is the Message-ID, with or without angle brackets; when
	// empty Send generates <random@Config.MessageIDDomain>.
	MessageID   string
	Headers     map[string]string // extra headers, e.g. X-Avisera-Delivery
	Attachments []Attachment
}

// Attachment is a file attached to a Message.
type Attachment struct {
	Name        string
	ContentType string // default: guessed from Name, else application/octet-stream
	Data        []byte
}

// reservedHeaders are set by the Sender itself; letting Headers set them
// would duplicate them or smuggle recipients (Bcc).
var reservedHeaders = map[string]bool{
	"From": true, "To": true, "Cc": true, "Bcc": true, "Sender": true,
	"Subject": true, "Message-Id": true, "Date": true, "Mime-Version": true,
	"Content-Type": true, "Content-Transfer-Encoding": true,
}

// machineHeaders say that a notification is sent by a machine:
// out-of-office and other auto-replies should not answer it (RFC 3834;
// Exchange's own header). Message.Headers may say otherwise.
var machineHeaders = []field{{"Auto-Submitted", "auto-generated"}, {"X-Auto-Response-Suppress", "All"}}

// build renders m as a go-mail message with the Message-ID id. With
// eightBit (the server takes 8BITMIME) a text part whose lines fit SMTP's
// limit goes as it is, 8bit, instead of quoted-printable; sent8 reports
// whether one did. Errors mean the message itself is invalid.
func (s *Sender) build(m *Message, id string, eightBit bool) (msg *gomail.Msg, sent8 bool, err error) {
	msg = gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := s.setAddresses(msg, m); err != nil {
		return nil, false, err
	}
	msg.Subject(oneLine(m.Subject))
	msg.SetMessageIDWithValue(id[1 : len(id)-1])
	for _, f := range machineHeaders {
		msg.SetGenHeader(gomail.Header(f.name), f.value)
	}
	if err := setHeaders(msg, m.Headers); err != nil {
		return nil, false, err
	}
	sent8 = setBody(msg, m, eightBit)
	if err := attach(msg, m.Attachments); err != nil {
		return nil, false, err
	}
	return msg, sent8, nil
}

// Compose writes m as the Sender would send it to a server that takes
// 8BITMIME, or not, with CRLF line ends: the message a benchmark can send
// pre-rendered, after DATA or BDAT.
func (s *Sender) Compose(m *Message, eightBit bool) ([]byte, error) {
	id, err := s.messageID(m)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if composable(m) {
		_, _, err = s.compose(&buf, m, id, eightBit)
		return buf.Bytes(), err
	}
	err = s.composeWithGoMail(&buf, m, id, eightBit)
	return buf.Bytes(), err
}

// composeWithGoMail writes m to buf as go-mail composes it.
func (s *Sender) composeWithGoMail(buf *bytes.Buffer, m *Message, id string, eightBit bool) error {
	msg, _, err := s.build(m, id, eightBit)
	if err != nil {
		return err
	}
	return writeGoMail(buf, msg)
}

// writeGoMail writes go-mail's msg to buf as it goes on the wire after
// BDAT: CRLF line ends, the last line ended.
func writeGoMail(buf *bytes.Buffer, msg *gomail.Msg) error {
	_, err := msg.WriteTo(&crlfWriter{buf: buf})
	endLine(buf)
	return err
}

func (s *Sender) setAddresses(msg *gomail.Msg, m *Message) error {
	from, err := s.sender(m)
	if err != nil {
		return err
	}
	to, err := parseAddress(m.To, m.ToName)
	if err != nil {
		return fmt.Errorf("email: to: %w", err)
	}
	msg.FromMailAddress(from)
	msg.ToMailAddress(to)
	return nil
}

// sender returns m's From address, reusing the parsed Config.From.
func (s *Sender) sender(m *Message) (*mail.Address, error) {
	if m.From != "" {
		from, err := parseAddress(m.From, m.FromName)
		if err != nil {
			return nil, fmt.Errorf("email: from: %w", err)
		}
		return from, nil
	}
	if s.from == nil {
		return nil, errors.New("email: from: no sender address (set Message.From or Config.From)")
	}
	if m.FromName == "" {
		return s.from, nil
	}
	return &mail.Address{Name: oneLine(m.FromName), Address: s.from.Address}, nil
}

// parseAddress parses a bare address and attaches the display name.
func parseAddress(addr, name string) (*mail.Address, error) {
	a, err := mail.ParseAddress(addr)
	if err != nil {
		return nil, fmt.Errorf("%q: %w", addr, err)
	}
	if name != "" {
		a.Name = oneLine(name)
	}
	return a, nil
}

func setHeaders(msg *gomail.Msg, headers map[string]string) error {
	for name, val := range headers {
		if err := checkHeader(name); err != nil {
			return err
		}
		msg.SetGenHeader(gomail.Header(name), oneLine(val))
	}
	return nil
}

// checkHeader checks that a caller may set the header name.
func checkHeader(name string) error {
	if !validHeaderName(name) {
		return fmt.Errorf("email: header name %q is invalid", name)
	}
	if reservedHeaders[textproto.CanonicalMIMEHeaderKey(name)] {
		return fmt.Errorf("email: header %q is set by the sender", name)
	}
	return nil
}

// validHeaderName reports whether name is an RFC 5322 field name: printable
// ASCII without colon, so that it cannot end the header line early.
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c <= ' ' || c >= 0x7f || c == ':' {
			return false
		}
	}
	return true
}

// setBody sets the parts bodyParts makes and reports whether one goes
// 8bit (else go-mail's default, quoted-printable, applies).
func setBody(msg *gomail.Msg, m *Message, eightBit bool) (sent8 bool) {
	for i, p := range bodyParts(m, eightBit) {
		var opts []gomail.PartOption
		if p.eightBit {
			opts, sent8 = []gomail.PartOption{gomail.WithPartEncoding(gomail.NoEncoding)}, true
		}
		if i == 0 {
			msg.SetBodyString(gomail.ContentType(p.mediaType), p.text, opts...)
		} else {
			msg.AddAlternativeString(gomail.ContentType(p.mediaType), p.text, opts...)
		}
	}
	return sent8
}

// fitsEightBit reports whether text can go 8bit: no line over 998 octets,
// no CR (the wire's line ends are made from LF) and no NUL (RFC 6152).
func fitsEightBit(text string) bool {
	line := 0
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\n':
			line = 0
			continue
		case '\r', 0:
			return false
		}
		if line++; line > 998 {
			return false
		}
	}
	return true
}

func attach(msg *gomail.Msg, files []Attachment) error {
	for i := range files {
		f := &files[i]
		var opts []gomail.FileOption
		if f.ContentType != "" {
			mediaType, params, err := mime.ParseMediaType(f.ContentType)
			if err != nil {
				return fmt.Errorf("email: attachment %q: content type: %w", f.Name, err)
			}
			ct := gomail.ContentType(mime.FormatMediaType(mediaType, params))
			opts = append(opts, gomail.WithFileContentType(ct))
		}
		name := f.Name
		if name == "" {
			name = "attachment"
		}
		msg.AttachReadSeeker(name, bytes.NewReader(f.Data), opts...)
	}
	return nil
}

// oneLine replaces CR and LF, so that no value can start a new header line
// (go-mail would encode them too; this keeps the text readable).
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return ' '
		}
		return r
	}, s)
}

// MessageID returns the Message-ID, without angle brackets, that local
// gets under the configured domain: <local@domain>.
func (s *Sender) MessageID(local string) string { return local + "@" + s.cfg.MessageIDDomain }

// messageID returns m's Message-ID in angle brackets, generating one when
// the caller set none.
func (s *Sender) messageID(m *Message) (string, error) {
	if m.MessageID == "" {
		return newMessageID(s.cfg.MessageIDDomain), nil
	}
	id := strings.TrimSuffix(strings.TrimPrefix(m.MessageID, "<"), ">")
	if !validMessageID(id) {
		return m.MessageID, fmt.Errorf("email: message id %q is invalid", m.MessageID)
	}
	if len(id) == len(m.MessageID)-2 {
		return m.MessageID, nil
	}
	return "<" + id + ">", nil
}

// validMessageID reports whether id (without brackets) is left@right in
// printable ASCII without brackets or spaces.
func validMessageID(id string) bool {
	at := strings.IndexByte(id, '@')
	if at <= 0 || at == len(id)-1 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; c <= ' ' || c >= 0x7f || c == '<' || c == '>' {
			return false
		}
	}
	return true
}

// newMessageID returns <128 random bits in hex@domain>.
func newMessageID(domain string) string {
	var raw [16]byte
	rand.Read(raw[:])
	var b strings.Builder
	b.Grow(2*len(raw) + len(domain) + 3)
	b.WriteByte('<')
	var hexed [32]byte
	hex.Encode(hexed[:], raw[:])
	b.Write(hexed[:])
	b.WriteByte('@')
	b.WriteString(domain)
	b.WriteByte('>')
	return b.String()
}
