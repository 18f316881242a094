package admin_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/admin"
	"github.com/avisera/avisera/engine"
)

// clock is a settable clock shared by the engine and the UI.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// seedPlans links a work-shift message to Norrmalm with a reminder an hour
// before the start and a "not started" watchdog 15 minutes after, both to
// Olle, and announces three shifts from now: ws-1 in three hours, ws-2 a
// day later, ws-3 two days later (cancelled). It returns ws-1's start.
func (e *env) seedPlans(now time.Time) time.Time {
	e.t.Helper()
	tid := e.tenant.ID
	m, err := e.eng.CreateMessage(ctx, tid, engine.MessageInput{EventType: "work_shift", Name: "Passpåminnelse",
		Content: avisera.Content{Subject: "Pass {{ work_shift.id }}", EmailBody: "Hej {{ recipient.name }}!"}}, "test")
	e.must(err)
	for _, l := range []struct {
		trigger string
		offset  time.Duration
	}{{"reminder", time.Hour}, {"not_started", 15 * time.Minute}} {
		_, err = e.eng.CreateLink(ctx, tid, avisera.Link{MessageID: m.ID, Trigger: l.trigger, Offset: avisera.Duration(l.offset),
			Target: avisera.Target{Type: avisera.TargetOrgUnit, ID: "ou-norr"}, Channels: []string{"email"},
			Static: []avisera.StaticRecipient{{UserID: "u1"}}})
		e.must(err)
	}
	start := now.Add(3 * time.Hour).Truncate(time.Minute)
	for i, id := range []string{"ws-1", "ws-2", "ws-3"} {
		s := start.Add(time.Duration(i) * 24 * time.Hour)
		end := s.Add(4 * time.Hour)
		_, _, err = e.eng.PutPlan(ctx, tid, engine.PlanInput{Type: "work_shift", ID: id, UserIDs: []string{"u1"},
			Refs: avisera.Refs{OrgUnit: "ou-norr", Customer: "k1", Place: "p1"}, StartsAt: s, EndsAt: &end,
			Data: json.RawMessage(`{"name":"Kontorsstädning"}`)})
		e.must(err)
	}
	e.must(e.eng.CancelPlan(ctx, tid, "work_shift", "ws-3"))
	return start
}

// reportLink finds the link to the follow-up report of a fired timer.
var reportLink = regexp.MustCompile(`href="(/followup\?[^"]*event_id=[^"]+)"`)

// TestPlans shows plans with pending, fired and cancelled timers in both
// languages, follows a fired timer to its deliveries, filters the list,
// and cancels a plan through the form.
func TestPlans(t *testing.T) {
	t.Parallel()
	clk := &clock{now: time.Now().UTC().Truncate(time.Minute)}
	e := newEnvWith(t, admin.Options{Now: clk.Now}, engine.WithClock(clk.Now))
	e.seed()
	start := e.seedPlans(clk.Now())
	clk.Set(start.Add(-59 * time.Minute))
	n, err := e.eng.FireDueTimers(ctx, 100)
	e.must(err)
	if n != 1 {
		t.Fatalf("fired %d timers an hour before ws-1, want its reminder", n)
	}
	c := e.loggedIn()
	c.checkScreens(t, []string{"/plans", "/plans?from=&status=cancelled", "/plans?type=work_shift&user_id=u1",
		"/plans/work_shift/ws-1", "/plans/work_shift/ws-3", "/webhooks"})

	r := c.get("/plans")
	for _, want := range []string{"ws-1", "ws-2", "ws-3", "Arbetspass", "Olle Städare", "Kontorshuset AB", "Sveavägen 44",
		"Ej startat", "Passpåminnelse", "Avbruten"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("GET /plans does not show %q; body:\n%.4000s", want, r.body)
		}
	}
	r = c.get("/plans/work_shift/ws-1")
	for _, want := range []string{"Påminnelse", "Skickad", "Ej startat", "Väntar", "1 utskick, 0 stoppade", `id="cancel-plan"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("GET /plans/work_shift/ws-1 does not show %q; body:\n%.4000s", want, r.body)
		}
	}
	m := reportLink.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("the fired reminder has no link to its deliveries; body:\n%.4000s", r.body)
	}
	r = c.get(html.UnescapeString(m[1]))
	if r.status != http.StatusOK || !strings.Contains(r.body, `id="event-filter"`) || !strings.Contains(r.body, "olle@ren.se") {
		t.Errorf("GET %s = %d, want the event's delivery to olle@ren.se; body:\n%.4000s", m[1], r.status, r.body)
	}
	if r := c.get("/plans?type=bogus"); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="err-type"`) {
		t.Errorf("GET /plans?type=bogus = %d, want 422 naming the field", r.status)
	}
	if r := c.get("/plans?from=&status=cancelled"); !strings.Contains(r.body, "ws-3") || strings.Contains(r.body, "ws-2") {
		t.Errorf("the cancelled filter does not show ws-3 alone")
	}
	if r := c.get("/plans/work_shift/nope"); r.status != http.StatusNotFound {
		t.Errorf("GET an unknown plan = %d, want 404", r.status)
	}
}

