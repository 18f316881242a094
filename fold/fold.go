// Package fold turns text into search keys: lower case, without diacritics,
// so that "asa" finds "Åsa" and "sodra" finds "Södra" on any database.
package fold

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// special maps letters that do not decompose into a base letter plus marks.
var special = strings.NewReplacer("ø", "o", "Ø", "o", "æ", "ae", "Æ", "ae", "ß", "ss", "đ", "d", "ł", "l", "Ł", "l")

// String returns the search key of s: lower case, diacritics removed,
// whitespace collapsed.
func String(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, special.Replace(s))
	if err != nil {
		out = s
	}
	return strings.Join(strings.Fields(strings.ToLower(out)), " ")
}

// Words splits the key of s into words at anything that is not a letter or
// a digit.
func Words(s string) []string {
	return strings.FieldsFunc(String(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}
