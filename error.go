// Package avisera holds Avisera's domain: the types every other package
// speaks (tenants, master data, contacts, messages, links, events,
// deliveries), the event-type catalogue and the one application error type.
// It depends on the standard library only; adapters live in subpackages
// named after what they adapt.
package avisera

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in api; the set is kept small on
// purpose so that clients can branch on it.
const (
	EINVALID      = "invalid"      // the request is well-formed but a value is wrong (422)
	EBADREQUEST   = "bad_request"  // the request cannot be parsed (400)
	ENOTFOUND     = "not_found"    // the thing does not exist for this tenant (404)
	ECONFLICT     = "conflict"     // the request clashes with existing state (409)
	EUNAUTHORIZED = "unauthorized" // no or wrong credentials (401)
	EFORBIDDEN    = "forbidden"    // authenticated but not allowed (403)
	ETOOLARGE     = "too_large"    // the body exceeds a limit (413)
	EGONE         = "gone"         // the thing existed but has expired (410)
	EINTERNAL     = "internal"     // a bug or an outage; the cause is logged, not shown (500)
)

// Error is the application error. Message is safe to show to a client; Err is
// the cause, logged but never shown. Field names the offending request field
// (a JSON path such as "emails[1]") when there is one. ConflictID names the
// other object of a conflict (for example the contact owning an address).
type Error struct {
	Code       string
	Message    string
	Field      string
	ConflictID string
	Err        error
}

// Error implements error.
func (e *Error) Error() string {
	msg := e.Code + ": " + e.Message
	if e.Field != "" {
		msg = e.Code + ": " + e.Field + ": " + e.Message
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with a formatted, client-safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error naming the field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFound returns an ENOTFOUND error for a kind of object and its id.
func NotFound(kind, id string) *Error {
	return &Error{Code: ENOTFOUND, Message: fmt.Sprintf("%s %q not found", kind, id)}
}

// ErrorCode returns the code of an *Error in err's chain, or EINTERNAL.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the client-safe message of err.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