// TestCancelPlanForm cancels a plan through its form: its pending timers
// are cancelled, and the form needs the session's CSRF token.
func TestCancelPlanForm(t *testing.T) {
	t.Parallel()
	e := newEnv(t, admin.Options{})
	e.seed()
	e.seedPlans(time.Now())
	c := e.loggedIn()
	c.get("/plans/work_shift/ws-1")
	if r := c.post("/plans/work_shift/ws-1/cancel", url.Values{"csrf": {"forged"}}); r.status != http.StatusForbidden {
		t.Errorf("cancel without the CSRF token = %d, want 403", r.status)
	}
	if p := e.plan("ws-1"); p.Status != avisera.PlanActive {
		t.Fatalf("a forged form cancelled the plan: %s", p.Status)
	}
	if got := countTimers(e.plan("ws-1"), avisera.TimerPending); got != 2 {
		t.Fatalf("ws-1 has %d pending timers before cancelling, want 2", got)
	}
	r := c.post("/plans/work_shift/ws-1/cancel", url.Values{"back": {"from=&status=active"}})
	if r.status != http.StatusSeeOther || r.location != "/plans/work_shift/ws-1?back=from%3D%26status%3Dactive" {
		t.Fatalf("cancel = %d to %q, want 303 back to the plan; body:\n%.2000s", r.status, r.location, r.body)
	}
	p := e.plan("ws-1")
	if p.Status != avisera.PlanCancelled || countTimers(p, avisera.TimerPending) != 0 || countTimers(p, avisera.TimerCancelled) != 2 {
		t.Errorf("after cancelling: status %s, timers %+v; want cancelled with both timers cancelled", p.Status, p.Timers)
	}
	if p := e.plan("ws-2"); countTimers(p, avisera.TimerPending) != 2 {
		t.Errorf("cancelling ws-1 touched ws-2's timers: %+v", p.Timers)
	}
	r = c.get(r.location)
	if !strings.Contains(r.body, "är avbruten") || !strings.Contains(r.body, "planen avbröts") || strings.Contains(r.body, `id="cancel-plan"`) {
		t.Errorf("the cancelled plan's page; body:\n%.4000s", r.body)
	}
}

func (e *env) plan(id string) avisera.Plan {
	e.t.Helper()
	p, err := e.eng.GetPlan(ctx, e.tenant.ID, "work_shift", id)
	e.must(err)
	return p
}

func countTimers(p avisera.Plan, status string) int {
	n := 0
	for _, t := range p.Timers {
		if t.Status == status {
			n++
		}
	}
	return n
}

// callbackURL finds a provider's URL on the callback URLs page.
func callbackURL(t *testing.T, body, provider string) string {
	t.Helper()
	m := regexp.MustCompile(`id="url-` + provider + `">([^<]+)</code>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the page shows no %s URL; body:\n%.3000s", provider, body)
	}
	return html.UnescapeString(m[1])
}

// TestRotateWebhookSecret rotates the callback secret through the form:
// the page and the engine show new URLs, the old ones answer 401, and a
// form without the CSRF token changes nothing.
func TestRotateWebhookSecret(t *testing.T) {
	t.Parallel()
	e := newEnv(t, admin.Options{})
	c := e.loggedIn()
	r := c.get("/webhooks")
	old := map[string]string{}
	for _, p := range []string{"46elks", "twilio", "brevo", "http"} {
		old[p] = callbackURL(t, r.body, p)
	}
	if r := c.post("/webhooks/rotate", url.Values{"csrf": {""}}); r.status != http.StatusForbidden {
		t.Errorf("rotate without the CSRF token = %d, want 403", r.status)
	}
	if urls, _ := e.eng.WebhookURLs(ctx, e.tenant.ID); urls["brevo"] != old["brevo"] {
		t.Fatalf("a forged form rotated the secret")
	}
	if r := c.post("/webhooks/rotate", nil); r.status != http.StatusSeeOther || r.location != "/webhooks" {
		t.Fatalf("rotate = %d to %q, want 303 to /webhooks", r.status, r.location)
	}
	r = c.get("/webhooks")
	if !strings.Contains(r.body, `id="flash"`) {
		t.Error("the page does not say the secret was rotated")
	}
	urls, err := e.eng.WebhookURLs(ctx, e.tenant.ID)
	e.must(err)
	for p, was := range old {
		if got := callbackURL(t, r.body, p); got == was || got != urls[p] {
			t.Errorf("%s URL after rotating = %q; want a new one, the engine's %q (was %q)", p, got, urls[p], was)
		}
	}
	if got := e.postCallback(old["http"]); got != http.StatusUnauthorized {
		t.Errorf("the old http URL answers %d, want 401", got)
	}
	if got := e.postCallback(urls["http"]); got == http.StatusUnauthorized {
		t.Errorf("the new http URL answers 401")
	}
}

// postCallback posts an empty report to the path of a callback URL.
func (e *env) postCallback(callback string) int {
	e.t.Helper()
	u, err := url.Parse(callback)
	e.must(err)
	res, err := http.Post(e.srv.URL+u.Path, "application/json", strings.NewReader(`[]`))
	e.must(err)
	res.Body.Close()
	return res.StatusCode
}
