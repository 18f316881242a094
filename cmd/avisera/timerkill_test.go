package main

import (
	"slices"
	"testing"
	"time"

	"github.com/avisera/avisera/email/smtptest"
)

// TestTimersSurviveKill kills the server (SIGKILL) with two watchdog
// timers pending — one due while it is down, one due after it is back —
// and checks that after the restart each fires exactly once, the second on
// time.
func TestTimersSurviveKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts the server; skipped with -short")
	}
	t.Parallel()
	bin := aviseraBinary(t)
	sink := smtptest.NewServer(t)
	env := map[string]string{"AVISERA_DATA_DIR": t.TempDir(), "AVISERA_ADDR": "127.0.0.1:0",
		"AVISERA_SMTP_URL": sink.URL(), "AVISERA_TIMER_INTERVAL": "200ms"}
	first := startProcess(t, bin, "first", env)
	logOnFailure(t, first)
	key := first.key(t)
	c := newAPIClient(first.url, key)
	c.must(t, 201, "PUT", "/api/v1/users/boss", `{"name":"Chefen","role":"chef","notification_recipient":true,"emails":["chef@stad.se"]}`, nil)
	var m struct{ ID string }
	c.must(t, 201, "POST", "/api/v1/messages", `{"event_type":"work_shift","name":"Ej startat","subject":"Pass {{ work_shift.id }} har inte startat"}`, &m)
	c.must(t, 201, "POST", "/api/v1/links", `{"message_id":"`+m.ID+`","trigger":"not_started","offset":"2s","target":{"type":"tenant"},"channels":["email"],"static":[{"user_id":"boss"}]}`, nil)
	now := time.Now()
	plan := func(id string, start time.Time) {
		c.must(t, 201, "PUT", "/api/v1/plans/work_shift/"+id, `{"user_ids":[],"starts_at":"`+start.Format(time.RFC3339Nano)+
			`","ends_at":"`+start.Add(time.Hour).Format(time.RFC3339Nano)+`"}`, nil)
	}
	plan("while-down", now.Add(time.Second))      // due at +3 s, while the server is down
	plan("after-restart", now.Add(6*time.Second)) // due at +8 s
	first.kill()
	if sink.Count() != 0 {
		t.Fatalf("%d mails before any timer was due", sink.Count())
	}
	time.Sleep(time.Until(now.Add(4 * time.Second)))
	second := startProcess(t, bin, "restarted", env)
	logOnFailure(t, second)
	if !sink.WaitFor(1, 5*time.Second) {
		t.Fatal("the timer due while the server was down did not fire after the restart")
	}
	if !sink.WaitFor(2, 10*time.Second) {
		t.Fatal("the timer due after the restart did not fire")
	}
	second.kill() // a last chance to fire twice: restart once more
	third := startProcess(t, bin, "third", env)
	logOnFailure(t, third)
	time.Sleep(2 * time.Second)
	var subjects []string
	var late time.Duration
	for _, msg := range sink.Messages() {
		subjects = append(subjects, msg.Subject)
		if msg.Subject == "Pass after-restart har inte startat" {
			late = msg.ReceivedAt.Sub(now.Add(8 * time.Second))
		}
	}
	slices.Sort(subjects)
	want := []string{"Pass after-restart har inte startat", "Pass while-down har inte startat"}
	if !slices.Equal(subjects, want) {
		t.Errorf("mails = %q, want each timer once: %q", subjects, want)
	}
	if late < -time.Second || late > 3*time.Second {
		t.Errorf("the timer due after the restart fired %v from its due time, want within a few ticks", late)
	}
	t.Logf("the on-time timer fired %v after its due time", late.Round(time.Millisecond))
}
