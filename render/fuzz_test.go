package render

import (
	"testing"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/catalog"
)

// fuzzSeeds are templates near the edges of the checker and the renderer.
var fuzzSeeds = []string{
	"", "{{ customer.name }}", "{% for p in performers %}{{ p.name }}{% endfor %}",
	"{% if a %}{% elsif b %}{% else %}{% endif %}", "{{ a[b[c]].d | f: g, 'h' }}",
	"{% assign x = performers | first %}{{ x.name }}", "{{ (1..n) }}", "{% case x %}{% when 1, 2 %}{% endcase %}",
	"**{{ x }}** [a]({{ u }}) <{{ u }}>", "{% raw %}{{{% endraw %}", "{{ 99999999999999999999 }}",
	"{% for i in (1..3) reversed limit: 2 %}{% cycle 'a', 'b' %}{% endfor %}", "{{ 'x' | date: '%Y' }}",
}

// slow is far above what any template of the fuzzer's size should take.
const slow = 2 * time.Second

// FuzzCheck checks that no template makes Check or Render panic (Render
// recovers, but a panic there would be a bug: it reports EINTERNAL).
func FuzzCheck(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	et, _ := catalog.Lookup("order")
	vars := et.Samples()
	f.Fuzz(func(t *testing.T, src string) {
		start := time.Now()
		defer func() {
			if d := time.Since(start); d > slow {
				t.Fatalf("Check and Render(%q) took %v", src, d)
			}
		}()
		c := Content{Subject: src, EmailBody: src, SMSBody: src}
		err := Check(et, c)
		if err != nil {
			return
		}
		out, err := Render(c, vars, Options{})
		if err != nil && avisera.ErrorCode(err) == avisera.EINTERNAL {
			t.Fatalf("Render(%q) = %v", src, err)
		}
		if err == nil && containsLineBreak(out.Subject) {
			t.Fatalf("Render(%q) subject = %q", src, out.Subject)
		}
	})
}

func containsLineBreak(s string) bool {
	for _, r := range s {
		if r == '\r' || r == '\n' {
			return true
		}
	}
	return false
}
