package callback_test

import (
	"errors"
	"testing"
	"time"

	"github.com/avisera/avisera/callback"
)

const brevoMsgID = "<202603020915.12345678901@smtp-relay.mailin.fr>"

// 2026-03-02T09:15:04Z
var brevoAt = time.Date(2026, 3, 2, 9, 15, 4, 0, time.UTC)

func TestParseBrevo(t *testing.T) {
	t.Parallel()
	base := callback.Update{ProviderID: brevoMsgID, Email: "anna@example.se", At: brevoAt}
	with := func(event, status, detail, ref string) callback.Update {
		u := base
		u.Event, u.Status, u.Detail, u.Reference = event, status, detail, ref
		return u
	}
	for _, tc := range []struct {
		name string
		body string
		want callback.Update
	}{
		{"request", `{"event":"request","email":"anna@example.se","id":9999999,"date":"2026-03-02 10:15:04",
			"ts":1772442904,"ts_event":1772442904,"ts_epoch":1772442904000,"message-id":"` + brevoMsgID + `",
			"subject":"Order klar","tag":"[\"order\"]","tags":["order"],"X-Mailin-custom":"{\"reference\":\"d-9\"}"}`,
			with("request", callback.Sent, "", "d-9")},
		{"delivered", `{"event":"delivered","email":"anna@example.se","ts_epoch":1772442904000,"message-id":"` + brevoMsgID + `","X-Mailin-custom":"d-9"}`,
			with("delivered", callback.Delivered, "", "d-9")},
		{"hard bounce", `{"event":"hard_bounce","email":"anna@example.se","ts_epoch":1772442904000,"message-id":"` + brevoMsgID + `",
			"reason":" RecipientError: 550 5.5.0 Requested action not taken: mailbox unavailable.","tag":"header-tag"}`,
			with("hard_bounce", callback.Bounced, "RecipientError: 550 5.5.0 Requested action not taken: mailbox unavailable.", "")},
		{"soft bounce", `{"event":"soft_bounce","email":"anna@example.se","ts_epoch":1772442904000,"message-id":"` + brevoMsgID + `",
			"reason":"Unable to find MX of domain example.se"}`,
			with("soft_bounce", callback.Deferred, "Unable to find MX of domain example.se", "")},
		{"blocked", `{"event":"blocked","email":"anna@example.se","ts_epoch":1772442904000,"message-id":"` + brevoMsgID + `","reason":"blocked : due to blacklist user"}`,
			with("blocked", callback.Rejected, "blocked : due to blacklist user", "")},
		{"invalid email", `{"event":"invalid_email","email":"anna@example.se","ts_epoch":1772442904000,"message-id":"` + brevoMsgID + `"}`,
			with("invalid_email", callback.InvalidAddress, "", "")},
		{"deferred", `{"event":"deferred","email":"anna@example.se","ts_epoch":1772442904000,"message-id":"` + brevoMsgID + `","reason":"421 try later"}`,
			with("deferred", callback.Deferred, "421 try later", "")},
		{"unique opened", `{"event":"unique_opened","email":"anna@example.se","ts_epoch":1772442904000,"message-id":"` + brevoMsgID + `"}`,
			with("unique_opened", callback.Opened, "", "")},
		{"opened", `{"event":"opened","email":"anna@example.se","ts_epoch":"1772442904000","message-id":"` + brevoMsgID + `"}`,
			with("opened", callback.Opened, "", "")},
		{"proxy open", `{"event":"proxy_open","email":"anna@example.se","id":1,"tag":["t"],"ts_event":1772442904,"message-id":"` + brevoMsgID + `"}`,
			with("proxy_open", callback.Delivered, "", "")},
		{"click", `{"event":"click","email":"anna@example.se","ts_epoch":1772442904000,"message-id":"` + brevoMsgID + `","link":"https://avisera.example/d/abc"}`,
			with("click", callback.Clicked, "https://avisera.example/d/abc", "")},
		{"spam complaint", `{"event":"spam","email":"anna@example.se","ts_epoch":1772442904000,"message-id":"` + brevoMsgID + `"}`,
			with("spam", callback.Delivered, "", "")},
		{"unsubscribed", `{"event":"unsubscribed","email":"anna@example.se","ts_epoch":1772442904000,"message-id":"` + brevoMsgID + `"}`,
			with("unsubscribed", "", "", "")},
		{"error with ts_epoch in seconds", `{"event":"error","email":"anna@example.se","id":"xxxxx","ts_epoch":1772442904,"message-id":"` + brevoMsgID + `"}`,
			with("error", callback.Failed, "", "")},
	} {
		got, err := callback.ParseBrevo(jsonRequest("/api/v1/webhooks/brevo", tc.body))
		checkUpdates(t, tc.name, got, err, []callback.Update{tc.want})
	}
}

func TestParseBrevoBatch(t *testing.T) {
	t.Parallel()
	body := `[{"event":"request","email":"a@example.se","message-id":"<1@x>","ts_epoch":1772442904000},
		{"event":"delivered","email":"b@example.se","message-id":"<2@x>","ts_event":1772442905}]`
	got, err := callback.ParseBrevo(jsonRequest("/cb", body))
	want := []callback.Update{
		{ProviderID: "<1@x>", Email: "a@example.se", Status: callback.Sent, Event: "request", At: brevoAt},
		{ProviderID: "<2@x>", Email: "b@example.se", Status: callback.Delivered, Event: "delivered", At: brevoAt.Add(time.Second)},
	}
	checkUpdates(t, "batch", got, err, want)
	got, err = callback.ParseBrevo(jsonRequest("/cb", "[]"))
	checkUpdates(t, "empty batch", got, err, []callback.Update{})
}

func TestParseBrevoMalformed(t *testing.T) {
	t.Parallel()
	for _, body := range []string{``, `{`, `"delivered"`, `{"email":"a@example.se"}`, `[{"event":"request"},{}]`, `{"event":"opened","ts_epoch":"soon"}`} {
		if _, err := callback.ParseBrevo(jsonRequest("/cb", body)); !errors.Is(err, callback.ErrMalformed) {
			t.Errorf("ParseBrevo(%s): got %v, want ErrMalformed", body, err)
		}
	}
}
