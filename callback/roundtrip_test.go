package callback_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/avisera/avisera/callback"
	"github.com/avisera/avisera/sms"
	"github.com/avisera/avisera/sms/smstest"
)

// receiver is Avisera's webhook endpoint in miniature: it parses every
// callback with parse and keeps the updates.
type receiver struct {
	*httptest.Server
	mu      sync.Mutex
	updates []callback.Update
}

func newReceiver(t *testing.T, parse func(*http.Request) ([]callback.Update, error)) *receiver {
	rc := &receiver{}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		us, err := parse(r)
		switch {
		case errors.Is(err, callback.ErrUnauthorized):
			http.Error(w, err.Error(), http.StatusUnauthorized)
		case err != nil:
			http.Error(w, err.Error(), http.StatusBadRequest)
		default:
			rc.mu.Lock()
			rc.updates = append(rc.updates, us...)
			rc.mu.Unlock()
		}
	}))
	t.Cleanup(rc.Close)
	return rc
}

// received returns the updates received so far.
func (rc *receiver) received() []callback.Update {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return slices.Clone(rc.updates)
}

// statuses returns the statuses received so far.
func (rc *receiver) statuses() []string {
	var s []string
	for _, u := range rc.received() {
		s = append(s, u.Status)
	}
	return s
}

// deliverer is what every fake offers here.
type deliverer interface {
	Deliver(providerID, status string) error
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 2, 9, 15, 4, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		start func(t *testing.T) (sms.Provider, deliverer, *receiver)
		// reports are the provider's statuses, sent in this order.
		reports []string
		want    []string // the Avisera status of each update
		final   string   // the delivery's status after all of them
	}{
		{"46elks", startElks, []string{"sent", "delivered", "sent"}, []string{"sent", "delivered", "sent"}, "delivered"},
		{"twilio", startTwilio, []string{"sent", "undelivered"}, []string{"sent", "failed"}, "failed"},
		{"http", startHTTP, []string{"delivered", "delivered"}, []string{"delivered", "delivered"}, "delivered"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, fake, rc := tc.start(t)
			res, err := p.Send(context.Background(), sms.Message{
				To: "+46701234567", From: "Avisera", Text: "Ordern är klar", Reference: "d-5",
				CallbackURL: rc.URL + "/api/v1/webhooks/" + tc.name + "?reference=d-5",
			})
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			for _, status := range tc.reports {
				if err := fake.Deliver(res.ProviderID, status); err != nil {
					t.Fatalf("Deliver(%s): %v", status, err)
				}
			}
			if got := rc.statuses(); !slices.Equal(got, tc.want) {
				t.Errorf("statuses: got %v, want %v", got, tc.want)
			}
			if got := apply(rc.statuses()...); got != tc.final {
				t.Errorf("final status: got %q, want %q", got, tc.final)
			}
			for _, u := range rc.received() {
				if u.ProviderID != res.ProviderID || u.Reference != "d-5" {
					t.Errorf("update %+v: want provider id %s and reference d-5", u, res.ProviderID)
				}
				// Both fakes that report a delivery time use the fixed clock.
				if u.Status == callback.Delivered && !u.At.Equal(at) {
					t.Errorf("delivered At: got %v, want %v", u.At, at)
				}
			}
		})
	}
}

func fixedClock() time.Time { return time.Date(2026, 3, 2, 9, 15, 4, 0, time.UTC) }

func startElks(t *testing.T) (sms.Provider, deliverer, *receiver) {
	f := smstest.NewElks(t)
	f.Now = fixedClock
	p, err := sms.NewElks(sms.Config{BaseURL: f.URL, User: f.User, Password: f.Password})
	if err != nil {
		t.Fatal(err)
	}
	return p, f, newReceiver(t, callback.ParseElks)
}

func startTwilio(t *testing.T) (sms.Provider, deliverer, *receiver) {
	f := smstest.NewTwilio(t)
	p, err := sms.NewTwilio(sms.Config{BaseURL: f.URL, User: f.AccountSid, Password: f.AuthToken})
	if err != nil {
		t.Fatal(err)
	}
	return p, f, newReceiver(t, func(r *http.Request) ([]callback.Update, error) {
		return callback.ParseTwilio(r, f.AuthToken, "http://"+r.Host+r.URL.RequestURI())
	})
}

func startHTTP(t *testing.T) (sms.Provider, deliverer, *receiver) {
	f := smstest.NewHTTP(t)
	f.Now = fixedClock
	p, err := sms.NewHTTP(sms.Config{BaseURL: f.URL, Password: f.Token})
	if err != nil {
		t.Fatal(err)
	}
	return p, f, newReceiver(t, callback.ParseHTTP)
}

func TestRoundTripTwilioWrongToken(t *testing.T) {
	t.Parallel()
	f := smstest.NewTwilio(t)
	p, err := sms.NewTwilio(sms.Config{BaseURL: f.URL, User: f.AccountSid, Password: f.AuthToken})
	if err != nil {
		t.Fatal(err)
	}
	rc := newReceiver(t, func(r *http.Request) ([]callback.Update, error) {
		return callback.ParseTwilio(r, "another-accounts-token", "http://"+r.Host+r.URL.RequestURI())
	})
	res, err := p.Send(context.Background(), sms.Message{To: "+46701234567", From: "Avisera", Text: "hej", CallbackURL: rc.URL + "/cb"})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if err := f.Deliver(res.ProviderID, "delivered"); err == nil {
		t.Errorf("Deliver: got no error, want the receiver's 401")
	}
	if got := rc.statuses(); len(got) != 0 {
		t.Errorf("statuses: got %v, want none", got)
	}
}
