// Package report writes the follow-up report (Aviseringsuppföljning) as CSV
// or as an Excel workbook, streaming rows so that large periods do not fill
// memory: the seed's columns — sent time, organisation, subject, business
// object, trigger, channel, recipient, address, status, status time — plus
// event time, message version and how the recipient was reached.
package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/avisera/avisera"
)

// Columns are the report's headings in Swedish and English.
var Columns = map[string][]string{
	"sv": {"Skickad", "Organisation", "Ämne", "Affärsobjekt", "Regel", "Kanal", "Mottagare", "Adress", "Status",
		"Statustid", "Händelsetid", "Meddelandeversion", "Nådd via", "Detalj", "Leverans-id"},
	"en": {"Sent", "Organisation", "Subject", "Business object", "Trigger", "Channel", "Recipient", "Address",
		"Status", "Status time", "Event time", "Message version", "Reached via", "Detail", "Delivery id"},
}

// row returns a delivery's cells, times in loc.
func row(d avisera.Delivery, loc *time.Location) []string {
	sent := ""
	if d.SentAt != nil {
		sent = d.SentAt.In(loc).Format(time.DateTime)
	}
	org := d.OrgUnitName
	if org == "" {
		org = d.OrgUnitID
	}
	subject := d.Subject
	if d.Channel == avisera.ChannelSMS && subject == "" {
		subject = d.SMS
	}
	return []string{sent, org, subject, d.Object.Type + " " + d.Object.ID, d.EventType + "." + d.Trigger, d.Channel,
		d.RecipientName, d.Address, d.Status, d.StatusAt.In(loc).Format(time.DateTime),
		d.OccurredAt.In(loc).Format(time.DateTime), strconv.Itoa(d.MessageVersion), d.ReachedVia, d.Detail, d.ID}
}

// Each feeds deliveries to a writer's row function.
type Each func(fn func(avisera.Delivery) error) error

// WriteCSV writes the report as UTF-8 CSV with a byte-order mark, which
// Excel needs to read å, ä and ö.
func WriteCSV(w io.Writer, lang string, loc *time.Location, each Each) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(headings(lang)); err != nil {
		return err
	}
	err := each(func(d avisera.Delivery) error { return cw.Write(inert(row(d, loc))) })
	cw.Flush()
	if err != nil {
		return err
	}
	return cw.Error()
}

// inert keeps a spreadsheet from running cells as formulas: a cell that
// starts with =, +, -, @, a tab or a carriage return gets a leading
// apostrophe, unless it is a plain number such as a phone number
// (+46701234567). Names, subjects and details come from hosts and
// contacts, so a "=HYPERLINK(…)" must stay text. The workbook needs no
// such care: its cells are typed strings.
func inert(cells []string) []string {
	for i, c := range cells {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) && !plainNumber(c) {
			cells[i] = "'" + c
		}
	}
	return cells
}

// plainNumber reports whether c is a sign followed by digits and spaces.
func plainNumber(c string) bool {
	digits := strings.TrimLeft(c[1:], " ")
	if c[0] != '+' && c[0] != '-' || digits == "" {
		return false
	}
	return strings.Trim(digits, "0123456789 ") == ""
}

func headings(lang string) []string {
	if h, ok := Columns[lang]; ok {
		return h
	}
	return Columns["sv"]
}

// WriteXLSX writes the report as an Excel workbook with one sheet, rows
// streamed through excelize's StreamWriter.
func WriteXLSX(w io.Writer, lang string, loc *time.Location, each Each) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Aviseringsuppföljning"
	if lang == "en" {
		sheet = "Notification follow-up"
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("report: freeze header: %w", err)
	}
	if err := sw.SetRow("A1", cells(headings(lang), bold), excelize.RowOpts{Height: 18}); err != nil {
		return err
	}
	n := 1
	err = each(func(d avisera.Delivery) error {
		n++
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, cells(row(d, loc), 0))
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

func cells(values []string, style int) []any {
	out := make([]any, len(values))
	for i, v := range values {
		if style != 0 {
			out[i] = excelize.Cell{StyleID: style, Value: v}
		} else {
			out[i] = v
		}
	}
	return out
}
