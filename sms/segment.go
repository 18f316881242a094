package sms

import "strings"

// Segment sizes. A message that fits one SMS may use all of it; longer
// messages are split into parts that each lose room to the concatenation
// header (6 bytes: 7 GSM-7 septets or 3 UCS-2 characters).
const (
	gsmSingle = 160 // GSM-7 septets in a single SMS
	gsmPart   = 153 // GSM-7 septets per part of a long SMS
	ucsSingle = 70  // UTF-16 code units in a single UCS-2 SMS
	ucsPart   = 67  // UTF-16 code units per part of a long UCS-2 SMS
)

// gsmBasic is the GSM 03.38 default alphabet; each costs one septet. It
// covers Swedish (åäöÅÄÖé), so most Swedish texts stay GSM-7.
const gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
	"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"

// gsmExtended costs two septets each: an escape and the character.
const gsmExtended = "\f^{}\\[~]|€"

// Segments returns how many SMS parts text needs: GSM-7 when every
// character is in the GSM 03.38 alphabet, else UCS-2 (where characters
// outside the Basic Multilingual Plane, such as most emoji, count twice). A
// two-unit character is never split across parts, as handsets require. The
// empty text needs no parts.
func Segments(text string) int {
	if widths, ok := gsmWidths(text); ok {
		return parts(widths, gsmSingle, gsmPart)
	}
	return parts(ucsWidths(text), ucsSingle, ucsPart)
}

// gsmWidths returns each character's septet count, or false when text needs
// UCS-2.
func gsmWidths(text string) ([]int, bool) {
	widths := make([]int, 0, len(text))
	for _, r := range text {
		switch {
		case strings.ContainsRune(gsmBasic, r):
			widths = append(widths, 1)
		case strings.ContainsRune(gsmExtended, r):
			widths = append(widths, 2)
		default:
			return nil, false
		}
	}
	return widths, true
}

// ucsWidths returns each character's UTF-16 code unit count.
func ucsWidths(text string) []int {
	widths := make([]int, 0, len(text))
	for _, r := range text {
		if r > 0xFFFF {
			widths = append(widths, 2)
		} else {
			widths = append(widths, 1)
		}
	}
	return widths
}

// parts packs widths greedily into parts of size part, or one part when the
// total fits single.
func parts(widths []int, single, part int) int {
	total := 0
	for _, w := range widths {
		total += w
	}
	if total == 0 {
		return 0
	}
	if total <= single {
		return 1
	}
	n, used := 1, 0
	for _, w := range widths {
		if used+w > part {
			n, used = n+1, 0
		}
		used += w
	}
	return n
}
