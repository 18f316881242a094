package sms

import "unicode/utf8"

// Info is the length of an SMS and what it costs to send.
type Info struct {
	Characters int    `json:"characters"` // what the reader counts: one per character
	Encoding   string `json:"encoding"`   // "GSM-7" or "UCS-2"
	Segments   int    `json:"segments"`   // the parts billed; 0 for an empty text
}

// The encodings an SMS can be sent in.
const (
	GSM7 = "GSM-7"
	UCS2 = "UCS-2"
)

// Capacity of one SMS and of one part of a concatenated SMS (the rest of a
// part holds the concatenation header), in septets for GSM-7 and UTF-16 code
// units for UCS-2.
const (
	gsmSingle, gsmPart = 160, 153
	ucsSingle, ucsPart = 70, 67
)

// Measure measures text as an SMS: GSM-7 if every character is in the GSM
// 03.38 basic set or its extension table (extension characters take two
// septets), UCS-2 otherwise (characters outside the BMP, such as emoji, take
// two code units). Segments are packed as phones do: a two-unit character is
// never split between parts.
func Measure(text string) Info {
	info := Info{Characters: utf8.RuneCountInString(text), Encoding: GSM7}
	sizes := make([]int, 0, len(text))
	for _, r := range text {
		n := gsmSeptets(r)
		if n == 0 {
			return measureUCS2(text, info.Characters)
		}
		sizes = append(sizes, n)
	}
	info.Segments = segments(sizes, gsmSingle, gsmPart)
	return info
}

// measureUCS2 measures text sent as UCS-2.
func measureUCS2(text string, chars int) Info {
	sizes := make([]int, 0, chars)
	for _, r := range text {
		n := 1
		if r > 0xFFFF {
			n = 2 // a surrogate pair
		}
		sizes = append(sizes, n)
	}
	return Info{Characters: chars, Encoding: UCS2, Segments: segments(sizes, ucsSingle, ucsPart)}
}

// segments counts the parts needed for characters of the given sizes.
func segments(sizes []int, single, part int) int {
	total := 0
	for _, n := range sizes {
		total += n
	}
	switch {
	case total == 0:
		return 0
	case total <= single:
		return 1
	}
	parts, used := 1, 0
	for _, n := range sizes {
		if used+n > part {
			parts, used = parts+1, 0
		}
		used += n
	}
	return parts
}

// gsmSeptets returns how many septets r takes in GSM-7: 1 for the basic
// set, 2 for the extension table (an escape and the character), 0 if r
// cannot be sent in GSM-7.
func gsmSeptets(r rune) int {
	switch {
	case r < 0x80 && gsmASCII[r]:
		return 1
	case r < 0x80:
		return gsmASCIIExtension(r)
	}
	switch r {
	case '£', '¥', 'è', 'é', 'ù', 'ì', 'ò', 'Ç', 'Ø', 'ø', 'Å', 'å',
		'Δ', 'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', 'Σ', 'Θ', 'Ξ',
		'Æ', 'æ', 'ß', 'É', '¤', '¡', 'Ä', 'Ö', 'Ñ', 'Ü', '§', '¿', 'ä', 'ö', 'ñ', 'ü', 'à':
		return 1
	case '€':
		return 2
	}
	return 0
}

// gsmASCIIExtension returns 2 for the ASCII characters of the GSM 03.38
// extension table (and form feed), 0 for the ASCII ones GSM-7 lacks.
func gsmASCIIExtension(r rune) int {
	switch r {
	case '^', '{', '}', '\\', '[', '~', ']', '|', '\f':
		return 2
	}
	return 0
}

// gsmASCII marks the ASCII characters of the GSM 03.38 basic set (some,
// such as @ $ _, at other positions than in ASCII): LF, CR, space, letters,
// digits and the punctuation other than ` and the extension table's.
var gsmASCII = func() (t [0x80]bool) {
	for _, r := range "\n\r !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz" {
		t[r] = true
	}
	return t
}()

// Segments returns how many SMS parts text needs (see Measure).
func Segments(text string) int { return Measure(text).Segments }
