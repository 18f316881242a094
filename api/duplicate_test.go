package api

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestDuplicateKey(t *testing.T) {
	t.Parallel()
	many := make([]string, 40)
	for i := range many {
		many[i] = fmt.Sprintf(`"k%d":%d`, i, i)
	}
	event := reflect.TypeOf(&eventRequest{})
	tests := []struct {
		body   string
		levels int
		want   string
		typ    reflect.Type // nil: free JSON
	}{
		{`{"id":"e1","type":"x"}`, allLevels, "", nil},
		{`{"id":"e1","id":"e2"}`, allLevels, "id", nil},
		{`{"a":{"b":1,"c":{"d":1,"d":2}}}`, allLevels, "a.c.d", nil},
		{`{"static":[{"user_id":"u"},{"user_id":"u2","user_id":"u3"}]}`, allLevels, "static[1].user_id", nil},
		{`[{"a":1},[{"b":1}],{"c":1,"c":2}]`, allLevels, "[2].c", nil},
		{`{"a":"a","b":"a"}`, allLevels, "", nil},                       // a value is not a name
		{`{"a":"{\"a\":1,\"a\":2}","b":["a","a"]}`, allLevels, "", nil}, // nor is text that looks like JSON
		{`{"a\"b":1,"a\"b":2}`, allLevels, `a"b`, nil},                  // escaped quotes end no string
		{`{"a":1,"\u0061":2}`, allLevels, "a", nil},                     // one name, two spellings
		{`{"x":{"a":1},"y":{"a":1}}`, allLevels, "", nil},               // each object has its own names
		{`{"events":[{"id":"a","id":"b"}]}`, 1, "", nil},                // a batch looks into its events one by one
		{`{"events":[],"events":[]}`, 1, "events", nil},
		{`{"data":{` + strings.Join(many, ",") + `,"k39":0}}`, allLevels, "data.k39", nil},
		{`{"data":{` + strings.Join(many, ",") + `}}`, allLevels, "", nil},
		{` "text" `, allLevels, "", nil},
		{`{"":1,"":2}`, allLevels, `""`, nil}, // an empty name is a name
		{`{"":{"x":1,"x":2}}`, allLevels, `"".x`, nil},
		// encoding/json matches a struct's field names ignoring case, so
		// "ID" is the field "id" again; free JSON's names are case-sensitive.
		{`{"id":"e1","ID":"e2"}`, allLevels, "ID", event},
		{`{"id":"e1","ID":"e2"}`, allLevels, "", nil},
		{`{"refs":{"customer":"k1","Customer":"k2"}}`, allLevels, "refs.Customer", event},
		{`{"refs":{"users":["u1"],"USERS":["u2"]}}`, allLevels, "refs.USERS", event},
		{`{"subject":{"type":"order","Type":"x"}}`, allLevels, "subject.Type", event},
		{`{"data":{"Name":1,"name":2,"list":[{"a":1,"A":2}]}}`, allLevels, "", event},
		{`{"data":{"Name":1,"Name":2}}`, allLevels, "data.Name", event},
		{`{"events":[{"id":"a","ID":"b"}]}`, 1, "", reflect.TypeOf(struct{ Events []eventRequest }{})},
		{`{"Events":[],"events":[]}`, 1, "events", reflect.TypeOf(struct{ Events []eventRequest }{})},
	}
	for _, tt := range tests {
		if !json.Valid([]byte(tt.body)) {
			t.Fatalf("test body %s is not JSON", tt.body)
		}
		if got := duplicateKey([]byte(tt.body), tt.levels, tt.typ); got != tt.want {
			t.Errorf("duplicateKey(%s, %d, %v) = %q, want %q", tt.body, tt.levels, tt.typ, got, tt.want)
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
			if duplicateKey(body, allLevels, reflect.TypeOf(&eventRequest{})) != "" {
				b.Fatal("no duplicate expected")
			}
		}
	})
}
