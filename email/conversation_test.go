package email

import (
	"bufio"
	"io"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/avisera/avisera/email/smtptest"
)

// tap listens for one SMTP client and forwards its connection to a real
// server, noting the verb of every command the client sends (the lines
// outside DATA's content).
type tap struct {
	ln    net.Listener
	mu    sync.Mutex
	verbs []string
}

func newTap(t *testing.T, server string) *tap {
	t.Helper()
	return newFilteredTap(t, server, nil)
}

// newFilteredTap is newTap with the server's reply lines passed through
// filter (nil: as they are).
func newFilteredTap(t *testing.T, server string, filter func(line string) string) *tap {
	t.Helper()
	ln := listen(t)
	tp := &tap{ln: ln}
	go func() {
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			upstream, err := net.Dial("tcp", server)
			if err != nil {
				client.Close()
				return
			}
			go func() { reply(client, upstream, filter); client.Close() }()
			go tp.record(client, upstream)
		}
	}()
	return tp
}

// reply forwards the server's replies to the client, line by line through
// filter when there is one.
func reply(client, upstream net.Conn, filter func(string) string) {
	if filter == nil {
		io.Copy(client, upstream)
		return
	}
	r := bufio.NewReader(upstream)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		if _, err := client.Write([]byte(filter(line))); err != nil {
			return
		}
	}
}

func (tp *tap) record(client, upstream net.Conn) {
	defer upstream.Close()
	r := bufio.NewReader(client)
	inData := false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		if inData { // noted before it is forwarded: before the server can answer
			inData = line != ".\r\n"
		} else {
			verb, _, _ := strings.Cut(strings.TrimSpace(line), " ")
			verb = strings.ToUpper(verb)
			tp.mu.Lock()
			tp.verbs = append(tp.verbs, verb)
			tp.mu.Unlock()
			inData = verb == "DATA"
		}
		if _, err := upstream.Write([]byte(line)); err != nil {
			return
		}
	}
}

func (tp *tap) conversation() string {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	return strings.Join(tp.verbs, " ")
}

// Messages on one connection follow each other without a NOOP before or
// an RSET after each: a transaction ends with the reply to its data, and
// every extra command is a round trip per message.
func TestConversationPerMessage(t *testing.T) {
	t.Parallel()
	srv := smtptest.NewServer(t)
	tp := newTap(t, srv.Addr())
	s := senderAt(t, tp.ln.Addr(), 1, 0)
	mustSend(t, s, testMessages(3))
	want := "EHLO MAIL RCPT DATA MAIL RCPT DATA MAIL RCPT DATA"
	if got := tp.conversation(); got != want {
		t.Errorf("the client said %q, want %q", got, want)
	}
	if srv.Count() != 3 {
		t.Errorf("the server accepted %d messages, want 3", srv.Count())
	}
}
