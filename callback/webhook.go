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
	for _, rep := range reports {
		u := rep.update(reference(r))
		if u.ProviderID == "" && u.Reference == "" || Rank(u.Status) == rankNone {
			return nil, fmt.Errorf("%w: http: want id or reference and a known status, got %+v", ErrMalformed, rep)
		}
		updates = append(updates, u)
	}
	return updates, nil
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
