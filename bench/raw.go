package bench

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/avisera/avisera/email/smtptest"
)

// RawResult is the raw SMTP limit: pre-rendered mail over persistent
// connections with a minimal client, nothing else.
type RawResult struct {
	Emails  int     `json:"emails"`
	Conns   int     `json:"conns"`
	Seconds float64 `json:"seconds"`
	// MsgsPerSec counts messages sent as MAIL, RCPT, DATA: the engine's
	// sender says the same per message (no NOOP before, no RSET after).
	MsgsPerSec float64 `json:"msgs_per_s"`
	AvgBytes   int     `json:"avg_bytes"`
	// CPUMicrosPerMsg is the process's CPU time (client and sink) per
	// message: unlike the rate, other programs on the machine barely move it.
	CPUMicrosPerMsg float64 `json:"cpu_us_per_msg"`
	// SmtptestMsgsPerSec is MsgsPerSec against email/smtptest in count-only
	// mode: a check that the recording sink costs no more than it.
	SmtptestMsgsPerSec float64 `json:"smtptest_msgs_per_s"`
}

// runRaw measures the raw limit against the sink, then against smtptest.
func runRaw(ctx context.Context, cfg Config, s *sink, msgs *rawMessages) (*RawResult, error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	res, err := rawLimit(ctx, cfg, s, msgs)
	if err != nil {
		return nil, err
	}
	ts := smtptest.NewServer(nil, smtptest.CountOnly())
	defer ts.Close()
	d, _, err := blast(ctx, ts.Addr(), cfg.Conns, msgs)
	if err != nil {
		return nil, fmt.Errorf("smtptest: %w", err)
	}
	res.SmtptestMsgsPerSec = perSec(cfg.Emails, d)
	return res, nil
}

// rawLimit blasts msgs at the sink.
func rawLimit(ctx context.Context, cfg Config, s *sink, msgs *rawMessages) (*RawResult, error) {
	base := s.Count()
	d, cpu, err := blast(ctx, s.Addr(), cfg.Conns, msgs)
	if err != nil {
		return nil, err
	}
	arrivals := s.Since(base)
	if len(arrivals) != cfg.Emails {
		return nil, fmt.Errorf("raw: the sink got %d of %d emails", len(arrivals), cfg.Emails)
	}
	return &RawResult{Emails: cfg.Emails, Conns: cfg.Conns, Seconds: d.Seconds(), MsgsPerSec: perSec(cfg.Emails, d),
		AvgBytes: avgSize(arrivals), CPUMicrosPerMsg: micros(cpu) / float64(cfg.Emails)}, nil
}

// blast sends every message over conns persistent connections, opened
// before the clock starts, and returns how long the sending took and the
// process's CPU time meanwhile. Every message has been accepted (250 after
// DATA) when it returns.
func blast(ctx context.Context, addr string, conns int, msgs *rawMessages) (time.Duration, time.Duration, error) {
	clients, err := dialAll(ctx, addr, conns)
	defer func() {
		for _, c := range clients {
			c.Close()
		}
	}()
	if err != nil {
		return 0, 0, err
	}
	stop := context.AfterFunc(ctx, func() {
		for _, c := range clients {
			c.Close() // unblocks the senders
		}
	})
	defer stop()
	var next atomic.Int64
	errs := make([]error, len(clients))
	var wg sync.WaitGroup
	start, cpu := time.Now(), cpuTime()
	for i, c := range clients {
		wg.Go(func() {
			for j := int(next.Add(1)) - 1; j < len(msgs.headers); j = int(next.Add(1)) - 1 {
				if errs[i] = sendRaw(c, msgs.headers[j], msgs.body); errs[i] != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	d, cpu := time.Since(start), cpuTime()-cpu
	if err := errors.Join(errs...); err != nil {
		return 0, 0, errors.Join(ctx.Err(), err)
	}
	for _, c := range clients {
		c.Quit()
	}
	return d, cpu, nil
}

func dialAll(ctx context.Context, addr string, n int) ([]*smtp.Client, error) {
	clients := make([]*smtp.Client, 0, n)
	d := net.Dialer{Timeout: 5 * time.Second}
	for range n {
		nc, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return clients, fmt.Errorf("dial %s: %w", addr, err)
		}
		c := smtp.NewClient(nc)
		c.CommandTimeout, c.SubmissionTimeout = 30*time.Second, 30*time.Second
		clients = append(clients, c)
		if err := c.Hello("localhost"); err != nil {
			return clients, fmt.Errorf("EHLO: %w", err)
		}
	}
	return clients, nil
}

// sendRaw sends one pre-rendered message.
func sendRaw(c *smtp.Client, header, body []byte) error {
	if err := c.Mail(mailFrom, nil); err != nil {
		return err
	}
	if err := c.Rcpt(contactEmail(0), nil); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(header); err != nil {
		return err
	}
	if _, err := w.Write(body); err != nil {
		return err
	}
	return w.Close()
}

func perSec(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

func avgSize(as []arrival) int {
	if len(as) == 0 {
		return 0
	}
	total := 0
	for _, a := range as {
		total += a.size
	}
	return total / len(as)
}
