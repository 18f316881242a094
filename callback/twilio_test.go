package callback_test

import (
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/avisera/avisera/callback"
	"github.com/avisera/avisera/sms/smstest"
)

const (
	twilioToken = "0123456789abcdef0123456789abcdef"
	twilioSid   = "SM5f2d4b1e0c9a8b7c6d5e4f3a2b1c0d9e"
	twilioURL   = "https://avisera.example/api/v1/webhooks/twilio?reference=d-7"
)

// twilioForm is a status callback as Twilio posts it.
func twilioForm(status, errorCode string) url.Values {
	f := url.Values{
		"AccountSid": {"AC0123456789abcdef0123456789abcdef"}, "ApiVersion": {"2010-04-01"},
		"MessageSid": {twilioSid}, "SmsSid": {twilioSid},
		"MessageStatus": {status}, "SmsStatus": {status},
		"From": {"Avisera"}, "To": {"+46701234567"},
	}
	if errorCode != "" {
		f.Set("ErrorCode", errorCode)
	}
	return f
}

// signed builds the request Twilio sends for form, signed for signURL.
func signed(form url.Values, signURL string) *http.Request {
	r := formRequest(twilioURL, form)
	r.Header.Set("X-Twilio-Signature", smstest.Signature(twilioToken, signURL, form))
	return r
}

func TestParseTwilioStatuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		status, errorCode string
		want              string
	}{
		{"queued", "", callback.Sending},
		{"accepted", "", callback.Sending},
		{"sending", "", callback.Sending},
		{"sent", "", callback.Sent},
		{"delivered", "", callback.Delivered},
		{"read", "", callback.Opened},
		{"undelivered", "30003", callback.Failed},
		{"undelivered", "30006", callback.InvalidAddress},
		{"undelivered", "30007", callback.Rejected},
		{"failed", "30008", callback.Failed},
		{"failed", "21610", callback.Rejected},
		{"delivered", "30006", callback.Delivered},
		{"receiving", "", ""},
	} {
		got, err := callback.ParseTwilio(signed(twilioForm(tc.status, tc.errorCode), twilioURL), twilioToken, twilioURL)
		want := callback.Update{ProviderID: twilioSid, Reference: "d-7", Status: tc.want, Event: tc.status}
		if tc.errorCode != "" {
			want.Detail = "error " + tc.errorCode
		}
		checkUpdates(t, tc.status+" "+tc.errorCode, got, err, []callback.Update{want})
	}
}

func TestParseTwilioDoneDate(t *testing.T) {
	t.Parallel()
	form := twilioForm("delivered", "")
	form.Set("RawDlrDoneDate", "2603020915")
	got, err := callback.ParseTwilio(signed(form, twilioURL), twilioToken, twilioURL)
	if err != nil {
		t.Fatalf("ParseTwilio: %v", err)
	}
	if want := time.Date(2026, 3, 2, 9, 15, 0, 0, time.UTC); !got[0].At.Equal(want) {
		t.Errorf("At: got %v, want %v", got[0].At, want)
	}
}

func TestParseTwilioSignature(t *testing.T) {
	t.Parallel()
	form := twilioForm("delivered", "")
	tampered := twilioForm("delivered", "")
	tampered.Set("MessageStatus", "failed")
	for _, tc := range []struct {
		name string
		r    *http.Request
		ok   bool
	}{
		{"valid", signed(form, twilioURL), true},
		{"valid with default port", signed(form, "https://avisera.example:443/api/v1/webhooks/twilio?reference=d-7"), true},
		{"other URL", signed(form, "https://avisera.example/api/v1/webhooks/twilio?reference=d-8"), false},
		{"tampered parameter", tamper(signed(form, twilioURL), tampered), false},
		{"forged", withSignature(form, "bm90IGEgc2lnbmF0dXJl"), false},
		{"missing", withSignature(form, ""), false},
	} {
		_, err := callback.ParseTwilio(tc.r, twilioToken, twilioURL)
		if tc.ok && err != nil {
			t.Errorf("%s: got %v, want no error", tc.name, err)
		}
		if !tc.ok && !errors.Is(err, callback.ErrUnauthorized) {
			t.Errorf("%s: got %v, want ErrUnauthorized", tc.name, err)
		}
	}
	if _, err := callback.ParseTwilio(signed(form, twilioURL), "", twilioURL); !errors.Is(err, callback.ErrUnauthorized) {
		t.Errorf("empty auth token: got %v, want ErrUnauthorized", err)
	}
}

// tamper replaces the body of a signed request, keeping its signature.
func tamper(r *http.Request, form url.Values) *http.Request {
	t := formRequest(twilioURL, form)
	t.Header = r.Header
	return t
}

func withSignature(form url.Values, sig string) *http.Request {
	r := formRequest(twilioURL, form)
	r.Header.Set("X-Twilio-Signature", sig)
	return r
}
