package api

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestDuplicateKey(t *testing.T) {
	t.Parallel()
	many := make([]string, 40)
	for i := range many {
		many[i] = fmt.Sprintf(`"k%d":%d`, i, i)
	}
	tests := []struct {
		body   string
		levels int
		want   string
	}{
		{`{"id":"e1","type":"x"}`, allLevels, ""},
		{`{"id":"e1","id":"e2"}`, allLevels, "id"},
		{`{"a":{"b":1,"c":{"d":1,"d":2}}}`, allLevels, "a.c.d"},
		{`{"static":[{"user_id":"u"},{"user_id":"u2","user_id":"u3"}]}`, allLevels, "static[1].user_id"},
		{`[{"a":1},[{"b":1}],{"c":1,"c":2}]`, allLevels, "[2].c"},
		{`{"a":"a","b":"a"}`, allLevels, ""},                       // a value is not a name
		{`{"a":"{\"a\":1,\"a\":2}","b":["a","a"]}`, allLevels, ""}, // nor is text that looks like JSON
		{`{"a\"b":1,"a\"b":2}`, allLevels, `a"b`},                  // escaped quotes end no string
		{`{"a":1,"\u0061":2}`, allLevels, "a"},                     // one name, two spellings
		{`{"x":{"a":1},"y":{"a":1}}`, allLevels, ""},               // each object has its own names
		{`{"events":[{"id":"a","id":"b"}]}`, 1, ""},                // a batch looks into its events one by one
		{`{"events":[],"events":[]}`, 1, "events"},
		{`{"data":{` + strings.Join(many, ",") + `,"k39":0}}`, allLevels, "data.k39"},
		{`{"data":{` + strings.Join(many, ",") + `}}`, allLevels, ""},
		{` "text" `, allLevels, ""},
	}
	for _, tt := range tests {
		if !json.Valid([]byte(tt.body)) {
			t.Fatalf("test body %s is not JSON", tt.body)
		}
		if got := duplicateKey([]byte(tt.body), tt.levels); got != tt.want {
			t.Errorf("duplicateKey(%s, %d) = %q, want %q", tt.body, tt.levels, got, tt.want)
		}
	}
}

// BenchmarkDuplicateKey measures the check against decoding the event it
// guards (the ratio is what matters).
func BenchmarkDuplicateKey(b *testing.B) {
	body := []byte(`{"id":"ev-1","type":"order.completed","occurred_at":"2026-12-01T08:00:00+01:00",` +
		`"subject":{"type":"order","id":"o-1"},"refs":{"customer":"k1","users":["u1","u2"]},` +
		`"data":{"number":"2026-0001","note":"Städning klar","rooms":[1,2,3],"by":{"name":"Olle"}}}`)
	b.Run("decode", func(b *testing.B) {
		for b.Loop() {
			var ev eventRequest
			if err := json.Unmarshal(body, &ev); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("duplicates", func(b *testing.B) {
		for b.Loop() {
			if duplicateKey(body, allLevels) != "" {
				b.Fatal("no duplicate expected")
			}
		}
	})
}
