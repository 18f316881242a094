package email

import (
	"bufio"
	"io"
	"net"
	"strconv"
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

// newTap starts a tap in front of server, the server's reply lines passed
// through filter (nil: as they are).
func newTap(t *testing.T, server string, filter func(line string) string) *tap {
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
		if _, err := upstream.Write([]byte(line)); err != nil {
			return
		}
		if inData { // DATA's content, up to the lone dot
			inData = line != ".\r\n"
			continue
		}
		fields := strings.Fields(line)
		verb := strings.ToUpper(fields[0])
		tp.mu.Lock()
		tp.verbs = append(tp.verbs, verb)
		tp.mu.Unlock()
		inData = verb == "DATA"
		if verb == "BDAT" { // the chunk follows the command: its size in bytes
			n, _ := strconv.Atoi(fields[1])
			if _, err := io.CopyN(upstream, r, int64(n)); err != nil {
				return
			}
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
// every extra command is a round trip per message. To a server that
// announces PIPELINING and CHUNKING each message is one flight (MAIL,
// RCPT, BDAT); to others, and when flights are turned off, go-mail's
// MAIL, RCPT, DATA.
func TestConversationPerMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		announce func(line string) string // the server's EHLO lines as the client sees them
		url      string
		want     string
	}{
		{"flights", nil, "", "EHLO MAIL RCPT BDAT MAIL RCPT BDAT MAIL RCPT BDAT"},
		{"no CHUNKING", without("CHUNKING"), "", "EHLO MAIL RCPT DATA MAIL RCPT DATA MAIL RCPT DATA"},
		{"no PIPELINING", without("PIPELINING"), "", "EHLO MAIL RCPT DATA MAIL RCPT DATA MAIL RCPT DATA"},
		{"pipelining=0", nil, "&pipelining=0", "EHLO MAIL RCPT DATA MAIL RCPT DATA MAIL RCPT DATA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := smtptest.NewServer(t)
			tp := newTap(t, srv.Addr(), tt.announce)
			s := urlSender(t, "smtp://"+tp.ln.Addr().String()+"?tls=none"+tt.url, 1)
			mustSend(t, s, testMessages(3))
			if got := tp.conversation(); got != tt.want {
				t.Errorf("the client said %q, want %q", got, tt.want)
			}
			if srv.Count() != 3 {
				t.Errorf("the server accepted %d messages, want 3", srv.Count())
			}
		})
	}
}

// without hides an extension from the EHLO reply, keeping the reply's
// last line the last ("250 " rather than "250-").
func without(ext string) func(string) string {
	return func(line string) string {
		switch strings.TrimSpace(line[min(4, len(line)):]) {
		case ext:
			if strings.HasPrefix(line, "250 ") {
				return "250 X-NOTHING\r\n"
			}
			return ""
		}
		return line
	}
}
