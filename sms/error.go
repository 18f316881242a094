package sms

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// SendError is the error of every failed Send. Temporary failures (HTTP 408,
// 429, 5xx, timeouts and connection errors) may succeed later; the rest are
// permanent and carry the provider's own explanation in Message.
//
// A timeout is temporary even though the provider may have accepted the
// message before the connection broke: none of the supported APIs takes an
// idempotency key, so a retry can then send a duplicate. That is the lesser
// evil compared with silently dropping a notification.
type SendError struct {
	Provider   string        // provider name
	Temporary  bool          // trying again later may succeed
	Status     int           // HTTP status; 0 when no answer arrived or the message was refused before sending
	Code       string        // the provider's error code (Twilio's 21211), when it gives one
	RetryAfter time.Duration // from Retry-After on 429/503; 0 when absent
	Message    string        // the provider's own error message, or what went wrong locally
	Err        error         // the transport error, if any
	BadNumber  bool          // the recipient's number is at fault: invalid, or not one that takes SMS
}

// Error implements error.
func (e *SendError) Error() string {
	msg := "sms: " + e.Provider + ": "
	if e.Status != 0 {
		msg += strconv.Itoa(e.Status) + " "
	}
	if e.Code != "" {
		msg += "(" + e.Code + ") "
	}
	return msg + e.Message
}

// Unwrap returns the transport error.
func (e *SendError) Unwrap() error { return e.Err }

// invalid returns the permanent error of a message refused before sending.
func invalid(provider, format string, args ...any) *SendError {
	return &SendError{Provider: provider, Message: fmt.Sprintf(format, args...)}
}

// transportError wraps an error from http.Client.Do: no answer, so retry.
func transportError(provider string, err error) *SendError {
	return &SendError{Provider: provider, Temporary: true, Message: err.Error(), Err: err}
}

// statusError builds the error of a non-2xx answer.
func statusError(provider string, resp *http.Response, code, msg string) *SendError {
	if msg == "" {
		msg = http.StatusText(resp.StatusCode)
	}
	e := &SendError{
		Provider:  provider,
		Temporary: temporaryStatus(resp.StatusCode),
		Status:    resp.StatusCode,
		Code:      code,
		Message:   msg,
		BadNumber: badNumberCodes[code],
	}
	if e.Temporary {
		e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), responseTime(resp))
	}
	return e
}

// badNumberCodes are the provider error codes that blame the recipient's
// number: Twilio's invalid 'To' number and 'To' number that is not a mobile.
var badNumberCodes = map[string]bool{"21211": true, "21614": true}

// temporaryStatus reports whether an HTTP status means "try again later".
func temporaryStatus(status int) bool {
	return status == http.StatusRequestTimeout || status == http.StatusTooManyRequests || status >= 500
}

// responseTime is the server's Date header, or now. An HTTP-date in
// Retry-After is measured against the server's clock, which keeps the delay
// right when our clock is skewed.
func responseTime(resp *http.Response) time.Time {
	if t, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		return t
	}
	return time.Now()
}

// retryAfter parses a Retry-After value: delay seconds or an HTTP-date
// (RFC 9110 §10.2.3). Garbage and dates in the past give 0.
func retryAfter(value string, now time.Time) time.Duration {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(value, 10, 64); err == nil {
		return min(time.Duration(max(secs, 0))*time.Second, maxRetryAfter)
	}
	t, err := http.ParseTime(value)
	if err != nil || !t.After(now) {
		return 0
	}
	return min(t.Sub(now), maxRetryAfter)
}

// maxRetryAfter caps what a provider can ask for, so that one odd header
// cannot park a delivery for weeks.
const maxRetryAfter = 24 * time.Hour

// shorten trims an error body to something fit for a log line and the
// follow-up report.
func shorten(s string) string {
	s = strings.TrimSpace(s)
	const limit = 300
	if len(s) > limit {
		s = strings.ToValidUTF8(s[:limit], "") + "…"
	}
	return s
}
