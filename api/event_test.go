package api

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/avisera/avisera/store/storetest"
)

// TestEventReplay: the same event again gets the very same answer (the
// replay is told by a header), another body under the same id a 409.
func TestEventReplay(t *testing.T) {
	t.Parallel()
	s := newStack(t, storetest.OpenSQLite)
	s.seedRecipient()
	const ev = `{"id":"e1","type":"room_inspection.completed","occurred_at":"2026-03-02T09:00:00Z","subject":{"type":"room_inspection","id":"i1"},"refs":{"customer":"k1"}}`
	post := func(body string) (int, string, string) {
		req, _ := http.NewRequest("POST", s.url+"/api/v1/events", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+s.key)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b), res.Header.Get("Idempotent-Replayed")
	}
	code1, body1, replay1 := post(ev)
	code2, body2, replay2 := post(strings.Replace(ev, `"id":"e1",`, `"id":"e1",  `, 1))
	if code1 != 202 || code2 != 202 || body1 != body2 || replay1 != "" || replay2 != "true" {
		t.Errorf("first %d %s (replayed %q), again %d %s (replayed %q); want identical 202 answers, the second marked replayed",
			code1, body1, replay1, code2, body2, replay2)
	}
	if code, body, _ := post(strings.Replace(ev, "i1", "i2", 1)); code != 409 || errorOf(t, body).Field != "id" {
		t.Errorf("same id, other content = %d %s, want 409 naming id", code, body)
	}
	if ds := s.settled("e1"); len(ds) != 1 {
		t.Errorf("deliveries = %d, want 1", len(ds))
	}
}
