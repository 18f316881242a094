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
)

// scripted is a server that announces PIPELINING and CHUNKING and answers
// each transaction as answer says, given the connection's number (from 1)
// and the transaction's on it (from 1): the replies to MAIL, RCPT and
// BDAT, "" for hanging up instead. It counts the messages it took.
type scripted struct {
	ln       net.Listener
	answer   func(conn, tx int) [3]string
	conns    atomic.Int32
	accepted atomic.Int32
}

func newScripted(t *testing.T, answer func(conn, tx int) [3]string) *scripted {
	s := &scripted{ln: listen(t), answer: answer}
	go func() {
		for {
			c, err := s.ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c, int(s.conns.Add(1)))
		}
	}()
	return s
}

func (s *scripted) serve(c net.Conn, conn int) {
	defer c.Close()
	r := bufio.NewReader(c)
	fmt.Fprint(c, "220 scripted.example ESMTP\r\n")
	var replies [3]string
	tx := 0
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		var reply string
		switch fields := strings.Fields(line); strings.ToUpper(fields[0]) {
		case "EHLO":
			reply = "250-scripted.example\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 CHUNKING"
		case "MAIL":
			tx++
			replies = s.answer(conn, tx)
			reply = replies[0]
		case "RCPT":
			reply = replies[1]
		case "BDAT":
			n, _ := strconv.Atoi(fields[1])
			if _, err := io.CopyN(io.Discard, r, int64(n)); err != nil {
				return
			}
			if reply = replies[2]; strings.HasPrefix(reply, "250") {
				s.accepted.Add(1)
			}
		default: // RSET, QUIT
			reply = "250 2.0.0 ok"
		}
		if reply == "" {
			return
		}
		fmt.Fprint(c, reply+"\r\n")
	}
}

var flightOK = [3]string{"250 2.1.0 ok", "250 2.1.5 ok", "250 2.0.0 queued"}

// A flight's failures are told apart by the reply that said no first, and
// the connection goes on when the server did not hang up.
func TestFlightFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		first     [3]string // the first transaction's replies; the second one's are all yes
		temporary bool
		reply     string // want, or the text the error holds when there is no reply
		conns     int32
	}{
		{"550 at MAIL", [3]string{"550 5.7.1 sender refused", "503 5.5.1 no MAIL", "503 5.5.1 no RCPT"},
			false, "550 5.7.1 sender refused", 1},
		{"451 at RCPT", [3]string{"250 ok", "451 4.3.0 try later", "554 5.5.1 no valid recipients"},
			true, "451 4.3.0 try later", 1},
		{"552 at BDAT", [3]string{"250 ok", "250 ok", "552 5.3.4 too big"}, false, "552 5.3.4 too big", 1},
		{"421 at MAIL, hanging up", [3]string{"421 4.3.2 shutting down", "", ""}, true, "421 4.3.2 shutting down", 2},
		{"hanging up after MAIL", [3]string{"250 ok", "", ""}, true,
			"reading the reply to RCPT TO: the server closed the connection (EOF)", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newScripted(t, func(conn, tx int) [3]string {
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

// A reused connection the server has given up on (421 to MAIL, or no
// reply at all) took no part of the message: it goes again on a new
// connection, once.
func TestFlightOnDeadConnection(t *testing.T) {
	t.Parallel()
	for name, dead := range map[string][3]string{"421": {"421 4.4.2 idle too long", "", ""}, "no reply": {"", "", ""}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newScripted(t, func(conn, tx int) [3]string {
				if conn == 1 && tx == 2 {
					return dead
				}
				return flightOK
			})
			s := senderAt(t, srv.ln.Addr(), 1, 0)
			mustSend(t, s, testMessages(1))
			mustSend(t, s, testMessages(1))
			if srv.accepted.Load() != 2 || srv.conns.Load() != 2 {
				t.Errorf("server took %d messages on %d connections, want 2 on 2", srv.accepted.Load(), srv.conns.Load())
			}
		})
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
