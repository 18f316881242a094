package engine_test

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/engine"
	"github.com/avisera/avisera/store"
	"github.com/avisera/avisera/store/sqlstore"
)

// fakeClock is a settable clock; tests move time instead of sleeping.
// clockedEnv is newEnv on a clock the test moves, starting at now.
func clockedEnv(t *testing.T, open func(testing.TB) *sqlstore.DB, now time.Time) (*env, *fakeClock) {
	t.Helper()
	clk := &fakeClock{now: now}
	return newEnv(t, open, fastRetry, engine.WithClock(clk.Now)), clk
}

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

var stockholm, _ = time.LoadLocation("Europe/Stockholm")

func local(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, stockholm)
}

// fire moves the clock and fires what is due; it returns how many fired.
func (e *env) fire(clk *fakeClock, at time.Time) int {
	e.t.Helper()
	clk.Set(at)
	n, err := e.eng.FireDueTimers(ctx, 1000)
	e.must(err)
	return n
}

// shiftSetup: a boss as static recipient of a not_started link at +15m on
// work shifts.
func shiftSetup(e *env, trigger string, offset time.Duration, body string) {
	_, _, err := e.eng.PutOrgUnit(ctx, e.tenant, avisera.OrgUnit{ID: "syd", Name: "Syd", TimeZone: "Europe/Stockholm"})
	e.must(err)
	_, _, err = e.eng.PutUser(ctx, e.tenant, engine.UserInput{User: avisera.User{ID: "boss", Name: "Chefen",
		Role: "chef", NotificationRecipient: true}, Emails: []string{"chef@stad.se"}})
	e.must(err)
	for _, u := range []string{"u1", "u2", "u3"} {
		_, _, err = e.eng.PutUser(ctx, e.tenant, engine.UserInput{User: avisera.User{ID: u, Name: "Städare " + u,
			Role: "städare", NotificationRecipient: true, OrgUnitIDs: []string{"syd"}}, Emails: []string{u + "@stad.se"}})
		e.must(err)
	}
	m, err := e.eng.CreateMessage(ctx, e.tenant, engine.MessageInput{EventType: "work_shift", Name: trigger,
		Content: avisera.Content{Subject: "Pass {{ work_shift.id }}: " + trigger, EmailBody: body}}, "test")
	e.must(err)
	e.link(avisera.Link{MessageID: m.ID, Trigger: trigger, Offset: avisera.Duration(offset),
		Target: avisera.Target{Type: avisera.TargetOrgUnit, ID: "syd"}, Static: []avisera.StaticRecipient{{UserID: "boss"}}})
}

func (e *env) shift(id, user string, start time.Time) {
	e.t.Helper()
	end := start.Add(4 * time.Hour)
	_, _, err := e.eng.PutPlan(ctx, e.tenant, engine.PlanInput{Type: "work_shift", ID: id, UserIDs: []string{user},
		Refs: avisera.Refs{OrgUnit: "syd"}, StartsAt: start, EndsAt: &end, Data: json.RawMessage(`{"name":"Kontorsstädning"}`)})
	e.must(err)
}

// shiftEvent moves the clock to at and posts a work_shift event of trigger
// for the shift worked by user.
func (e *env) shiftEvent(clk *fakeClock, trigger, shiftID, user string, at time.Time) {
	e.t.Helper()
	clk.Set(at)
	_, err := e.eng.AcceptEvent(ctx, e.tenant, engine.EventInput{ID: trigger + "-" + shiftID + "-" + at.Format("0102T1504"),
		Type: "work_shift." + trigger, OccurredAt: at, Subject: avisera.Target{Type: "work_shift", ID: shiftID},
		Refs: avisera.Refs{Users: []string{user}}})
	e.must(err)
}

func (e *env) subjects() []string {
	var out []string
	for _, m := range e.sink.Messages() {
		out = append(out, m.Subject)
	}
	slices.Sort(out)
	return out
}

