package email

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/avisera/avisera/email/smtptest"
	"github.com/emersion/go-smtp"
)

var benchPoolSizes = []int{1, 4, 16}

const (
	benchBatch = 1000 // messages per Send in BenchmarkSend
	benchRound = 250  // messages per round in BenchmarkSendVsRaw
)

// benchMessages returns n notification-sized messages (about 2 kB).
func benchMessages(n int) []*Message {
	text := strings.Repeat("Arbetspasset på Storgatan 12 har startat. ", 12)
	html := "<html><body><p>" + strings.Repeat("Arbetspasset på <b>Storgatan 12</b> har startat. ", 24) + "</p></body></html>"
	msgs := make([]*Message, n)
	for i := range msgs {
		msgs[i] = &Message{
			FromName: "Avisera", To: fmt.Sprintf("kund%d@example.com", i), ToName: "Åsa Öberg",
			Subject: "Arbetspass startat: Storgatan 12, städning vecka 12", Text: text, HTML: html,
			Headers: map[string]string{"X-Avisera-Delivery": fmt.Sprintf("d-%d", i)},
		}
	}
	return msgs
}

// BenchmarkSend measures Sender throughput against a local go-smtp server
// over persistent connections (opened before the timer starts).
func BenchmarkSend(b *testing.B) {
	for _, pool := range benchPoolSizes {
		b.Run(fmt.Sprintf("pool=%d", pool), func(b *testing.B) {
			srv := smtptest.NewServer(b, smtptest.CountOnly())
			s := newTestSender(b, srv, pool)
			msgs := benchMessages(benchBatch)
			ctx := context.Background()
			checkResults(b, s.Send(ctx, msgs[:pool]))
			b.ReportAllocs()
			b.ResetTimer()
			for sent := 0; sent < b.N; sent += benchBatch {
				checkResults(b, s.Send(ctx, msgs[:min(benchBatch, b.N-sent)]))
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}

func checkResults(b *testing.B, results []Result) {
	for _, r := range results {
		if r.Err != nil {
			b.Fatal(r.Err)
		}
	}
}

// BenchmarkRawBlast is the baseline for BenchmarkSend: a minimal go-smtp
// client sending one pre-rendered message of the same size over the same
// number of reused connections (MAIL, RCPT, DATA; no rendering, no RSET).
func BenchmarkRawBlast(b *testing.B) {
	data := renderedBenchMessage(b)
	for _, pool := range benchPoolSizes {
		b.Run(fmt.Sprintf("pool=%d", pool), func(b *testing.B) {
			srv := smtptest.NewServer(b, smtptest.CountOnly())
			clients := dialRaw(b, srv.Addr(), pool)
			b.ResetTimer()
			blast(b, clients, data, b.N)
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}

// BenchmarkSendVsRaw alternates rounds of BenchmarkSend and BenchmarkRawBlast
// on one server, so that both see the same machine load, and reports the
// Sender's throughput as a fraction of the raw client's: "ratio" is the
// median over rounds, robust to load spikes from other processes.
func BenchmarkSendVsRaw(b *testing.B) {
	data := renderedBenchMessage(b)
	for _, pool := range benchPoolSizes {
		b.Run(fmt.Sprintf("pool=%d", pool), func(b *testing.B) {
			srv := smtptest.NewServer(b, smtptest.CountOnly())
			s := newTestSender(b, srv, pool)
			clients := dialRaw(b, srv.Addr(), pool)
			msgs := benchMessages(benchRound)
			ctx := context.Background()
			checkResults(b, s.Send(ctx, msgs[:pool]))
			var sender, raw time.Duration
			var ratios []float64
			b.ResetTimer()
			for sent := 0; sent < b.N; sent += benchRound {
				n := min(benchRound, b.N-sent)
				start := time.Now()
				checkResults(b, s.Send(ctx, msgs[:n]))
				ds := time.Since(start)
				blast(b, clients, data, n)
				dr := time.Since(start) - ds
				sender, raw = sender+ds, raw+dr
				ratios = append(ratios, dr.Seconds()/ds.Seconds())
			}
			b.ReportMetric(float64(b.N)/sender.Seconds(), "sender-msgs/s")
			b.ReportMetric(float64(b.N)/raw.Seconds(), "raw-msgs/s")
			slices.Sort(ratios)
			b.ReportMetric(ratios[len(ratios)/2], "ratio")
		})
	}
}

// blast sends n copies of data over clients in parallel.
func blast(b *testing.B, clients []*smtp.Client, data []byte, n int) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				if err := blastOne(c, data); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func renderedBenchMessage(b *testing.B) []byte {
	s, err := NewSender(Config{Host: "localhost", From: testFrom}, nil)
	if err != nil {
		b.Fatal(err)
	}
	data, err := s.Compose(benchMessages(1)[0], true) // smtptest takes 8-bit mail
	if err != nil {
		b.Fatal(err)
	}
	return data
}

func dialRaw(b *testing.B, addr string, n int) []*smtp.Client {
	clients := make([]*smtp.Client, n)
	for i := range clients {
		c, err := smtp.Dial(addr)
		if err != nil {
			b.Fatal(err)
		}
		if err := c.Hello("localhost"); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { c.Quit() })
		clients[i] = c
	}
	return clients
}

func blastOne(c *smtp.Client, data []byte) error {
	if err := c.Mail(testFrom, nil); err != nil {
		return err
	}
	if err := c.Rcpt("kund@example.com", nil); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		return err
	}
	return w.Close()
}

// BenchmarkCompose writes the benchmark message as the Sender does for a
// flight, and as go-mail does (the baseline).
func BenchmarkCompose(b *testing.B) {
	s, err := NewSender(Config{Host: "localhost", From: testFrom}, nil)
	if err != nil {
		b.Fatal(err)
	}
	m := benchMessages(1)[0]
	id, _ := s.messageID(m)
	for _, c := range []struct {
		name    string
		compose func(*bytes.Buffer) error
	}{
		{"go-mail", func(buf *bytes.Buffer) error { return s.composeWithGoMail(buf, m, id, true) }},
		{"sender", func(buf *bytes.Buffer) error { _, _, err := s.compose(buf, m, id, true); return err }},
	} {
		b.Run(c.name, func(b *testing.B) {
			var buf bytes.Buffer
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				if err := c.compose(&buf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
