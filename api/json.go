package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/avisera/avisera"
)

// maxBody bounds JSON request bodies; larger ones answer 413.
const maxBody = 1 << 20

// decode reads a JSON body into v: unknown fields, wrong types, trailing
// data and oversized bodies are refused naming the field where there is one.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	return decodeLimited(r, v)
}

// decodeLimited is decode for a body the caller has already limited.
func decodeLimited(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if dec.More() {
		return avisera.Errorf(avisera.EBADREQUEST, "the body must hold one JSON value")
	}
	return nil
}

func decodeError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &maxErr):
		return avisera.Errorf(avisera.ETOOLARGE, "the body is larger than %d bytes", maxErr.Limit)
	case errors.As(err, &typeErr) && typeErr.Field == "":
		return avisera.Errorf(avisera.EBADREQUEST, "the body must be %s, not %s", jsonKind(typeErr.Type), typeErr.Value)
	case errors.As(err, &typeErr):
		return &avisera.Error{Code: avisera.EBADREQUEST, Field: typeErr.Field,
			Message: fmt.Sprintf("must be %s, not %s", jsonKind(typeErr.Type), typeErr.Value)}
	case errors.As(err, &syntaxErr):
		return avisera.Errorf(avisera.EBADREQUEST, "malformed JSON at byte %d: %v", syntaxErr.Offset, err)
	case errors.Is(err, io.EOF):
		return avisera.Errorf(avisera.EBADREQUEST, "the body is empty; a JSON object is required")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &avisera.Error{Code: avisera.EBADREQUEST, Field: field, Message: "unknown field"}
	}
	return avisera.Errorf(avisera.EBADREQUEST, "malformed JSON: %v", err)
}

// jsonKind names the JSON value a Go type decodes from.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "a JSON value"
}

// parseTime parses an optional RFC 3339 time of the named field.
func parseTime(field string, v *string) (*time.Time, error) {
	if v == nil || *v == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339Nano, *v)
	if err != nil {
		return nil, avisera.Invalid(field, "%q is not an RFC 3339 time such as 2026-03-01T08:00:00+01:00", *v)
	}
	t = t.UTC()
	return &t, nil
}

// writeJSON writes v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// errorBody is the JSON shape of every error.
type errorBody struct {
	Code       string `json:"code"`
	Message    string `json:"message"`
	Field      string `json:"field,omitempty"`
	ConflictID string `json:"conflict_id,omitempty"`
}

// statuses maps error codes to HTTP statuses, in one place.
var statuses = map[string]int{
	avisera.EINVALID:      http.StatusUnprocessableEntity,
	avisera.EBADREQUEST:   http.StatusBadRequest,
	avisera.ENOTFOUND:     http.StatusNotFound,
	avisera.ECONFLICT:     http.StatusConflict,
	avisera.EUNAUTHORIZED: http.StatusUnauthorized,
	avisera.EFORBIDDEN:    http.StatusForbidden,
	avisera.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	avisera.EGONE:         http.StatusGone,
	avisera.EINTERNAL:     http.StatusInternalServerError,
}

// writeError answers err as JSON; internal causes are logged, not shown.
func (h *handler) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status, body := h.errorOf(r, err)
	writeJSON(w, status, body)
}

// errorOf maps err to a status and a body, logging internal causes.
func (h *handler) errorOf(r *http.Request, err error) (int, errorBody) {
	var e *avisera.Error
	if !errors.As(err, &e) {
		e = &avisera.Error{Code: avisera.EINTERNAL, Message: "internal error", Err: err}
	}
	status, ok := statuses[e.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if status >= 500 {
		h.logger.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	return status, errorBody{Code: e.Code, Message: messageOf(e), Field: e.Field, ConflictID: e.ConflictID}
}

// messageOf is e's message naming its field, for clients that show only
// the message: "emails[1]: \"x\" is not an email address".
func messageOf(e *avisera.Error) string {
	if e.Field == "" || strings.HasPrefix(e.Message, e.Field+" ") || strings.HasPrefix(e.Message, e.Field+":") {
		return e.Message
	}
	return e.Field + ": " + e.Message
}

// decodeOptional is decode for routes whose body may be empty.
func decodeOptional(w http.ResponseWriter, r *http.Request, v any) error {
	if r.ContentLength == 0 {
		return nil
	}
	return decode(w, r, v)
}
