package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"strconv"
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
	// FlightMsgsPerSec and FlightCPUMicrosPerMsg are the same emails sent as
	// the engine's sender sends to a server that takes PIPELINING and
	// CHUNKING, as the sink does: MAIL, RCPT and BDAT with the message in
	// one write, then the three replies (email/flight.go).
	FlightMsgsPerSec      float64 `json:"flight_msgs_per_s"`
	FlightCPUMicrosPerMsg float64 `json:"flight_cpu_us_per_msg"`
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
	d, _, err := blast(ctx, ts.Addr(), cfg.Conns, msgs, dialPlain)
	if err != nil {
		return nil, fmt.Errorf("smtptest: %w", err)
	}
	res.SmtptestMsgsPerSec = perSec(cfg.Emails, d)
	return res, nil
}

// rawLimit blasts msgs at the sink, a command at a time and then as
// flights.
func rawLimit(ctx context.Context, cfg Config, s *sink, msgs *rawMessages) (*RawResult, error) {
	plain, err := sinkBlast(ctx, cfg, s, msgs, dialPlain)
	if err != nil {
		return nil, err
	}
	flights, err := sinkBlast(ctx, cfg, s, msgs, dialFlights)
	if err != nil {
		return nil, err
	}
	n := float64(cfg.Emails)
	return &RawResult{Emails: cfg.Emails, Conns: cfg.Conns, Seconds: plain.took.Seconds(),
		MsgsPerSec: perSec(cfg.Emails, plain.took), AvgBytes: plain.avgBytes, CPUMicrosPerMsg: micros(plain.cpu) / n,
		FlightMsgsPerSec: perSec(cfg.Emails, flights.took), FlightCPUMicrosPerMsg: micros(flights.cpu) / n}, nil
}

// blastResult is one blast at the sink.
type blastResult struct {
	took, cpu time.Duration
	avgBytes  int
}

// sinkBlast blasts msgs at the sink with the clients dial opens and checks
// that every one arrived.
func sinkBlast(ctx context.Context, cfg Config, s *sink, msgs *rawMessages, dial dialFunc) (blastResult, error) {
	base := s.Count()
	d, cpu, err := blast(ctx, s.Addr(), cfg.Conns, msgs, dial)
	if err != nil {
		return blastResult{}, err
	}
	arrivals := s.Since(base)
	if len(arrivals) != cfg.Emails {
		return blastResult{}, fmt.Errorf("raw: the sink got %d of %d emails", len(arrivals), cfg.Emails)
	}
	return blastResult{took: d, cpu: cpu, avgBytes: avgSize(arrivals)}, nil
}

// rawClient is one persistent connection of the blaster.
type rawClient interface {
	send(header, body []byte) error
	Quit() error
	Close() error
}

// dialFunc opens a rawClient on nc, greeted and past EHLO.
type dialFunc func(nc net.Conn) (rawClient, error)

// blast sends every message over conns persistent connections, opened
// before the clock starts, and returns how long the sending took and the
// process's CPU time meanwhile. Every message has been accepted when it
// returns.
func blast(ctx context.Context, addr string, conns int, msgs *rawMessages, dial dialFunc) (time.Duration, time.Duration, error) {
	clients, err := dialAll(ctx, addr, conns, dial)
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
				if errs[i] = c.send(msgs.headers[j], msgs.body); errs[i] != nil {
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

func dialAll(ctx context.Context, addr string, n int, dial dialFunc) ([]rawClient, error) {
	clients := make([]rawClient, 0, n)
	d := net.Dialer{Timeout: 5 * time.Second}
	for range n {
		nc, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return clients, fmt.Errorf("dial %s: %w", addr, err)
		}
		c, err := dial(nc)
		if err != nil {
			nc.Close()
			return clients, fmt.Errorf("EHLO: %w", err)
		}
		clients = append(clients, c)
	}
	return clients, nil
}

// plainClient is go-smtp's client: MAIL, RCPT and DATA, each waiting for
// its reply.
type plainClient struct{ *smtp.Client }

func dialPlain(nc net.Conn) (rawClient, error) {
	c := smtp.NewClient(nc)
	c.CommandTimeout, c.SubmissionTimeout = 30*time.Second, 30*time.Second
	return plainClient{c}, c.Hello("localhost")
}

// send sends one pre-rendered message.
func (c plainClient) send(header, body []byte) error {
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

// flightClient sends each message as one flight, as the engine's sender
// does to the sink.
type flightClient struct {
	nc net.Conn
	w  *bufio.Writer
	r  *textproto.Reader
}

func dialFlights(nc net.Conn) (rawClient, error) {
	c := &flightClient{nc: nc, w: bufio.NewWriter(nc), r: textproto.NewReader(bufio.NewReader(nc))}
	if _, _, err := c.r.ReadResponse(220); err != nil {
		return c, err
	}
	return c, c.command("EHLO localhost", 250)
}

func (c *flightClient) command(line string, want int) error {
	c.nc.SetDeadline(time.Now().Add(30 * time.Second))
	c.w.WriteString(line + "\r\n")
	if err := c.w.Flush(); err != nil {
		return err
	}
	_, _, err := c.r.ReadResponse(want)
	return err
}

func (c *flightClient) send(header, body []byte) error {
	c.nc.SetDeadline(time.Now().Add(30 * time.Second))
	// BODY=8BITMIME: the sink announces it, and the engine's sender says it.
	c.w.WriteString("MAIL FROM:<" + mailFrom + "> BODY=8BITMIME\r\nRCPT TO:<" + contactEmail(0) + ">\r\n")
	c.w.WriteString("BDAT " + strconv.Itoa(len(header)+len(body)) + " LAST\r\n")
	c.w.Write(header)
	c.w.Write(body)
	if err := c.w.Flush(); err != nil {
		return err
	}
	for range 3 {
		if _, _, err := c.r.ReadResponse(25); err != nil {
			return err
		}
	}
	return nil
}

func (c *flightClient) Quit() error  { return c.command("QUIT", 221) }
func (c *flightClient) Close() error { return c.nc.Close() }

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
