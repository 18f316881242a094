package api

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/avisera/avisera"
)

// maxBody bounds JSON request bodies; larger ones answer 413.
const maxBody = 1 << 20

// decode reads a JSON body into v: unknown fields, wrong types, trailing
// data and oversized bodies are refused naming the field where there is one.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	return decodeLimited(r, v, allLevels)
}

// allLevels looks for repeated member names in every object of a body.
const allLevels = -1

// decodeLimited is decode for a body the caller has already limited;
// repeated member names are looked for in objects up to levels deep.
func decodeLimited(r *http.Request, v any, levels int) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return decodeError(err, nil, v)
	}
	return decodeBytes(body, v, levels)
}

// decodeBytes decodes body, one JSON value, into v. Text that is not UTF-8
// is refused: the decoder would put U+FFFD in its place, and two
// different ids could become one.
func decodeBytes(body []byte, v any, levels int) error {
	if !utf8.Valid(body) {
		return avisera.Errorf(avisera.EBADREQUEST, "the body is not valid UTF-8 (at byte %d)", invalidUTF8At(body))
	}
	return decodeUTF8(body, v, levels)
}

// decodeUTF8 is decodeBytes for text known to be UTF-8: an event of a
// batch whose body was checked whole.
func decodeUTF8(body []byte, v any, levels int) error {
	if string(bytes.TrimSpace(body)) == "null" { // would decode as nothing at all
		return avisera.Errorf(avisera.EBADREQUEST, "the body must be %s, not null", jsonKind(reflect.TypeOf(v)))
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err, body, v)
	}
	if dec.More() {
		return avisera.Errorf(avisera.EBADREQUEST, "the body must hold one JSON value")
	}
	if path := duplicateKey(body, levels, reflect.TypeOf(v)); path != "" {
		// Decoding takes the last; the host may have meant the first (an
		// event's id is its idempotency key).
		return &avisera.Error{Code: avisera.EBADREQUEST, Field: path, Message: "is given more than once"}
	}
	return nil
}

func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// decodeError names what is wrong with body, decoded into v.
func decodeError(err error, body []byte, v any) error {
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
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &avisera.Error{Code: avisera.EBADREQUEST, Field: unknownFieldPath(body, reflect.TypeOf(v), name),
			Message: "unknown field"}
	}
	return avisera.Errorf(avisera.EBADREQUEST, "malformed JSON: %v", err)
}

// unknownFieldPath finds where in body the unknown field name sits, as a
// path such as refs.planet or static[0].bogus: the decoder says only the
// name. It walks the JSON beside the type it was decoded into.
func unknownFieldPath(body []byte, t reflect.Type, name string) string {
	var doc any
	if json.Unmarshal(body, &doc) != nil || t == nil {
		return name
	}
	if path, ok := findUnknown(doc, t, name, ""); ok {
		return path
	}
	return name
}

func findUnknown(v any, t reflect.Type, name, path string) (string, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch v := v.(type) {
	case map[string]any:
		for key, val := range v {
			inner := strings.TrimPrefix(path+"."+key, ".")
			var ft reflect.Type
			switch t.Kind() {
			case reflect.Map:
				ft = t.Elem()
			case reflect.Struct:
				f, ok := jsonField(t, key)
				if !ok && key == name {
					return inner, true
				}
				ft = f.Type
			}
			if ft == nil {
				continue
			}
			if p, ok := findUnknown(val, ft, name, inner); ok {
				return p, true
			}
		}
	case []any:
		if t.Kind() != reflect.Slice && t.Kind() != reflect.Array {
			return "", false
		}
		for i, val := range v {
			if p, ok := findUnknown(val, t.Elem(), name, fmt.Sprintf("%s[%d]", path, i)); ok {
				return p, true
			}
		}
	}
	return "", false
}

// jsonField finds the field of struct t that the JSON key decodes into,
// as encoding/json does: by tag or name, case-insensitively, through
// embedded structs.
func jsonField(t reflect.Type, key string) (reflect.StructField, bool) {
	for _, f := range jsonFields(t) {
		if strings.EqualFold(f.name, key) {
			return f.StructField, true
		}
	}
	return reflect.StructField{}, false
}

// namedField is a struct field that JSON decodes into, with its JSON name.
type namedField struct {
	reflect.StructField
	name string
}

// fieldsOf caches jsonFields: the check for repeated names asks on every
// request.
var fieldsOf sync.Map // reflect.Type → []namedField

// jsonFields lists the fields of struct t that JSON decodes into.
func jsonFields(t reflect.Type) []namedField {
	if fs, ok := fieldsOf.Load(t); ok {
		return fs.([]namedField)
	}
	var fs []namedField
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || f.Anonymous && f.Type.Kind() == reflect.Struct {
			continue
		}
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag != "-" {
			fs = append(fs, namedField{f, cmp.Or(tag, f.Name)})
		}
	}
	fieldsOf.Store(t, fs)
	return fs
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
	t, err := time.Parse(time.RFC3339Nano, strings.ToUpper(*v)) // RFC 3339 allows t and z
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
