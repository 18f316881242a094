package fold

import (
	"slices"
	"testing"
)

func TestString(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"Åsa Öberg", "asa oberg"},
		{"  ÄNGEL   Ström ", "angel strom"},
		{"Søren Ærø", "soren aero"},
		{"José Müller", "jose muller"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := String(tt.in); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWords(t *testing.T) {
	t.Parallel()
	got := Words("Anna-Lena Åkesson (städ)")
	want := []string{"anna", "lena", "akesson", "stad"}
	if !slices.Equal(got, want) {
		t.Errorf("Words = %q, want %q", got, want)
	}
}
