// Package smstest runs fakes of the SMS providers' APIs on loopback, for
// tests of package sms and of everything that sends SMS.
//
// Each fake checks credentials, required fields and phone numbers the way
// the real service does and answers in the real service's shapes (46elks:
// JSON, plain-text errors; Twilio: JSON resources and JSON errors with
// codes; the generic provider: JSON). Fakes record what they accepted, can
// be told to fail the next requests, and can post delivery reports to the
// callback URL a message registered, shaped and signed like the real ones.
package smstest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/avisera/avisera/sms"
	"github.com/nyaruka/phonenumbers"
)

// Sent is one message a fake accepted, as the provider saw it.
type Sent struct {
	ID          string            // the provider id the fake answered with
	Path        string            // the request path
	Fields      map[string]string // form fields or JSON members, exactly as received
	To          string
	From        string
	Text        string
	CallbackURL string // whendelivered, StatusCallback or callback_url
	Reference   string // only the generic provider carries it
	Segments    int
}

// failure is one injected error answer.
type failure struct {
	status     int
	retryAfter string
}

// recorder is what every fake shares: the accepted messages, the injected
// failures and the clock.
type recorder struct {
	// Now is the fake's clock, used for timestamps in answers and delivery
	// reports. Set it before the first request to make them predictable.
	Now func() time.Time

	mu    sync.Mutex
	sent  []Sent
	fails []failure
}

func newRecorder() recorder { return recorder{Now: time.Now} }

// FailNext makes the next n authenticated requests fail with status, in the
// provider's error shape, with a Retry-After header when retryAfter is not
// empty (such as "2" or an HTTP date).
func (rec *recorder) FailNext(n, status int, retryAfter string) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for range n {
		rec.fails = append(rec.fails, failure{status, retryAfter})
	}
}

// Messages returns the messages accepted so far, oldest first.
func (rec *recorder) Messages() []Sent {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]Sent(nil), rec.sent...)
}

// nextFailure pops an injected failure.
func (rec *recorder) nextFailure() (failure, bool) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.fails) == 0 {
		return failure{}, false
	}
	f := rec.fails[0]
	rec.fails = rec.fails[1:]
	return f, true
}

// record stores s under the id made by format from its sequence number.
func (rec *recorder) record(s Sent, format string) Sent {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	s.ID = fmt.Sprintf(format, len(rec.sent)+1)
	s.Segments = sms.Segments(s.Text)
	rec.sent = append(rec.sent, s)
	return s
}

// lookup finds an accepted message by provider id.
func (rec *recorder) lookup(id string) (Sent, error) {
	for _, s := range rec.Messages() {
		if s.ID == id {
			if s.CallbackURL == "" {
				return s, fmt.Errorf("smstest: message %s registered no callback URL", id)
			}
			return s, nil
		}
	}
	return Sent{}, fmt.Errorf("smstest: no message %s", id)
}

// writeRetryAfter sets the Retry-After header of an injected failure.
func (f failure) writeRetryAfter(w http.ResponseWriter) {
	if f.retryAfter != "" {
		w.Header().Set("Retry-After", f.retryAfter)
	}
}

// validNumber reports whether s is a valid E.164 number, checked against
// the numbering plans like the real services do.
func validNumber(s string) bool {
	if len(s) < 2 || s[0] != '+' {
		return false
	}
	n, err := phonenumbers.Parse(s, "")
	return err == nil && phonenumbers.IsValidNumber(n)
}

// validCallback reports whether s is an absolute http(s) URL.
func validCallback(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// fields flattens a form, refusing repeated keys, which none of the
// providers' clients send.
func fields(form url.Values) (map[string]string, error) {
	m := make(map[string]string, len(form))
	for k, vs := range form {
		if len(vs) != 1 {
			return nil, fmt.Errorf("repeated key %s", k)
		}
		m[k] = vs[0]
	}
	return m, nil
}

// writeJSON answers v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// writeText answers a plain-text body with status.
func writeText(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprint(w, msg)
}

// post sends a delivery report and wants a 2xx answer, as the providers do.
// Reports go to loopback servers, so the timeout only catches a stuck
// handler.
func post(req *http.Request) error {
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("smstest: post delivery report: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		var body bytes.Buffer
		body.ReadFrom(resp.Body)
		return fmt.Errorf("smstest: delivery report answered %d: %s", resp.StatusCode, body.String())
	}
	return nil
}
