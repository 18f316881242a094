package bench

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// BurstResult is the full pipeline under a burst: every event posted as
// fast as Concurrency requests in flight allow, until the last mail is at
// the sink.
type BurstResult struct {
	Events      int `json:"events"`
	Recipients  int `json:"recipients"`
	Deliveries  int `json:"deliveries"`
	Concurrency int `json:"concurrency"`
	// Seconds is from the first POST to the last mail at the sink.
	Seconds          float64 `json:"seconds"`
	DeliveriesPerSec float64 `json:"deliveries_per_s"`
	// AcceptSeconds is from the first POST to the last 202.
	AcceptSeconds float64 `json:"accept_seconds"`
	AcceptPerSec  float64 `json:"accepted_events_per_s"`
	// RawMsgsPerSec is the raw limit measured right before the burst, and
	// Ratio is DeliveriesPerSec over it; both 0 without the raw part.
	RawMsgsPerSec float64 `json:"raw_msgs_per_s"`
	Ratio         float64 `json:"ratio"`
	TargetRatio   float64 `json:"target_ratio,omitempty"`
	MeetsTarget   bool    `json:"meets_target"`
	// RawFlightMsgsPerSec is the raw limit sent as flights, the engine's
	// conversation with the sink, and FlightRatio DeliveriesPerSec over it.
	RawFlightMsgsPerSec float64 `json:"raw_flight_msgs_per_s"`
	FlightRatio         float64 `json:"flight_ratio"`
	// CPUSeconds is the process's CPU time over the burst, and CPURatio the
	// raw part's CPU per message over the burst's CPU per delivery: the
	// ratio the machine would allow were the pipeline CPU-bound, which load
	// from other programs barely moves.
	CPUSeconds           float64 `json:"cpu_seconds"`
	CPUMicrosPerDelivery float64 `json:"cpu_us_per_delivery"`
	// OtherCPUMicrosPerDelivery is the CPU the rest of the machine spent
	// per delivery over the burst (Linux only): PostgreSQL's server when it
	// runs here, and whatever else does.
	OtherCPUMicrosPerDelivery float64 `json:"other_cpu_us_per_delivery"`
	RawCPUMicrosPerMsg        float64 `json:"raw_cpu_us_per_msg"`
	CPURatio                  float64 `json:"cpu_ratio"`
	LoadAverage               string  `json:"load_average"`   // 1-minute load average when the burst ended
	Latency                   Latency `json:"latency"`        // from the event's 202 to each of its mails at the sink
	AcceptLatency             Latency `json:"accept_latency"` // from sending the POST to its 202
	AvgBytes                  int     `json:"avg_bytes"`
	Memory                    Memory  `json:"memory"`
	FirstMailMillis           float64 `json:"first_mail_ms"` // from the first POST to the first mail
}

// PacedResult is the full pipeline at a fixed event rate.
type PacedResult struct {
	Rate            float64 `json:"rate"`
	DurationSeconds float64 `json:"duration_s"`
	Events          int     `json:"events"`
	Deliveries      int     `json:"deliveries"`
	// AchievedRate is the rate the POSTs were sent at; below Rate when the
	// client could not keep up.
	AchievedRate         float64 `json:"achieved_rate"`
	Latency              Latency `json:"latency"`
	AcceptLatency        Latency `json:"accept_latency"`
	TargetP99Ms          float64 `json:"target_p99_ms"`
	MeetsTarget          bool    `json:"meets_target"`
	Memory               Memory  `json:"memory"`
	CPUSeconds           float64 `json:"cpu_seconds"` // from the first POST to the last mail
	CPUMicrosPerDelivery float64 `json:"cpu_us_per_delivery"`
	LoadAverage          string  `json:"load_average"`
}

// posted is what the client saw of one event.
type posted struct {
	sent, accepted time.Time
}

