package render

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/avisera/avisera"
)

// orderMessage is a typical order-completed message.
var orderMessage = Content{
	Subject: "Order {{ order.number }} utförd – {{ place.name }}",
	EmailBody: `Hej {{ recipient.name }},

**{{ order.name }}** hos {{ customer.name }} är utförd.

- Plats: {{ place.name }}, {{ place.address }}
- Start: {{ order.actual_start | date: "%Y-%m-%d %H:%M" }}
- Klar: {{ order.actual_end | date: "%H:%M" }}
- Utförare: {{ performers | map: "name" | join: ", " }}

{% for a in order.activities %}{% if a.status != "Utförd" %}{{ a.name }}: {{ a.comment }}
{% endif %}{% endfor %}
{% if order.comment != blank %}> {{ order.comment }}
{% endif %}
{% for f in files %}[Ladda ner {{ f.name }}]({{ f.url }})
{% endfor %}`,
	SMSBody: "Order {{ order.number }} på {{ place.name }} är utförd {{ order.actual_end | date: '%H:%M' }}.",
}

func orderVars(t testing.TB) map[string]any {
	t.Helper()
	return eventType(t, "order").Samples()
}

func TestRenderOrder(t *testing.T) {
	t.Parallel()
	if err := Check(eventType(t, "order"), orderMessage); err != nil {
		t.Fatalf("Check(orderMessage) = %v", err)
	}
	out, err := Render(orderMessage, orderVars(t), Options{})
	if err != nil {
		t.Fatalf("Render(orderMessage) = %v", err)
	}
	if got, want := out.Subject, "Order 2026-04711 utförd – Kontorshuset Sveavägen 44"; got != want {
		t.Errorf("Subject = %q, want %q", got, want)
	}
	if got, want := out.SMS, "Order 2026-04711 på Kontorshuset Sveavägen 44 är utförd 09:48."; got != want {
		t.Errorf("SMS = %q, want %q", got, want)
	}
	if got, want := out.SMSInfo, (SMSInfo{Characters: 62, Encoding: GSM7, Segments: 1}); got != want {
		t.Errorf("SMSInfo = %+v, want %+v", got, want)
	}
	for _, want := range []string{
		"Hej Maria Svensson,",
		"Kontorsstädning vecka 48 hos Norrmalms Kontorsfastigheter AB är utförd.",
		"- Start: 2026-11-24 07:05",
		"- Utförare: Ahmed Hassan, Elin Johansson",
		"Fönsterputs entré: Stege saknades",
		"Ladda ner Orderrapport 2026-04711.pdf (https://avisera.ren.se/d/Jx7fQ2mZ9kLp)",
	} {
		if !strings.Contains(out.Text, want) {
			t.Errorf("Text lacks %q:\n%s", want, out.Text)
		}
	}
	for _, want := range []string{
		`<strong>Kontorsstädning vecka 48</strong>`,
		`Utförare: Ahmed Hassan, Elin Johansson</li>`,
		`href="https://avisera.ren.se/d/Jx7fQ2mZ9kLp">Ladda ner Orderrapport 2026-04711.pdf</a>`,
		`<blockquote`,
		`<title>Order 2026-04711 utförd – Kontorshuset Sveavägen 44</title>`,
	} {
		if !strings.Contains(out.HTML, want) {
			t.Errorf("HTML lacks %q:\n%s", want, out.HTML)
		}
	}
}

func TestRenderEscapesHTML(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		value    string
		htmlWant string // in the HTML part
		htmlNot  string // never in the HTML part
	}{
		{"script", "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;", "<script"},
		{"attribute", `"><img src=x onerror=alert(1)>`, "&lt;img src=x onerror=alert(1)&gt;", "<img src=x"},
		{"entity", "&lt;b&gt; & co", "&amp;lt;b&amp;gt; &amp; co", "<b>"},
		{"markdown link", "[klicka](javascript:alert(1))", "[klicka](javascript:alert(1))", "href="},
		{"markdown emphasis", "A*B*C_d_ **e**", "A*B*C_d_ **e**", "<em>"},
		{"quotes", `Kalle's "städ"`, "Kalle's &quot;städ&quot;", `"städ"`},
	}
	for _, tt := range tests {
		vars := orderVars(t)
		vars["customer"].(map[string]any)["name"] = tt.value
		c := Content{Subject: "{{ customer.name }}", EmailBody: "Kund: {{ customer.name }}", SMSBody: "{{ customer.name }}"}
		out, err := Render(c, vars, Options{})
		if err != nil {
			t.Fatalf("%s: Render = %v", tt.name, err)
		}
		body := bodyOf(out.HTML)
		if !strings.Contains(body, tt.htmlWant) {
			t.Errorf("%s: HTML body = %q, want it to contain %q", tt.name, body, tt.htmlWant)
		}
		if strings.Contains(body, tt.htmlNot) {
			t.Errorf("%s: HTML body = %q, want no %q", tt.name, body, tt.htmlNot)
		}
		if got, want := out.Text, "Kund: "+tt.value; got != want {
			t.Errorf("%s: Text = %q, want %q", tt.name, got, want)
		}
		if got, want := out.SMS, tt.value; got != want {
			t.Errorf("%s: SMS = %q, want %q", tt.name, got, want)
		}
		if got, want := out.Subject, tt.value; got != want {
			t.Errorf("%s: Subject = %q, want %q", tt.name, got, want)
		}
	}
}

