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
	// What a serialiser may add or spell otherwise is the same event.
	sameAgain := strings.NewReplacer(`"refs"`, `"data":{},"files":[],"refs"`, "T09:00:00Z", "t09:00:00.000z").Replace(ev)
	if code, body, replay := post(sameAgain); code != 202 || body != body1 || replay != "true" {
		t.Errorf("again with empty data and files, a lowercase time = %d %s (replayed %q), want the first answer", code, body, replay)
	}
	if code, body, _ := post(strings.Replace(ev, "i1", "i2", 1)); code != 409 || errorOf(t, body).Field != "id" {
		t.Errorf("same id, other content = %d %s, want 409 naming id", code, body)
	}
	if ds := s.settled("e1"); len(ds) != 1 {
		t.Errorf("deliveries = %d, want 1", len(ds))
	}
}

// TestEventRequiredFields: the first missing field in the contract's order
// is named.
func TestEventRequiredFields(t *testing.T) {
	t.Parallel()
	a, _ := newServer(t)
	for body, field := range map[string]string{
		`{}`:                                   "id",
		`{"id":"e1","subject":{"id":"o"}}`:     "type",
		`{"id":"e1","type":"order.completed"}`: "subject",
		`{"id":"e1","type":"order.completed","subject":{"type":"order","id":"o"}}`:                            "occurred_at",
		`{"id":"e1","type":"order.completed","subject":{"type":"order","id":"o"},"occurred_at":"2026-03-02"}`: "occurred_at",
	} {
		if got, res := a.do("POST", "/api/v1/events", body); got != 422 || errorOf(t, res).Field != field {
			t.Errorf("POST %s = %d %s, want 422 naming %s", body, got, res, field)
		}
	}
}
