package sms_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/avisera/avisera/sms"
	"github.com/avisera/avisera/sms/smstest"
)

// Numbers the fakes judge with the real numbering plans.
const (
	validTo   = "+46701234567" // a Swedish mobile number
	invalidTo = "+4670123"     // E.164-shaped, but too short for Sweden
)

// fake is what every smstest server offers.
type fake interface {
	FailNext(n, status int, retryAfter string)
	Messages() []smstest.Sent
}

// harness starts one provider against its fake.
type harness struct {
	name string
	// start returns a provider talking to a new fake; wrongPassword spoils
	// the credentials.
	start func(t *testing.T, wrongPassword bool) (sms.Provider, fake)
	// invalidTo is the fake's status and message for invalidTo.
	invalidStatus int
	invalidMsg    string
}

var harnesses = []harness{
	{
		name: sms.ProviderElks,
		start: func(t *testing.T, wrong bool) (sms.Provider, fake) {
			f := smstest.NewElks(t)
			return newProvider(t, sms.ProviderElks, f.URL, f.User, spoil(f.Password, wrong)), f
		},
		invalidStatus: http.StatusForbidden,
		invalidMsg:    "Invalid to number",
	},
	{
		name: sms.ProviderTwilio,
		start: func(t *testing.T, wrong bool) (sms.Provider, fake) {
			f := smstest.NewTwilio(t)
			return newProvider(t, sms.ProviderTwilio, f.URL, f.AccountSid, spoil(f.AuthToken, wrong)), f
		},
		invalidStatus: http.StatusBadRequest,
		invalidMsg:    "The 'To' number " + invalidTo + " is not a valid phone number.",
	},
	{
		name: sms.ProviderHTTP,
		start: func(t *testing.T, wrong bool) (sms.Provider, fake) {
			f := smstest.NewHTTP(t)
			return newProvider(t, sms.ProviderHTTP, f.URL+"/sms", "", spoil(f.Token, wrong)), f
		},
		invalidStatus: http.StatusUnprocessableEntity,
		invalidMsg:    "invalid to number",
	},
}

func newProvider(t *testing.T, name, base, user, password string) sms.Provider {
	t.Helper()
	p, err := sms.New(name, sms.Config{BaseURL: base, User: user, Password: password})
	if err != nil {
		t.Fatalf("New(%q): %v", name, err)
	}
	return p
}

func spoil(password string, wrong bool) string {
	if wrong {
		return password + "x"
	}
	return password
}

func message(to, text string) sms.Message {
	return sms.Message{To: to, From: "Avisera", Text: text, Reference: "d-1", CallbackURL: "https://avisera.example/cb?reference=d-1"}
}

// forEachProvider runs test against every provider and its fake, in
// parallel.
func forEachProvider(t *testing.T, test func(t *testing.T, h harness)) {
	t.Parallel()
	for _, h := range harnesses {
		t.Run(h.name, func(t *testing.T) {
			t.Parallel()
			test(t, h)
		})
	}
}

// sendError sends m and wants a *SendError.
func sendError(t *testing.T, p sms.Provider, m sms.Message) *sms.SendError {
	t.Helper()
	_, err := p.Send(context.Background(), m)
	var se *sms.SendError
	if !errors.As(err, &se) {
		t.Fatalf("Send: got error %v (%T), want *sms.SendError", err, err)
	}
	return se
}

func TestSendSuccess(t *testing.T) {
	forEachProvider(t, func(t *testing.T, h harness) {
		p, f := h.start(t, false)
		for _, tc := range []struct {
			text     string
			segments int
		}{
			{"Städningen på Storgatan 1 är klar.", 1},
			{strings.Repeat("a", 161), 2},
			{"Klart ✅", 1},
		} {
			got, err := p.Send(context.Background(), message(validTo, tc.text))
			if err != nil {
				t.Fatalf("Send(%q): %v", tc.text, err)
			}
			sent := f.Messages()
			last := sent[len(sent)-1]
			if got.ProviderID != last.ID || got.ProviderID == "" {
				t.Errorf("ProviderID: got %q, want %q", got.ProviderID, last.ID)
			}
			if got.Segments != tc.segments {
				t.Errorf("Segments(%q): got %d, want %d", tc.text, got.Segments, tc.segments)
			}
			if last.To != validTo || last.From != "Avisera" || last.Text != tc.text {
				t.Errorf("recorded: got %+v, want to %s from Avisera text %q", last, validTo, tc.text)
			}
		}
		if got, want := p.Name(), h.name; got != want {
			t.Errorf("Name: got %q, want %q", got, want)
		}
	})
}

