package admin

import "testing"

// The engine's "reached via" forms read in Swedish; names inside them,
// and forms it does not know, stay as they are.
func TestReachedVia(t *testing.T) {
	for via, want := range map[string]string{
		"customer contacts of Kontorshuset AB":                                 "kontakter hos kunden Kontorshuset AB",
		"contract contacts":                                                    "kontraktets kontakter",
		"static user Olle (u1), logged-in phone":                               "användaren Olle (u1), inloggad telefon",
		"contact Åsa of performer Olle (u1), contact mobile (no device login)": "kontakt Åsa till utföraren Olle (u1), kontaktens mobil (ingen inloggning)",
		"performer Olle (u1); org unit contacts of Norrmalm; resent":           "utföraren Olle (u1); kontakter i organisationen Norrmalm; skickad igen",
		"something new": "something new",
	} {
		if got := reachedVia("sv", via); got != want {
			t.Errorf("reachedVia(sv, %q) = %q, want %q", via, got, want)
		}
		if got := reachedVia("en", via); got != via {
			t.Errorf("reachedVia(en, %q) = %q, want it unchanged", via, got)
		}
	}
}
