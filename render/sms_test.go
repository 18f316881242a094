package render

import (
	"strings"
	"testing"
)

func TestMeasureSMS(t *testing.T) {
	t.Parallel()
	a := func(n int) string { return strings.Repeat("a", n) }
	tests := []struct {
		name string
		text string
		want SMSInfo
	}{
		{"empty", "", SMSInfo{0, GSM7, 0}},
		{"one", "a", SMSInfo{1, GSM7, 1}},
		{"160 GSM", a(160), SMSInfo{160, GSM7, 1}},
		{"161 GSM", a(161), SMSInfo{161, GSM7, 2}},
		{"306 GSM", a(306), SMSInfo{306, GSM7, 2}},
		{"307 GSM", a(307), SMSInfo{307, GSM7, 3}},
		{"Swedish letters are GSM-7", "Hej Åsa! Städning på Sörmlandsgatan är klar.", SMSInfo{44, GSM7, 1}},
		{"basic set accents", "åäöÅÄÖéÉüÜñÑàèùìòÇØøÆæß¡¿§£¥¤ΔΦΓΛΩΠΨΣΘΞ", SMSInfo{39, GSM7, 1}},
		{"ASCII at other positions", "@$_", SMSInfo{3, GSM7, 1}},
		{"line breaks", "a\nb\r\nc", SMSInfo{6, GSM7, 1}},
		{"euro counts 2", "€" + a(158), SMSInfo{159, GSM7, 1}},
		{"euro counts 2, over", "€" + a(159), SMSInfo{160, GSM7, 2}},
		{"extension table", "{}[]~\\|^", SMSInfo{8, GSM7, 1}},
		{"80 extension chars", strings.Repeat("[", 80), SMSInfo{80, GSM7, 1}},
		{"81 extension chars", strings.Repeat("[", 81), SMSInfo{81, GSM7, 2}},
		{"escape not split across parts", a(152) + strings.Repeat("€", 77), SMSInfo{229, GSM7, 3}},
		{"ł is UCS-2", "Łódź ł", SMSInfo{6, UCS2, 1}},
		{"emoji is UCS-2", "Klart 👍", SMSInfo{7, UCS2, 1}},
		{"backtick is UCS-2", "`", SMSInfo{1, UCS2, 1}},
		{"tab is UCS-2", "a\tb", SMSInfo{3, UCS2, 1}},
		{"small c cedilla is UCS-2", "ç", SMSInfo{1, UCS2, 1}},
		{"70 UCS-2", strings.Repeat("ł", 70), SMSInfo{70, UCS2, 1}},
		{"71 UCS-2", strings.Repeat("ł", 71), SMSInfo{71, UCS2, 2}},
		{"134 UCS-2", strings.Repeat("ł", 134), SMSInfo{134, UCS2, 2}},
		{"135 UCS-2", strings.Repeat("ł", 135), SMSInfo{135, UCS2, 3}},
		{"35 emoji = 70 units", strings.Repeat("😀", 35), SMSInfo{35, UCS2, 1}},
		{"36 emoji = 72 units", strings.Repeat("😀", 36), SMSInfo{36, UCS2, 2}},
		{"surrogate pair not split", strings.Repeat("ł", 66) + strings.Repeat("😀", 2), SMSInfo{68, UCS2, 1}},
		{"surrogate pair not split, over", strings.Repeat("ł", 66) + strings.Repeat("😀", 3), SMSInfo{69, UCS2, 2}},
		{"pair at a part boundary", strings.Repeat("ł", 66) + strings.Repeat("😀", 34), SMSInfo{100, UCS2, 3}},
		{"one UCS-2 char switches all", a(100) + "ł", SMSInfo{101, UCS2, 2}},
	}
	for _, tt := range tests {
		if got := MeasureSMS(tt.text); got != tt.want {
			t.Errorf("MeasureSMS(%s) = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}
