package smstest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// HTTP is a fake of a gateway speaking sms.HTTP's generic JSON protocol.
// Point sms.Config.BaseURL at URL (any path) and use Token as the password.
type HTTP struct {
	*httptest.Server
	Token string // the bearer token the fake accepts
	// OmitSegments leaves "segments" out of answers, as minimal gateways do.
	OmitSegments bool
	recorder
}

// NewHTTP starts a fake generic gateway that is closed when the test ends.
func NewHTTP(t testing.TB) *HTTP {
	h := &HTTP{Token: "gateway-token", recorder: newRecorder()}
	h.Server = httptest.NewServer(http.HandlerFunc(h.serve))
	t.Cleanup(h.Close)
	return h
}

// httpMessage is the generic request body; unknown members are refused.
type httpMessage struct {
	To          string `json:"to"`
	From        string `json:"from"`
	Text        string `json:"text"`
	Reference   string `json:"reference"`
	CallbackURL string `json:"callback_url"`
}

// serve accepts a message: bearer token, JSON body, 200 {"id", "segments"}.
func (h *HTTP) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "use POST"})
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+h.Token {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid token"})
		return
	}
	if f, ok := h.nextFailure(); ok {
		f.writeRetryAfter(w)
		writeJSON(w, f.status, map[string]string{"error": http.StatusText(f.status)})
		return
	}
	s, status, msg := h.parse(r)
	if status != 0 {
		writeJSON(w, status, map[string]string{"error": msg})
		return
	}
	s = h.record(s, "msg-%d")
	answer := map[string]any{"id": s.ID, "segments": s.Segments}
	if h.OmitSegments {
		delete(answer, "segments")
	}
	writeJSON(w, http.StatusOK, answer)
}

// parse reads and checks the body; status and msg are the error answer.
func (h *HTTP) parse(r *http.Request) (s Sent, status int, msg string) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		return s, http.StatusUnsupportedMediaType, "want application/json"
	}
	var body bytes.Buffer
	if _, err := body.ReadFrom(r.Body); err != nil {
		return s, http.StatusBadRequest, err.Error()
	}
	var m httpMessage
	dec := json.NewDecoder(bytes.NewReader(body.Bytes()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return s, http.StatusBadRequest, "bad JSON: " + err.Error()
	}
	var f map[string]string
	json.Unmarshal(body.Bytes(), &f)
	s = Sent{Path: r.URL.Path, Fields: f, To: m.To, From: m.From, Text: m.Text, Reference: m.Reference, CallbackURL: m.CallbackURL}
	switch {
	case !validNumber(m.To):
		return s, http.StatusUnprocessableEntity, "invalid to number"
	case m.From == "":
		return s, http.StatusUnprocessableEntity, "from is required"
	case m.Text == "":
		return s, http.StatusUnprocessableEntity, "text is required"
	case m.CallbackURL != "" && !validCallback(m.CallbackURL):
		return s, http.StatusUnprocessableEntity, "invalid callback_url"
	}
	return s, 0, ""
}

// Deliver posts a generic delivery report for the message with providerID
// to its callback_url: JSON {"id", "reference", "status", "at"} with an
// Avisera status such as "delivered" or "failed". It fails unless the
// callback answers 2xx.
func (h *HTTP) Deliver(providerID, status string) error {
	s, err := h.lookup(providerID)
	if err != nil {
		return err
	}
	body, _ := json.Marshal(map[string]string{
		"id": s.ID, "reference": s.Reference, "status": status,
		"at": h.Now().UTC().Format(time.RFC3339),
	})
	req, err := http.NewRequest(http.MethodPost, s.CallbackURL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("smstest: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	return post(req)
}
