package admin

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/avisera/avisera"
)

// languages the UI speaks; the first is the default.
var languages = []string{"sv", "en"}

// texts are the translation tables, one per language (texts_sv.go,
// texts_en.go). Every label of every template comes from them.
var texts = map[string]map[string]string{"sv": textsSV, "en": textsEN}

// language returns lang if the UI speaks it, else the default.
func language(lang string) string {
	if _, ok := texts[lang]; ok {
		return lang
	}
	return languages[0]
}

// translate looks key up in lang's table and formats args into it. A
// missing key shows itself, so a gap is visible (and tests catch it).
func translate(lang, key string, args ...any) string {
	s, ok := texts[language(lang)][key]
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// pick chooses the Swedish or English variant of a catalogue label.
func pick(lang, sv, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return sv
}

// userError is an error as the admin sees it: a sentence in their
// language and the form field it concerns ("" for the form as a whole).
type userError struct {
	Field   string // the form field: "emails" for the engine's "emails[1]"
	Message string
}

// keyError is a failure of the UI itself (not the engine's), shown by its
// translation key.
type keyError string

func (e keyError) Error() string { return string(e) }

// fieldKeyError is a UI failure that concerns one form field.
type fieldKeyError struct{ field, key string }

func (e fieldKeyError) Error() string { return e.field + ": " + e.key }

// fieldIndex splits an engine field such as "static[2].addresses[0]" into
// the form field ("static") and the 1-based number of the first index.
var fieldIndex = regexp.MustCompile(`^([a-z_]+(?:\.[a-z_]+)*)(?:\[(\d+)\])?(?:[.\[].*)?$`)

// explain turns err into a userError in lang, naming the field by its
// label. Internal errors say only that something went wrong.
func explain(lang string, err error) userError {
	var ke keyError
	if errors.As(err, &ke) {
		return userError{Message: translate(lang, string(ke))}
	}
	var fe fieldKeyError
	if errors.As(err, &fe) {
		return userError{Field: fe.field, Message: translate(lang, "error.field", fieldLabel(lang, fe.field), translate(lang, fe.key))}
	}
	var e *avisera.Error
	if !errors.As(err, &e) || e.Code == avisera.EINTERNAL {
		return userError{Message: translate(lang, "error.internal")}
	}
	msg := translate(lang, "error.code."+e.Code)
	if known := knownMessage(lang, e.Message); known != "" {
		msg = known
	} else if e.Message != "" {
		msg = e.Message
	}
	if e.Field == "" {
		return userError{Message: msg}
	}
	m := fieldIndex.FindStringSubmatch(e.Field)
	if m == nil {
		return userError{Message: msg}
	}
	field, label := m[1], fieldLabel(lang, m[1])
	if m[2] != "" {
		n, _ := strconv.Atoi(m[2])
		label += " " + strconv.Itoa(n+1)
	}
	return userError{Field: field, Message: translate(lang, "error.field", label, msg)}
}

// fieldLabel is the translated label of a form field, or the field itself.
func fieldLabel(lang, field string) string {
	key := "field." + field
	if s := translate(lang, key); s != key {
		return s
	}
	return field
}

// knownMessages translate the engine's most common messages; the others
// are shown as the engine wrote them, after the translated field label.
var knownMessages = []struct {
	contains, key string
}{
	{"is required", "error.required"},
	{"is not a valid email address", "error.email"},
	{"is not a valid phone number", "error.phone"},
	{"already belongs to contact", "error.address_taken"},
	{"already has a login", "error.login_taken"},
	{"must be after", "error.after"},
	{"is longer than", "error.too_long"},
	{"must be at least", "error.too_short"},
	{"needs at least one static or dynamic recipient", "error.no_recipient"},
	{"choose email, sms or both", "error.no_channel"},
	{"is not a notification recipient", "error.not_recipient"},
	{"has no email address or phone number", "error.no_address"},
	{"is archived", "error.archived"},
	{"cannot be merged into itself", "error.merge_self"},
	{"a message needs a subject, an email body or an SMS body", "error.empty_message"},
}

func knownMessage(lang, msg string) string {
	for _, k := range knownMessages {
		if strings.Contains(msg, k.contains) {
			return translate(lang, k.key)
		}
	}
	return ""
}
