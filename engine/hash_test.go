package engine

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/avisera/avisera"
)

// TestHashEvent checks which differences make a retry a different event.
func TestHashEvent(t *testing.T) {
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	ev := func(data string, files []string) avisera.Event {
		return avisera.Event{ID: "e1", EventType: "order", Trigger: "completed", OccurredAt: at,
			Subject: avisera.Target{Type: "order", ID: "o1"}, Data: json.RawMessage(data), Files: files}
	}
	same := []struct{ name, a, b string }{
		{"empty data object against none", `{}`, ``},
		{"null data against none", `null`, ``},
		{"key order and spacing", `{"a":1,"b":[1,2]}`, `{ "b": [1, 2], "a": 1 }`},
		{"a number's spelling", `{"n":100,"x":0.1}`, `{"n":1e2,"x":0.10}`},
		{"a number beyond float64, spelt two ways", `{"n":12345678901234567890}`, `{"n":1234567890123456789e1}`},
		{"a huge exponent, spelt two ways", `{"n":1e999999999}`, `{"n":10.0e999999998}`},
	}
	for _, tt := range same {
		if hashEvent(ev(tt.a, nil)) != hashEvent(ev(tt.b, nil)) {
			t.Errorf("%s: %s and %s hash differently, want the same", tt.name, tt.a, tt.b)
		}
	}
	if hashEvent(ev(``, []string{})) != hashEvent(ev(``, nil)) {
		t.Error("an empty file list hashes unlike none")
	}
	differ := []struct{ name, a, b string }{
		{"numbers beyond float64", `{"n":12345678901234567890}`, `{"n":12345678901234567891}`},
		{"a value", `{"a":1}`, `{"a":2}`},
		{"a number against its text", `{"a":1}`, `{"a":"1"}`},
		{"huge exponents", `{"n":1e999999999}`, `{"n":1e999999998}`},
		{"16 digits float64 rounds alike", `{"n":9007199254740993}`, `{"n":9007199254740992}`},
		{"signs beyond float64", `{"n":-1e400}`, `{"n":1e400}`},
		{"an empty object inside", `{"a":{}}`, `{}`},
	}
	for _, tt := range differ {
		if hashEvent(ev(tt.a, nil)) == hashEvent(ev(tt.b, nil)) {
			t.Errorf("%s: %s and %s hash the same, want different", tt.name, tt.a, tt.b)
		}
	}
	if hashEvent(ev(``, []string{"f1"})) == hashEvent(ev(``, nil)) {
		t.Error("a file list hashes like none")
	}
}
