package sms

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
)

// TwilioBaseURL is Twilio's REST API host.
const TwilioBaseURL = "https://api.twilio.com"

// Twilio sends SMS through Twilio's Programmable Messaging API (POST
// /2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded, basic auth
// with the account SID and auth token). Status callbacks are posted to the
// message's StatusCallback URL, signed with the auth token; see
// callback.ParseTwilio.
type Twilio struct {
	endpoint
	url, sid, token string
}

// NewTwilio returns a Twilio provider. cfg.User is the account SID (AC…)
// and cfg.Password the auth token.
func NewTwilio(cfg Config) (*Twilio, error) {
	if err := cfg.needCredentials(ProviderTwilio, "account SID", "auth token"); err != nil {
		return nil, err
	}
	return &Twilio{
		endpoint: endpoint{name: ProviderTwilio, client: cfg.client(), parseErr: twilioError},
		url:      cfg.base(TwilioBaseURL) + "/2010-04-01/Accounts/" + url.PathEscape(cfg.User) + "/Messages.json",
		sid:      cfg.User,
		token:    cfg.Password,
	}, nil
}

// Name implements Provider.
func (t *Twilio) Name() string { return ProviderTwilio }

// twilioAnswer is the part of Twilio's Message resource we use.
type twilioAnswer struct {
	SID         string  `json:"sid"`
	NumSegments string  `json:"num_segments"` // a decimal string
	Price       *string `json:"price"`        // null until the carrier prices it
	PriceUnit   string  `json:"price_unit"`
}

func (a *twilioAnswer) id() string { return a.SID }

// Send implements Provider.
func (t *Twilio) Send(ctx context.Context, m Message) (Result, error) {
	if err := check(t.name, m); err != nil {
		return Result{}, err
	}
	form := url.Values{"To": {m.To}, "From": {m.From}, "Body": {m.Text}}
	if m.CallbackURL != "" {
		form.Set("StatusCallback", m.CallbackURL)
	}
	var a twilioAnswer
	if err := t.postForm(ctx, t.url, t.sid, t.token, form, &a); err != nil {
		return Result{}, err
	}
	segments, _ := strconv.Atoi(a.NumSegments)
	return Result{ProviderID: a.SID, Segments: orCount(segments, m.Text), Cost: a.cost()}, nil
}

// cost formats Twilio's price ("-0.00790", negative because it is charged)
// with its unit.
func (a *twilioAnswer) cost() string {
	if a.Price == nil || *a.Price == "" {
		return ""
	}
	return strings.TrimSpace(strings.TrimPrefix(*a.Price, "-") + " " + a.PriceUnit)
}

// twilioError reads Twilio's JSON error body:
// {"code": 21211, "message": "...", "more_info": "...", "status": 400}.
func twilioError(body []byte) (code, msg string) {
	var e struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &e) != nil || e.Message == "" {
		return "", string(body)
	}
	if e.Code != 0 {
		code = strconv.Itoa(e.Code)
	}
	return code, e.Message
}
