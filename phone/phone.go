// Package phone normalises phone numbers to E.164 with
// github.com/nyaruka/phonenumbers, so that "070-123 45 67" entered in
// Sweden and "+46 70 123 45 67" are the same number, and tells mobile
// numbers (which can receive SMS) from landlines.
package phone

import (
	"errors"
	"strconv"
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

// ErrInvalid is returned for text that is not a valid phone number.
var ErrInvalid = errors.New("not a valid phone number")

// Number is a normalised phone number.
type Number struct {
	E164     string // +46701234567
	National string // 0701234567 (digits only)
	Mobile   bool   // can receive SMS
}

// KnownRegion reports whether region is an ISO 3166 code with a telephone
// country code, so that national numbers can be read as of it.
func KnownRegion(region string) bool {
	return phonenumbers.GetCountryCodeForRegion(region) != 0
}

// Parse normalises raw, read as a number of region (ISO 3166 code such as
// "SE") unless it starts with + or 00.
func Parse(raw, region string) (Number, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" || strings.ContainsFunc(raw, unicode.IsLetter) {
		return Number{}, ErrInvalid
	}
	n, err := phonenumbers.Parse(raw, strings.ToUpper(region))
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return Number{}, ErrInvalid
	}
	t := phonenumbers.GetNumberType(n)
	return Number{
		E164:     phonenumbers.Format(n, phonenumbers.E164),
		National: digits(phonenumbers.Format(n, phonenumbers.NATIONAL)),
		Mobile:   t == phonenumbers.MOBILE || t == phonenumbers.FIXED_LINE_OR_MOBILE,
	}, nil
}

// LooksLike reports whether q is written like a (possibly partial) phone
// number: digits with spaces, dashes, dots, brackets and a leading +.
func LooksLike(q string) bool {
	n := 0
	for i, r := range strings.TrimSpace(q) {
		switch {
		case unicode.IsDigit(r):
			n++
		case r == '+' && i == 0, r == ' ', r == '-', r == '.', r == '(', r == ')', r == '/':
		default:
			return false
		}
	}
	return n >= 3
}

// SearchKey returns the digits a search for q should match as a prefix of
// a stored E.164 number without its +: a full or partial number in any
// format, national ("070 123") or international ("+46 70 123", "0046…").
func SearchKey(q, region string) string {
	// +46 (0)70…: the trunk 0 in brackets is not dialled from abroad.
	d := digits(strings.Replace(q, "(0)", "", 1))
	switch {
	case strings.HasPrefix(strings.TrimSpace(q), "+"):
		return d
	case strings.HasPrefix(d, "00"):
		return d[2:]
	case strings.HasPrefix(d, "0"):
		cc := phonenumbers.GetCountryCodeForRegion(strings.ToUpper(region))
		if cc == 0 {
			return d
		}
		return strconv.Itoa(cc) + d[1:]
	}
	return d
}

// NationalSearchKey is SearchKey for a q written without any prefix
// ("70 123 45 67"), read as a national number that left out its trunk 0:
// the region's country code before its digits. It is "" when q has a
// prefix (+, 0) or the region no country code.
func NationalSearchKey(q, region string) string {
	d := digits(q)
	cc := phonenumbers.GetCountryCodeForRegion(strings.ToUpper(region))
	if d == "" || d[0] == '0' || strings.HasPrefix(strings.TrimSpace(q), "+") || cc == 0 {
		return ""
	}
	return strconv.Itoa(cc) + d
}

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}
