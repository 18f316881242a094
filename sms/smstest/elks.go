package smstest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// elksTime is how 46elks writes timestamps: UTC without a zone.
const elksTime = "2006-01-02T15:04:05.000000"

// Elks is a fake 46elks API. Point sms.Config.BaseURL at URL and use User
// and Password as the credentials.
type Elks struct {
	*httptest.Server
	User     string // the API username the fake accepts
	Password string // the API password the fake accepts
	// ReportFirst, when set, is the status ("delivered", "failed") of a
	// delivery report the fake posts for each accepted message before it
	// answers the request: on a fast network the report can overtake the
	// answer. The report must be accepted, or the request answers 500.
	ReportFirst string
	recorder
}

// NewElks starts a fake 46elks API that is closed when the test ends.
func NewElks(t testing.TB) *Elks {
	e := &Elks{User: "u0123456789abcdef0123456789abcdef", Password: "elks-password", recorder: newRecorder()}
	e.Server = httptest.NewServer(http.HandlerFunc(e.serve))
	t.Cleanup(e.Close)
	return e
}

// serve handles POST /a1/sms like 46elks: basic auth, then the form; errors
// are plain text with 401 or 403.
func (e *Elks) serve(w http.ResponseWriter, r *http.Request) {
	if !strings.EqualFold(r.URL.Path, "/a1/sms") {
		writeText(w, http.StatusNotFound, "Not found")
		return
	}
	if r.Method != http.MethodPost {
		writeText(w, http.StatusMethodNotAllowed, "Method not allowed")
		return
	}
	if u, p, ok := r.BasicAuth(); !ok || u != e.User || p != e.Password {
		writeText(w, http.StatusUnauthorized, "API access requires Basic HTTP authentication")
		return
	}
	if f, ok := e.nextFailure(); ok {
		f.writeRetryAfter(w)
		writeText(w, f.status, http.StatusText(f.status))
		return
	}
	s, msg := e.parse(r)
	if msg != "" {
		writeText(w, http.StatusForbidden, msg)
		return
	}
	s = e.record(s, "s%032x")
	if e.ReportFirst != "" {
		if err := e.Deliver(s.ID, e.ReportFirst); err != nil {
			writeText(w, http.StatusInternalServerError, err.Error())
			return
		}
	}
	writeJSON(w, http.StatusOK, e.answer(s))
}

// parse reads and checks the form; msg is 46elks' error text.
func (e *Elks) parse(r *http.Request) (s Sent, msg string) {
	if err := r.ParseForm(); err != nil {
		return s, "Invalid request body"
	}
	f, err := fields(r.PostForm)
	if err != nil {
		return s, "Invalid request: " + err.Error()
	}
	s = Sent{Path: r.URL.Path, Fields: f, To: f["to"], From: f["from"], Text: f["message"], CallbackURL: f["whendelivered"]}
	for _, key := range []string{"from", "to", "message"} {
		if f[key] == "" {
			return s, "Missing key " + key
		}
	}
	switch {
	case !validNumber(s.To):
		return s, "Invalid to number"
	case !validNumber(s.From) && !textSender(s.From):
		return s, "Invalid from number or text sender id"
	case s.CallbackURL != "" && !validCallback(s.CallbackURL):
		return s, "Invalid whendelivered url"
	}
	return s, ""
}

// textSender reports whether s is a text sender id 46elks accepts.
func textSender(s string) bool {
	if len(s) > 11 || strings.TrimSpace(s) != s {
		return false
	}
	letter := false
	for _, r := range s {
		isLetter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		letter = letter || isLetter
		if !isLetter && (r < '0' || r > '9') && r != ' ' {
			return false
		}
	}
	return letter
}

// answer is 46elks' answer to an accepted SMS.
func (e *Elks) answer(s Sent) map[string]any {
	return map[string]any{
		"status":    "created",
		"direction": "outgoing",
		"from":      s.From,
		"to":        s.To,
		"message":   s.Text,
		"created":   e.Now().UTC().Format(elksTime),
		"parts":     s.Segments,
		"cost":      3500 * s.Segments,
		"id":        s.ID,
	}
}

// Deliver posts a 46elks delivery report for the message with providerID to
// its whendelivered URL: form-encoded id and status ("sent", "delivered" or
// "failed") and, for delivered, the delivery time. It fails unless the
// callback answers 2xx.
func (e *Elks) Deliver(providerID, status string) error {
	s, err := e.lookup(providerID)
	if err != nil {
		return err
	}
	form := url.Values{"id": {s.ID}, "status": {status}}
	switch status {
	case "delivered":
		form.Set("delivered", e.Now().UTC().Format(elksTime))
	case "sent", "failed":
	default:
		return fmt.Errorf("smstest: 46elks has no status %q", status)
	}
	req, err := http.NewRequest(http.MethodPost, s.CallbackURL, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return post(req)
}