// TestNotStartedWatchdog is issue 6's first check.
func TestNotStartedWatchdog(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e, clk := clockedEnv(t, open, local(2026, 3, 2, 6, 0))
		shiftSetup(e, "not_started", 15*time.Minute, "{{ user.name }} har inte startat passet som började {{ work_shift.planned_start }}.")
		e.shift("A", "u1", local(2026, 3, 2, 8, 0))
		e.shift("B", "u2", local(2026, 3, 2, 8, 0))
		e.shift("C", "u3", local(2026, 3, 2, 8, 0))

		clk.Set(local(2026, 3, 2, 7, 50))
		e.shift("C", "u3", local(2026, 3, 2, 9, 0)) // moved
		// Shift D is clocked in before it is planned: no false alarm.
		e.shiftEvent(clk, "started", "D", "u1", clk.Now())
		e.shift("D", "u1", local(2026, 3, 2, 8, 0))
		if d, err := e.eng.GetPlan(ctx, e.tenant, "work_shift", "D"); err != nil || d.StartedAt == nil || len(d.Timers) != 0 {
			t.Errorf("plan D = %+v, %v; want started by the earlier event, without a watchdog", d, err)
		}
		e.shiftEvent(clk, "started", "B", "u2", local(2026, 3, 2, 8, 10))

		if n := e.fire(clk, local(2026, 3, 2, 8, 14)); n != 0 {
			t.Errorf("fired %d at 08:14, want 0", n)
		}
		if n := e.fire(clk, local(2026, 3, 2, 8, 15)); n != 1 {
			t.Errorf("fired %d at 08:15, want 1 (shift A)", n)
		}
		if !e.sink.WaitFor(1, 5*time.Second) {
			t.Fatal("no watchdog mail for shift A")
		}
		if n := e.fire(clk, local(2026, 3, 2, 9, 14)); n != 0 {
			t.Errorf("fired %d at 09:14, want 0", n)
		}
		if n := e.fire(clk, local(2026, 3, 2, 9, 15)); n != 1 {
			t.Errorf("fired %d at 09:15, want 1 (moved shift C)", n)
		}
		e.sink.WaitFor(2, 5*time.Second)
		time.Sleep(50 * time.Millisecond)
		want := []string{"Pass A: not_started", "Pass C: not_started"}
		if got := e.subjects(); !slices.Equal(got, want) {
			t.Errorf("mails = %v, want %v", got, want)
		}
		if n := e.fire(clk, local(2026, 3, 2, 23, 0)); n != 0 {
			t.Errorf("fired %d more later, want none (each timer fires once)", n)
		}
		p, err := e.eng.GetPlan(ctx, e.tenant, "work_shift", "B")
		e.must(err)
		if len(p.Timers) != 1 || p.Timers[0].Status != avisera.TimerCancelled || p.StartedAt == nil {
			t.Errorf("plan B = %+v, want started with its watchdog cancelled", p)
		}
		body := string(e.sink.Messages()[0].Data)
		if !strings.Contains(body, "u1 har inte startat") {
			t.Errorf("watchdog mail lacks the plan's data:\n%s", body)
		}
	})
}

// TestReminderAndRestart: a reminder 30 minutes before the start, with the
// plan's data; a second engine on the same database (a restart) fires it
// once.
func TestReminderAndRestart(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e, clk := clockedEnv(t, open, local(2026, 3, 2, 6, 0))
		shiftSetup(e, "reminder", 30*time.Minute, "Påminnelse: {{ data.name }} börjar {{ work_shift.planned_start | date: \"%H:%M\" }}.")
		e.shift("A", "u1", local(2026, 3, 2, 8, 0))
		if n := e.fire(clk, local(2026, 3, 2, 7, 29)); n != 0 {
			t.Errorf("fired %d at 07:29, want 0", n)
		}
		e.restart() // the timer is a row in the database: it survives
		if n := e.fire(clk, local(2026, 3, 2, 7, 30)); n != 1 {
			t.Fatalf("fired %d at 07:30 after a restart, want 1", n)
		}
		e.restart()
		if n := e.fire(clk, local(2026, 3, 2, 7, 45)); n != 0 {
			t.Errorf("fired %d again after another restart, want 0", n)
		}
		if !e.sink.WaitFor(1, 5*time.Second) {
			t.Fatal("no reminder mail")
		}
		if body := string(e.sink.Messages()[0].Data); !strings.Contains(body, "Kontorsst") || !strings.Contains(body, "08:00") {
			t.Errorf("reminder lacks the plan's data:\n%s", body)
		}
	})
}

