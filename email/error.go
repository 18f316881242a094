package email

import (
	"errors"
	"io"
	"net/textproto"
	"slices"
	"strconv"
	"strings"

	gomail "github.com/wneessen/go-mail"
)

// ErrClosed is the cause of the results of a Send on a closed Sender.
var ErrClosed = errors.New("email: sender closed")

// SendError is why a message was not sent. Temporary failures (4xx replies,
// timeouts, refused or broken connections, a misconfigured or unreachable
// server) are worth retrying later; permanent ones (5xx replies to the
// message, an invalid message) are not.
type SendError struct {
	Temporary bool
	Code      int    // the SMTP reply code, 0 when the server did not reply
	Reply     string // the server's reply, e.g. "550 5.1.1 user unknown"
	Err       error  // the cause
}

// Error implements error.
func (e *SendError) Error() string {
	kind := "permanent"
	if e.Temporary {
		kind = "temporary"
	}
	if e.Reply != "" {
		return "email: " + kind + " failure: " + e.Reply
	}
	var me *gomail.SendError
	if errors.As(e.Err, &me) {
		return "email: " + kind + " failure: " + failureText(me)
	}
	return "email: " + kind + " failure: " + e.Err.Error()
}

// failureText is a go-mail error that carries no reply, for people: the
// step and what went wrong, each cause once, a closed connection said so,
// without the recipients and Message-ID go-mail appends (the delivery
// has them): "sending SMTP RCPT TO command: the server closed the
// connection (EOF)".
func failureText(me *gomail.SendError) string {
	s := strings.TrimPrefix(withoutAffected(me.Error()), me.Reason.String()+": ")
	var causes []string
	for _, c := range strings.Split(s, ", ") {
		if c == io.EOF.Error() || c == io.ErrUnexpectedEOF.Error() {
			c = serverClosed + " (" + c + ")"
		}
		if c != "" && !slices.Contains(causes, c) {
			causes = append(causes, c)
		}
	}
	return me.Reason.String() + ": " + strings.Join(causes, ", ")
}

// withoutAffected cuts the ", affected recipient(s): …" and ", affected
// message ID: …" go-mail appends to its errors.
func withoutAffected(s string) string {
	for _, suffix := range [...]string{", affected message ID: ", ", affected recipient(s): "} {
		if i := strings.LastIndex(s, suffix); i >= 0 {
			s = s[:i]
		}
	}
	return s
}

// Unwrap returns the cause, so that errors.As finds go-mail's
// *mail.SendError or a *net.OpError.
func (e *SendError) Unwrap() error { return e.Err }

// invalid wraps an error about the message itself: permanent.
func invalid(err error) *SendError { return &SendError{Err: err} }

// connectFailure classifies an error from connecting, the greeting, EHLO,
// STARTTLS or AUTH. They are all temporary: they say nothing about the
// message, and the message is worth sending once the server or the
// configuration is fixed.
func connectFailure(err error) *SendError {
	se := &SendError{Temporary: true, Err: err}
	var te *textproto.Error
	if errors.As(err, &te) {
		se.Code, se.Reply = te.Code, replyLine(te)
	}
	return se
}

// serverClosed says that the server ended the connection, in an error's
// text.
const serverClosed = "the server closed the connection"

// replyLine is a server's reply as a SendError holds it: "550 5.1.1 user
// unknown".
func replyLine(te *textproto.Error) string { return strconv.Itoa(te.Code) + " " + te.Msg }

// sendFailure classifies an error from go-mail's Client.Send. go-mail's own
// IsTemp is only true for 4xx replies (it calls a dropped connection
// permanent), so the reply code decides when there is one and the failing
// step when there is none.
func sendFailure(err error) *SendError {
	var me *gomail.SendError
	if !errors.As(err, &me) {
		return &SendError{Temporary: true, Err: err}
	}
	code := me.ErrorCode()
	se := &SendError{Code: code, Reply: replyText(me), Err: me}
	switch {
	case code >= 500:
		se.Temporary = false
	case code >= 400:
		se.Temporary = true
	default:
		se.Temporary = !messageFault(me.Reason)
	}
	return se
}

// messageFault reports whether go-mail failed before talking to the server
// because of the message.
func messageFault(r gomail.SendErrReason) bool {
	return r == gomail.ErrGetSender || r == gomail.ErrGetRcpts || r == gomail.ErrNoUnencoded
}

// replyText recovers the server's reply from a go-mail SendError. go-mail
// v0.8.1 keeps the *textproto.Error unexported (SendError has no Unwrap), so
// the reply is cut out of its message, which is
// "<reason>: <reply>[, affected recipient(s): …][, affected message ID: …]",
// where the reply is textproto's `550 "5.1.1 user unknown"` (Go quotes the
// text) and may be followed by the error of go-mail's RSET.
func replyText(me *gomail.SendError) string {
	code := me.ErrorCode()
	if code == 0 {
		return ""
	}
	s := strings.TrimPrefix(withoutAffected(me.Error()), me.Reason.String()+": ")
	prefix := strconv.Itoa(code) + " "
	text, ok := strings.CutPrefix(s, prefix)
	if !ok {
		return s
	}
	if quoted, err := strconv.QuotedPrefix(text); err == nil {
		text, _ = strconv.Unquote(quoted) // drops errors go-mail appended
	}
	return prefix + text
}

// deadOnArrival reports whether the send failed because the connection was
// already unusable when the message started (the server dropped an idle
// connection, or said 421 before anything was accepted), so that sending
// it again on a fresh connection cannot duplicate it.
func deadOnArrival(err error) bool {
	var me *gomail.SendError
	if !errors.As(err, &me) {
		return false
	}
	switch me.Reason {
	case gomail.ErrConnCheck:
		return true
	case gomail.ErrSMTPMailFrom:
		code := me.ErrorCode()
		return code == 0 || code == 421
	}
	return false
}

// connBroken reports whether the connection cannot carry another message
// after this failure: the network failed, the server is closing (421) or
// the DATA stream was cut mid-message.
func connBroken(err error) bool {
	var me *gomail.SendError
	if !errors.As(err, &me) {
		return true
	}
	code := me.ErrorCode()
	return (code == 0 && !messageFault(me.Reason)) || code == 421 || me.Reason == gomail.ErrWriteContent
}

// needsReset reports whether the server may still hold the failed
// transaction: go-mail sends RSET after a refused MAIL or RCPT, not after a
// refused DATA.
func needsReset(err error) bool {
	var me *gomail.SendError
	if !errors.As(err, &me) {
		return false
	}
	return me.Reason == gomail.ErrSMTPData || me.Reason == gomail.ErrSMTPDataClose
}
