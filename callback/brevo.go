package callback

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// brevoStatuses maps Brevo's transactional email events. Events mapped to
// "" are recorded without changing the status.
var brevoStatuses = map[string]string{
	"request":       Sent, // Brevo accepted the message for sending
	"delivered":     Delivered,
	"deferred":      Deferred,
	"soft_bounce":   Deferred, // temporary refusal (mailbox full, no MX yet …)
	"hard_bounce":   Bounced,
	"blocked":       Rejected, // Brevo refused to send (blocklisted recipient)
	"invalid_email": InvalidAddress,
	"error":         Failed,
	"opened":        Opened,
	"unique_opened": Opened,
	"click":         Clicked,
	// A privacy proxy (Apple Mail) fetched the images: proof of delivery to
	// the mailbox, not that a person opened it.
	"proxy_open":        Delivered,
	"unique_proxy_open": Delivered,
	// A spam complaint proves the message was delivered; the complaint
	// itself stays in the history for whoever decides to stop sending.
	"spam":      Delivered,
	"complaint": Delivered,
	// Consent changes say nothing about this delivery.
	"unsubscribe":   "",
	"unsubscribed":  "",
	"list_addition": "",
}

// brevoEvent is the part of a Brevo webhook event we use. Brevo documents
// ts_epoch as milliseconds in UTC; ts and ts_event are seconds.
type brevoEvent struct {
	Event     string      `json:"event"`
	Email     string      `json:"email"`
	MessageID string      `json:"message-id"`
	Reason    string      `json:"reason"`
	Link      string      `json:"link"`
	TsEpoch   json.Number `json:"ts_epoch"`
	TsEvent   json.Number `json:"ts_event"`
	Ts        json.Number `json:"ts"`
	Custom    string      `json:"X-Mailin-custom"`
}

// ParseBrevo parses a Brevo (ex-Sendinblue) transactional email webhook: a
// JSON event or an array of them, with fields event, email, message-id,
// ts_epoch, reason, link and X-Mailin-custom. ProviderID is the message-id
// (the Message-ID header the mail went out with); Reference is the
// X-Mailin-custom header's value, or its "reference" member when it is a
// JSON object. Brevo does not sign webhooks; authenticate with CheckBasicAuth
// or CheckBearer first. Unknown events give Updates with an empty Status.
func ParseBrevo(r *http.Request) ([]Update, error) {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("%w: brevo: %v", ErrMalformed, err)
	}
	var events []brevoEvent
	if err := decodeOneOrMany(body, &events); err != nil {
		return nil, fmt.Errorf("%w: brevo: %v", ErrMalformed, err)
	}
	updates := make([]Update, 0, len(events))
	for i, e := range events {
		if e.Event == "" {
			return nil, fmt.Errorf("%w: brevo: event %d has no event name", ErrMalformed, i)
		}
		updates = append(updates, e.update())
	}
	return updates, nil
}

// update converts one Brevo event.
func (e brevoEvent) update() Update {
	u := Update{
		ProviderID: e.MessageID,
		Reference:  brevoReference(e.Custom),
		Email:      e.Email,
		Status:     brevoStatuses[e.Event],
		Event:      e.Event,
		At:         e.at(),
		Detail:     strings.TrimSpace(e.Reason),
	}
	if e.Event == "click" && e.Link != "" {
		u.Detail = e.Link
	}
	return u
}

// at returns the event time: ts_epoch, else ts_event, else ts. Some Brevo
// events carry ts_epoch in seconds; a value too small for milliseconds since
// 1973 is read as seconds.
func (e brevoEvent) at() time.Time {
	if ms, err := e.TsEpoch.Int64(); err == nil && ms > 0 {
		if ms < 1e11 {
			return time.Unix(ms, 0).UTC()
		}
		return time.UnixMilli(ms).UTC()
	}
	for _, n := range []json.Number{e.TsEvent, e.Ts} {
		if s, err := n.Int64(); err == nil && s > 0 {
			return time.Unix(s, 0).UTC()
		}
	}
	return time.Time{}
}

// brevoReference reads our delivery id from X-Mailin-custom: a JSON object's
// "reference" member, or else the whole value.
func brevoReference(custom string) string {
	custom = strings.TrimSpace(custom)
	var obj struct {
		Reference string `json:"reference"`
	}
	if strings.HasPrefix(custom, "{") && json.Unmarshal([]byte(custom), &obj) == nil {
		return obj.Reference
	}
	return custom
}

// decodeOneOrMany decodes a JSON object or array of objects into *[]T.
func decodeOneOrMany[T any](body []byte, into *[]T) error {
	body = bytes.TrimSpace(body)
	if bytes.HasPrefix(body, []byte("[")) {
		return json.Unmarshal(body, into)
	}
	var one T
	if err := json.Unmarshal(body, &one); err != nil {
		return err
	}
	*into = []T{one}
	return nil
}
