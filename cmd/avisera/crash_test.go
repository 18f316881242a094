package main

import (
	"context"
	"maps"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/email/smtptest"
	"github.com/avisera/avisera/engine"
	"github.com/avisera/avisera/store"
	"github.com/avisera/avisera/store/postgres"
	"github.com/avisera/avisera/store/sqlite"
	"github.com/avisera/avisera/store/sqlstore"
	"github.com/avisera/avisera/store/storetest"
)

// TestCrashLosesNothing kills `avisera serve` with SIGKILL while it sends
// the deliveries of 1,000 events, restarts it on the same database and
// checks DESIGN §8: an accepted event is never lost, also across kill -9.
// Every delivery arrives at least once; only those whose send job was
// running at the kill may arrive twice.
func TestCrashLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts the server with 1,000 events; skipped with -short")
	}
	t.Parallel()
	tests := []struct {
		name string
		env  func(t *testing.T) map[string]string
	}{
		{"sqlite", func(t *testing.T) map[string]string {
			return map[string]string{"AVISERA_DATA_DIR": t.TempDir()}
		}},
		{"postgres", func(t *testing.T) map[string]string {
			return map[string]string{"AVISERA_DATA_DIR": t.TempDir(), "AVISERA_DATABASE_URL": storetest.PostgresURL(t)}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			crashAndRecover(t, tt.env(t))
		})
	}
}

// The crash test's sizes: events × recipients deliveries, sent by at most
// crashWorkers jobs at a time. A job holds the deliveries of one group of
// events accepted together, so at most postConcurrency events' (one per
// request in flight), and never more than jobDeliveries.
const (
	crashEvents     = 1000
	crashRecipients = 3
	crashWorkers    = 16
	jobDeliveries   = 200 // the most deliveries one send job holds
	postConcurrency = 16
	perJob          = min(jobDeliveries, postConcurrency*crashRecipients) // the most one job sends here
)

func crashAndRecover(t *testing.T, env map[string]string) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(t.Context(), 150*time.Second)
	defer cancel()
	bin := aviseraBinary(t)
	sink := smtptest.NewServer(t)
	env["AVISERA_ADDR"] = "127.0.0.1:0"
	env["AVISERA_SMTP_URL"] = sink.URL()
	// The default job timeout (1m) and rescue delay (2m) stay: the jobs the
	// killed process held must run again once it has been silent for 15 s
	// (the queue's process registry), well within the 90 s to settle.
	env["AVISERA_WORKERS"] = strconv.Itoa(crashWorkers)
	const expected = crashEvents * crashRecipients

	first := startProcess(t, bin, "first", env)
	logOnFailure(t, first)
	key := first.key(t)
	c := newAPIClient(first.url, key)
	addrs := setupRecipients(t, c, "k1", crashRecipients)

	// Kill as soon as a tenth of the mail has arrived: the posting and the
	// sending are then both under way.
	killed := make(chan struct{})
	go func() {
		defer close(killed)
		sink.WaitFor(expected/10, 60*time.Second)
		first.kill()
	}()
	posted := postEvents(ctx, c, "k1", seq(crashEvents), postConcurrency)
	<-killed
	if !sink.WaitIdle(10 * time.Second) {
		t.Fatal("the killed process's SMTP connections are still open after 10s")
	}
	beforeKill := sink.Messages()
	if n := len(beforeKill); n == 0 || n >= expected {
		t.Fatalf("%d of %d messages had arrived at the kill, want some but not all (the kill must land mid-delivery)", n, expected)
	}
	notAccepted := unaccepted(t, posted)
	sentAtKill := recordedSent(t, env, key)
	inFlight := inFlightAtKill(t, arrivals(t, beforeKill), sentAtKill)

	restarted := time.Now()
	second := startProcess(t, bin, "restarted", env)
	logOnFailure(t, second)
	c = newAPIClient(second.url, key)
	replayed := repost(ctx, t, c, notAccepted)
	settleCtx, cancelSettle := context.WithTimeout(ctx, 90*time.Second)
	defer cancelSettle()
	all := waitSettled(settleCtx, t, c, expected)
	recovery := time.Since(restarted)

	dups := checkArrivals(t, all, sink.Messages(), addrs, inFlight)
	t.Logf("%d events × %d recipients = %d deliveries; %d events accepted before the kill, %d re-posted (%d of them already accepted); "+
		"%d messages at the kill, %d recorded sent, %d in flight (bound %d workers × %d per job); %d duplicates; "+
		"all sent %v after the restart; %v in all",
		crashEvents, crashRecipients, expected, crashEvents-len(notAccepted), len(notAccepted), replayed,
		len(beforeKill), len(sentAtKill), len(inFlight), crashWorkers, perJob, dups,
		recovery.Round(100*time.Millisecond), time.Since(start).Round(100*time.Millisecond))
}

// unaccepted returns the events whose POST before the kill got no 202:
// those the kill cut off and those not posted yet. Any other answer is an
// error, since the process was alive to give it.
func unaccepted(t *testing.T, posted map[int]postResult) []int {
	t.Helper()
	var out []int
	for i := range crashEvents {
		r := posted[i]
		if r.status == http.StatusAccepted && r.err == nil {
			continue
		}
		if r.status != 0 {
			t.Errorf("POST event %s before the kill = %v, want 202", eventID(i), r.err)
		}
		out = append(out, i)
	}
	return out
}