// TestWeeklySummaryAcrossDST: Sunday 18:00 Stockholm time, before and
// after the October change back from summer time.
func TestWeeklySummaryAcrossDST(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e, clk := clockedEnv(t, open, local(2026, 10, 15, 12, 0))
		_, _, err := e.eng.PutOrgUnit(ctx, e.tenant, avisera.OrgUnit{ID: "syd", Name: "Syd", TimeZone: "Europe/Stockholm"})
		e.must(err)
		for _, u := range []string{"u1", "u2"} {
			_, _, err = e.eng.PutUser(ctx, e.tenant, engine.UserInput{User: avisera.User{ID: u, Name: "Städare " + u,
				Role: "städare", NotificationRecipient: true}, Emails: []string{u + "@stad.se"}})
			e.must(err)
		}
		m, err := e.eng.CreateMessage(ctx, e.tenant, engine.MessageInput{EventType: "work_shift", Name: "Veckoschema",
			Content: avisera.Content{Subject: "Veckoschema för {{ recipient.name }}: {{ plans.size }} pass",
				EmailBody: "{% for p in plans %}- {{ p.starts_at | date: \"%a %d %b %H:%M\" }} {{ p.name }}\n{% endfor %}"}}, "test")
		e.must(err)
		e.link(avisera.Link{MessageID: m.ID, Trigger: "weekly", TimeOfDay: "18:00", Schedule: avisera.Schedule{Weekday: "sunday"},
			Target: avisera.Target{Type: avisera.TargetOrgUnit, ID: "syd"}, Dynamic: []string{avisera.TokenPerformer}})
		// Week of 19 Oct: u1 twice, u2 once. Week of 26 Oct (after the change): u1 once.
		for i, s := range []struct {
			user string
			at   time.Time
		}{{"u1", local(2026, 10, 19, 7, 0)}, {"u1", local(2026, 10, 21, 7, 0)}, {"u2", local(2026, 10, 20, 9, 0)},
			{"u1", local(2026, 10, 26, 7, 0)}, {"u2", local(2026, 10, 18, 7, 0)}} {
			_, _, err := e.eng.PutPlan(ctx, e.tenant, engine.PlanInput{Type: "work_shift", ID: "s" + string(rune('0'+i)),
				UserIDs: []string{s.user}, Refs: avisera.Refs{OrgUnit: "syd"}, StartsAt: s.at, Data: json.RawMessage(`{"name":"Städ"}`)})
			e.must(err)
		}
		if n := e.fire(clk, local(2026, 10, 18, 17, 59)); n != 0 {
			t.Errorf("fired %d before Sunday 18:00, want 0", n)
		}
		if n := e.fire(clk, local(2026, 10, 18, 18, 0)); n != 1 {
			t.Fatalf("fired %d at Sunday 18:00 CEST, want 1", n)
		}
		if !e.sink.WaitFor(2, 5*time.Second) {
			t.Fatalf("got %d summaries, want 2", e.sink.Count())
		}
		want := []string{"Veckoschema för Städare u1: 2 pass", "Veckoschema för Städare u2: 1 pass"}
		if got := e.subjects(); !slices.Equal(got, want) {
			t.Errorf("first week = %v, want %v", got, want)
		}
		// 25 Oct 2026 is the change back: 18:00 CET is 17:00 UTC, not 16:00.
		if n := e.fire(clk, time.Date(2026, 10, 25, 16, 30, 0, 0, time.UTC)); n != 0 {
			t.Errorf("fired %d at 17:30 CET, want 0", n)
		}
		if n := e.fire(clk, time.Date(2026, 10, 25, 17, 0, 0, 0, time.UTC)); n != 1 {
			t.Fatalf("fired %d at Sunday 18:00 CET, want 1", n)
		}
		if !e.sink.WaitFor(3, 5*time.Second) {
			t.Fatalf("got %d summaries, want 3", e.sink.Count())
		}
		last := e.sink.Messages()[2]
		if last.Subject != "Veckoschema för Städare u1: 1 pass" || !strings.Contains(string(last.Data), "07:00") {
			t.Errorf("second week = %q, want u1's one shift at 07:00 local:\n%s", last.Subject, last.Data)
		}
	})
}

