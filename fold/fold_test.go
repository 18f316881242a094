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
		{"Kontakt 1 KONTAKT-1@Example.com", "kontakt 1 kontakt-1@example.com"},
		{"Anna\tLund\n", "anna lund"},
	}
	for _, tt := range tests {
		if got := String(tt.in); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Keys made at once, in any order, do not mix: each call has its own
// transformer while it runs.
func TestStringConcurrently(t *testing.T) {
	t.Parallel()
	in := []string{"Åsa Öberg", "Søren Ærø", "José Müller", "Kontakt 7"}
	want := []string{"asa oberg", "soren aero", "jose muller", "kontakt 7"}
	done := make(chan string, 8)
	for g := range 8 {
		go func() {
			for i := range 1000 {
				if got := String(in[(g+i)%len(in)]); got != want[(g+i)%len(in)] {
					done <- got
					return
				}
			}
			done <- ""
		}()
	}
	for range 8 {
		if bad := <-done; bad != "" {
			t.Errorf("a concurrent String returned %q", bad)
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
