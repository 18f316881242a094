package engine_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/engine"
	"github.com/avisera/avisera/store"
	"github.com/avisera/avisera/store/sqlstore"
	"github.com/avisera/avisera/store/storetest"
)

// BenchmarkTimers measures the time-based triggers with 100,000 pending
// timers in the database: how many fire per second when a burst falls due
// at once, and the delay between due time and firing when timers fall due
// steadily while the production pump (a tick a second) runs. Run it once:
//
//	go test ./engine -run '^$' -bench BenchmarkTimers -benchtime 1x -timeout 30m
func BenchmarkTimers(b *testing.B) {
	for name, open := range storetest.Databases() {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				benchTimers(b, open)
			}
		})
	}
}

const (
	pendingTimers = 100_000
	burstTimers   = 5_000
	steadyTimers  = 1_000
	steadySeconds = 10
)

func benchTimers(b *testing.B, open func(testing.TB) *sqlstore.DB) {
	b.StopTimer()
	db := open(b)
	clk := &fakeClock{now: time.Now().UTC()}
	eng := engine.New(db.Store(), engine.WithClock(clk.Now))
	tenant, link := seedTimerScene(b, eng)
	start := time.Now()
	seedTimers(b, db.Store(), tenant, link, clk.Now())
	b.Logf("seeded %d plans with pending timers in %s", pendingTimers, time.Since(start).Round(time.Millisecond))

	// A burst: burstTimers fall due at once.
	clk.Set(clk.Now().Add(time.Hour))
	b.StartTimer()
	t0 := time.Now()
	fired := drain(b, eng)
	burst := time.Since(t0)
	b.StopTimer()
	if fired != burstTimers {
		b.Fatalf("fired %d timers of the burst, want %d", fired, burstTimers)
	}
	b.ReportMetric(float64(fired)/burst.Seconds(), "burst-timers/s")

	// Steady: steadyTimers fall due over steadySeconds of real time while
	// a pump ticks every second, as serve runs it.
	delays := steady(b, eng, db.Store(), tenant, link)
	slices.Sort(delays)
	b.ReportMetric(delays[len(delays)/2].Seconds()*1000, "p50-delay-ms")
	b.ReportMetric(delays[len(delays)*99/100].Seconds()*1000, "p99-delay-ms")
	left, err := db.Store().CountTimers(context.Background(), avisera.TimerPending)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("burst %d in %s; steady p50 %s p99 %s; %d timers still pending", fired, burst.Round(time.Millisecond),
		delays[len(delays)/2].Round(time.Millisecond), delays[len(delays)*99/100].Round(time.Millisecond), left)
	b.StartTimer() // b.Loop wants the timer running between iterations
}

func drain(b *testing.B, eng *engine.Engine) int {
	total := 0
	for {
		n, err := eng.FireDueTimers(context.Background(), 500)
		if err != nil {
			b.Fatal(err)
		}
		total += n
		if n < 500 {
			return total
		}
	}
}

// seedTimerScene makes a static recipient and a not_started link.
func seedTimerScene(b *testing.B, eng *engine.Engine) (string, avisera.Link) {
	ctx := context.Background()
	t, _, err := eng.CreateTenant(ctx, "Bench")
	if err != nil {
		b.Fatal(err)
	}
	_, _, err = eng.PutUser(ctx, t.ID, engine.UserInput{User: avisera.User{ID: "boss", Name: "Chef", Role: "chef",
		NotificationRecipient: true}, Emails: []string{"chef@stad.se"}})
	if err != nil {
		b.Fatal(err)
	}
	m, err := eng.CreateMessage(ctx, t.ID, engine.MessageInput{EventType: "work_shift", Name: "Ej startat",
		Content: avisera.Content{Subject: "Pass {{ work_shift.id }} har inte startat", EmailBody: "Planerad start {{ work_shift.planned_start }}."}}, "bench")
	if err != nil {
		b.Fatal(err)
	}
	res, err := eng.CreateLink(ctx, t.ID, avisera.Link{MessageID: m.ID, Trigger: "not_started", Offset: avisera.Duration(15 * time.Minute),
		Target: avisera.Target{Type: avisera.TargetTenant}, Channels: []string{avisera.ChannelEmail},
		Static: []avisera.StaticRecipient{{UserID: "boss"}}})
	if err != nil {
		b.Fatal(err)
	}
	return t.ID, res.Link
}