// TestQuietHours: a non-urgent SMS at 22:00 waits until 07:00; an urgent
// one goes at once.
func TestQuietHours(t *testing.T) {
	t.Parallel()
	e, _ := clockedEnv(t, openSQLite, local(2026, 3, 2, 22, 0))
	_, _, err := e.eng.PutOrgUnit(ctx, e.tenant, avisera.OrgUnit{ID: "syd", Name: "Syd"})
	e.must(err)
	_, _, err = e.eng.PutUser(ctx, e.tenant, engine.UserInput{User: avisera.User{ID: "u1", Name: "Olle",
		Role: "städare", NotificationRecipient: true}, Phones: []string{"0701111111"}})
	e.must(err)
	e.link(avisera.Link{MessageID: e.smsMessage("Order {{ order.number }} klar"), Channels: []string{avisera.ChannelSMS},
		Target: avisera.Target{Type: avisera.TargetTenant}, Dynamic: []string{avisera.TokenPerformer}})
	e.post("night", avisera.Refs{OrgUnit: "syd", Users: []string{"u1"}})
	l, err := e.eng.ListDeliveries(ctx, e.tenant, storeFilter("night"), avisera.Page{Limit: 10})
	e.must(err)
	d := l.Items[0]
	if d.Status != avisera.StatusScheduled || d.NextAttemptAt == nil || !d.NextAttemptAt.Equal(local(2026, 3, 3, 7, 0)) {
		t.Errorf("night SMS = %s next %v, want scheduled for 07:00", d.Status, d.NextAttemptAt)
	}
	if want := "quiet hours: sent at 2026-03-03 07:00 CET (Europe/Stockholm)"; d.Detail != want {
		t.Errorf("night SMS detail = %q, want %q", d.Detail, want)
	}
	urgent, err := e.eng.CreateMessage(ctx, e.tenant, engine.MessageInput{EventType: "order", Name: "Brådskande",
		Content: avisera.Content{Subject: "x", SMSBody: "Brådskande"}}, "test")
	e.must(err)
	e.link(avisera.Link{MessageID: urgent.ID, Channels: []string{avisera.ChannelSMS}, Urgent: true,
		Target: avisera.Target{Type: avisera.TargetTenant}, Dynamic: []string{avisera.TokenPerformer}})
	e.post("night2", avisera.Refs{OrgUnit: "syd", Users: []string{"u1"}})
	e.post("night3", avisera.Refs{Users: []string{"u1"}})
	l3, err := e.eng.ListDeliveries(ctx, e.tenant, storeFilter("night3"), avisera.Page{Limit: 10})
	e.must(err)
	for _, d := range l3.Items {
		if d.Status == avisera.StatusScheduled {
			t.Errorf("an event with no org unit was held for quiet hours: %+v", d)
		}
	}
	l, err = e.eng.ListDeliveries(ctx, e.tenant, storeFilter("night2"), avisera.Page{Limit: 10})
	e.must(err)
	held := 0
	for _, d := range l.Items {
		if d.Status == avisera.StatusScheduled {
			held++
		}
	}
	if len(l.Items) != 2 || held != 1 {
		t.Errorf("deliveries = %+v, want two: the urgent one on its way (not scheduled), the other scheduled", l.Items)
	}
}

