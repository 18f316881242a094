package engine

import (
	"testing"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

// TestFollowSend works a send's outcome out again from what a provider
// reported while the send ran.
func TestFollowSend(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	next := t0.Add(time.Minute)
	for _, tt := range []struct {
		now, outcome string // the delivery's status now, the send's outcome
		want         string
		applied      bool // whether the outcome applied
	}{
		{avisera.StatusDelivered, avisera.StatusSent, avisera.StatusDelivered, false},
		{avisera.StatusFailed, avisera.StatusSent, avisera.StatusFailed, false},
		{avisera.StatusDelivered, avisera.StatusDeferred, avisera.StatusDelivered, false},
		{avisera.StatusSent, avisera.StatusExpired, avisera.StatusSent, false},
		{avisera.StatusSent, avisera.StatusDeferred, avisera.StatusSent, false},
		{avisera.StatusDelivered, avisera.StatusBounced, avisera.StatusBounced, true},
		{avisera.StatusQueued, avisera.StatusDeferred, avisera.StatusDeferred, true},
		{avisera.StatusDeferred, avisera.StatusSent, avisera.StatusSent, true},
	} {
		d := avisera.Delivery{ID: "d1", Status: tt.now, StatusAt: t0, Attempts: 1}
		u := store.DeliveryUpdate{ID: "d1", Status: tt.outcome, StatusAt: next, Attempts: 2, History: []avisera.StatusChange{
			{Status: avisera.StatusSending, At: t0, Applied: true}, {Status: tt.outcome, At: next, Applied: true}}}
		if tt.outcome == avisera.StatusDeferred {
			u.NextAttemptAt = &next
		}
		followSend(&u, d)
		if u.Status != tt.want || u.History[1].Applied != tt.applied || u.Seen != tt.now || u.SeenAttempts != 1 || u.Attempts != 2 ||
			(u.Status == avisera.StatusDeferred) != (u.NextAttemptAt != nil) {
			t.Errorf("%s, then the send's %s: %+v; want %s (outcome applied %v), seen %s/1, 2 attempts",
				tt.now, tt.outcome, u, tt.want, tt.applied, tt.now)
		}
	}
}
