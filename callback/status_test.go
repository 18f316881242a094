package callback_test

import (
	"testing"

	"github.com/avisera/avisera/callback"
)

func TestRankOrder(t *testing.T) {
	t.Parallel()
	order := []string{callback.Queued, callback.Sending, callback.Sent, callback.Delivered, callback.Opened, callback.Clicked, callback.Failed}
	for i := 1; i < len(order); i++ {
		if got, prev := callback.Rank(order[i]), callback.Rank(order[i-1]); got <= prev {
			t.Errorf("Rank(%s) = %d, want more than Rank(%s) = %d", order[i], got, order[i-1], prev)
		}
	}
	for _, tc := range []struct{ a, b string }{
		{callback.Deferred, callback.Sending},
		{callback.Downloaded, callback.Clicked},
		{callback.Bounced, callback.Suppressed},
	} {
		if callback.Rank(tc.a) != callback.Rank(tc.b) {
			t.Errorf("Rank(%s) = %d, want Rank(%s) = %d", tc.a, callback.Rank(tc.a), tc.b, callback.Rank(tc.b))
		}
	}
	if got := callback.Rank("bogus"); got != 0 {
		t.Errorf("Rank(bogus): got %d, want 0", got)
	}
}

func TestAdvances(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		current, next string
		want          bool
	}{
		{"", callback.Queued, true},
		{"", callback.Delivered, true},
		{callback.Queued, callback.Sending, true},
		{callback.Sending, callback.Sent, true},
		{callback.Sent, callback.Delivered, true},
		{callback.Delivered, callback.Opened, true},
		{callback.Opened, callback.Clicked, true},
		{callback.Delivered, callback.Downloaded, true},
		{callback.Sent, callback.Opened, true},
		// Repeats and late arrivals change nothing.
		{callback.Sent, callback.Sent, false},
		{callback.Delivered, callback.Sent, false},
		{callback.Delivered, callback.Queued, false},
		{callback.Opened, callback.Delivered, false},
		{callback.Clicked, callback.Opened, false},
		{callback.Clicked, callback.Downloaded, false},
		{callback.Downloaded, callback.Clicked, false},
		{callback.Sent, callback.Sending, false},
		// Deferred only before delivered; a retry resumes from it.
		{callback.Sending, callback.Deferred, true},
		{callback.Sent, callback.Deferred, true},
		{callback.Queued, callback.Deferred, true},
		{callback.Delivered, callback.Deferred, false},
		{callback.Opened, callback.Deferred, false},
		{callback.Deferred, callback.Sending, true},
		{callback.Deferred, callback.Sent, true},
		{callback.Deferred, callback.Delivered, true},
		{callback.Deferred, callback.Queued, false},
		{callback.Deferred, callback.Bounced, true},
		// Failures: up to delivered (late bounces), never after engagement.
		{callback.Sent, callback.Failed, true},
		{callback.Delivered, callback.Bounced, true},
		{callback.Opened, callback.Bounced, false},
		{callback.Clicked, callback.Failed, false},
		{callback.Queued, callback.Suppressed, true},
		// Final statuses never change.
		{callback.Failed, callback.Delivered, false},
		{callback.Bounced, callback.Opened, false},
		{callback.Rejected, callback.Failed, false},
		{callback.Expired, callback.Sent, false},
		{callback.InvalidAddress, callback.Bounced, false},
		// Record-only and unknown events change nothing.
		{callback.Sent, "", false},
		{callback.Sent, "unsubscribed", false},
		{"bogus", callback.Sent, true},
	} {
		if got := callback.Advances(tc.current, tc.next); got != tc.want {
			t.Errorf("Advances(%q, %q): got %v, want %v", tc.current, tc.next, got, tc.want)
		}
	}
}

// apply folds a sequence of callbacks the way the engine does.
func apply(statuses ...string) string {
	current := ""
	for _, next := range statuses {
		if callback.Advances(current, next) {
			current = next
		}
	}
	return current
}

func TestSequences(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		seq  []string
		want string
	}{
		{"in order", []string{"queued", "sending", "sent", "delivered", "opened", "clicked"}, "clicked"},
		{"duplicates", []string{"queued", "sent", "sent", "delivered", "delivered"}, "delivered"},
		{"delivered before sent", []string{"queued", "sending", "delivered", "sent"}, "delivered"},
		{"opened before delivered", []string{"sent", "opened", "delivered"}, "opened"},
		{"retry after deferral", []string{"queued", "sending", "deferred", "sending", "sent", "delivered"}, "delivered"},
		{"late deferral", []string{"sent", "delivered", "deferred"}, "delivered"},
		{"soft then hard bounce", []string{"sent", "deferred", "bounced", "delivered"}, "bounced"},
		{"late bounce after delivered", []string{"sent", "delivered", "bounced"}, "bounced"},
		{"bounce after open ignored", []string{"sent", "delivered", "opened", "bounced"}, "opened"},
		{"failed is final", []string{"sent", "failed", "delivered", "failed"}, "failed"},
		{"download then click", []string{"delivered", "downloaded", "clicked", "opened"}, "downloaded"},
		{"record-only events", []string{"sent", "", "delivered", ""}, "delivered"},
	} {
		if got := apply(tc.seq...); got != tc.want {
			t.Errorf("%s: %v: got %q, want %q", tc.name, tc.seq, got, tc.want)
		}
	}
}
