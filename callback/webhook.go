package callback

import (
	"fmt"
	"io"
	"net/http"
	"time"
)

// httpReport is the generic SMS gateway's delivery report.
type httpReport struct {
	ID        string `json:"id"`
	Reference string `json:"reference"`
	Status    string `json:"status"`
	At        string `json:"at"`
	Detail    string `json:"detail"`
}

// ParseHTTP parses a delivery report of the generic SMS gateway (package
// sms, provider "http"): a JSON object or array of
// {"id", "reference", "status", "at", "detail"} where status is already an
// Avisera status such as "delivered" or "failed" and at is RFC 3339. The
// gateway protocol has no signature; authenticate with CheckBearer or a
// secret in the callback URL first. Reference falls back to the URL's
// ReferenceParam.
func ParseHTTP(r *http.Request) ([]Update, error) {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("%w: http: %v", ErrMalformed, err)
	}
	var reports []httpReport
	if err := decodeOneOrMany(body, &reports); err != nil {
		return nil, fmt.Errorf("%w: http: %v", ErrMalformed, err)
	}
	updates := make([]Update, 0, len(reports))
	for i, rep := range reports {
		u := rep.update(reference(r))
		if err := rep.check(u); err != nil {
			return nil, fmt.Errorf("%w: http: report %d: %v", ErrMalformed, i, err)
		}
		updates = append(updates, u)
	}
	return updates, nil
}

// check names the first field of a report that cannot be used.
func (rep httpReport) check(u Update) error {
	switch {
	case u.ProviderID == "" && u.Reference == "":
		return fmt.Errorf("id or reference is required")
	case Rank(u.Status) == rankNone:
		return fmt.Errorf("status %q is not a delivery status such as delivered or failed", rep.Status)
	case rep.At != "" && u.At.IsZero():
		return fmt.Errorf("at %q is not an RFC 3339 time such as 2026-03-01T08:00:00+01:00", rep.At)
	}
	return nil
}

// update converts one report; ref is the callback URL's reference.
func (rep httpReport) update(ref string) Update {
	if rep.Reference != "" {
		ref = rep.Reference
	}
	return Update{
		ProviderID: rep.ID,
		Reference:  ref,
		Status:     rep.Status,
		Event:      rep.Status,
		At:         parseTime(rep.At, time.RFC3339),
		Detail:     rep.Detail,
	}
}
