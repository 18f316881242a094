package sms

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// HTTP sends SMS through any gateway that accepts Avisera's generic JSON
// request: POST {base} with
//
//	{"to": "+46…", "from": "Avisera", "text": "…", "reference": "…", "callback_url": "…"}
//
// and, when Config.Password is set, "Authorization: Bearer <password>". A 2xx
// answer is {"id": "…", "segments": 1} (segments optional); errors are
// {"error": "…"} or plain text.
type HTTP struct {
	endpoint
	url, token string
}

// NewHTTP returns the generic provider; cfg.BaseURL is the full endpoint.
func NewHTTP(cfg Config) (*HTTP, error) {
	if cfg.BaseURL == "" {
		return nil, fmt.Errorf("sms: the %s provider needs a URL", ProviderHTTP)
	}
	return &HTTP{
		endpoint: endpoint{name: ProviderHTTP, client: cfg.client(), parseErr: httpError},
		url:      cfg.BaseURL,
		token:    cfg.Password,
	}, nil
}

// Name implements Provider.
func (h *HTTP) Name() string { return ProviderHTTP }

// httpRequest is the generic provider's request body.
type httpRequest struct {
	To          string `json:"to"`
	From        string `json:"from"`
	Text        string `json:"text"`
	Reference   string `json:"reference,omitempty"`
	CallbackURL string `json:"callback_url,omitempty"`
}

// httpAnswer is the generic provider's answer. The id may be a JSON string
// or number; gateways differ.
type httpAnswer struct {
	ID       json.RawMessage `json:"id"`
	Segments int             `json:"segments"`
}

func (a *httpAnswer) id() string {
	var s string
	if json.Unmarshal(a.ID, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(a.ID, &n) == nil {
		return n.String()
	}
	return ""
}

// Send implements Provider.
func (h *HTTP) Send(ctx context.Context, m Message) (Result, error) {
	if err := check(h.name, m); err != nil {
		return Result{}, err
	}
	body, _ := json.Marshal(httpRequest{To: m.To, From: m.From, Text: m.Text, Reference: m.Reference, CallbackURL: m.CallbackURL})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		return Result{}, invalid(h.name, "bad request: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if h.token != "" {
		req.Header.Set("Authorization", "Bearer "+h.token)
	}
	var a httpAnswer
	if err := h.do(req, &a); err != nil {
		return Result{}, err
	}
	return Result{ProviderID: a.id(), Segments: orCount(a.Segments, m.Text)}, nil
}

// httpError reads {"error": "..."} (or "message"), else the body as text.
func httpError(body []byte) (code, msg string) {
	var e struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &e) == nil {
		if e.Error != "" {
			return "", e.Error
		}
		if e.Message != "" {
			return "", e.Message
		}
	}
	return "", strings.TrimSpace(string(body))
}
