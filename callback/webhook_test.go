package callback_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/avisera/avisera/callback"
)

func TestParseHTTP(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 2, 9, 15, 4, 0, time.UTC)
	for _, tc := range []struct {
		name, target, body string
		want               []callback.Update
	}{
		{"one", "/cb", `{"id":"msg-1","reference":"d-1","status":"delivered","at":"2026-03-02T10:15:04+01:00"}`,
			[]callback.Update{{ProviderID: "msg-1", Reference: "d-1", Status: "delivered", Event: "delivered", At: at}}},
		{"reference from URL", "/cb?reference=d-2", `{"id":"msg-2","status":"failed","detail":"absent subscriber"}`,
			[]callback.Update{{ProviderID: "msg-2", Reference: "d-2", Status: "failed", Event: "failed", Detail: "absent subscriber"}}},
		{"array", "/cb", `[{"id":"a","status":"sent"},{"id":"b","status":"expired"}]`,
			[]callback.Update{{ProviderID: "a", Status: "sent", Event: "sent"}, {ProviderID: "b", Status: "expired", Event: "expired"}}},
	} {
		got, err := callback.ParseHTTP(jsonRequest(tc.target, tc.body))
		checkUpdates(t, tc.name, got, err, tc.want)
	}
	for body, field := range map[string]string{`{"status":"delivered"}`: "id or reference",
		`{"id":"a","status":"DELIVRD"}`: "status", `{"id":"a","status":"sent","at":"yesterday"}`: "at", `nope`: ""} {
		_, err := callback.ParseHTTP(jsonRequest("/cb", body))
		if !errors.Is(err, callback.ErrMalformed) || !strings.Contains(fmt.Sprint(err), field) {
			t.Errorf("ParseHTTP(%s): got %v, want ErrMalformed naming %q", body, err, field)
		}
	}
}
