package sms

import (
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		value string
		want  time.Duration
	}{
		{"", 0},
		{"0", 0},
		{"2", 2 * time.Second},
		{" 120 ", 2 * time.Minute},
		{"-5", 0},
		{"999999999", 24 * time.Hour},
		{"Mon, 02 Mar 2026 10:00:30 GMT", 30 * time.Second},
		{"Monday, 02-Mar-26 10:01:00 GMT", time.Minute},
		{"Mon, 02 Mar 2026 09:59:00 GMT", 0},
		{"soon", 0},
	} {
		if got := retryAfter(tc.value, now); got != tc.want {
			t.Errorf("retryAfter(%q): got %v, want %v", tc.value, got, tc.want)
		}
	}
}

func TestSendErrorString(t *testing.T) {
	t.Parallel()
	e := &SendError{Provider: "twilio", Status: 400, Code: "21211", Message: "The 'To' number +4670123 is not a valid phone number."}
	got, want := e.Error(), "sms: twilio: 400 (21211) The 'To' number +4670123 is not a valid phone number."
	if got != want {
		t.Errorf("Error: got %q, want %q", got, want)
	}
}

func TestElksCost(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		cost int64
		want string
	}{{3500, "0.35"}, {0, "0"}, {10000, "1"}, {12345, "1.2345"}, {7000, "0.7"}} {
		if got := elksCost(&tc.cost); got != tc.want {
			t.Errorf("elksCost(%d): got %q, want %q", tc.cost, got, tc.want)
		}
	}
}
