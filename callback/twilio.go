package callback

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// twilioStatuses maps Twilio's MessageStatus. Twilio's own queue states
// mean the message is with the provider but not yet with a carrier, which
// in Avisera's terms is still sending.
var twilioStatuses = map[string]string{
	"accepted":    Sending,
	"scheduled":   Sending,
	"queued":      Sending,
	"sending":     Sending,
	"sent":        Sent,
	"delivered":   Delivered,
	"undelivered": Failed, // refined by twilioErrors
	"failed":      Failed, // refined by twilioErrors
	"canceled":    Failed,
	"read":        Opened, // read receipts (WhatsApp, RCS)
}

// twilioErrors refine a failure by Twilio's ErrorCode where the code says
// more than "failed".
var twilioErrors = map[string]string{
	"21211": InvalidAddress, // invalid 'To' number
	"21614": InvalidAddress, // 'To' is not a mobile number
	"30005": InvalidAddress, // unknown destination handset
	"30006": InvalidAddress, // landline or unreachable carrier
	"21610": Rejected,       // the recipient replied STOP
	"30004": Rejected,       // message blocked
	"30007": Rejected,       // filtered by the carrier
}

// ParseTwilio verifies and parses a Twilio status callback (form-encoded
// MessageSid, MessageStatus, ErrorCode …). fullURL is the URL Twilio
// called, exactly as registered, query included; the X-Twilio-Signature
// header must be the base64 HMAC-SHA1, keyed with authToken, of fullURL
// followed by the POST parameters sorted by name. A missing or wrong
// signature gives an error wrapping ErrUnauthorized. Reference comes from
// the URL's ReferenceParam, which the signature covers.
func ParseTwilio(r *http.Request, authToken, fullURL string) ([]Update, error) {
	if err := parseForm(r, "twilio"); err != nil {
		return nil, err
	}
	if err := verifyTwilio(r, authToken, fullURL); err != nil {
		return nil, err
	}
	f := r.PostForm
	id, event := first(f, "MessageSid", "SmsSid"), first(f, "MessageStatus", "SmsStatus")
	if id == "" || event == "" {
		return nil, fmt.Errorf("%w: twilio: want MessageSid and MessageStatus", ErrMalformed)
	}
	u := Update{
		ProviderID: id,
		Reference:  reference(r),
		Status:     twilioStatus(event, f.Get("ErrorCode")),
		Event:      event,
		At:         parseTime(f.Get("RawDlrDoneDate"), "0601021504"),
	}
	if code := f.Get("ErrorCode"); code != "" {
		u.Detail = "error " + code
	}
	return []Update{u}, nil
}

// twilioStatus maps a MessageStatus, refined by ErrorCode for failures.
func twilioStatus(event, errorCode string) string {
	status := twilioStatuses[event]
	if refined, ok := twilioErrors[errorCode]; ok && status == Failed {
		return refined
	}
	return status
}

// verifyTwilio checks X-Twilio-Signature against fullURL, also with the
// default port added or removed, as Twilio's own helper libraries do,
// because proxies and Twilio disagree about it.
func verifyTwilio(r *http.Request, authToken, fullURL string) error {
	got := r.Header.Get("X-Twilio-Signature")
	if got == "" || authToken == "" {
		return fmt.Errorf("%w: twilio: no signature or no auth token", ErrUnauthorized)
	}
	for _, u := range urlVariants(fullURL) {
		if hmac.Equal([]byte(got), []byte(twilioSignature(authToken, u, r.PostForm))) {
			return nil
		}
	}
	return fmt.Errorf("%w: twilio: signature mismatch for %s", ErrUnauthorized, fullURL)
}

// twilioSignature computes Twilio's request signature.
func twilioSignature(authToken, fullURL string, form url.Values) string {
	var b strings.Builder
	b.WriteString(fullURL)
	for _, k := range slices.Sorted(maps.Keys(form)) {
		for _, v := range form[k] {
			b.WriteString(k)
			b.WriteString(v)
		}
	}
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// urlVariants returns s and s with its scheme's default port toggled.
func urlVariants(s string) []string {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return []string{s}
	}
	def := map[string]string{"https": "443", "http": "80"}[u.Scheme]
	switch port := u.Port(); {
	case def == "":
		return []string{s}
	case port == "":
		u.Host = net.JoinHostPort(u.Hostname(), def)
	case port == def:
		u.Host = strings.TrimSuffix(u.Host, ":"+port)
	default:
		return []string{s}
	}
	return []string{s, u.String()}
}

// first returns the first non-empty value among keys.
func first(f url.Values, keys ...string) string {
	for _, k := range keys {
		if v := f.Get(k); v != "" {
			return v
		}
	}
	return ""
}