func TestSendProviderErrors(t *testing.T) {
	forEachProvider(t, func(t *testing.T, h harness) {
		p, f := h.start(t, false)
		for _, tc := range []struct {
			name       string
			status     int
			retryAfter string
			want       sms.SendError
		}{
			{"429 seconds", 429, "2", sms.SendError{Temporary: true, Status: 429, RetryAfter: 2 * time.Second}},
			{"503 far date", 503, "Wed, 21 Oct 2099 07:28:00 GMT", sms.SendError{Temporary: true, Status: 503, RetryAfter: 24 * time.Hour}},
			{"500", 500, "", sms.SendError{Temporary: true, Status: 500}},
			{"502 garbage retry", 502, "soon", sms.SendError{Temporary: true, Status: 502}},
		} {
			f.FailNext(1, tc.status, tc.retryAfter)
			got := sendError(t, p, message(validTo, "hej"))
			if got.Temporary != tc.want.Temporary || got.Status != tc.want.Status || got.RetryAfter != tc.want.RetryAfter {
				t.Errorf("%s: got temporary %v status %d retry-after %v, want %v %d %v", tc.name,
					got.Temporary, got.Status, got.RetryAfter, tc.want.Temporary, tc.want.Status, tc.want.RetryAfter)
			}
		}
		if _, err := p.Send(context.Background(), message(validTo, "hej")); err != nil {
			t.Errorf("Send after the failures: %v", err)
		}
		if got := len(f.Messages()); got != 1 {
			t.Errorf("recorded messages: got %d, want 1", got)
		}
	})
}

func TestSendInvalidTo(t *testing.T) {
	forEachProvider(t, func(t *testing.T, h harness) {
		p, f := h.start(t, false)
		got := sendError(t, p, message(invalidTo, "hej"))
		if got.Temporary || got.Status != h.invalidStatus || got.Message != h.invalidMsg {
			t.Errorf("got temporary %v status %d message %q, want false %d %q",
				got.Temporary, got.Status, got.Message, h.invalidStatus, h.invalidMsg)
		}
		if n := len(f.Messages()); n != 0 {
			t.Errorf("recorded messages: got %d, want 0", n)
		}
	})
}

func TestSendBadCredentials(t *testing.T) {
	forEachProvider(t, func(t *testing.T, h harness) {
		p, _ := h.start(t, true)
		got := sendError(t, p, message(validTo, "hej"))
		if got.Temporary || got.Status != http.StatusUnauthorized || got.Message == "" {
			t.Errorf("got temporary %v status %d message %q, want a permanent 401 with a message",
				got.Temporary, got.Status, got.Message)
		}
	})
}

func TestSendRefusedLocally(t *testing.T) {
	forEachProvider(t, func(t *testing.T, h harness) {
		p, f := h.start(t, false)
		for _, m := range []sms.Message{
			{To: "0701234567", From: "Avisera", Text: "hej"},
			{To: validTo, From: "Avisera Städ AB", Text: "hej"},
			{To: validTo, From: "Avisera", Text: "  "},
		} {
			if got := sendError(t, p, m); got.Temporary || got.Status != 0 {
				t.Errorf("Send(%+v): got temporary %v status %d, want a permanent local error", m, got.Temporary, got.Status)
			}
		}
		if n := len(f.Messages()); n != 0 {
			t.Errorf("recorded messages: got %d, want 0", n)
		}
	})
}

func TestSendTransportErrors(t *testing.T) {
	t.Parallel()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, name := range []string{sms.ProviderElks, sms.ProviderTwilio, sms.ProviderHTTP} {
		p := newProvider(t, name, closed.URL, "user", "password")
		for _, tc := range []struct {
			name string
			ctx  context.Context
		}{{"connection refused", context.Background()}, {"canceled", canceled}} {
			_, err := p.Send(tc.ctx, message(validTo, "hej"))
			var se *sms.SendError
			if !errors.As(err, &se) || !se.Temporary || se.Status != 0 || se.Err == nil {
				t.Errorf("%s %s: got %v, want a temporary *SendError with a cause", name, tc.name, err)
			}
		}
	}
}

func TestNew(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		cfg     sms.Config
		wantErr string
	}{
		{"46elks", sms.Config{User: "u", Password: "p"}, ""},
		{"46elks", sms.Config{User: "u"}, "46elks needs"},
		{"twilio", sms.Config{User: "AC1", Password: "t"}, ""},
		{"twilio", sms.Config{Password: "t"}, "twilio needs"},
		{"http", sms.Config{BaseURL: "https://gw.example/sms"}, ""},
		{"http", sms.Config{}, "needs a URL"},
		{"dev", sms.Config{}, `unknown provider "dev"`},
	} {
		_, err := sms.New(tc.name, tc.cfg)
		if got := errString(err); !strings.Contains(got, tc.wantErr) || (tc.wantErr == "") != (err == nil) {
			t.Errorf("New(%q, %+v): got error %q, want one containing %q", tc.name, tc.cfg, got, tc.wantErr)
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
