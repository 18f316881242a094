package api

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/avisera/avisera/email"
	"github.com/avisera/avisera/email/smtptest"
	"github.com/avisera/avisera/engine"
	"github.com/avisera/avisera/queue"
	"github.com/avisera/avisera/store/sqlstore"
)

// clock is a settable time source for tests.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// stack is the whole product in-process: the API over an engine with a
// River queue, a real SMTP server as the sink and a settable clock.
type stack struct {
	*client
	sink  *smtptest.Server
	clock *clock
	eng   *engine.Engine
}

func newStack(t *testing.T, open func(testing.TB) *sqlstore.DB, opts ...engine.Option) *stack {
	t.Helper()
	db := open(t)
	sink := smtptest.NewServer(t)
	cfg, err := email.ParseURL(sink.URL())
	if err != nil {
		t.Fatal(err)
	}
	cfg.From = "avisera@example.se"
	sender, err := email.NewSender(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sender.Close() })
	q, err := queue.New(db, queue.Config{Workers: 4, PollInterval: 20 * time.Millisecond}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	clk := &clock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)} // a Monday morning in Stockholm: no quiet hours
	eng := engine.New(db.Store(), append([]engine.Option{engine.WithQueue(q), engine.WithEmail(engine.SMTP{Sender: sender}),
		engine.WithClock(clk.Now), engine.WithPublicURL("http://" + srv.Listener.Addr().String())}, opts...)...)
	srv.Config.Handler = NewHandler(eng, Options{PublicURL: "http://" + srv.Listener.Addr().String()})
	srv.Start()
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithCancel(context.Background())
	if err := q.Start(ctx, eng); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop, c := context.WithTimeout(context.Background(), 10*time.Second)
		defer c()
		_ = q.Stop(stop)
		cancel()
	})
	_, key, err := eng.CreateTenant(context.Background(), "Städbolaget")
	if err != nil {
		t.Fatal(err)
	}
	return &stack{client: &client{t: t, url: srv.URL, key: key}, sink: sink, clock: clk, eng: eng}
}

// settled waits until the event's deliveries are no longer pending.
func (s *stack) settled(eventID string) []deliveryJSON {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var l struct{ Items []deliveryJSON }
		s.must(200, "GET", "/api/v1/deliveries?event_id="+eventID, "", &l)
		pending := false
		for _, d := range l.Items {
			pending = pending || d.Status == "queued" || d.Status == "sending" || d.Status == "deferred"
		}
		if !pending && len(l.Items) > 0 {
			return l.Items
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("deliveries of %s still pending: %+v", eventID, l.Items)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type deliveryJSON struct {
	ID         string
	Channel    string
	Address    string
	Status     string
	Detail     string
	ReachedVia string `json:"reached_via"`
	ProviderID string `json:"provider_id"`
	Segments   int
	Attempts   int
	HTML, Text string
	SMS        string
	History    []struct {
		Status, Detail string
		Applied        bool
	}
}