// seedTimers writes plans and their timers straight into the store, in
// large transactions: burstTimers due within the next minute, the rest
// days ahead.
func seedTimers(b *testing.B, s store.Store, tenantID string, l avisera.Link, now time.Time) {
	ctx := context.Background()
	for start := 0; start < pendingTimers; start += 5000 {
		err := s.Tx(ctx, func(tx store.Store) error {
			var ts []avisera.Timer
			for i := start; i < start+5000; i++ {
				due := now.Add(time.Duration(i) * time.Second).Add(30 * 24 * time.Hour)
				if i < burstTimers {
					due = now.Add(time.Duration(i) * 10 * time.Millisecond)
				}
				t, err := seedPlan(ctx, tx, tenantID, l, fmt.Sprintf("ws-%d", i), due)
				if err != nil {
					return err
				}
				ts = append(ts, t)
			}
			return tx.InsertTimers(ctx, ts)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func seedPlan(ctx context.Context, s store.Store, tenantID string, l avisera.Link, id string, due time.Time) (avisera.Timer, error) {
	p := avisera.Plan{Type: "work_shift", ID: id, UserIDs: []string{}, StartsAt: due.Add(-15 * time.Minute),
		Data: json.RawMessage(`{"name":"Kontorsstädning"}`), Status: avisera.PlanActive, UpdatedAt: due}
	if _, err := s.PutPlan(ctx, tenantID, p); err != nil {
		return avisera.Timer{}, err
	}
	return avisera.Timer{ID: "t-" + id, TenantID: tenantID, Kind: avisera.TimerPlan, PlanType: "work_shift", PlanID: id,
		LinkID: l.ID, Trigger: l.Trigger, DueAt: due.UTC(), Status: avisera.TimerPending, CreatedAt: due}, nil
}

// steady lets steadyTimers fall due over real seconds under a 1 s pump and
// returns each one's delay from due to fired.
func steady(b *testing.B, eng *engine.Engine, s store.Store, tenantID string, l avisera.Link) []time.Duration {
	ctx := context.Background()
	begin := time.Now().UTC().Add(time.Second)
	err := s.Tx(ctx, func(tx store.Store) error {
		var ts []avisera.Timer
		for i := range steadyTimers {
			due := begin.Add(time.Duration(i) * steadySeconds * time.Second / steadyTimers)
			t, err := seedPlan(ctx, tx, tenantID, l, fmt.Sprintf("steady-%d", i), due)
			if err != nil {
				return err
			}
			ts = append(ts, t)
		}
		return tx.InsertTimers(ctx, ts)
	})
	if err != nil {
		b.Fatal(err)
	}
	real := engine.New(s) // the production clock
	deadline := begin.Add(steadySeconds*time.Second + 30*time.Second)
	for time.Now().Before(deadline) {
		time.Sleep(time.Second)
		drain(b, real)
		n, err := s.CountTimers(ctx, avisera.TimerPending)
		if err != nil {
			b.Fatal(err)
		}
		if n == pendingTimers-burstTimers {
			break
		}
	}
	var delays []time.Duration
	for i := range steadyTimers {
		ts, err := s.ListTimers(ctx, tenantID, store.TimerFilter{PlanType: "work_shift", PlanID: fmt.Sprintf("steady-%d", i)})
		if err != nil {
			b.Fatal(err)
		}
		if len(ts) == 1 && ts[0].FiredAt != nil {
			delays = append(delays, ts[0].FiredAt.Sub(ts[0].DueAt))
		}
	}
	if len(delays) != steadyTimers {
		b.Fatalf("%d steady timers fired, want %d", len(delays), steadyTimers)
	}
	return delays
}
