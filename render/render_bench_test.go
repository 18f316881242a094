package render_test

import (
	"testing"

	"github.com/avisera/avisera/bench"
	"github.com/avisera/avisera/render"
)

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
	vars := benchVars(bench.EventData(1))
	msg := render.Content{Subject: bench.MessageSubject, EmailBody: bench.MessageBody}
	opt := render.Options{Language: "sv"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := render.Render(msg, vars, opt); err != nil {
			b.Fatal(err)
		}
	}
}