// A value that starts a line of the template, or holds lines, makes no
// heading, list or rule of its own.
func TestRenderValuesMakeNoBlocks(t *testing.T) {
	t.Parallel()
	for value, not := range map[string]string{
		"3. Trapphuset":                        "<ol",
		"3) Trapphuset":                        "<ol",
		"# Hus 5":                              "<h1",
		"- Special -":                          "<ul",
		"+ Plus AB":                            "<ul",
		"Rad ett\n\n  ## Rubrik\n+ punkt\n===": "<h",
		"Rad ett\n---":                         "<h2",
	} {
		vars := orderVars(t)
		vars["customer"].(map[string]any)["name"] = value
		out, err := Render(Content{EmailBody: "{{ customer.name }} har fått besök."}, vars, Options{})
		if err != nil {
			t.Fatalf("%q: Render = %v", value, err)
		}
		body := bodyOf(out.HTML)
		if strings.Contains(body, not) {
			t.Errorf("%q: HTML body = %q, want no %s", value, body, not)
		}
		first, _, _ := strings.Cut(value, "\n")
		if !strings.Contains(body, first) || strings.Contains(body, `\`) {
			t.Errorf("%q: HTML body = %q, want %q as written", value, body, first)
		}
		if want := value + " har fått besök."; out.Text != want {
			t.Errorf("%q: Text = %q, want %q", value, out.Text, want)
		}
	}
}

// bodyOf returns the rendered Markdown inside the layout.
func bodyOf(doc string) string {
	_, body, _ := strings.Cut(doc, "color:#1f2937;\">\n")
	body, _, _ = strings.Cut(body, "</td></tr>")
	return body
}

func TestRenderDoesNotEscapeVarsInPlace(t *testing.T) {
	t.Parallel()
	vars := map[string]any{"customer": map[string]any{"name": "<b>"}, "files": []any{"a&b"}}
	if _, err := Render(Content{EmailBody: "{{ customer.name }}"}, vars, Options{}); err != nil {
		t.Fatal(err)
	}
	if got := vars["customer"].(map[string]any)["name"]; got != "<b>" {
		t.Errorf("vars customer.name after Render = %q, want %q", got, "<b>")
	}
	if got := vars["files"].([]any)[0]; got != "a&b" {
		t.Errorf("vars files[0] after Render = %q, want %q", got, "a&b")
	}
}

func TestRenderURLVariables(t *testing.T) {
	t.Parallel()
	url := "https://avisera.ren.se/d/a_b?x=1&y=2"
	want := `href="https://avisera.ren.se/d/a_b?x=1&amp;y=2"`
	for _, src := range []string{"[Ladda ner]({{ u }})", "<{{ u }}>", "Länk: {{ u }}"} {
		out, err := Render(Content{EmailBody: src}, map[string]any{"u": url}, Options{})
		if err != nil {
			t.Fatalf("Render(%q) = %v", src, err)
		}
		if !strings.Contains(out.HTML, want) {
			t.Errorf("Render(%q) HTML body = %q, want it to contain %q", src, bodyOf(out.HTML), want)
		}
		if !strings.Contains(out.Text, url) {
			t.Errorf("Render(%q) Text = %q, want it to contain %q", src, out.Text, url)
		}
	}
	out, err := Render(Content{EmailBody: "[x]({{ u }})"}, map[string]any{"u": "https://e.se/<script>"}, Options{})
	if err != nil || out.HTML == "" {
		t.Fatalf("Render(a URL with markup) = %v, want an HTML part", err)
	}
	if strings.Contains(out.HTML, "<script") {
		t.Errorf("a URL with markup reached the HTML: %q", bodyOf(out.HTML))
	}
}

func TestRenderSubjectIsOneLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		subject, name, want string
	}{
		{"Order {{ customer.name }}", "Ren AB\r\nBcc: victim@example.com", "Order Ren AB Bcc: victim@example.com"},
		{"Order {{ customer.name }}", "a\nb\rc\td", "Order a b c d"},
		{"Order {{ customer.name }}", "a \r\n\r\n b", "Order a b"},
		{"Order {{ customer.name }}", "a\u2028b\u0085c\x00d", "Order a b c d"},
		{"  {{ customer.name }}\n", "\nRen AB\n", "Ren AB"},
		{"Rad 1\nRad 2\r\n{% if true %}\n{{ customer.name }}{% endif %}", "X", "Rad 1 Rad 2 X"},
	}
	for _, tt := range tests {
		vars := map[string]any{"customer": map[string]any{"name": tt.name}}
		out, err := Render(Content{Subject: tt.subject}, vars, Options{})
		if err != nil {
			t.Fatalf("Render(%q) = %v", tt.subject, err)
		}
		if out.Subject != tt.want {
			t.Errorf("Subject with name %q = %q, want %q", tt.name, out.Subject, tt.want)
		}
		if strings.ContainsAny(out.Subject, "\r\n") {
			t.Errorf("Subject with name %q = %q contains CR or LF", tt.name, out.Subject)
		}
	}
}

func TestRenderMissingData(t *testing.T) {
	t.Parallel()
	c := Content{
		Subject:   "Order {{ order.number }}{{ order.nope.deeper }}",
		EmailBody: "{{ customer.name }}|{{ performers[5].name }}|{{ order.actual_end | date: '%H:%M' }}|{% for p in performers %}{{ p.name }}{% endfor %}|{{ files.first.url }}|{{ customer.name.size }}",
		SMSBody:   "{% if order.comment %}x{% endif %}{{ performers.size }}",
	}
	for _, vars := range []map[string]any{nil, {}, {"customer": "not an object", "performers": "not a list", "order": 5}} {
		out, err := Render(c, vars, Options{})
		if err != nil {
			t.Errorf("Render(%v) = %v, want nil", vars, err)
			continue
		}
		if got, want := out.Subject, "Order"; got != want && vars["order"] == nil {
			t.Errorf("Render(%v) Subject = %q, want %q", vars, got, want)
		}
	}
}

func TestRenderOddValues(t *testing.T) {
	t.Parallel()
	type person struct{ Name string }
	name := "<i>Pekare</i>"
	vars := map[string]any{
		"s":    person{Name: "<b>Struct</b>"},
		"p":    &name,
		"m":    map[string]string{"k": "<u>v</u>"},
		"l":    []string{"<a>", "b"},
		"n":    42,
		"f":    func() {},
		"ch":   make(chan int),
		"nilp": (*string)(nil),
	}
	c := Content{EmailBody: "{{ s }} {{ p }} {{ m.k }} {{ l.first }} {{ n | plus: 1 }} {{ f }} {{ ch }} {{ nilp }}"}
	out, err := Render(c, vars, Options{})
	if err != nil {
		t.Fatalf("Render = %v", err)
	}
	body := bodyOf(out.HTML)
	for _, bad := range []string{"<b>", "<i>", "<u>", "<a>"} {
		if strings.Contains(body, bad) {
			t.Errorf("HTML body = %q, want no raw %q", body, bad)
		}
	}
	if !strings.Contains(body, "&lt;i&gt;Pekare&lt;/i&gt;") || !strings.Contains(body, " 43 ") {
		t.Errorf("HTML body = %q, want the escaped pointer value and 43", body)
	}
}

func TestRenderErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		c     Content
		field string
	}{
		{Content{Subject: "{% if %}"}, "subject"},
		{Content{EmailBody: "a\n{% include 'secret.txt' %}"}, "email_body"},
		{Content{SMSBody: "{{ x | no_such_filter }}"}, "sms_body"},
		{Content{SMSBody: "{% cycle 'a', 'b' %}"}, "sms_body"},
	}
	for _, tt := range tests {
		_, err := Render(tt.c, nil, Options{})
		var e *avisera.Error
		if !errors.As(err, &e) || e.Code != avisera.EINVALID || e.Field != tt.field {
			t.Errorf("Render(%+v) = %v, want EINVALID on %q", tt.c, err, tt.field)
		}
	}
}

func TestRenderConcurrent(t *testing.T) {
	t.Parallel()
	vars := orderVars(t)
	want, err := Render(orderMessage, vars, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				got, err := Render(orderMessage, vars, Options{})
				if err != nil || got != want {
					t.Errorf("concurrent Render = %v, differs from the first: %v", err, got != want)
					return
				}
			}
		})
	}
	wg.Wait()
}

func BenchmarkRender(b *testing.B) {
	vars := eventType(b, "order").Samples()
	opt := Options{LogoURL: "https://ren.se/logo.png", Language: "sv"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(orderMessage, vars, opt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheck(b *testing.B) {
	et := eventType(b, "order")
	b.ReportAllocs()
	for b.Loop() {
		if err := Check(et, orderMessage); err != nil {
			b.Fatal(err)
		}
	}
}
