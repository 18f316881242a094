package callback

import (
	"fmt"
	"net/http"
	"time"
)

// elksStatuses maps 46elks' delivery report statuses.
var elksStatuses = map[string]string{
	"sent":      Sent,      // handed to the carrier
	"delivered": Delivered, // the carrier confirmed delivery
	"failed":    Failed,    // the carrier gave up
}

// ParseElks parses a 46elks delivery report: a form-encoded POST of id,
// status ("sent", "delivered" or "failed") and, for delivered, the delivery
// time in UTC. 46elks does not sign reports; authenticate with a secret in
// the callback URL (see CheckBasicAuth) before trusting the result.
// Reference comes from the URL's ReferenceParam. An unknown status gives an
// Update with an empty Status, to be recorded only.
func ParseElks(r *http.Request) ([]Update, error) {
	if err := parseForm(r, "46elks"); err != nil {
		return nil, err
	}
	id, event := r.PostForm.Get("id"), r.PostForm.Get("status")
	if id == "" || event == "" {
		return nil, fmt.Errorf("%w: 46elks: want id and status, got %q", ErrMalformed, r.PostForm.Encode())
	}
	u := Update{
		ProviderID: id,
		Reference:  reference(r),
		Status:     elksStatuses[event],
		Event:      event,
		At:         parseTime(r.PostForm.Get("delivered"), "2006-01-02T15:04:05", time.RFC3339, "2006-01-02 15:04:05"),
	}
	return []Update{u}, nil
}
