package sms

import (
	"context"
	"net/url"
	"strconv"
	"strings"
)

// ElksBaseURL is 46elks' API host.
const ElksBaseURL = "https://api.46elks.com"

// Elks sends SMS through 46elks (POST /a1/sms, form-encoded, basic auth with
// the API username and password). Delivery reports are posted form-encoded
// to the message's whendelivered URL; see callback.ParseElks.
type Elks struct {
	endpoint
	url, user, password string
}

// NewElks returns a 46elks provider. cfg.User and cfg.Password are the API
// username and password from the 46elks dashboard.
func NewElks(cfg Config) (*Elks, error) {
	if err := cfg.needCredentials(ProviderElks, "API username", "API password"); err != nil {
		return nil, err
	}
	return &Elks{
		endpoint: endpoint{name: ProviderElks, client: cfg.client(), parseErr: elksError},
		url:      cfg.base(ElksBaseURL) + "/a1/sms",
		user:     cfg.User,
		password: cfg.Password,
	}, nil
}

// Name implements Provider.
func (e *Elks) Name() string { return ProviderElks }

// elksAnswer is the part of 46elks' answer to POST /a1/sms we use.
type elksAnswer struct {
	ID    string `json:"id"`
	Parts int    `json:"parts"`
	Cost  *int64 `json:"cost"` // in 10 000ths of the account currency
}

func (a *elksAnswer) id() string { return a.ID }

// Send implements Provider.
func (e *Elks) Send(ctx context.Context, m Message) (Result, error) {
	if err := check(e.name, m); err != nil {
		return Result{}, err
	}
	form := url.Values{"from": {m.From}, "to": {m.To}, "message": {m.Text}}
	if m.CallbackURL != "" {
		form.Set("whendelivered", m.CallbackURL)
	}
	var a elksAnswer
	if err := e.postForm(ctx, e.url, e.user, e.password, form, &a); err != nil {
		return Result{}, err
	}
	return Result{ProviderID: a.ID, Segments: orCount(a.Parts, m.Text), Cost: elksCost(a.Cost)}, nil
}

// elksError reads 46elks' error body, which is plain text ("Invalid to
// number").
func elksError(body []byte) (code, msg string) {
	return "", string(body)
}

// elksCost formats a cost in 10 000ths as a decimal ("3500" is "0.35").
func elksCost(c *int64) string {
	if c == nil || *c < 0 {
		return ""
	}
	s := strconv.FormatInt(*c/10000, 10) + "." + strings.TrimRight(strconv.FormatInt(10000+*c%10000, 10)[1:], "0")
	return strings.TrimSuffix(s, ".")
}