// runBurst posts cfg.Events events with cfg.Concurrency in flight.
func runBurst(ctx context.Context, cfg Config, c *apiClient, s *sink) (*BurstResult, error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	ids, bodies, err := events("burst", cfg.Events)
	if err != nil {
		return nil, err
	}
	res := &BurstResult{Events: cfg.Events, Recipients: cfg.Recipients, Deliveries: cfg.Events * cfg.Recipients,
		Concurrency: cfg.Concurrency}
	base := s.Count()
	runtime.GC()
	mem := startSampler()
	out := make([]posted, cfg.Events)
	var next atomic.Int64
	errc := make(chan error, cfg.Concurrency)
	var wg sync.WaitGroup
	start, cpu, machine := time.Now(), cpuTime(), machineCPU()
	for range cfg.Concurrency {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < cfg.Events && ctx.Err() == nil; i = int(next.Add(1)) - 1 {
				var err error
				if out[i], err = post(ctx, c, bodies[i], cfg.Recipients); err != nil {
					errc <- err
					cancel()
					return
				}
			}
		})
	}
	wg.Wait()
	close(errc)
	if err := <-errc; err != nil {
		mem.stop()
		return nil, err
	}
	arrivals, err := await(ctx, s, base, res.Deliveries)
	res.Memory, res.CPUSeconds, res.LoadAverage = mem.stop(), (cpuTime() - cpu).Seconds(), loadAverage()
	if err != nil {
		return nil, err
	}
	res.CPUMicrosPerDelivery = res.CPUSeconds * 1e6 / float64(res.Deliveries)
	if m := machineCPU(); m > 0 {
		other := (m - machine).Seconds() - res.CPUSeconds
		res.OtherCPUMicrosPerDelivery = max(other, 0) * 1e6 / float64(res.Deliveries)
	}
	lat, first, last, err := match(ids, out, arrivals)
	if err != nil {
		return nil, err
	}
	acceptEnd := lastAccepted(out)
	res.Seconds, res.DeliveriesPerSec = last.Sub(start).Seconds(), perSec(res.Deliveries, last.Sub(start))
	res.AcceptSeconds, res.AcceptPerSec = acceptEnd.Sub(start).Seconds(), perSec(cfg.Events, acceptEnd.Sub(start))
	res.FirstMailMillis = millis(first.Sub(start))
	res.Latency, res.AcceptLatency, res.AvgBytes = latencyOf(lat), acceptLatency(out), avgSize(arrivals)
	return res, nil
}

// runPaced posts events at cfg.Rate for cfg.Duration, each in its own
// goroutine at its scheduled time, so that a slow answer delays no other.
func runPaced(ctx context.Context, cfg Config, c *apiClient, s *sink) (*PacedResult, error) {
	n := int(math.Round(cfg.Rate * cfg.Duration.Seconds()))
	ctx, cancel := context.WithTimeout(ctx, cfg.Duration+cfg.Timeout)
	defer cancel()
	ids, bodies, err := events("paced", n)
	if err != nil {
		return nil, err
	}
	res := &PacedResult{Rate: cfg.Rate, DurationSeconds: cfg.Duration.Seconds(), Events: n,
		Deliveries: n * cfg.Recipients, TargetP99Ms: millis(TargetPacedP99)}
	base := s.Count()
	runtime.GC()
	mem := startSampler()
	out := make([]posted, n)
	errc := make(chan error, n)
	inflight := make(chan struct{}, 4096) // bounds goroutines if the server stalls
	var wg sync.WaitGroup
	interval := time.Duration(float64(time.Second) / cfg.Rate)
	start, cpu := time.Now(), cpuTime()
	for i := 0; i < n && ctx.Err() == nil; i++ {
		time.Sleep(time.Until(start.Add(time.Duration(i) * interval)))
		inflight <- struct{}{}
		wg.Go(func() {
			defer func() { <-inflight }()
			var err error
			if out[i], err = post(ctx, c, bodies[i], cfg.Recipients); err != nil {
				errc <- err
				cancel()
			}
		})
	}
	wg.Wait()
	close(errc)
	if err := errors.Join(ctx.Err(), <-errc); err != nil {
		mem.stop()
		return nil, err
	}
	if n > 1 {
		res.AchievedRate = float64(n-1) / out[n-1].sent.Sub(out[0].sent).Seconds()
	}
	arrivals, err := await(ctx, s, base, res.Deliveries)
	res.Memory, res.CPUSeconds, res.LoadAverage = mem.stop(), (cpuTime() - cpu).Seconds(), loadAverage()
	if err != nil {
		return nil, err
	}
	res.CPUMicrosPerDelivery = res.CPUSeconds * 1e6 / float64(res.Deliveries)
	lat, _, _, err := match(ids, out, arrivals)
	if err != nil {
		return nil, err
	}
	res.Latency, res.AcceptLatency = latencyOf(lat), acceptLatency(out)
	res.MeetsTarget = res.Latency.P99Ms < res.TargetP99Ms
	return res, nil
}

