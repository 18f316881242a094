package api

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/avisera/avisera/engine"
	"github.com/avisera/avisera/sms/smstest"
	"github.com/avisera/avisera/store/storetest"
)

// smsSetup points the tenant at a provider, and links an SMS message for
// the performer of a completed order.
func (s *stack) smsSetup(provider, base, user, password string) {
	s.t.Helper()
	s.must(200, "PUT", "/api/v1/tenant", `{"name":"Städbolaget","settings":{"sms_provider":"`+provider+`","sms_url":"`+base+`","sms_user":"`+user+`","sms_password":"`+password+`","sms_from":"Stadbolag"}}`, nil)
	var m struct{ ID string }
	s.must(201, "POST", "/api/v1/messages", `{"event_type":"order","name":"Order klar","subject":"Klar","email_body":"Order klar.","sms_body":"Order {{ order.number }} klar, tack {{ recipient.name }}!"}`, &m)
	s.must(201, "POST", "/api/v1/links", `{"message_id":"`+m.ID+`","trigger":"completed","target":{"type":"tenant"},"channels":["sms"],"dynamic":["performer"]}`, nil)
	s.must(201, "PUT", "/api/v1/users/u1", `{"name":"Olle Städare","role":"cleaner","notification_recipient":true,"phones":["+46702222222"]}`, nil)
}

func (s *stack) completed(id, user string) {
	s.t.Helper()
	s.must(202, "POST", "/api/v1/events", `{"id":"`+id+`","type":"order.completed","occurred_at":"2026-03-02T09:00:00Z","subject":{"type":"order","id":"o-`+id+`"},"refs":{"users":["`+user+`"]},"data":{"number":"`+id+`"}}`, nil)
}

func (s *stack) delivery(id string) deliveryJSON {
	s.t.Helper()
	var d deliveryJSON
	s.must(200, "GET", "/api/v1/deliveries/"+id, "", &d)
	return d
}

// TestSMSToLoggedInPhone is seed rule 8: the device phone while logged in,
// the contact's mobile after logout; landlines are never texted.
func TestSMSToLoggedInPhone(t *testing.T) {
	t.Parallel()
	for name, open := range storetest.Databases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newStack(t, open)
			elks := smstest.NewElks(t)
			s.smsSetup("46elks", elks.URL, elks.User, elks.Password)
			s.must(200, "PUT", "/api/v1/users/u1/device", `{"phone":"+46701111111"}`, nil)
			s.completed("e1", "u1")
			d := s.settled("e1")[0]
			if d.Address != "+46701111111" || d.Status != "sent" || !strings.Contains(d.ReachedVia, "logged-in phone") || d.ProviderID == "" {
				t.Errorf("while logged in = %+v, want sent to +46701111111 via the logged-in phone", d)
			}
			s.must(204, "DELETE", "/api/v1/users/u1/device", "", nil)
			s.completed("e2", "u1")
			d = s.settled("e2")[0]
			if d.Address != "+46702222222" || d.Status != "sent" || !strings.Contains(d.ReachedVia, "contact mobile") {
				t.Errorf("after logout = %+v, want sent to +46702222222 via the contact's mobile", d)
			}
			msgs := elks.Messages()
			if len(msgs) != 2 || msgs[0].To != "+46701111111" || msgs[1].To != "+46702222222" || msgs[0].From != "Stadbolag" ||
				msgs[0].Text != "Order e1 klar, tack Olle Städare!" || !strings.Contains(msgs[0].CallbackURL, "/api/v1/webhooks/46elks/") {
				t.Errorf("provider got %+v", msgs)
			}
			// The follow-up finds an SMS by its number in any format, and by
			// the words of its name and number in any order.
			for _, q := range []string{"070-111 11 11", "0046701111111", "+46 70 111", "Olle", "städare olle", "0111 olle"} {
				var found struct{ Items []deliveryJSON }
				s.must(200, "GET", "/api/v1/deliveries?event_id=e1&q="+url.QueryEscape(q), "", &found)
				if len(found.Items) != 1 {
					t.Errorf("deliveries?q=%s = %d, want the SMS to +46701111111", q, len(found.Items))
				}
			}
			for _, q := range []string{"recipient=olle", "address=%2B46701111111", "recipient=olle&address=0701111111"} {
				var found struct{ Items []deliveryJSON }
				if s.must(200, "GET", "/api/v1/deliveries?event_id=e1&"+q, "", &found); len(found.Items) != 1 {
					t.Errorf("deliveries?%s = %d, want the SMS to +46701111111", q, len(found.Items))
				}
			}
			var none struct{ Items []deliveryJSON }
			if s.must(200, "GET", "/api/v1/deliveries?event_id=e1&q="+url.QueryEscape("olle fast"), "", &none); len(none.Items) != 0 {
				t.Errorf("deliveries?q=olle fast = %d, want none: every word must match", len(none.Items))
			}
			s.must(201, "PUT", "/api/v1/users/u2", `{"name":"Lisa Fast","role":"cleaner","notification_recipient":true,"phones":["08-123 456 78"]}`, nil)
			s.completed("e3", "u2")
			if d := s.settled("e3")[0]; d.Status != "suppressed" || !strings.Contains(d.Detail, "landline") {
				t.Errorf("landline = %+v, want suppressed naming the landline", d)
			}
		})
	}
}

