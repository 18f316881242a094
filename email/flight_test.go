package email

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// scripted is a server that announces PIPELINING and CHUNKING and answers
// each transaction as its script says, given the connection's number (from
// 1) and the transaction's on it (from 1). It counts the connections and
// the messages it took.
type scripted struct {
	ln       net.Listener
	script   func(conn, tx int) txScript
	noFly    func(conn int) bool // the connection announces no CHUNKING, and takes DATA
	conns    atomic.Int32
	accepted atomic.Int32
	viaData  atomic.Int32 // messages with a subject taken after DATA
	closed   chan int     // a connection's number when the server has closed it
}

// txScript is how the server answers one transaction: its replies to MAIL,
// RCPT and BDAT ("" hangs up instead; a leading "!" hangs up right after
// the reply, reading nothing more); held: it says nothing until it has
// queued the message, then hangs up; then: what it does after its reply
// to BDAT ("close", or a line it sends before closing; "" goes on).
type txScript struct {
	mail, rcpt, bdat string
	held             bool
	then             string
}

func newScripted(t *testing.T, script func(conn, tx int) txScript) *scripted {
	s := &scripted{ln: listen(t), script: script, closed: make(chan int, 16)}
	go func() {
		for {
			c, err := s.ln.Accept()
			if err != nil {
				return
			}
			n := int(s.conns.Add(1))
			go func() {
				s.serve(c, n)
				c.Close()
				s.closed <- n
			}()
		}
	}()
	return s
}

func (s *scripted) serve(c net.Conn, conn int) {
	r := bufio.NewReader(c)
	fmt.Fprint(c, "220 scripted.example ESMTP\r\n")
	var tx txScript
	n := 0
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		fields := strings.Fields(line)
		verb := strings.ToUpper(fields[0])
		var reply, then string
		switch verb {
		case "EHLO":
			reply = "250-scripted.example\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 CHUNKING"
			if s.noFly != nil && s.noFly(conn) {
				reply = "250-scripted.example\r\n250-PIPELINING\r\n250 8BITMIME"
			}
		case "DATA":
			fmt.Fprint(c, "354 go ahead\r\n")
			subject := false
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				subject = subject || strings.HasPrefix(l, "Subject:")
			}
			if subject {
				s.viaData.Add(1)
			}
			s.accepted.Add(1)
			reply = "250 2.0.0 queued"
		case "MAIL":
			n++
			tx = s.script(conn, n)
			reply = tx.mail
		case "RCPT":
			reply = tx.rcpt
		case "BDAT":
			size, _ := strconv.Atoi(fields[1])
			if _, err := io.CopyN(io.Discard, r, int64(size)); err != nil {
				return
			}
			if tx.held || strings.HasPrefix(tx.bdat, "250") {
				s.accepted.Add(1)
			}
			if tx.held {
				return // queued, then gone without a word
			}
			reply, then = tx.bdat, tx.then
		default: // RSET, QUIT
			reply = "250 2.0.0 ok"
		}
		switch {
		case tx.held && (verb == "MAIL" || verb == "RCPT"):
			continue // replies held until the message is queued
		case reply == "":
			return
		}
		fmt.Fprint(c, strings.TrimPrefix(reply, "!")+"\r\n")
		switch {
		case strings.HasPrefix(reply, "!"):
			return
		case then == "close":
			return
		case then != "":
			fmt.Fprint(c, then+"\r\n")
			return
		}
	}
}

var flightOK = txScript{mail: "250 2.1.0 ok", rcpt: "250 2.1.5 ok", bdat: "250 2.0.0 queued"}

// A flight's failures are told apart by the reply that said no first, and
// the connection goes on when the server did not hang up.
func TestFlightFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		first     txScript // the first transaction; the second one goes through
		temporary bool
		reply     string // want, or the text the error holds when there is no reply
		conns     int32
	}{
		{"550 at MAIL", txScript{mail: "550 5.7.1 sender refused", rcpt: "503 5.5.1 no MAIL", bdat: "503 5.5.1 no RCPT"},
			false, "550 5.7.1 sender refused", 1},
		{"451 at RCPT", txScript{mail: "250 ok", rcpt: "451 4.3.0 try later", bdat: "554 5.5.1 no valid recipients"},
			true, "451 4.3.0 try later", 1},
		{"552 at BDAT", txScript{mail: "250 ok", rcpt: "250 ok", bdat: "552 5.3.4 too big"}, false, "552 5.3.4 too big", 1},
		{"421 at MAIL, hanging up", txScript{mail: "421 4.3.2 shutting down"}, true, "421 4.3.2 shutting down", 2},
		{"hanging up after MAIL", txScript{mail: "250 ok"}, true,
			"reading the reply to RCPT TO: the server closed the connection (EOF)", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newScripted(t, func(conn, tx int) txScript {
				if conn == 1 && tx == 1 {
					return tt.first
				}
				return flightOK
			})
			s := senderAt(t, srv.ln.Addr(), 1, 0)
			rs := s.Send(context.Background(), testMessages(2))
			var se *SendError
			if !errors.As(rs[0].Err, &se) || se.Temporary != tt.temporary {
				t.Fatalf("first message: %v, want a SendError, temporary %v", rs[0].Err, tt.temporary)
			}
			if se.Reply != tt.reply && (se.Reply != "" || !strings.Contains(se.Error(), tt.reply)) {
				t.Errorf("first message: reply %q, error %q; want %q", se.Reply, se.Error(), tt.reply)
			}
			if rs[1].Err != nil {
				t.Errorf("second message: %v", rs[1].Err)
			}
			if srv.accepted.Load() != 1 || srv.conns.Load() != tt.conns {
				t.Errorf("server took %d messages on %d connections, want 1 on %d",
					srv.accepted.Load(), srv.conns.Load(), tt.conns)
			}
		})
	}
}

