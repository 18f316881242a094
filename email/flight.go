package email

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/textproto"
	"strconv"
	"strings"

	gomail "github.com/wneessen/go-mail"
)

// A flight is a message sent in one round trip, to a server that announces
// PIPELINING (RFC 2920) and CHUNKING (RFC 3030): MAIL, RCPT and
// "BDAT <size> LAST" followed by the whole message go out in one write,
// then the three replies are read. go-mail says MAIL, RCPT and DATA one at
// a time and waits for each reply, then sends the message: four round trips.
// BDAT carries the message as it is (no dot-stuffing, no end marker) and
// the server reads the announced number of bytes even when it refuses
// the transaction, so a refusal cannot put the stream out of step.

// transmission is how one try at sending a message on a session ended.
type transmission struct {
	err *SendError // nil: the server took the message
	// dead: the session failed where the server cannot have taken the
	// message (it had dropped the connection before MAIL, said 421 to it,
	// or part of a flight never left), so the message may be sent again on
	// a new connection without a duplicate.
	dead bool
	// broken: the session cannot carry another message.
	broken bool
	// reset: the server may still hold the refused transaction (RSET).
	reset bool
}

// flightSteps name the commands of a flight, in the order of their replies.
var flightSteps = [...]string{"MAIL FROM", "RCPT TO", "BDAT"}

// flyGoMail sends go-mail's msg as one flight to its one recipient.
func (c *conn) flyGoMail(msg *gomail.Msg, from, to string) transmission {
	c.wire.Reset()
	if err := writeGoMail(&c.wire, msg); err != nil {
		return transmission{err: invalid(fmt.Errorf("email: compose: %w", err))}
	}
	return c.fly(envelope{from: from, to: to})
}

// fly sends the message in c.wire as one flight with the envelope env.
func (c *conn) fly(env envelope) transmission {
	if strings.ContainsAny(env.from+env.to, "\r\n") {
		return transmission{err: invalid(errors.New("email: an address holds a line break"))}
	}
	if err := c.session.UpdateDeadline(c.timeout); err != nil {
		return transmission{err: &SendError{Temporary: true, Err: err}, dead: true, broken: true}
	}
	w := c.session.Text.W
	w.WriteString("MAIL FROM:" + env.from + c.mailParams + "\r\nRCPT TO:" + env.to + "\r\n")
	w.WriteString("BDAT " + strconv.Itoa(c.wire.Len()) + " LAST\r\n")
	w.Write(c.wire.Bytes())
	werr := w.Flush()
	return c.replies(werr)
}

// replies reads a flight's three replies. The first refusal decides; the
// replies after it only say that the transaction is gone.
//
// Once the whole flight has left, a reply that never comes says nothing
// about the message: a server may hold its replies until it has queued
// the message (RFC 2920 asks it to send them as a unit). Such a failure is
// temporary and the message is not sent again on a new connection; that
// the session is still open is checked before a flight (hungUp), when a
// failure still costs nothing. When writing failed (werr), part of the
// chunk never left and the server took nothing, so the message may go
// again at once, unless the server said why it stopped reading: a
// refusal it sent before hanging up (554, say) is the outcome.
func (c *conn) replies(werr error) transmission {
	var t transmission
	for i, step := range flightSteps {
		_, _, err := c.session.Text.ReadResponse(expectedCode(step))
		var te *textproto.Error
		switch {
		case errors.As(err, &te):
			if t.err == nil {
				t.err = refusal(step, te)
				t.dead = i == 0 && te.Code == 421
				t.broken = te.Code == 421 || werr != nil
				t.reset = !t.broken
			}
		case err != nil && t.err != nil: // the server hung up after saying no
			t.broken, t.reset = true, false
			return t
		case werr != nil:
			return transmission{err: ioFailure("sending MAIL FROM, RCPT TO and BDAT", werr), dead: true, broken: true}
		case err != nil:
			return transmission{err: ioFailure("reading the reply to "+step, err), broken: true}
		}
	}
	return t
}

// hungUp reports whether the server has closed the session, or said
// something unasked (a 421 before closing an idle connection), since its
// last reply. A flight written then would be lost without a sign that the
// server took none of it; found before, a new connection costs nothing.
func (c *conn) hungUp() bool {
	if c.session.Text.R.Buffered() > 0 {
		return true
	}
	nc := c.nc.Load()
	return nc == nil || peerClosed(nc.Conn)
}

// expectedCode is the reply code (or its first digits) that means yes.
func expectedCode(step string) int {
	if step == "RCPT TO" {
		return 25 // 250 or 251 (forwarded)
	}
	return 250
}

// refusal is a reply that said no: temporary for 4xx, permanent for 5xx.
func refusal(step string, te *textproto.Error) *SendError {
	return &SendError{Temporary: te.Code < 500, Code: te.Code, Reply: replyLine(te),
		Err: fmt.Errorf("%s: %w", step, te)}
}

// ioFailure is a connection that failed mid-flight: temporary, its text
// saying where and, for an end of stream, that the server hung up.
func ioFailure(where string, err error) *SendError {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		err = fmt.Errorf("%s (%w)", serverClosed, err)
	}
	return &SendError{Temporary: true, Err: fmt.Errorf("%s: %w", where, err)}
}

// crlfWriter writes into buf with every bare LF made CRLF: SMTP's line end.
// go-mail ends header lines with CRLF but leaves an 8bit body's lines as
// they are; DATA's dot-writer mends those on the way, BDAT sends bytes
// as they are. A bare CR is left as it is (the dot-writer would make it a
// line end): the messages the Sender builds hold none (fitsEightBit keeps
// text with a CR out of 8bit, the other encodings end lines with CRLF).
type crlfWriter struct {
	buf    *bytes.Buffer
	lastCR bool
}

// Write implements io.Writer.
func (w *crlfWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			w.buf.Write(p)
			w.lastCR = p[len(p)-1] == '\r'
			break
		}
		w.buf.Write(p[:i])
		if !(i > 0 && p[i-1] == '\r' || i == 0 && w.lastCR) {
			w.buf.WriteByte('\r')
		}
		w.buf.WriteByte('\n')
		w.lastCR = false
		p = p[i+1:]
	}
	return n, nil
}

// endLine ends buf with CRLF, as DATA's dot-writer ends a message.
func endLine(buf *bytes.Buffer) {
	if !bytes.HasSuffix(buf.Bytes(), []byte("\r\n")) {
		buf.WriteString("\r\n")
	}
}
