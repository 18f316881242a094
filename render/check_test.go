package render

import (
	"errors"
	"strings"
	"testing"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/catalog"
)

func eventType(t testing.TB, name string) catalog.EventType {
	t.Helper()
	et, ok := catalog.Lookup(name)
	if !ok {
		t.Fatalf("catalog.Lookup(%q) not found", name)
	}
	return et
}

func TestCheckAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typ, src string
	}{
		{"order", ""},
		{"order", "Hej {{ customer.name }}!"},
		{"order", "{{ customer }}"},
		{"order", "{{\n  customer.name\n}}"},
		{"order", "{%- if order.number -%} {{- order.number -}} {%- endif -%}"},
		{"order", "{% for p in performers %}{{ p.name }}{% endfor %}"},
		{"order", "{% for p in performers %}{{ p }}{% endfor %}"},
		{"order", "{{ performers.first.name }} {{ performers.last.id }} {{ performers[0].name }} {{ performers.size }}"},
		{"order", `{{ customer["name"] }} {{ performers[-1].name }}`},
		{"order", "{% for a in order.activities reversed limit: 2 offset: 1 %}{{ forloop.index }}. {{ a.name }}{% else %}Inga{% endfor %}"},
		{"order", `{% for a in order.activities | sort: "name" | reverse %}{{ a.status }}{% endfor %}`},
		{"order", "{% for p in performers %}{% for a in order.activities %}{{ p.name }} {{ a.name }} {{ forloop.first }}{% endfor %}{% endfor %}"},
		{"order", "{% tablerow p in performers cols: 2 %}{{ p.name }}{% endtablerow %}"},
		{"order", "{% for i in (1..3) %}{{ i }}{% endfor %}"},
		{"order", "{% for i in (1..performers.size) %}{{ i }}{% endfor %} {{ (0..data.n) | join }}"},
		{"order", "{% assign s = performers.size %}{% for i in (1..s) %}{% endfor %}"},
		{"order", "{% for a in (1..100) %}{% for b in (-99..0) %}{% endfor %}{% endfor %}{% for c in (1..1000) %}{% endfor %}"},
		{"order", "{% for x in performers | map: \"name\" %}{{ x.anything }}{% endfor %}"},
		{"order", "{% assign n = order.number %}{{ n }} {{ n.size }}"},
		{"order", "{% assign c = customer %}{{ c.name }}"},
		{"order", "{% assign p1 = performers | first %}{{ p1.name }}"},
		{"order", `{% assign names = performers | map: "name" | join: ", " %}{{ names }}`},
		{"order", "{% if true %}{% assign late = 1 %}{% endif %}{{ late }}"},
		{"order", "{% capture who %}{{ recipient.name }}{% endcapture %}{{ who }}"},
		{"order", "{{ data.anything.goes }} {{ data }}"},
		{"order", `{{ order.planned_start | date: "%H:%M" }} {{ order.actual_end | date }}`},
		{"order", `{{ performers | map: "name" | join: ", " }}`},
		{"order", "{{ order.number | append: customer.name | upcase }}"},
		{"order", `{{ order.comment | default: "Ingen kommentar" }}`},
		{"order", "{% if order.comment != empty and performers.size > 1 or customer.name contains 'AB' %}x{% endif %}"},
		{"order", "{% unless order.comment == blank %}x{% endunless %}"},
		{"order", `{% case event.trigger %}{% when "approved", "rejected" %}a{% else %}b{% endcase %}`},
		{"order", "{% raw %}{{ nope }}{% endraw %}"},
		{"order", "{% comment %}{{ nope }} {% if %}{% endcomment %}"},
		{"order", `{{ "literal.with.dots" | upcase }} {{ "it's" }} {{ 1.5 }} {{ nil }}`},
		{"order", "{% for p in performers %}{% cycle 'a', 'b' %}{% break %}{% continue %}{% endfor %}"},
		{"work_shift", "{% for p in plans %}{{ p.starts_at | date: '%A %H:%M' }} {{ p.place }}{% endfor %} {{ user.name }}"},
		{"work_shift", "{{ work_shift.delay_minutes | plus: 0 }}"},
		{"room_inspection", "{% unless inspection.passed %}{% for r in inspection.rooms %}{{ r.name }}: {{ r.score }}{% endfor %}{% endunless %}"},
		{"unit_inspection", "{{ inspection.units.first.score }}"},
		{"activity", "{{ activity.name }} ({{ order.number }})"},
		{"deviation", "{{ deviation.title }}: {{ deviation.resolution }}"},
	}
	for _, tt := range tests {
		et := eventType(t, tt.typ)
		for _, c := range []Content{{Subject: tt.src}, {EmailBody: tt.src}, {SMSBody: tt.src}} {
			if err := Check(et, c); err != nil {
				t.Errorf("Check(%s, %q) = %v, want nil", tt.typ, tt.src, err)
			}
		}
	}
}

func TestCheckRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typ, src string
		want     string // the message, or its start when the rest is Liquid's wording
	}{
		{"order", "Hej\n{{ order.nope }}", `unknown variable "order.nope" on line 2`},
		{"order", "{{ nope }}", `unknown variable "nope" on line 1`},
		{"order", "{{\n\n  order.nope }}", `unknown variable "order.nope" on line 3`},
		{"order", "{% if customer %}\n{{ customer.nope }}{% endif %}", `unknown variable "customer.nope" on line 2`},
		{"order", "{% if true %}{% else %}\n\n{{ order.nope }}{% endif %}", `unknown variable "order.nope" on line 3`},
		{"order", "{% if true %}\n{% elsif order.nope %}{% endif %}", `unknown variable "order.nope" on line 2`},
		{"order", "{% if customer.name and\n order.nope %}{% endif %}", `unknown variable "order.nope" on line 2`},
		{"order", "{% unless x %}{% endunless %}", `unknown variable "x" on line 1`},
		{"order", "{% for p in performers %}\n{{ p.nope }}{% endfor %}", `unknown variable "p.nope" on line 2`},
		{"order", "{% for p in performers %}{% endfor %}{{ p.name }}", `unknown variable "p.name" on line 1`},
		{"order", "{% for p in performers %}{% else %}{{ p.name }}{% endfor %}", `unknown variable "p.name" on line 1`},
		{"order", "{% for p in performers limit: order.nope %}{% endfor %}", `unknown variable "order.nope" on line 1`},
		{"order", "{% for p in nope %}{% endfor %}", `unknown variable "nope" on line 1`},
		{"order", "{% for a in order.activities | sort: 'name' %}{{ a.nope }}{% endfor %}", `unknown variable "a.nope" on line 1`},
		{"order", "{% for p in performers %}{% for a in order.activities %}{{ p.nope }}{% endfor %}{% endfor %}", `unknown variable "p.nope" on line 1`},
		{"order", "{% tablerow p in performers %}{{ p.nope }}{% endtablerow %}", `unknown variable "p.nope" on line 1`},
		{"order", "{% for i in (1..order.nope) %}{% endfor %}", `unknown variable "order.nope" on line 1`},
		{"order", "{{ (1..1001) | join }}", "line 1: a range may hold at most 1000 numbers"},
		{"order", "{% for i in (1..99999999999999999999) %}{% endfor %}", "the template cannot be parsed: "},
		{"order", "{% for i in (1..9999999999999999) %}{% endfor %}", "line 1: a range may hold at most 1000 numbers"},
		{"order", "{% assign n = 5 | times: 1000000000 %}\n{{ (1..n) | join }}", "line 2: a range bound must be a whole number or a variable of the event"},
		{"order", "{% capture n %}5{% endcapture %}{% for i in (n..2) %}{% endfor %}", "line 1: a range bound must be"},
		{"order", "{% for a in (1..100) %}{% for b in (1..100) %}\n{% for c in (1..2) %}{% endfor %}{% endfor %}{% endfor %}", "line 2: loops over ranges would run more than 10000 times"},
		{"order", "{{ performers.name }}", `unknown variable "performers.name" on line 1`},
		{"order", "{{ performers[0].nope }}", `unknown variable "performers[0].nope" on line 1`},
		{"order", "{{ performers[order.nope].name }}", `unknown variable "order.nope" on line 1`},
		{"order", `{{ customer["nope"] }}`, `unknown variable "customer[\"nope\"]" on line 1`},
		{"order", "{{ customer.name | append: order.nope }}", `unknown variable "order.nope" on line 1`},
		{"order", "{{ customer.name | default: nope.x, 1 }}", `unknown variable "nope.x" on line 1`},
		{"order", "{{ x }}{% assign x = 1 %}", `unknown variable "x" on line 1`},
		{"order", "{% assign x = order.nope %}", `unknown variable "order.nope" on line 1`},
		{"order", "{% assign c = customer %}{{ c.nope }}", `unknown variable "c.nope" on line 1`},
		{"order", "{% assign p1 = performers | last %}{{ p1.nope }}", `unknown variable "p1.nope" on line 1`},
		{"order", "{% case order.nope %}{% endcase %}", `unknown variable "order.nope" on line 1`},
		{"order", "{% case event.trigger %}\n{% when 'a', customer.nope %}{% endcase %}", `unknown variable "customer.nope" on line 2`},
		{"order", "{% case event.trigger %}{% when 'a' %}\n{{ nope }}{% endcase %}", `unknown variable "nope" on line 2`},
		{"order", "{% capture c %}{{ nope }}{% endcapture %}", `unknown variable "nope" on line 1`},
		{"order", "{{ forloop.index }}", `unknown variable "forloop.index" on line 1`},
		{"order", "{{ plans }}", `unknown variable "plans" on line 1`},
		{"order", "{{ order.number | shout }}", `unknown filter "shout" on line 1`},
		{"order", "Hej\n{% assign x = order.number\n | upcase | shout: 1 %}", `unknown filter "shout" on line 3`},
		{"order", "Hej\n{{ order.number\n | upcase }}", `line 2: "{{" is not closed on its line`},
		{"order", "{{ order.number }\n", `line 1: "{{" is not closed on its line`},
		{"order", "a\n\nb {% if x\n", `line 3: "{%" is not closed`},
		{"room_inspection", "{{ inspection.units }}", `unknown variable "inspection.units" on line 1`},
		{"work_shift", "{{ order.number }}", `unknown variable "order.number" on line 1`},
		{"order", "a\nb\n{{ order.number | }}", `line 3: syntax error in "order.number |"`},
		{"order", "a\n{% if x %}", `line 2: unterminated "if" block in {% if x %}`},
		{"order", "{% endif %}", "line 1: "},
		{"order", "a\n\n{% nope %}", `line 3: undefined tag "nope"`},
		{"order", "{{ }}", "line 1: syntax error"},
		{"order", "a\n{% include 'secrets.txt' %}", "line 2: the include tag is not supported"},
	}
	for _, tt := range tests {
		et := eventType(t, tt.typ)
		err := Check(et, Content{EmailBody: tt.src})
		var e *avisera.Error
		if !errors.As(err, &e) {
			t.Errorf("Check(%s, %q) = %v, want an *avisera.Error", tt.typ, tt.src, err)
			continue
		}
		if e.Code != avisera.EINVALID || e.Field != "email_body" {
			t.Errorf("Check(%s, %q): code, field = %q, %q, want %q, %q", tt.typ, tt.src, e.Code, e.Field, avisera.EINVALID, "email_body")
		}
		if got := e.Message; !strings.HasPrefix(got, tt.want) {
			t.Errorf("Check(%s, %q) message = %q, want prefix %q", tt.typ, tt.src, got, tt.want)
		}
	}
}

