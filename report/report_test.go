package report

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/avisera/avisera"
)

func TestCSVCellsAreNotFormulas(t *testing.T) {
	d := avisera.Delivery{ID: "d1", Channel: avisera.ChannelSMS, RecipientName: `=HYPERLINK("http://evil","x")`,
		Address: "+46701234567", Subject: "@SUM(1,2)", Detail: "-2+3", ReachedVia: "\tcmd", Status: avisera.StatusSent,
		StatusAt: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC), OccurredAt: time.Date(2026, 3, 1, 7, 0, 0, 0, time.UTC)}
	var buf bytes.Buffer
	each := func(fn func(avisera.Delivery) error) error { return fn(d) }
	if err := WriteCSV(&buf, Options{Lang: "en", Loc: time.UTC}, each); err != nil {
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

// The workbook's times are dates in the tenant's zone, shown as the CSV
// shows them, and the version is a number: a spreadsheet sorts and
// filters them as such.
func TestXLSXCellsAreTyped(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	d := avisera.Delivery{ID: "d1", Channel: avisera.ChannelEmail, RecipientName: "Åsa", Address: "asa@example.se",
		Subject: "Klart", Status: avisera.StatusQueued, MessageVersion: 3,
		StatusAt: time.Date(2026, 3, 1, 8, 0, 5, 0, time.UTC), OccurredAt: time.Date(2026, 7, 1, 7, 0, 0, 0, time.UTC)}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, Options{Lang: "sv", Loc: loc}, func(fn func(avisera.Delivery) error) error { return fn(d) }); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	rows, err := f.GetRows(sheet)
	if err != nil || len(rows) != 2 {
		t.Fatalf("rows = %v, %v; want the header and one row", rows, err)
	}
	got := map[string]string{}
	for i, h := range rows[0] {
		if i < len(rows[1]) {
			got[h] = rows[1][i]
		}
	}
	// 08:00 UTC in March is 09:00 in Stockholm, 07:00 UTC in July 09:00 (summer time).
	want := map[string]string{"Skickad": "", "Statustid": "2026-03-01 09:00:05", "Händelsetid": "2026-07-01 09:00:00",
		"Meddelandeversion": "3", "Mottagare": "Åsa"}
	for col, w := range want {
		if got[col] != w {
			t.Errorf("%s = %q, want %q", col, got[col], w)
		}
	}
	for cell, want := range map[string]excelize.CellType{"J2": excelize.CellTypeUnset, "L2": excelize.CellTypeUnset, "G2": excelize.CellTypeInlineString} {
		typ, err := f.GetCellType(sheet, cell)
		if err != nil || typ != want {
			t.Errorf("%s has type %v (%v), want %v", cell, typ, err, want)
		}
	}
	raw, err := f.GetCellValue(sheet, "J2", excelize.Options{RawCellValue: true})
	if err != nil || !strings.HasPrefix(raw, "46082.375") { // Excel's serial day of 2026-03-01 09:00
		t.Errorf("status time J2 holds %q, want a date serial 46082.375…", raw)
	}
}

// TestXLSXSizeIsNotWrong: streaming readers (openpyxl's read-only mode)
// trust the sheet's declared size, so it must be absent or cover the rows.
func TestXLSXSizeIsNotWrong(t *testing.T) {
	d := avisera.Delivery{ID: "d1", Channel: avisera.ChannelEmail, Address: "asa@example.se", Status: avisera.StatusSent}
	var buf bytes.Buffer
	err := WriteXLSX(&buf, Options{Lang: "sv", Loc: time.UTC}, func(fn func(avisera.Delivery) error) error {
		for range 3 {
			if err := fn(d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	sheet, err := zr.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer sheet.Close()
	xml, err := io.ReadAll(sheet)
	if err != nil {
		t.Fatal(err)
	}
	last, _ := excelize.CoordinatesToCellName(len(headings("sv")), 4)
	if m := regexp.MustCompile(`<dimension ref="([^"]*)"`).FindSubmatch(xml); m != nil && string(m[1]) != "A1:"+last {
		t.Errorf("the sheet declares its size %s, want none or A1:%s", m[1], last)
	}
}

// With Label the report words statuses, channels and triggers for people;
// without, it keeps the API's codes.
func TestLabels(t *testing.T) {
	d := avisera.Delivery{ID: "d1", Channel: avisera.ChannelEmail, EventType: "order", Trigger: "completed",
		Status: avisera.StatusSent, StatusAt: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)}
	each := func(fn func(avisera.Delivery) error) error { return fn(d) }
	label := func(kind, value string) string { return "<" + kind + ":" + value + ">" }
	for name, tt := range map[string]struct {
		opt  Options
		want []string
	}{
		"codes":  {Options{Lang: "en", Loc: time.UTC}, []string{"order.completed", "email", "sent"}},
		"labels": {Options{Lang: "en", Loc: time.UTC, Label: label}, []string{"<trigger:order.completed>", "<channel:email>", "<status:sent>"}},
	} {
		var buf bytes.Buffer
		if err := WriteCSV(&buf, tt.opt, each); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if got := []string{rows[1][4], rows[1][5], rows[1][8]}; !slices.Equal(got, tt.want) {
			t.Errorf("%s: trigger, channel, status = %q, want %q", name, got, tt.want)
		}
	}
}