// repost posts the events again to the restarted process, as a host whose
// request failed would, and returns how many of them the answer says had
// been accepted before: their transaction committed, but the kill cut the
// answer off. The event id is the idempotency key, so none may plan its
// deliveries twice.
func repost(ctx context.Context, t *testing.T, c *apiClient, events []int) int {
	t.Helper()
	replayed := 0
	for i, r := range postEvents(ctx, c, "k1", events, postConcurrency) {
		if r.err != nil {
			t.Fatalf("POST event %s after the restart: %v, want 202", eventID(i), r.err)
		}
		if r.dup {
			replayed++
		}
		if r.n != crashRecipients {
			t.Errorf("POST event %s after the restart: %d deliveries, want %d", eventID(i), r.n, crashRecipients)
		}
	}
	return replayed
}

// checkArrivals checks the deliveries the API lists against the messages
// the sink received: each delivery sent, one per event and address, each
// arrived at its address at least once and more often only if it was in
// flight at the kill. It returns the number of duplicate messages.
func checkArrivals(t *testing.T, all []apiDelivery, msgs []smtptest.Received, addrs []string, inFlight map[string]bool) int {
	t.Helper()
	byID := checkListed(t, all, addrs)
	for _, m := range msgs {
		id := m.Header.Get("X-Avisera-Delivery")
		if d, ok := byID[id]; !ok {
			t.Errorf("the sink got delivery %s, which the API does not list", id)
		} else if !slices.Equal(m.To, []string{d.Address}) {
			t.Errorf("delivery %s went to %v, want %s", id, m.To, d.Address)
		}
	}
	got := arrivals(t, msgs)
	dups := 0
	for id, d := range byID {
		n := got[id]
		switch {
		case n == 0:
			t.Errorf("delivery %s (%s to %s) is %s but never arrived: lost", id, d.EventID, d.Address, d.Status)
		case n > 1 && !inFlight[id]:
			t.Errorf("delivery %s arrived %d times, but it was not in flight at the kill", id, n)
		}
		dups += max(0, n-1)
	}
	if dups > len(inFlight) {
		t.Errorf("%d duplicate messages, want at most the %d deliveries in flight at the kill", dups, len(inFlight))
	}
	return dups
}

// checkListed checks that the API lists one sent delivery per event and
// address, and returns them by id.
func checkListed(t *testing.T, all []apiDelivery, addrs []string) map[string]apiDelivery {
	t.Helper()
	if want := crashEvents * len(addrs); len(all) != want {
		t.Errorf("the API lists %d deliveries, want %d events × %d recipients = %d", len(all), crashEvents, len(addrs), want)
	}
	byID := make(map[string]apiDelivery, len(all))
	pairs := make(map[string]string) // event and address → delivery id
	for _, d := range all {
		byID[d.ID] = d
		if d.Status != avisera.StatusSent {
			t.Errorf("delivery %s (%s to %s) is %s, want sent", d.ID, d.EventID, d.Address, d.Status)
		}
		pair := d.EventID + " " + d.Address
		if other, ok := pairs[pair]; ok {
			t.Errorf("deliveries %s and %s are both of event %s to %s, want one", other, d.ID, d.EventID, d.Address)
		}
		pairs[pair] = d.ID
	}
	for i := range crashEvents {
		for _, a := range addrs {
			if _, ok := pairs[eventID(i)+" "+a]; !ok {
				t.Errorf("event %s has no delivery to %s", eventID(i), a)
			}
		}
	}
	return byID
}

// inFlightAtKill returns the deliveries that had arrived at the sink but
// were not recorded as sent when the process died: their job was running,
// so it runs again after the restart and may send them twice. There can be
// no more than the jobs that run at once times the deliveries of a job (a
// job holds the deliveries of the events accepted together, at most
// jobDeliveries, the engine's maxJobDeliveries).
func inFlightAtKill(t *testing.T, arrived map[string]int, sent map[string]bool) map[string]bool {
	t.Helper()
	inFlight := make(map[string]bool)
	for id := range arrived {
		if !sent[id] {
			inFlight[id] = true
		}
	}
	for id := range sent {
		if arrived[id] == 0 {
			t.Errorf("delivery %s was recorded as sent before the kill but never arrived", id)
		}
	}
	if limit := crashWorkers * perJob; len(inFlight) > limit {
		t.Errorf("%d deliveries arrived but were not recorded as sent at the kill, want at most %d workers × %d = %d: %v",
			len(inFlight), crashWorkers, perJob, limit, slices.Sorted(maps.Keys(inFlight)))
	}
	return inFlight
}

// recordedSent opens the dead process's database and returns the
// deliveries it had recorded as sent.
func recordedSent(t *testing.T, env map[string]string, key string) map[string]bool {
	t.Helper()
	ctx := t.Context()
	var db *sqlstore.DB
	var err error
	if u := env["AVISERA_DATABASE_URL"]; u != "" {
		db, err = postgres.Open(ctx, u)
	} else {
		db, err = sqlite.Open(ctx, filepath.Join(env["AVISERA_DATA_DIR"], "avisera.db"))
	}
	if err != nil {
		t.Fatalf("open the killed process's database: %v", err)
	}
	defer db.Close()
	eng := engine.New(db.Store())
	tenant, err := eng.Authenticate(ctx, key)
	if err != nil {
		t.Fatalf("authenticate with the killed process's database: %v", err)
	}
	sent := make(map[string]bool)
	err = eng.EachDelivery(ctx, tenant.ID, store.DeliveryFilter{Statuses: []string{avisera.StatusSent}},
		func(d avisera.Delivery) error {
			sent[d.ID] = true
			return nil
		})
	if err != nil {
		t.Fatalf("list the deliveries sent before the kill: %v", err)
	}
	return sent
}

// logOnFailure shows the end of p's log when the test fails.
func logOnFailure(t *testing.T, p *process) {
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("last lines of %s's log:\n%s", p.name, p.logTail(30))
		}
	})
}

// seq returns 0 … n-1.
func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
