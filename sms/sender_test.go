package sms_test

import (
	"testing"

	"github.com/avisera/avisera/sms"
)

func TestValidSender(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		sender string
		ok     bool
	}{
		{"Avisera", true},
		{"Avisera AB", true},
		{"A", true},
		{"Stad4U", true},
		{"ElevenChars", true},
		{"TwelveChars!", false},
		{"TwelveCharsX", false},
		{"Städ", false},
		{"Avi-sera", false},
		{" Avisera", false},
		{"12345", true},
		{"12", false},
		{"1234567890123456", false},
		{"+46701234567", true},
		{"+4612", false},
		{"+046701234567", false},
		{"+46 70 123", false},
		{"", false},
	} {
		err := sms.ValidSender(tc.sender)
		if got := err == nil; got != tc.ok {
			t.Errorf("ValidSender(%q): got %v, want ok=%v", tc.sender, err, tc.ok)
		}
	}
}
