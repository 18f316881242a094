package main

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/avisera/avisera/email/smtptest"
	"github.com/avisera/avisera/store/storetest"
)

// TestScaleOutExactlyOnce runs two `avisera serve` replicas on one
// PostgreSQL schema (DESIGN §6: work is claimed with SKIP LOCKED), each
// sending through its own SMTP server, and checks that the 5,000
// deliveries of 100 events arrive exactly once in all and that both
// replicas did part of the work.
func TestScaleOutExactlyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("runs two servers and 5,000 deliveries; skipped with -short")
	}
	t.Parallel()
	const events, recipients = 100, 50
	const expected = events * recipients
	start := time.Now()
	ctx, cancel := context.WithTimeout(t.Context(), 120*time.Second)
	defer cancel()
	dbURL := storetest.PostgresURL(t)
	bin := aviseraBinary(t)

	names := []string{"replica-a", "replica-b"}
	sinks := make([]*smtptest.Server, len(names))
	clients := make([]*apiClient, len(names))
	var key string
	for i, name := range names {
		sinks[i] = smtptest.NewServer(t)
		p := startProcess(t, bin, name, map[string]string{"AVISERA_ADDR": "127.0.0.1:0",
			"AVISERA_DATA_DIR": t.TempDir(), "AVISERA_DATABASE_URL": dbURL, "AVISERA_SMTP_URL": sinks[i].URL()})
		logOnFailure(t, p)
		if i == 0 {
			key = p.key(t) // the first replica creates the tenant; the others share it
		} else if k := procKey.FindString(p.stdout.String()); k != "" {
			t.Fatalf("%s printed a new API key %s, want none (the tenant exists)", name, k)
		}
		clients[i] = newAPIClient(p.url, key)
	}
	setupRecipients(t, clients[0], "k1", recipients)

	// Half of the events go to each replica, at the same time.
	var wg sync.WaitGroup
	results := make([]map[int]postResult, len(clients))
	for i, c := range clients {
		var idx []int
		for e := i; e < events; e += len(clients) {
			idx = append(idx, e)
		}
		wg.Go(func() { results[i] = postEvents(ctx, c, "k1", idx, 8) })
	}
	wg.Wait()
	for _, rs := range results {
		for e, r := range rs {
			if r.err != nil || r.n != recipients {
				t.Fatalf("POST event %s = %v with %d deliveries, want 202 with %d", eventID(e), r.err, r.n, recipients)
			}
		}
	}

	if !waitCount(ctx, sinks, expected) {
		t.Fatalf("%d of %d messages arrived within the deadline", total(sinks), expected)
	}
	all := waitSettled(ctx, t, clients[1], expected)
	// A job run twice would send again after the first run recorded the
	// deliveries as sent; give such late messages time to arrive.
	waitQuiet(ctx, sinks, 2*time.Second)

	want := make(map[string]bool, len(all))
	for _, d := range all {
		want[d.ID] = true
	}
	if len(want) != expected {
		t.Errorf("the API lists %d deliveries, want %d events × %d recipients = %d", len(want), events, recipients, expected)
	}
	seen := make(map[string]string) // delivery id → the replica that sent it
	dups := 0
	sent := make([]int, len(sinks))
	for i, s := range sinks {
		got := arrivals(t, s.Messages())
		sent[i] = len(got)
		if len(got) == 0 {
			t.Errorf("%s sent nothing, want both replicas to work", names[i])
		}
		for id, n := range got {
			if !want[id] {
				t.Errorf("%s sent delivery %s, which the API does not list", names[i], id)
			}
			if n > 1 {
				t.Errorf("%s sent delivery %s %d times, want once", names[i], id, n)
				dups += n - 1
			}
			if other, ok := seen[id]; ok {
				t.Errorf("delivery %s was sent by %s and by %s, want once", id, other, names[i])
				dups++
			}
			seen[id] = names[i]
		}
	}
	for id := range want {
		if _, ok := seen[id]; !ok {
			t.Errorf("delivery %s never arrived", id)
		}
	}
	t.Logf("%d events × %d recipients = %d deliveries: %s sent %d, %s sent %d, %d duplicates, %v",
		events, recipients, expected, names[0], sent[0], names[1], sent[1], dups, time.Since(start).Round(100*time.Millisecond))
}

// total is the number of messages the sinks received.
func total(sinks []*smtptest.Server) int {
	n := 0
	for _, s := range sinks {
		n += s.Count()
	}
	return n
}

// waitCount polls until the sinks received n messages in all and reports
// whether that happened before ctx ended.
func waitCount(ctx context.Context, sinks []*smtptest.Server, n int) bool {
	for total(sinks) < n {
		select {
		case <-ctx.Done():
			return false
		case <-time.After(100 * time.Millisecond):
		}
	}
	return true
}

// waitQuiet waits until the sinks have received nothing for d (or ctx
// ends).
func waitQuiet(ctx context.Context, sinks []*smtptest.Server, d time.Duration) {
	last := total(sinks)
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(d):
		}
		n := total(sinks)
		if n == last {
			return
		}
		last = n
	}
}