func TestCheckField(t *testing.T) {
	t.Parallel()
	et := eventType(t, "order")
	tests := []struct {
		c    Content
		want string
	}{
		{Content{Subject: "{{ order.nope }}"}, "subject"},
		{Content{Subject: "{{ order.number }}", EmailBody: "{% if %}"}, "email_body"},
		{Content{Subject: "ok", EmailBody: "ok", SMSBody: "{{ nope }}"}, "sms_body"},
	}
	for _, tt := range tests {
		err := Check(et, tt.c)
		var e *avisera.Error
		if !errors.As(err, &e) || e.Field != tt.want {
			t.Errorf("Check(%+v) = %v, want an error on field %q", tt.c, err, tt.want)
		}
	}
}

// TestCheckCatalogue checks that a template reading every variable of every
// event type passes, and renders with the samples.
func TestCheckCatalogue(t *testing.T) {
	t.Parallel()
	for _, et := range catalog.All() {
		var b strings.Builder
		for _, v := range et.Variables {
			b.WriteString("{{ " + readable(et, v.Name) + " }}\n")
		}
		c := Content{Subject: "{{ event.type }}", EmailBody: b.String(), SMSBody: b.String()}
		if err := Check(et, c); err != nil {
			t.Errorf("Check(%s, every variable) = %v, want nil", et.Name, err)
		}
		if _, err := Render(c, et.Samples(), Options{}); err != nil {
			t.Errorf("Render(%s, every variable) = %v, want nil", et.Name, err)
		}
	}
}

// readable spells a declared variable as a template reads it: an element
// field through .first.
func readable(et catalog.EventType, name string) string {
	parts := strings.Split(name, ".")
	out := parts[0]
	for i := 1; i < len(parts); i++ {
		if v, _ := et.Variable(strings.Join(parts[:i], ".")); v.Type == catalog.TypeList {
			out += ".first"
		}
		out += "." + parts[i]
	}
	return out
}
