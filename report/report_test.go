package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/avisera/avisera"
)

func TestCSVCellsAreNotFormulas(t *testing.T) {
	d := avisera.Delivery{ID: "d1", Channel: avisera.ChannelSMS, RecipientName: `=HYPERLINK("http://evil","x")`,
		Address: "+46701234567", Subject: "@SUM(1,2)", Detail: "-2+3", ReachedVia: "\tcmd", Status: avisera.StatusSent,
		StatusAt: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC), OccurredAt: time.Date(2026, 3, 1, 7, 0, 0, 0, time.UTC)}
	var buf bytes.Buffer
	each := func(fn func(avisera.Delivery) error) error { return fn(d) }
	if err := WriteCSV(&buf, "en", time.UTC, each); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for i, h := range rows[0] {
		got[h] = rows[1][i]
	}
	want := map[string]string{
		"Recipient":   `'=HYPERLINK("http://evil","x")`,
		"Address":     "+46701234567", // a phone number stays as it is
		"Subject":     "'@SUM(1,2)",
		"Detail":      "'-2+3",
		"Reached via": "'\tcmd",
		"Delivery id": "d1",
	}
	for col, w := range want {
		if got[col] != w {
			t.Errorf("%s = %q, want %q", col, got[col], w)
		}
	}
}
