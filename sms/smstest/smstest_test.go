package smstest_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/avisera/avisera/sms"
	"github.com/avisera/avisera/sms/smstest"
)

func TestSignatureKnownVector(t *testing.T) {
	t.Parallel()
	// The example of Twilio's webhook security documentation.
	form := url.Values{
		"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+12349013030"}, "Digits": {"1234"},
		"From": {"+12349013030"}, "To": {"+18005551212"},
	}
	got := smstest.Signature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", form)
	if want := "0/KCTR6DLpKmkAf8muzZqo1nDgQ="; got != want {
		t.Errorf("Signature: got %q, want %q", got, want)
	}
}

func TestDeliverRefusals(t *testing.T) {
	t.Parallel()
	f := smstest.NewElks(t)
	p, err := sms.NewElks(sms.Config{BaseURL: f.URL, User: f.User, Password: f.Password})
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Send(context.Background(), sms.Message{To: "+46701234567", From: "Avisera", Text: "hej"})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	for _, tc := range []struct {
		id, status, want string
	}{
		{"s-unknown", "delivered", "no message"},
		{res.ProviderID, "delivered", "no callback URL"},
	} {
		if err := f.Deliver(tc.id, tc.status); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Deliver(%q, %q): got %v, want an error containing %q", tc.id, tc.status, err, tc.want)
		}
	}
}
