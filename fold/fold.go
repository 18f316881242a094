// Package fold turns text into search keys: lower case, without diacritics,
// so that "asa" finds "Åsa" and "sodra" finds "Södra" on any database.
package fold

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// special maps letters that do not decompose into a base letter plus marks.
var special = strings.NewReplacer("ø", "o", "Ø", "o", "æ", "ae", "Æ", "ae", "ß", "ss", "đ", "d", "ł", "l", "Ł", "l")

// chains holds transformers that decompose, drop the marks and compose
// again; a chain owns two 4 KiB buffers, so they are reused
// (transform.String resets the one it is given).
var chains = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

// String returns the search key of s: lower case, diacritics removed,
// whitespace collapsed.
func String(s string) string {
	out := s
	if !ascii(s) { // ASCII has nothing to decompose
		t := chains.Get().(transform.Transformer)
		var err error
		if out, _, err = transform.String(t, special.Replace(s)); err != nil {
			out = s
		}
		chains.Put(t)
	}
	return strings.Join(strings.Fields(strings.ToLower(out)), " ")
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Words splits the key of s into words at anything that is not a letter or
// a digit.
func Words(s string) []string {
	return strings.FieldsFunc(String(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}