// TestReplicasFireEachTimerOnce: two engines (two replicas) on one
// database fire 200 due timers concurrently; each fires exactly once.
func TestReplicasFireEachTimerOnce(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e, clk := clockedEnv(t, open, local(2026, 3, 2, 6, 0))
		shiftSetup(e, "not_started", 15*time.Minute, "{{ user.name }} har inte startat.")
		for i := range 200 {
			e.shift("s"+strconv.Itoa(i), "u1", local(2026, 3, 2, 8, 0).Add(time.Duration(i)*time.Second))
		}
		clk.Set(local(2026, 3, 2, 9, 0))
		other := engine.New(e.db.Store(), engine.WithClock(clk.Now))
		var wg sync.WaitGroup
		counts := make([]int, 2)
		for i, eng := range []*engine.Engine{e.eng, other} {
			wg.Go(func() {
				for {
					n, err := eng.FireDueTimers(ctx, 10)
					if err != nil {
						t.Error(err)
						return
					}
					counts[i] += n
					if n == 0 {
						return
					}
				}
			})
		}
		wg.Wait()
		if counts[0]+counts[1] != 200 {
			t.Errorf("fired %v = %d timers, want 200", counts, counts[0]+counts[1])
		}
		l, err := e.eng.ListDeliveries(ctx, e.tenant, store.DeliveryFilter{Trigger: "not_started"}, avisera.Page{Limit: 500})
		e.must(err)
		if len(l.Items) != 200 {
			t.Errorf("deliveries = %d, want one per timer (200)", len(l.Items))
		}
		t.Logf("replica split: %v", counts)
	})
}

// TestWatchdogSeesRacingEvent: an event accepted while its plan was being
// announced (on PostgreSQL neither transaction sees the other's row, so the
// event marks no plan and the plan finds no event) still answers the
// watchdog when it comes due.
func TestWatchdogSeesRacingEvent(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e, clk := clockedEnv(t, open, local(2026, 3, 2, 7, 0))
		shiftSetup(e, "not_started", 15*time.Minute, "{{ user.name }} har inte startat.")
		e.shift("A", "u1", local(2026, 3, 2, 8, 0))
		e.shift("B", "u2", local(2026, 3, 2, 8, 0))
		// The events as the racing transaction stored them: without marking
		// the plan. B's is from two days before: another shift that had its id.
		started := func(id string, at time.Time) store.NewEvent {
			return store.NewEvent{TenantID: e.tenant, Event: avisera.Event{ID: "start-" + id + at.Format("0102"),
				EventType: "work_shift", Trigger: "started", OccurredAt: at, Subject: avisera.Target{Type: "work_shift", ID: id},
				Data: json.RawMessage(`{}`), Files: []string{}, AcceptedAt: at}}
		}
		e.must(e.db.Store().InsertEvents(ctx, []store.NewEvent{started("A", local(2026, 3, 2, 8, 2)),
			started("B", local(2026, 2, 28, 8, 2))}))
		e.fire(clk, local(2026, 3, 2, 8, 15))
		a, err := e.eng.GetPlan(ctx, e.tenant, "work_shift", "A")
		e.must(err)
		if len(a.Timers) != 1 || a.Timers[0].Status != avisera.TimerSkipped || !strings.Contains(a.Timers[0].Detail, "started") {
			t.Errorf("timers of A = %+v, want the watchdog skipped: the plan started", a.Timers)
		}
		b, err := e.eng.GetPlan(ctx, e.tenant, "work_shift", "B")
		e.must(err)
		if len(b.Timers) != 1 || b.Timers[0].Status != avisera.TimerFired {
			t.Errorf("timers of B = %+v, want the watchdog fired despite the old event", b.Timers)
		}
		e.sink.WaitFor(1, 5*time.Second)
		time.Sleep(50 * time.Millisecond)
		if got := e.subjects(); !slices.Equal(got, []string{"Pass B: not_started"}) {
			t.Errorf("mails = %v, want B's watchdog only", got)
		}
	})
}

