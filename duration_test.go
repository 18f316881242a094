package avisera

import (
	"testing"
	"time"
)

func TestDuration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want time.Duration
		out  string
	}{
		{"15m", 15 * time.Minute, "15m"},
		{"2h", 2 * time.Hour, "2h"},
		{"1d", 24 * time.Hour, "1d"},
		{"1d12h", 36 * time.Hour, "36h"},
		{"90m", 90 * time.Minute, "1h30m"},
		{"-30m", -30 * time.Minute, "-30m"},
		{"-1d12h", -36 * time.Hour, "-36h"}, // the sign applies to the whole
		{"-1d", -24 * time.Hour, "-1d"},
		{"+2h", 2 * time.Hour, "2h"},
		{"", 0, "0s"},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if err != nil || time.Duration(got) != tt.want || got.String() != tt.out {
			t.Errorf("ParseDuration(%q) = %v (%s), %v; want %v (%s)", tt.in, time.Duration(got), got, err, tt.want, tt.out)
		}
	}
	for _, bad := range []string{"soon", "1x", "d", "1d-2h", "-", "--1h", "-d", "1.5d"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) accepted", bad)
		}
	}
}
