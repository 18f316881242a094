package admin

import (
	"regexp"
	"strings"
)

// reachedVia words a delivery's "reached via" — how the engine found the
// recipient, kept in English like every code it records — in lang: the
// parts joined by "; ", each a static user, a performer, a contact of one,
// an object's contacts, a resend, perhaps with the phone it went to.
func reachedVia(lang, via string) string {
	if lang == "en" || via == "" {
		return via
	}
	parts := strings.Split(via, "; ")
	for i, p := range parts {
		parts[i] = viaPart(p)
	}
	return strings.Join(parts, "; ")
}

// viaSuffixes are the phone notes a part may end with, in Swedish.
var viaSuffixes = []struct{ en, sv string }{
	{", logged-in phone", ", inloggad telefon"},
	{", contact mobile (no device login)", ", kontaktens mobil (ingen inloggning)"},
}

// viaForms are the parts' forms, tried in order, in Swedish.
var viaForms = []struct {
	re *regexp.Regexp
	sv string
}{
	{regexp.MustCompile(`^contact (.+) of performer (.+)$`), "kontakt $1 till utföraren $2"},
	{regexp.MustCompile(`^performer (.+)$`), "utföraren $1"},
	{regexp.MustCompile(`^performer$`), "utföraren"},
	{regexp.MustCompile(`^static user (.+)$`), "användaren $1"},
	{regexp.MustCompile(`^customer contacts of (.+)$`), "kontakter hos kunden $1"},
	{regexp.MustCompile(`^contract contacts of (.+)$`), "kontakter på kontraktet $1"},
	{regexp.MustCompile(`^org unit contacts of (.+)$`), "kontakter i organisationen $1"},
	{regexp.MustCompile(`^place contacts of (.+)$`), "kontakter på platsen $1"},
	{regexp.MustCompile(`^customer contacts$`), "kundens kontakter"},
	{regexp.MustCompile(`^contract contacts$`), "kontraktets kontakter"},
	{regexp.MustCompile(`^org unit contacts$`), "organisationens kontakter"},
	{regexp.MustCompile(`^place contacts$`), "platsens kontakter"},
	{regexp.MustCompile(`^resent$`), "skickad igen"},
}

// viaPart words one part; a form it does not know stays as it is.
func viaPart(p string) string {
	suffix := ""
	for _, s := range viaSuffixes {
		if rest, ok := strings.CutSuffix(p, s.en); ok {
			p, suffix = rest, s.sv
			break
		}
	}
	for _, f := range viaForms {
		if f.re.MatchString(p) {
			return f.re.ReplaceAllString(p, f.sv) + suffix
		}
	}
	return p + suffix
}
