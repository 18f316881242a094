// Package callback parses and authenticates the status callbacks that SMS
// and email providers post to Avisera (46elks delivery reports, Twilio
// status callbacks, Brevo transactional webhooks and the generic SMS
// gateway's reports), turning each into provider-neutral Updates, and
// orders delivery statuses so that a late, repeated or out-of-order callback
// never moves a delivery backwards (see Advances).
//
// Parsers are stateless: they neither deduplicate nor look deliveries up.
// The caller matches Update.ProviderID (or Reference) to a delivery, keeps
// every update in its history, and changes the delivery's status only when
// Advances says so.
package callback

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Errors of the parsers, to be answered 401 and 400. Both are wrapped with
// detail; test with errors.Is.
var (
	ErrUnauthorized = errors.New("callback: unauthorized")
	ErrMalformed    = errors.New("callback: malformed payload")
)

// ReferenceParam is the query parameter of a callback URL that carries our
// delivery id. 46elks and Twilio post reports to the URL registered with the
// message, unchanged, so a URL such as
// /api/v1/webhooks/46elks?reference=<delivery id> lets a report find its
// delivery even when it arrives before the provider id has been saved.
const ReferenceParam = "reference"

// maxBody bounds a callback body; real ones are a few hundred bytes (Brevo
// batches stay well under this).
const maxBody = 1 << 20

// Update is one status change reported by a provider.
type Update struct {
	ProviderID string    // the provider's message id (Brevo: the Message-ID)
	Reference  string    // our delivery id, when the callback carries it
	Email      string    // the recipient, for email events
	Status     string    // the Avisera status; empty means record only, no status change
	Event      string    // the provider's raw event or status name
	At         time.Time // when it happened, per the provider; zero when not given
	Detail     string    // the provider's reason, error code or clicked link
}

// parseForm reads a form-encoded callback body, bounded by maxBody.
func parseForm(r *http.Request, provider string) error {
	r.Body = http.MaxBytesReader(nil, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrMalformed, provider, err)
	}
	return nil
}

// reference returns the delivery id carried by the callback URL.
func reference(r *http.Request) string {
	return r.URL.Query().Get(ReferenceParam)
}

// parseTime parses a provider timestamp in the first matching layout, as
// UTC when it has no zone; zero when none matches.
func parseTime(s string, layouts ...string) time.Time {
	for _, layout := range layouts {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