// A reused connection the server has closed, with or without a last word,
// is found before a flight is written on it, and the message goes on a new
// connection; so does one whose server answers the flight's MAIL with 421
// (it takes nothing after that).
func TestFlightOnClosedConnection(t *testing.T) {
	t.Parallel()
	for name, first := range map[string]txScript{
		"closed when idle":       {mail: "250 ok", rcpt: "250 ok", bdat: "250 queued", then: "close"},
		"421 when idle":          {mail: "250 ok", rcpt: "250 ok", bdat: "250 queued", then: "421 4.4.2 idle too long"},
		"421 to the next flight": flightOK,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newScripted(t, func(conn, tx int) txScript {
				switch {
				case conn == 1 && tx == 1:
					return first
				case conn == 1:
					return txScript{mail: "421 4.4.2 closing"}
				}
				return flightOK
			})
			s := senderAt(t, srv.ln.Addr(), 1, 0)
			mustSend(t, s, testMessages(1))
			if first.then != "" {
				waitClosed(t, srv, 1)
			}
			mustSend(t, s, testMessages(1))
			if srv.accepted.Load() != 2 || srv.conns.Load() != 2 {
				t.Errorf("server took %d messages on %d connections, want 2 on 2", srv.accepted.Load(), srv.conns.Load())
			}
		})
	}
}

// A message written for a flight goes as go-mail writes it, after DATA,
// when the connection it is sent on after a reconnect takes no flights.
func TestFlightThenNoFlights(t *testing.T) {
	t.Parallel()
	srv := newScripted(t, func(conn, tx int) txScript {
		if conn == 1 {
			return txScript{mail: "250 ok", rcpt: "250 ok", bdat: "250 queued", then: "close"}
		}
		return txScript{mail: "250 ok", rcpt: "250 ok"}
	})
	srv.noFly = func(conn int) bool { return conn > 1 }
	s := senderAt(t, srv.ln.Addr(), 1, 0)
	mustSend(t, s, testMessages(1))
	waitClosed(t, srv, 1)
	mustSend(t, s, testMessages(1))
	if srv.accepted.Load() != 2 || srv.viaData.Load() != 1 || srv.conns.Load() != 2 {
		t.Errorf("server took %d messages (%d after DATA) on %d connections, want 2 (1) on 2",
			srv.accepted.Load(), srv.viaData.Load(), srv.conns.Load())
	}
}

func waitClosed(t *testing.T, srv *scripted, conn int) {
	t.Helper()
	select {
	case n := <-srv.closed:
		if n != conn {
			t.Fatalf("connection %d closed, want %d", n, conn)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("connection %d still open", conn)
	}
}

// A server may hold a flight's replies until it has queued the message
// (RFC 2920, 3.2). If the connection is lost then, the message may have
// been taken: it fails as temporary, for a later try, and is not sent
// again at once on a new connection.
func TestFlightRepliesLost(t *testing.T) {
	t.Parallel()
	srv := newScripted(t, func(conn, tx int) txScript {
		if conn == 1 && tx == 2 {
			return txScript{held: true}
		}
		return flightOK
	})
	s := senderAt(t, srv.ln.Addr(), 1, 0)
	mustSend(t, s, testMessages(1))
	r := s.Send(context.Background(), testMessages(1))[0]
	var se *SendError
	if !errors.As(r.Err, &se) || !se.Temporary || !strings.Contains(se.Error(), "reading the reply to MAIL FROM") {
		t.Fatalf("got %v, want a temporary failure reading the reply to MAIL FROM", r.Err)
	}
	if srv.accepted.Load() != 2 || srv.conns.Load() != 1 {
		t.Errorf("server took %d messages on %d connections, want 2 on 1 (no second copy)",
			srv.accepted.Load(), srv.conns.Load())
	}
}

// A server that refuses the MAIL and hangs up without reading the chunk
// cuts the flight's write short; its refusal, not the broken pipe, is the
// outcome.
func TestFlightRefusedBeforeTheChunk(t *testing.T) {
	t.Parallel()
	srv := newScripted(t, func(conn, tx int) txScript { return txScript{mail: "!554 5.7.1 you are blocked"} })
	s := senderAt(t, srv.ln.Addr(), 1, 0)
	big := testMessages(1)
	big[0].Attachments = []Attachment{{Name: "rapport.pdf", Data: bytes.Repeat([]byte("%PDF rapport "), 1<<20)}}
	r := s.Send(context.Background(), big)[0]
	var se *SendError
	if !errors.As(r.Err, &se) || se.Temporary || se.Reply != "554 5.7.1 you are blocked" {
		t.Fatalf("got %v, want the permanent 554", r.Err)
	}
}

func TestCRLFWriter(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	w := &crlfWriter{buf: &buf}
	for _, p := range []string{"a\nb\r\nc\r", "\nd\n", "\n", "e"} { // a CR at a write's end, its LF in the next
		w.Write([]byte(p))
	}
	endLine(&buf)
	if want := "a\r\nb\r\nc\r\nd\r\n\r\ne\r\n"; buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}
