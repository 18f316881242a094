package engine

import (
	"errors"
	"testing"
	"time"

	"github.com/avisera/avisera"
)

// A temporary failure is retried until the delivery is MaxAge old, the
// last try at that age even when the backoff would wait longer; a failure
// at that age expires it.
func TestRetriesUntilMaxAge(t *testing.T) {
	created := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	now := created.Add(10 * time.Second)
	e := New(nil, WithClock(func() time.Time { return now }),
		WithRetryPolicy(RetryPolicy{Base: 10 * time.Minute, Cap: time.Hour, MaxAge: time.Minute}))
	fail := outcome{err: errors.New("451"), temporary: true, detail: "451 4.3.0 try later"}
	d := avisera.Delivery{ID: "d1", Channel: avisera.ChannelEmail, CreatedAt: created, Status: avisera.StatusQueued}

	us, at := e.settle([]avisera.Delivery{d}, []outcome{fail}, now)
	u := us[0]
	if deadline := created.Add(time.Minute); u.Status != avisera.StatusDeferred || u.NextAttemptAt == nil ||
		!u.NextAttemptAt.Equal(deadline) || !at.Equal(deadline) {
		t.Fatalf("first failure: %s, next %v, job at %v; want deferred to %v (the backoff of 10 min cut to MaxAge)",
			u.Status, u.NextAttemptAt, at, deadline)
	}

	now = created.Add(time.Minute)
	d.Attempts, d.Status = 1, avisera.StatusDeferred
	us, _ = e.settle([]avisera.Delivery{d}, []outcome{fail}, now)
	if us[0].Status != avisera.StatusExpired || us[0].Attempts != 2 {
		t.Errorf("failure at MaxAge: %s after %d attempts, want expired after 2", us[0].Status, us[0].Attempts)
	}
}
