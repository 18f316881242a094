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

// Options shape a report.
type Options struct {
	Lang  string         // of the headings: sv or en
	Loc   *time.Location // the zone of its times
	Comma rune           // CSV's field separator (see Delimiters); 0 means comma
	// Label, when set, words a status, channel, trigger or "reached via"
	// for people ("Skickad", "E-post", "Order – Utförd"): kind is
	// "status", "channel", "trigger" (value event_type.trigger) or
	// "reached_via". Unset, the report keeps the API's codes (sent, email,
	// order.completed) and English for programs.
	Label func(kind, value string) string
}

// label words value of kind with o.Label, or leaves it.
func (o Options) label(kind, value string) string {
	if o.Label == nil {
		return value
	}
	return o.Label(kind, value)
}

// row returns a delivery's cells: text, the times (a clock reading in
// the report's zone, the zero time for none) and the message version.
func row(d avisera.Delivery, o Options) []any {
	loc := o.Loc
	var sent time.Time
	if d.SentAt != nil {
		sent = wall(*d.SentAt, loc)
	}
	org := d.OrgUnitName
	if org == "" {
		org = d.OrgUnitID
	}
	subject := d.Subject
	if d.Channel == avisera.ChannelSMS && subject == "" {
		subject = d.SMS
	}
	return []any{sent, org, subject, d.Object.Type + " " + d.Object.ID, o.label("trigger", d.EventType+"."+d.Trigger),
		o.label("channel", d.Channel), d.RecipientName, d.Address, o.label("status", d.Status), wall(d.StatusAt, loc),
		wall(d.OccurredAt, loc), d.MessageVersion, o.label("reached_via", d.ReachedVia), d.Detail, d.ID}
}

// wall is t's clock reading in loc, as a time without a zone (UTC): a
// spreadsheet cell holds no zone, and excelize writes a time's UTC clock.
func wall(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
}

// text is a cell as CSV text: times as 2026-03-01 08:00:00, none as "".
func text(v any) string {
	switch v := v.(type) {
	case time.Time:
		if v.IsZero() {
			return ""
		}
		return v.Format(time.DateTime)
	case int:
		return strconv.Itoa(v)
	case string:
		return v
	}
	return fmt.Sprint(v)
}

// Each feeds deliveries to a writer's row function.
type Each func(fn func(avisera.Delivery) error) error

// Delimiters are the CSV field separators by name: comma is the standard's,
// semicolon what Excel expects where the decimal mark is a comma (Sweden),
// tab for pasting.
var Delimiters = map[string]rune{"comma": ',', "semicolon": ';', "tab": '\t'}

// WriteCSV writes the report as UTF-8 CSV with a byte-order mark, which
// Excel needs to read å, ä and ö, its fields separated by comma.
func WriteCSV(w io.Writer, o Options, each Each) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if o.Comma != 0 {
		cw.Comma = o.Comma
	}
	if err := cw.Write(headings(o.Lang)); err != nil {
		return err
	}
	err := each(func(d avisera.Delivery) error {
		values := row(d, o)
		record := make([]string, len(values))
		for i, v := range values {
			record[i] = text(v)
		}
		return cw.Write(inert(record))
	})
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
func WriteXLSX(w io.Writer, o Options, each Each) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Aviseringsuppföljning"
	if o.Lang == "en" {
		sheet = "Notification follow-up"
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	// The stream writer writes the sheet's size before its rows, and the
	// size is unknown until they are written: no size at all (readers then
	// read every row) rather than the template's "A1", which streaming
	// readers take literally.
	if err := f.SetSheetDimension(sheet, ""); err != nil {
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
	dateTime, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateTimeFormat})
	if err != nil {
		return err
	}
	if err := sw.SetRow("A1", header(headings(o.Lang), bold), excelize.RowOpts{Height: 18}); err != nil {
		return err
	}
	n := 1
	err = each(func(d avisera.Delivery) error {
		n++
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, typed(row(d, o), dateTime))
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// dateTimeFormat shows the report's times as the CSV writes them.
var dateTimeFormat = "yyyy-mm-dd hh:mm:ss"

func header(names []string, style int) []any {
	out := make([]any, len(names))
	for i, v := range names {
		out[i] = excelize.Cell{StyleID: style, Value: v}
	}
	return out
}

// typed makes a row's cells: times as dates a spreadsheet can sort and
// filter (none: an empty cell), the version as a number, text as inline
// strings, which a spreadsheet never runs as a formula.
func typed(values []any, dateTime int) []any {
	for i, v := range values {
		if t, ok := v.(time.Time); ok {
			if t.IsZero() {
				values[i] = nil
			} else {
				values[i] = excelize.Cell{StyleID: dateTime, Value: t}
			}
		}
	}
	return values
}
