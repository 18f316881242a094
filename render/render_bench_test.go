package render

import (
	"testing"
)

// benchMessage is the message the product's benchmark sends (bench/message.go):
// an order-completed notice of ordinary size, with a loop, Markdown and
// Swedish text, and no SMS.
var benchMessage = Content{
	Subject: "{{ event.id }} · Order {{ order.number }} utförd hos {{ customer.name }}",
	EmailBody: `Hej {{ recipient.name }}!

Ordern **{{ order.number }}** ({{ order.name }}) hos {{ customer.name }} är utförd.

{% for a in order.activities %}- {{ a.name }}: {{ a.status }}{% if a.comment != "" %} ({{ a.comment }}){% endif %}
{% endfor %}
Kommentar från serviceutföraren: {{ order.comment }}

Händelsen inträffade {{ event.occurred_at }}.

Med vänliga hälsningar
{{ org_unit.name }}`,
}

// benchData is the event data the benchmark posts (bench.eventData).
func benchData() map[string]any {
	return map[string]any{
		"number":  "2026-00001",
		"name":    "Kontorsstädning vecka 48",
		"comment": "Allt utfört enligt plan. Papperskorgen i konferensrum 3 är trasig.",
		"activities": []any{
			map[string]any{"name": "Dammsugning kontorsytor", "status": "Utförd", "comment": ""},
			map[string]any{"name": "Rengöring av toaletter", "status": "Utförd", "comment": ""},
			map[string]any{"name": "Fönsterputs entré", "status": "Ej utförd", "comment": "Stege saknades"},
		},
	}
}

// benchVars has the shape the engine gives Render (engine/vars.go): the
// event, the subject under its type with the data, the data again, the
// recipient, performers, files and the master data.
func benchVars(data map[string]any) map[string]any {
	order := map[string]any{"id": "order-1"}
	for k, v := range data {
		order[k] = v
	}
	return map[string]any{
		"event": map[string]any{"id": "ev-0000001", "type": "order.completed", "trigger": "completed",
			"occurred_at": "2026-11-24T09:48:00+01:00"},
		"order":      order,
		"data":       data,
		"recipient":  map[string]any{"name": "AvRcptNameSlot7x", "language": "sv"},
		"performers": []any{},
		"files":      []any(nil),
		"customer":   map[string]any{"id": "cust-bench", "name": "Kund AB", "number": "K-1"},
		"contract":   map[string]any{"id": "", "name": ""},
		"org_unit":   map[string]any{"id": "ou-bench", "name": "Städ Norr"},
		"place":      map[string]any{"id": "", "name": "", "address": ""},
	}
}

// BenchmarkRenderMessage renders the product benchmark's message as the
// engine does, once per recipient.
func BenchmarkRenderMessage(b *testing.B) {
	vars := benchVars(benchData())
	opt := Options{Language: "sv"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(benchMessage, vars, opt); err != nil {
			b.Fatal(err)
		}
	}
}
