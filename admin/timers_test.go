package admin

import (
	"testing"
	"time"
)

func TestTimerDetail(t *testing.T) {
	t.Parallel()
	stockholm, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang, detail, want string
	}{
		{"sv", "2 deliveries, 1 suppressed", "2 utskick, 1 stoppade"},
		{"en", "2 deliveries, 1 suppressed", "2 deliveries, 1 suppressed"},
		{"sv", "answered by event ev-7", "besvarad av händelsen ev-7"},
		{"sv", "the plan started at 2026-03-02T07:05:00Z", "planen startade 2026-03-02 08:05"},
		{"en", "the link is not valid at 2026-07-01T06:00:00Z", "the link was not valid 2026-07-01 08:00"},
		{"sv", "the plan was cancelled", "planen avbröts"},
		{"sv", "the plan moved", "planen flyttades"},
		{"sv", "the plan moved twice", "the plan moved twice"},
		{"sv", "", ""},
	}
	for _, tt := range tests {
		if got := timerDetail(tt.lang, stockholm, tt.detail); got != tt.want {
			t.Errorf("timerDetail(%s, %q) = %q, want %q", tt.lang, tt.detail, got, tt.want)
		}
	}
}

func TestSpan(t *testing.T) {
	t.Parallel()
	stockholm, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC)
	sameDay, nextDay := start.Add(4*time.Hour), start.Add(20*time.Hour)
	tests := []struct {
		end  *time.Time
		want string
	}{
		{nil, "2026-03-02 08:00"},
		{&sameDay, "2026-03-02 08:00–12:00"},
		{&nextDay, "2026-03-02 08:00 – 2026-03-03 04:00"},
	}
	for _, tt := range tests {
		if got := span(stockholm, start, tt.end); got != tt.want {
			t.Errorf("span(%v, %v) = %q, want %q", start, tt.end, got, tt.want)
		}
	}
}

func TestTimerTrigger(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, planType, trigger, want string }{
		{"sv", "work_shift", "not_started", "Ej startat"},
		{"en", "order", "not_performed", "Not performed"},
		{"sv", "work_shift", "weekly", "Veckosammanfattning"},
		{"sv", "order", "completed", "Order – Utförd"},
	} {
		if got := timerTrigger(tt.lang, tt.planType, tt.trigger); got != tt.want {
			t.Errorf("timerTrigger(%s, %s, %s) = %q, want %q", tt.lang, tt.planType, tt.trigger, got, tt.want)
		}
	}
}