// TestMovedPlanKeepsItsStartOnlyNearby: a plan moved a little after it
// started stays started; moved to the next day (its id reused for the next
// occurrence), it starts unanswered and its watchdog fires.
func TestMovedPlanKeepsItsStartOnlyNearby(t *testing.T) {
	t.Parallel()
	e, clk := clockedEnv(t, openSQLite, local(2026, 3, 2, 7, 0))
	shiftSetup(e, "not_started", 15*time.Minute, "{{ user.name }} har inte startat.")
	e.shift("A", "u1", local(2026, 3, 2, 8, 0))
	e.shiftEvent(clk, "started", "A", "u1", local(2026, 3, 2, 8, 2))
	e.shift("A", "u1", local(2026, 3, 2, 8, 30)) // corrected start time
	if p, err := e.eng.GetPlan(ctx, e.tenant, "work_shift", "A"); err != nil || p.StartedAt == nil {
		t.Fatalf("plan A moved by half an hour = %+v, %v; want still started", p, err)
	}
	e.shiftEvent(clk, "ended", "A", "u1", local(2026, 3, 2, 20, 5)) // a long shift, clocked out in the evening
	e.shift("A", "u1", local(2026, 3, 3, 8, 0))                     // the next day's shift under the same id
	if p, err := e.eng.GetPlan(ctx, e.tenant, "work_shift", "A"); err != nil || p.StartedAt != nil || p.CompletedAt != nil {
		t.Fatalf("plan A moved to the next day = %+v, %v; want neither started nor completed", p, err)
	}
	if n := e.fire(clk, local(2026, 3, 3, 8, 15)); n != 1 {
		t.Errorf("fired %d at the next day's 08:15, want the watchdog (yesterday's start does not answer it)", n)
	}
	if !e.sink.WaitFor(1, 5*time.Second) {
		t.Error("no watchdog mail for the next day's shift")
	}
	// A plan open all day (earliest at midnight), done in the afternoon and
	// moved to the next day in the evening: the next day is unanswered.
	day := func(d, h int) *time.Time { v := local(2026, 3, d, h, 0); return &v }
	plan := func(d int) {
		t.Helper()
		_, _, err := e.eng.PutPlan(ctx, e.tenant, engine.PlanInput{Type: "work_shift", ID: "W", UserIDs: []string{"u1"},
			Refs: avisera.Refs{OrgUnit: "syd"}, StartsAt: *day(d, 8), EarliestAt: day(d, 0), EndsAt: day(d, 18)})
		e.must(err)
	}
	clk.Set(local(2026, 3, 3, 1, 0))
	plan(4)
	e.shiftEvent(clk, "started", "W", "u1", *day(4, 13))
	e.shiftEvent(clk, "ended", "W", "u1", *day(4, 14))
	clk.Set(*day(4, 20))
	plan(5)
	if p, err := e.eng.GetPlan(ctx, e.tenant, "work_shift", "W"); err != nil || p.StartedAt != nil || p.CompletedAt != nil {
		t.Errorf("all-day plan W moved to the next day = %+v, %v; want neither started nor completed", p, err)
	}
}

// TestEarlyWorkAnswersItsPlan: work begun and done hours before the
// planned window still answers the plan, whether the plan is re-sent
// after it or announced after it.
func TestEarlyWorkAnswersItsPlan(t *testing.T) {
	t.Parallel()
	e, clk := clockedEnv(t, openSQLite, local(2026, 3, 2, 7, 0))
	shiftSetup(e, "not_started", 15*time.Minute, "{{ user.name }} har inte startat.")
	e.shift("A", "u1", local(2026, 3, 2, 14, 0))
	for _, id := range []string{"A", "B"} {
		e.shiftEvent(clk, "started", id, "u1", local(2026, 3, 2, 11, 30))
		e.shiftEvent(clk, "ended", id, "u1", local(2026, 3, 2, 12, 15))
	}
	clk.Set(local(2026, 3, 2, 12, 30))
	e.shift("A", "u1", local(2026, 3, 2, 14, 0)) // re-sent unchanged
	e.shift("B", "u1", local(2026, 3, 2, 14, 0)) // announced after the work
	for _, id := range []string{"A", "B"} {
		p, err := e.eng.GetPlan(ctx, e.tenant, "work_shift", id)
		if err != nil || p.StartedAt == nil || p.CompletedAt == nil {
			t.Errorf("plan %s = %+v, %v; want started and completed by the early work", id, p, err)
		}
	}
}
