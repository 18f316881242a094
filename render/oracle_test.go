package render

// The hand-written fast paths agree with their simple definitions.

import (
	"math/rand/v2"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"
)

// tidyTextRegexp is the definition tidyText implements by hand.
func tidyTextRegexp(s string) string {
	s = regexp.MustCompile(`(?m)[ \t]+$`).ReplaceAllString(lineEnds.Replace(s), "")
	s = regexp.MustCompile(`\n{3,}`).ReplaceAllString(s, "\n\n")
	return strings.TrimSpace(s)
}

// oneLineRegexp is OneLine without its shortcut.
func oneLineRegexp(s string) string {
	return strings.TrimSpace(breaks.ReplaceAllString(s, " "))
}

// randomText returns n strings built from pieces that matter to line
// handling: line ends, blanks, controls, separators and invalid UTF-8.
func randomText(n int) []string {
	return randomFrom(n, []string{" ", "  ", "\t", "\n", "\n\n", "\r", "\r\n", "\n\r", "\u2028", "\u2029", "\u0085", "\x00",
		"\x7f", "\v", "\f", "\u00a0", "\u3000", "a", "ä", "#", "-", "*", "😀", "\xff", "\xe2\x80"})
}

// randomFrom returns n strings of up to 15 pieces each.
func randomFrom(n int, pieces []string) []string {
	rng := rand.New(rand.NewPCG(7, 11))
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for range rng.IntN(16) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		out[i] = b.String()
	}
	return out
}

func TestTidyTextMatchesRegexp(t *testing.T) {
	t.Parallel()
	for _, s := range randomText(20000) {
		if got, want := tidyText(s), tidyTextRegexp(s); got != want {
			t.Fatalf("tidyText(%q) = %q, the regexps give %q", s, got, want)
		}
	}
}

func TestOneLineMatchesRegexp(t *testing.T) {
	t.Parallel()
	for _, s := range randomText(20000) {
		if got, want := OneLine(s), oneLineRegexp(s); got != want {
			t.Fatalf("OneLine(%q) = %q, the regexp gives %q", s, got, want)
		}
	}
}

func FuzzTidyText(f *testing.F) {
	for _, s := range []string{"a  \nb\t\n", "\n\na\n\n\n\nb\n\n", "a\r\nb\rc", "\r\r\n\n \t\r"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := tidyText(s), tidyTextRegexp(s); got != want {
			t.Fatalf("tidyText(%q) = %q, the regexps give %q", s, got, want)
		}
		if got, want := OneLine(s), oneLineRegexp(s); got != want {
			t.Fatalf("OneLine(%q) = %q, the regexp gives %q", s, got, want)
		}
	})
}

// isURLLower is the definition hasLowerPrefix serves.
func isURLLower(s string) bool {
	lower := strings.ToLower(s)
	return (strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "http://") ||
		strings.HasPrefix(lower, "mailto:")) && !strings.ContainsFunc(s, unicode.IsSpace)
}

func TestIsURLMatchesToLower(t *testing.T) {
	t.Parallel()
	// Parts of the prefixes in either case, with U+0130 and U+212A, which
	// lower to ASCII i and k, invalid UTF-8 and spaces.
	corpus := randomFrom(20000, []string{"http", "HTTP", "hTtP", "s", "S", "://", ":/", "/", "mailto", "MAİLTO",
		"mai", "MA", "\u0130", "lto:", "LTO:", "\u212a", "\xff", " ", "\u00a0", "x", "ä"})
	corpus = append(corpus, "https://x.se", "HTTP://X.SE", "MAİLTO:a@b.se", "Mailto:a@b.se", "http:/", "", "http://a b")
	for _, s := range corpus {
		if got, want := isURL(s), isURLLower(s); got != want {
			t.Fatalf("isURL(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestShellMatchesLayout(t *testing.T) {
	t.Parallel()
	subjects := append(randomFrom(300, []string{"a", "ä", " ", "<", ">", "&", "\"", "'", "+", "\x00", "\xff",
		"\ue000", "subject", "\u2028", "&amp;", "</title>", "{{", "}}"}), "", subjectMark, bodyMark)
	bodies := []string{"", "Text", "# Rubrik\n\n**fet** [länk](https://ren.se)\n\n- a\n- b", bodyMark, subjectMark}
	keys := []shellKey{{"sv", "", footers["sv"]}, {"en", "https://ren.se/logo.png?a=1&b=2", footers["en"]},
		{"sv", `https://ren.se/x" onerror="alert(1)`, "Städbolaget Ren AB <info@ren.se>"},
		{"sv", "https://ren.se/" + bodyMark + subjectMark, "Ren"}, {"en", "javascript:alert(1)", "a\ue000b"},
		{"sv", "", "Fot " + bodyMark}, {"sv", "", "Fot " + subjectMark}}
	for _, key := range keys {
		sh := newShell(key)
		if sh == nil {
			if !strings.Contains(key.footer, "\ue000") {
				t.Errorf("newShell(%+v) = nil, want a shell", key)
			}
			continue
		}
		for _, subject := range subjects {
			for _, body := range bodies {
				got, err := sh.wrap(subject, body)
				if err != nil {
					t.Fatal(err)
				}
				want, err := wholeLayout(layoutData{Lang: key.lang, Subject: subject, LogoURL: logoURL(key.logo),
					Footer: key.footer}, body)
				if err != nil {
					t.Fatal(err)
				}
				if got != want {
					t.Fatalf("shell %+v, subject %q, body %q:\n got %q\nwant %q", key, subject, body, got, want)
				}
			}
		}
	}
}

// escapeCopy is escapeVars as a deep copy, sharing nothing.
func escapeCopy(v any) any {
	switch v := v.(type) {
	case nil, bool, int, int64, float64, time.Time:
		return v
	case string:
		return escapeString(v)
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = escapeCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = escapeCopy(e)
		}
		return out
	}
	return escapeReflect(reflect.ValueOf(v))
}

func TestEscapeVarsMatchesCopy(t *testing.T) {
	t.Parallel()
	name := "<i>Pekare</i>"
	marked := orderVars(t) // a value deep inside needs escaping, and only it
	marked["order"].(map[string]any)["activities"].([]any)[2].(map[string]any)["comment"] = "*Stege* saknades"
	for i, vars := range []map[string]any{nil, {}, orderVars(t), marked, {
		"p": &name, "m": map[string]string{"k": "<u>v</u>"}, "l": []string{"<a>", "b"}, "n": 42, "f32": float32(1.5),
		"nilp": (*string)(nil), "nilm": map[string]any(nil), "nill": []any(nil), "t": time.Unix(0, 0),
		"deep": map[string]any{"a": []any{map[string]any{"b": []any{"ok", "#x", nil}}}},
	}} {
		got := escapeVars(vars)
		if want := escapeCopy(map[string]any(vars)); !reflect.DeepEqual(got, want) {
			t.Errorf("vars %d: escapeVars = %#v, want %#v", i, got, want)
		}
	}
}
