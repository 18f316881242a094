// Package sms sends text messages through SMS providers' HTTPS APIs.
//
// Each provider (46elks, Twilio and a generic JSON webhook) is one small
// adapter behind the Provider interface. Providers never retry: Send reports
// a *SendError that says whether trying again can help and how long the
// provider asked us to wait, and the delivery worker decides. Delivery
// reports come back through the provider's webhook and are parsed by package
// callback.
package sms

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Provider names accepted by New; they are also the values of the
// AVISERA_SMS_PROVIDER setting.
const (
	ProviderElks   = "46elks"
	ProviderTwilio = "twilio"
	ProviderHTTP   = "http"
)

// DefaultTimeout bounds one request to a provider when Config.HTTPClient is
// nil. A provider that has not answered by then is treated as down, which
// makes the error temporary.
const DefaultTimeout = 20 * time.Second

// Message is one text message to one recipient.
type Message struct {
	To          string // recipient in E.164, such as +46701234567
	From        string // sender id: up to 11 letters/digits/spaces, or a number
	Text        string
	CallbackURL string // delivery-report URL registered with the provider; may be empty
	Reference   string // our delivery id; sent to providers that can carry it
}

// Result is what a provider reports for an accepted message.
type Result struct {
	ProviderID string // the provider's message id, the key of its delivery reports
	Segments   int    // parts as reported by the provider, else computed with Segments
	Cost       string // price as reported ("0.35", "0.0079 USD"); empty when not reported
}

// Provider sends SMS through one provider account.
type Provider interface {
	// Name returns the provider name, one of the Provider* constants.
	Name() string
	// Send hands m to the provider. Every failure is a *SendError.
	Send(ctx context.Context, m Message) (Result, error)
}

// Config configures a provider. User and Password are the API username and
// password for 46elks and the account SID and auth token for Twilio; the
// generic http provider sends Password as a bearer token when it is set.
type Config struct {
	BaseURL    string       // empty means the provider's own; required for http
	User       string       // API user or account SID
	Password   string       // API password, auth token or bearer token
	HTTPClient *http.Client // nil means a client with DefaultTimeout
}

// New returns the provider called name configured with cfg.
func New(name string, cfg Config) (Provider, error) {
	switch name {
	case ProviderElks:
		return NewElks(cfg)
	case ProviderTwilio:
		return NewTwilio(cfg)
	case ProviderHTTP:
		return NewHTTP(cfg)
	}
	return nil, fmt.Errorf("sms: unknown provider %q (want %s, %s or %s)",
		name, ProviderElks, ProviderTwilio, ProviderHTTP)
}

// client returns cfg's HTTP client, or one with DefaultTimeout that does
// not follow redirects: a redirected POST turns into a GET without a body,
// so a misconfigured URL is better reported as the 3xx it is.
func (cfg Config) client() *http.Client {
	if cfg.HTTPClient != nil {
		return cfg.HTTPClient
	}
	return &http.Client{
		Timeout: DefaultTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// base returns cfg.BaseURL without a trailing slash, or def when it is empty.
func (cfg Config) base(def string) string {
	if cfg.BaseURL == "" {
		return def
	}
	return strings.TrimRight(cfg.BaseURL, "/")
}

// needCredentials reports a configuration error when user or password is
// missing, naming what the provider calls them.
func (cfg Config) needCredentials(provider, user, password string) error {
	if cfg.User == "" || cfg.Password == "" {
		return fmt.Errorf("sms: %s needs an %s and an %s", provider, user, password)
	}
	return nil
}
