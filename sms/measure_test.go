package sms

import (
	"strings"
	"testing"
)

func TestMeasure(t *testing.T) {
	t.Parallel()
	a := func(n int) string { return strings.Repeat("a", n) }
	tests := []struct {
		name string
		text string
		want Info
	}{
		{"empty", "", Info{0, GSM7, 0}},
		{"one", "a", Info{1, GSM7, 1}},
		{"160 GSM", a(160), Info{160, GSM7, 1}},
		{"161 GSM", a(161), Info{161, GSM7, 2}},
		{"306 GSM", a(306), Info{306, GSM7, 2}},
		{"307 GSM", a(307), Info{307, GSM7, 3}},
		{"Swedish letters are GSM-7", "Hej Åsa! Städning på Sörmlandsgatan är klar.", Info{44, GSM7, 1}},
		{"basic set accents", "åäöÅÄÖéÉüÜñÑàèùìòÇØøÆæß¡¿§£¥¤ΔΦΓΛΩΠΨΣΘΞ", Info{39, GSM7, 1}},
		{"ASCII at other positions", "@$_", Info{3, GSM7, 1}},
		{"line breaks", "a\nb\r\nc", Info{6, GSM7, 1}},
		{"euro counts 2", "€" + a(158), Info{159, GSM7, 1}},
		{"euro counts 2, over", "€" + a(159), Info{160, GSM7, 2}},
		{"extension table", "{}[]~\\|^", Info{8, GSM7, 1}},
		{"80 extension chars", strings.Repeat("[", 80), Info{80, GSM7, 1}},
		{"81 extension chars", strings.Repeat("[", 81), Info{81, GSM7, 2}},
		{"escape not split across parts", a(152) + strings.Repeat("€", 77), Info{229, GSM7, 3}},
		{"ł is UCS-2", "Łódź ł", Info{6, UCS2, 1}},
		{"emoji is UCS-2", "Klart 👍", Info{7, UCS2, 1}},
		{"backtick is UCS-2", "`", Info{1, UCS2, 1}},
		{"tab is UCS-2", "a\tb", Info{3, UCS2, 1}},
		{"small c cedilla is UCS-2", "ç", Info{1, UCS2, 1}},
		{"70 UCS-2", strings.Repeat("ł", 70), Info{70, UCS2, 1}},
		{"71 UCS-2", strings.Repeat("ł", 71), Info{71, UCS2, 2}},
		{"134 UCS-2", strings.Repeat("ł", 134), Info{134, UCS2, 2}},
		{"135 UCS-2", strings.Repeat("ł", 135), Info{135, UCS2, 3}},
		{"35 emoji = 70 units", strings.Repeat("😀", 35), Info{35, UCS2, 1}},
		{"36 emoji = 72 units", strings.Repeat("😀", 36), Info{36, UCS2, 2}},
		{"surrogate pair not split", strings.Repeat("ł", 66) + strings.Repeat("😀", 2), Info{68, UCS2, 1}},
		{"surrogate pair not split, over", strings.Repeat("ł", 66) + strings.Repeat("😀", 3), Info{69, UCS2, 2}},
		{"pair at a part boundary", strings.Repeat("ł", 66) + strings.Repeat("😀", 34), Info{100, UCS2, 3}},
		{"one UCS-2 char switches all", a(100) + "ł", Info{101, UCS2, 2}},
	}
	for _, tt := range tests {
		if got := Measure(tt.text); got != tt.want {
			t.Errorf("Measure(%s) = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}