// TestDeliveryReports checks 46elks reports arriving twice and out of
// order, and forged ones.
func TestDeliveryReports(t *testing.T) {
	t.Parallel()
	s := newStack(t, storetest.OpenSQLite)
	elks := smstest.NewElks(t)
	s.smsSetup("46elks", elks.URL, elks.User, elks.Password)
	s.completed("e1", "u1")
	d := s.settled("e1")[0]
	for _, st := range []string{"delivered", "delivered", "sent"} {
		if err := elks.Deliver(d.ProviderID, st); err != nil {
			t.Fatalf("deliver %s: %v", st, err)
		}
	}
	got := s.delivery(d.ID)
	if got.Status != "delivered" {
		t.Errorf("status = %s, want delivered despite the late sent", got.Status)
	}
	if !strings.Contains(got.SMS, "klar, tack") || got.HTML != "" || got.Text != "" {
		t.Errorf("SMS delivery content: sms %q, html %q, text %q; want the SMS only", got.SMS, got.HTML, got.Text)
	}
	var late bool
	for _, h := range got.History {
		late = late || (h.Status == "sent" && !h.Applied && strings.Contains(h.Detail, "sent"))
	}
	if !late || len(got.History) != 6 {
		t.Errorf("history = %+v, want queued, sending, sent, delivered, delivered (not applied), sent (not applied)", got.History)
	}
	// Forged: a wrong secret, and the right path with a report for another id.
	cb := elks.Messages()[0].CallbackURL
	u, _ := url.Parse(cb)
	wrong := strings.Replace(u.Path, "/46elks/", "/46elks/x", 1)
	res, err := http.PostForm(s.url+wrong, url.Values{"id": {d.ProviderID}, "status": {"failed"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 401 || s.delivery(d.ID).Status != "delivered" {
		t.Errorf("forged report = %d, status %s; want 401 and no change", res.StatusCode, s.delivery(d.ID).Status)
	}
}

// TestReportBeforeAnswer has the provider's delivery report overtake its
// answer to the send: the delivery keeps the reported status, and the
// send's "sent" is history only.
func TestReportBeforeAnswer(t *testing.T) {
	t.Parallel()
	for name, open := range storetest.Databases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, report := range []string{"delivered", "failed"} {
				s := newStack(t, open)
				elks := smstest.NewElks(t)
				elks.ReportFirst = report
				s.smsSetup("46elks", elks.URL, elks.User, elks.Password)
				s.completed("e1", "u1")
				d := s.sentAfter(s.settled("e1")[0].ID)
				var sent, reported bool
				for _, h := range d.History {
					sent = sent || (h.Status == "sent" && !h.Applied)
					reported = reported || (h.Status == report && h.Applied)
				}
				if d.Status != report || !sent || !reported || d.ProviderID == "" || d.Attempts != 1 {
					t.Errorf("report %s first: delivery = %+v, want %s with the send's sent not applied, "+
						"its provider id and one attempt", report, d, report)
				}
			}
		})
	}
}

// sentAfter waits until the send of delivery id has recorded its outcome
// (it comes after the report that overtook it) and returns the delivery.
func (s *stack) sentAfter(id string) deliveryJSON {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		d := s.delivery(id)
		if d.Attempts > 0 || time.Now().After(deadline) {
			return d
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestTwilioSignature accepts Twilio's signed reports and refuses a forged
// signature.
func TestTwilioSignature(t *testing.T) {
	t.Parallel()
	s := newStack(t, storetest.OpenSQLite)
	tw := smstest.NewTwilio(t)
	s.smsSetup("twilio", tw.URL, tw.AccountSid, tw.AuthToken)
	s.completed("e1", "u1")
	d := s.settled("e1")[0]
	if d.Status != "sent" || !strings.HasPrefix(d.ProviderID, "SM") {
		t.Fatalf("delivery = %+v, want sent with a Twilio SID", d)
	}
	if err := tw.Deliver(d.ProviderID, "delivered"); err != nil {
		t.Fatalf("signed report refused: %v", err)
	}
	if got := s.delivery(d.ID).Status; got != "delivered" {
		t.Errorf("after a signed report = %s, want delivered", got)
	}
	cb := tw.Messages()[0].CallbackURL
	form := url.Values{"MessageSid": {d.ProviderID}, "MessageStatus": {"failed"}, "AccountSid": {tw.AccountSid}}
	req, _ := http.NewRequest("POST", cb, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", smstest.Signature("wrong-token", cb, form))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 401 || s.delivery(d.ID).Status != "delivered" {
		t.Errorf("forged signature = %d, status %s; want 401 and no change", res.StatusCode, s.delivery(d.ID).Status)
	}
}

// TestSMSRateLimitIsRetried: a 429 with Retry-After defers, then sends.
func TestSMSRateLimitIsRetried(t *testing.T) {
	t.Parallel()
	s := newStack(t, storetest.OpenSQLite, engine.WithRetryPolicy(engine.RetryPolicy{Base: 100 * time.Millisecond,
		Cap: time.Second, MaxAge: time.Minute}))
	elks := smstest.NewElks(t)
	s.smsSetup("46elks", elks.URL, elks.User, elks.Password)
	elks.FailNext(1, 429, "1")
	s.completed("e1", "u1")
	deadline := time.Now().Add(20 * time.Second)
	for {
		var l struct{ Items []deliveryJSON }
		s.must(200, "GET", "/api/v1/deliveries?event_id=e1", "", &l)
		d := l.Items[0]
		if d.Status == "sent" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("delivery = %+v, want sent after the 429", d)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n := len(elks.Messages()); n != 1 {
		t.Errorf("provider accepted %d messages, want 1", n)
	}
}