// events builds the ids and JSON bodies of n events before the clock runs.
func events(prefix string, n int) ([]string, [][]byte, error) {
	ids, bodies := make([]string, n), make([][]byte, n)
	now := time.Now()
	for i := range n {
		ids[i] = fmt.Sprintf("%s-%06d", prefix, i)
		var err error
		if bodies[i], err = eventBody(ids[i], i, now); err != nil {
			return nil, nil, err
		}
	}
	return ids, bodies, nil
}

// post sends one event and checks that it planned one delivery per
// recipient.
func post(ctx context.Context, c *apiClient, body []byte, recipients int) (posted, error) {
	var p posted
	var res struct {
		EventID    string `json:"event_id"`
		Deliveries int    `json:"deliveries"`
	}
	p.sent = time.Now()
	err := c.do(ctx, "POST", "/api/v1/events", body, http.StatusAccepted, &res)
	p.accepted = time.Now()
	if err == nil && res.Deliveries != recipients {
		err = fmt.Errorf("event %s planned %d deliveries, want %d", res.EventID, res.Deliveries, recipients)
	}
	return p, err
}

// await waits for n mails after the base-th and returns them.
func await(ctx context.Context, s *sink, base, n int) ([]arrival, error) {
	timeout := time.Minute
	if dl, ok := ctx.Deadline(); ok {
		timeout = time.Until(dl)
	}
	if !s.WaitFor(base+n, timeout) {
		return nil, fmt.Errorf("only %d of %d mails reached the sink in time", s.Count()-base, n)
	}
	time.Sleep(50 * time.Millisecond) // a duplicate would show up now
	as := s.Since(base)
	if len(as) != n {
		return nil, fmt.Errorf("the sink got %d mails, want %d (duplicates?)", len(as), n)
	}
	return as, nil
}

// match pairs each mail with its event and returns the latencies from the
// event's 202 to the mail, and the first and last arrival. Every delivery
// must arrive exactly once.
func match(ids []string, out []posted, as []arrival) (lat []time.Duration, first, last time.Time, err error) {
	accepted := make(map[string]time.Time, len(ids))
	for i, id := range ids {
		accepted[id] = out[i].accepted
	}
	seen := make(map[string]bool, len(as))
	lat = make([]time.Duration, 0, len(as))
	for _, a := range as {
		ev := eventOf(a.subject)
		at, ok := accepted[ev]
		switch {
		case !ok:
			return nil, first, last, fmt.Errorf("a mail of unknown event %q (subject %q)", ev, a.subject)
		case a.delivery == "" || seen[a.delivery]:
			return nil, first, last, fmt.Errorf("delivery %q of event %s: missing or duplicate", a.delivery, ev)
		}
		seen[a.delivery] = true
		lat = append(lat, a.at.Sub(at))
		if first.IsZero() || a.at.Before(first) {
			first = a.at
		}
		if a.at.After(last) {
			last = a.at
		}
	}
	return lat, first, last, nil
}

func lastAccepted(out []posted) time.Time {
	var last time.Time
	for _, p := range out {
		if p.accepted.After(last) {
			last = p.accepted
		}
	}
	return last
}

func acceptLatency(out []posted) Latency {
	ds := make([]time.Duration, len(out))
	for i, p := range out {
		ds[i] = p.accepted.Sub(p.sent)
	}
	return latencyOf(ds)
}
