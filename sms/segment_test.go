package sms_test

import (
	"strings"
	"testing"

	"github.com/avisera/avisera/sms"
)

func TestSegments(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		text string
		want int
	}{
		{"empty", "", 0},
		{"short", "Hej", 1},
		{"GSM-7 full single", strings.Repeat("a", 160), 1},
		{"GSM-7 one over", strings.Repeat("a", 161), 2},
		{"GSM-7 two full parts", strings.Repeat("a", 306), 2},
		{"GSM-7 three parts", strings.Repeat("a", 307), 3},
		{"Swedish stays GSM-7", strings.Repeat("åäöÅÄÖé", 20) + "abcdefghij" + "klmnopqrst", 1},
		{"extension counts twice", strings.Repeat("€", 80), 1},
		{"extension over single", strings.Repeat("€", 81), 2},
		{"escape pair not split", strings.Repeat("a", 152) + "€" + strings.Repeat("a", 10), 2},
		{"escape pair pushed to next part", strings.Repeat("a", 152) + "€" + strings.Repeat("a", 152), 3},
		{"UCS-2 full single", strings.Repeat("ś", 70), 1},
		{"UCS-2 one over", strings.Repeat("ś", 71), 2},
		{"UCS-2 two full parts", strings.Repeat("ś", 134), 2},
		{"UCS-2 three parts", strings.Repeat("ś", 135), 3},
		{"emoji is two units", strings.Repeat("😀", 35), 1},
		{"emoji over single", strings.Repeat("😀", 36), 2},
		{"emoji not split", strings.Repeat("a", 66) + "😀" + strings.Repeat("a", 10), 2},
		{"emoji pushed to next part", strings.Repeat("ś", 66) + "😀" + strings.Repeat("ś", 66), 3},
	} {
		if got := sms.Segments(tc.text); got != tc.want {
			t.Errorf("%s: Segments: got %d, want %d", tc.name, got, tc.want)
		}
	}
}
