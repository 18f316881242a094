package sms

import (
	"errors"
	"fmt"
	"strings"
)

// maxAlphaSender is the longest alphanumeric sender id: 11 GSM characters
// fit the 7-bit originator address field.
const maxAlphaSender = 11

// ValidSender reports whether s can be an SMS sender: either a phone number
// (E.164 such as +46701234567, or 3 to 15 digits for short codes and
// national numbers) or an alphanumeric sender id of at most 11 ASCII
// letters, digits and spaces with at least one letter, the subset every
// provider and carrier accepts. The error says what is wrong, for the admin
// UI.
func ValidSender(s string) error {
	switch {
	case s == "":
		return errors.New("sender is empty")
	case strings.HasPrefix(s, "+"):
		if !validE164(s) {
			return fmt.Errorf("sender %q is not an E.164 number such as +46701234567", s)
		}
		return nil
	case allDigits(s):
		if len(s) < 3 || len(s) > 15 {
			return fmt.Errorf("numeric sender %q must have 3 to 15 digits", s)
		}
		return nil
	}
	return validAlphaSender(s)
}

// validAlphaSender checks an alphanumeric sender id.
func validAlphaSender(s string) error {
	if len(s) > maxAlphaSender {
		return fmt.Errorf("sender id %q is longer than %d characters", s, maxAlphaSender)
	}
	if strings.TrimSpace(s) != s {
		return fmt.Errorf("sender id %q starts or ends with a space", s)
	}
	letter := false
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
			letter = true
		case r >= '0' && r <= '9', r == ' ':
		default:
			return fmt.Errorf("sender id %q may only hold letters A-Z, digits and spaces", s)
		}
	}
	if !letter {
		return fmt.Errorf("sender id %q needs at least one letter", s)
	}
	return nil
}

// validE164 reports whether s is "+", a non-zero digit and 6 to 14 more
// digits. Whether the number exists is the provider's business.
func validE164(s string) bool {
	digits, ok := strings.CutPrefix(s, "+")
	return ok && len(digits) >= 7 && len(digits) <= 15 && digits[0] != '0' && allDigits(digits)
}

// allDigits reports whether s is a non-empty run of ASCII digits.
func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// check refuses a message no provider would accept, before spending a
// request on it.
func check(provider string, m Message) error {
	if !validE164(m.To) {
		e := invalid(provider, "invalid to number %q: want E.164 such as +46701234567", m.To)
		e.BadNumber = true
		return e
	}
	if err := ValidSender(m.From); err != nil {
		return invalid(provider, "invalid from: %v", err)
	}
	if strings.TrimSpace(m.Text) == "" {
		return invalid(provider, "empty text")
	}
	return nil
}
