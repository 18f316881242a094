package sms_test

import (
	"context"
	"maps"
	"strings"
	"testing"

	"github.com/avisera/avisera/sms"
	"github.com/avisera/avisera/sms/smstest"
)

// The fakes record every field they received; these tests pin the request
// shapes to the providers' documentation.

func TestElksRequestShape(t *testing.T) {
	t.Parallel()
	f := smstest.NewElks(t)
	p := newProvider(t, sms.ProviderElks, f.URL+"/", f.User, f.Password)
	got, err := p.Send(context.Background(), message(validTo, "Hej då"))
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	sent := f.Messages()[0]
	want := map[string]string{
		"from": "Avisera", "to": validTo, "message": "Hej då",
		"whendelivered": "https://avisera.example/cb?reference=d-1",
	}
	if !maps.Equal(sent.Fields, want) || sent.Path != "/a1/sms" {
		t.Errorf("request: got %s %v, want /a1/sms %v", sent.Path, sent.Fields, want)
	}
	if got.Cost != "0.35" {
		t.Errorf("Cost: got %q, want %q", got.Cost, "0.35")
	}
	if !strings.HasPrefix(got.ProviderID, "s") {
		t.Errorf("ProviderID: got %q, want 46elks' s… id", got.ProviderID)
	}
}

func TestElksWithoutCallback(t *testing.T) {
	t.Parallel()
	f := smstest.NewElks(t)
	p := newProvider(t, sms.ProviderElks, f.URL, f.User, f.Password)
	m := message(validTo, "hej")
	m.CallbackURL = ""
	if _, err := p.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if _, ok := f.Messages()[0].Fields["whendelivered"]; ok {
		t.Errorf("whendelivered sent without a callback URL")
	}
}

func TestTwilioRequestShape(t *testing.T) {
	t.Parallel()
	f := smstest.NewTwilio(t)
	p := newProvider(t, sms.ProviderTwilio, f.URL, f.AccountSid, f.AuthToken)
	got, err := p.Send(context.Background(), message(validTo, "Hej då"))
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	sent := f.Messages()[0]
	want := map[string]string{
		"From": "Avisera", "To": validTo, "Body": "Hej då",
		"StatusCallback": "https://avisera.example/cb?reference=d-1",
	}
	wantPath := "/2010-04-01/Accounts/" + f.AccountSid + "/Messages.json"
	if !maps.Equal(sent.Fields, want) || sent.Path != wantPath {
		t.Errorf("request: got %s %v, want %s %v", sent.Path, sent.Fields, wantPath, want)
	}
	if !strings.HasPrefix(got.ProviderID, "SM") || got.Cost != "" {
		t.Errorf("result: got %+v, want an SM… id and no cost (Twilio prices later)", got)
	}
}

func TestTwilioErrorCode(t *testing.T) {
	t.Parallel()
	f := smstest.NewTwilio(t)
	p := newProvider(t, sms.ProviderTwilio, f.URL, f.AccountSid, f.AuthToken)
	for _, tc := range []struct {
		m         sms.Message
		wantCode  string
		badNumber bool
	}{
		{message(invalidTo, "hej"), "21211", true},
		{message(validTo, strings.Repeat("x", 1601)), "21617", false},
	} {
		if got := sendError(t, p, tc.m); got.Code != tc.wantCode || got.Temporary || got.BadNumber != tc.badNumber {
			t.Errorf("Code: got %q (temporary %v, bad number %v), want permanent %q (bad number %v)",
				got.Code, got.Temporary, got.BadNumber, tc.wantCode, tc.badNumber)
		}
	}
	p = newProvider(t, sms.ProviderTwilio, f.URL, f.AccountSid, "wrong")
	if got := sendError(t, p, message(validTo, "hej")); got.Code != "20003" || got.Message != "Authenticate" {
		t.Errorf("bad credentials: got code %q message %q, want 20003 Authenticate", got.Code, got.Message)
	}
}

func TestHTTPRequestShape(t *testing.T) {
	t.Parallel()
	f := smstest.NewHTTP(t)
	p := newProvider(t, sms.ProviderHTTP, f.URL+"/v1/sms", "", f.Token)
	if _, err := p.Send(context.Background(), message(validTo, "Hej då")); err != nil {
		t.Fatalf("Send: %v", err)
	}
	sent := f.Messages()[0]
	want := map[string]string{
		"from": "Avisera", "to": validTo, "text": "Hej då", "reference": "d-1",
		"callback_url": "https://avisera.example/cb?reference=d-1",
	}
	if !maps.Equal(sent.Fields, want) || sent.Path != "/v1/sms" {
		t.Errorf("request: got %s %v, want /v1/sms %v", sent.Path, sent.Fields, want)
	}
}

func TestHTTPComputesMissingSegments(t *testing.T) {
	t.Parallel()
	f := smstest.NewHTTP(t)
	f.OmitSegments = true
	p := newProvider(t, sms.ProviderHTTP, f.URL, "", f.Token)
	got, err := p.Send(context.Background(), message(validTo, strings.Repeat("å", 200)))
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if got.Segments != 2 {
		t.Errorf("Segments: got %d, want 2 (computed)", got.Segments)
	}
}
