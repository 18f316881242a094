package callback_test

import (
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/avisera/avisera/callback"
)

func TestParseElks(t *testing.T) {
	t.Parallel()
	const id = "s70df59406a1b4643b96f3f91e0bfb7b0"
	for _, tc := range []struct {
		name   string
		target string
		form   url.Values
		want   callback.Update
	}{
		{
			name:   "delivered",
			target: "/api/v1/webhooks/46elks?reference=d-42",
			form:   url.Values{"id": {id}, "status": {"delivered"}, "delivered": {"2026-03-02T09:15:04.123456"}},
			want: callback.Update{ProviderID: id, Reference: "d-42", Status: callback.Delivered, Event: "delivered",
				At: time.Date(2026, 3, 2, 9, 15, 4, 123456000, time.UTC)},
		},
		{
			name:   "sent",
			target: "/api/v1/webhooks/46elks",
			form:   url.Values{"id": {id}, "status": {"sent"}},
			want:   callback.Update{ProviderID: id, Status: callback.Sent, Event: "sent"},
		},
		{
			name:   "failed",
			target: "/api/v1/webhooks/46elks?reference=d-42",
			form:   url.Values{"id": {id}, "status": {"failed"}},
			want:   callback.Update{ProviderID: id, Reference: "d-42", Status: callback.Failed, Event: "failed"},
		},
		{
			name:   "unknown status is record only",
			target: "/cb",
			form:   url.Values{"id": {id}, "status": {"created"}},
			want:   callback.Update{ProviderID: id, Event: "created"},
		},
	} {
		got, err := callback.ParseElks(formRequest(tc.target, tc.form))
		checkUpdates(t, tc.name, got, err, []callback.Update{tc.want})
	}
}

func TestParseElksMalformed(t *testing.T) {
	t.Parallel()
	for _, form := range []url.Values{
		{"status": {"delivered"}},
		{"id": {"s1"}},
		{},
	} {
		if _, err := callback.ParseElks(formRequest("/cb", form)); !errors.Is(err, callback.ErrMalformed) {
			t.Errorf("ParseElks(%v): got %v, want ErrMalformed", form, err)
		}
	}
}
