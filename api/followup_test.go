package api

import (
	"bytes"
	"encoding/csv"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/avisera/avisera/report"
	"github.com/avisera/avisera/store/storetest"
)

// TestBatchAndFollowUp posts a batch with one bad event, then reads the
// follow-up report: filters, pages, export as CSV and Excel, resend.
func TestBatchAndFollowUp(t *testing.T) {
	t.Parallel()
	s := newStack(t, storetest.OpenSQLite)
	s.seedRecipient()
	batch := `{"events":[` +
		`{"id":"b1","type":"room_inspection.completed","occurred_at":"2026-03-02T09:00:00Z","subject":{"type":"room_inspection","id":"i1"},"refs":{"customer":"k1"}},` +
		`{"id":"b2","type":"room_inspection.nope","occurred_at":"2026-03-02T09:00:00Z","subject":{"type":"room_inspection","id":"i2"}},` +
		`{"id":"b3","type":"room_inspection.completed","occurred_at":"2026-03-02T09:05:00Z","subject":{"type":"room_inspection","id":"i3"},"refs":{"customer":"k1"}},` +
		`{"id":"b4","type":"room_inspection.completed","ocurred_at":"2026-03-02T09:05:00Z","subject":{"type":"room_inspection","id":"i4"}},` +
		`{"id":"b5","type":"room_inspection.completed","occurred_at":"2026-03-02T09:05:00Z","subject":{"type":"room_inspection","id":5}},` +
		`"b6",null,` +
		`{"id":"b7","type":"room_inspection.completed","occurred_at":"2026-03-02T09:05:00Z","subject":{"type":"room_inspection","id":"i7","name":"x"}},` +
		`{"id":"b8","type":"room_inspection.completed","occurred_at":"2026-03-02T09:05:00Z","subject":{"type":"room_inspection","id":"i8"},"data":{"note":"` + strings.Repeat("x", 1<<20) + `"}},` +
		`{"id":"b9","type":"room_inspection.completed","occurred_at":"2026-03-02T09:05:00Z","subject":{"type":"room_inspection","id":"i9","id":"i10"}},` +
		`{"id":"b10","id":"b11","type":"room_inspection.completed","occurred_at":"2026-03-02T09:05:00Z","subject":{"type":"room_inspection","id":"i11"}}]}`
	var res struct {
		Accepted, Rejected int
		Items              []struct {
			EventID string `json:"event_id"`
			Status  int
			Error   *errorBody
		}
	}
	s.must(202, "POST", "/api/v1/events:batch", batch, &res)
	if res.Accepted != 2 || res.Rejected != 9 || res.Items[1].Status != 422 || res.Items[1].Error.Field != "events[1].type" {
		t.Fatalf("batch = %+v, want 2 accepted and events[1].type refused", res)
	}
	// A typo, a wrong type or a repeated member refuses only its own event, named by its id and path.
	if it := res.Items[8]; it.Status != 413 || it.Error == nil || it.Error.Field != "events[8]" || it.EventID != "b8" {
		t.Errorf("batch item 8 = %+v, want 413: an event over 1 MiB is refused in a batch as alone", it)
	}
	ids := map[int]string{3: "b4", 4: "b5", 7: "b7", 9: "b9"} // the events whose one id can be read
	for i, field := range map[int]string{3: "events[3].ocurred_at", 4: "events[4].subject.id", 5: "events[5]", 6: "events[6]",
		7: "events[7].subject.name", 9: "events[9].subject.id", 10: "events[10].id"} {
		if it := res.Items[i]; it.Status != 400 || it.Error == nil || it.Error.Field != field || it.EventID != ids[i] ||
			!strings.HasPrefix(it.Error.Message, field+": ") {
			t.Errorf("batch item %d = %+v, want 400 naming %s", i, it, field)
		}
	}
	s.settled("b1")
	s.settled("b3")

	var page struct {
		Items      []deliveryJSON
		NextCursor string `json:"next_cursor"`
	}
	s.must(200, "GET", "/api/v1/deliveries?limit=1&status=sent&channel=email&from=2026-01-01", "", &page)
	if len(page.Items) != 1 || page.NextCursor == "" {
		t.Fatalf("first page = %+v, want 1 item and a cursor", page)
	}
	first := page.Items[0].ID
	page.NextCursor, page.Items = "", nil
	s.must(200, "GET", "/api/v1/deliveries?limit=1&status=sent&cursor="+cursorOf(t, s, first), "", &page)
	if len(page.Items) != 1 || page.Items[0].ID == first || page.NextCursor != "" {
		t.Errorf("second page = %+v, cursor %q; want the other delivery and no cursor: it is the last", page.Items, page.NextCursor)
	}
	var both struct{ Items []deliveryJSON }
	s.must(200, "GET", "/api/v1/deliveries?event_type=room_inspection&trigger=completed", "", &both)
	for _, q := range []string{"trigger=room_inspection.completed", "event_type=room_inspection.completed",
		"event_type=room_inspection.completed&trigger=room_inspection.completed",
		"event_type=room_inspection.completed&trigger=completed", "event_type=room_inspection&trigger=room_inspection.completed"} {
		var dotted struct{ Items []deliveryJSON }
		s.must(200, "GET", "/api/v1/deliveries?"+q, "", &dotted)
		if len(both.Items) != 2 || len(dotted.Items) != len(both.Items) {
			t.Errorf("%s lists %d, event_type and trigger %d; want the same 2", q, len(dotted.Items), len(both.Items))
		}
	}
	// Parameters of no filter's likeness are left alone, as another API's
	// paging or a cache buster.
	var extra struct{ Items []deliveryJSON }
	if s.must(200, "GET", "/api/v1/deliveries?event_type=room_inspection&per_page=5&_=17", "", &extra); len(extra.Items) != 2 {
		t.Errorf("with extra parameters = %d deliveries, want the same 2", len(extra.Items))
	}
	s.must(200, "GET", "/api/v1/deliveries/export?format=csv&limit=5", "", nil)
	if got, body := s.do("GET", "/api/v1/deliveries?status=bogus", ""); got != 422 || errorOf(t, body).Field != "status" {
		t.Errorf("bad status filter = %d %s, want 422 naming status", got, body)
	}

	rows := exportCSV(t, s, "comma")
	if len(rows) != 3 || rows[0][0] != "Skickad" || rows[1][7] != "anna@kund.se" || rows[1][8] != "sent" {
		t.Errorf("CSV = %q, want the header and 2 sent rows to Anna", rows)
	}
	if semi := exportCSV(t, s, "semicolon"); !slices.EqualFunc(semi, rows, slices.Equal) {
		t.Errorf("CSV with semicolons = %q, want the same cells as with commas", semi)
	}
	if got, body := s.do("GET", "/api/v1/deliveries/export?format=csv&delimiter=pipe", ""); got != 422 || errorOf(t, body).Field != "delimiter" {
		t.Errorf("bad delimiter = %d %s, want 422 naming delimiter", got, body)
	}
	xrows := exportXLSX(t, s)
	if len(xrows) != 3 || xrows[0][1] != "Organisation" || xrows[2][7] != "anna@kund.se" {
		t.Errorf("Excel = %q, want the header and 2 rows", xrows)
	}

	var again deliveryJSON
	s.must(202, "POST", "/api/v1/deliveries/"+first+"/resend", "", &again)
	if again.ID == first || again.Status != "queued" {
		t.Errorf("resend = %+v, want a new queued delivery", again)
	}
	if !s.sink.WaitFor(3, 5e9) {
		t.Errorf("sink got %d mails, want 3 (2 + the resend)", s.sink.Count())
	}
}

// cursorOf asks for the page ending at id and returns its cursor.
func cursorOf(t *testing.T, s *stack, id string) string {
	var page struct {
		Items      []deliveryJSON
		NextCursor string `json:"next_cursor"`
	}
	s.must(200, "GET", "/api/v1/deliveries?limit=1&status=sent", "", &page)
	if page.Items[0].ID != id {
		t.Fatalf("first page changed: %s, want %s", page.Items[0].ID, id)
	}
	return page.NextCursor
}

func export(t *testing.T, s *stack, format string) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", s.url+"/api/v1/deliveries/export?format="+format, nil)
	req.Header.Set("Authorization", "Bearer "+s.key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), "aviseringsuppfoljning") {
		t.Fatalf("export %s = %d %s", format, res.StatusCode, res.Header)
	}
	return b
}

// exportCSV downloads the CSV with delimiter (comma, semicolon, tab).
func exportCSV(t *testing.T, s *stack, delimiter string) [][]string {
	b := bytes.TrimPrefix(export(t, s, "csv&delimiter="+delimiter), []byte("\ufeff"))
	r := csv.NewReader(bytes.NewReader(b))
	r.Comma = report.Delimiters[delimiter]
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	return rows
}

func exportXLSX(t *testing.T, s *stack) [][]string {
	f, err := excelize.OpenReader(bytes.NewReader(export(t, s, "xlsx")))
	if err != nil {
		t.Fatalf("the Excel export does not open: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestBrevoEvents maps an email provider's events onto a delivery.
func TestBrevoEvents(t *testing.T) {
	t.Parallel()
	s := newStack(t, storetest.OpenSQLite)
	s.seedRecipient()
	s.must(202, "POST", "/api/v1/events", `{"id":"e1","type":"room_inspection.completed","occurred_at":"2026-03-02T09:00:00Z","subject":{"type":"room_inspection","id":"i1"},"refs":{"customer":"k1"}}`, nil)
	d := s.settled("e1")[0]
	var urls map[string]string
	s.must(200, "GET", "/api/v1/tenant/webhook-urls", "", &urls)
	post := func(body string) int {
		res, err := http.Post(urls["brevo"], "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	for _, ev := range []string{"opened", "delivered"} {
		if code := post(`{"event":"` + ev + `","email":"anna@kund.se","message-id":"<` + d.ProviderID + `>","date":"2026-03-02 10:00:00"}`); code != 200 {
			t.Fatalf("brevo %s = %d", ev, code)
		}
	}
	if got := s.delivery(d.ID).Status; got != "opened" {
		t.Errorf("after opened then a late delivered = %s, want opened", got)
	}
	if code, _ := http.Post(strings.TrimSuffix(urls["brevo"], "x")+"x", "application/json", strings.NewReader(`{"event":"hard_bounce"}`)); code.StatusCode != 401 {
		t.Errorf("wrong secret = %d, want 401", code.StatusCode)
	}
	// The same callback with the secret as a query parameter, and with none.
	secret := urls["brevo"][strings.LastIndex(urls["brevo"], "/")+1:]
	bare := strings.TrimSuffix(urls["brevo"], "/"+secret)
	if res, err := http.Post(bare+"?secret="+secret, "application/json", strings.NewReader(`{"event":"click","message-id":"<`+d.ProviderID+`>"}`)); err != nil || res.StatusCode != 200 {
		t.Errorf("callback with ?secret= = %v %v, want 200", res.StatusCode, err)
	}
	if res, _ := http.Post(bare, "application/json", strings.NewReader(`{"event":"hard_bounce","message-id":"<`+d.ProviderID+`>"}`)); res.StatusCode != 401 {
		t.Errorf("callback without a secret = %d, want 401", res.StatusCode)
	}
	if got := s.delivery(d.ID).Status; got != "clicked" {
		t.Errorf("after a click = %s, want clicked", got)
	}
	var rotated map[string]string
	s.must(200, "POST", "/api/v1/tenant/webhook-secret", "", &rotated)
	if rotated["brevo"] == urls["brevo"] || post(`{"event":"clicked","message-id":"<`+d.ProviderID+`>"}`) != 401 {
		t.Errorf("after rotating, the old URL still works or the URL did not change: %s", rotated["brevo"])
	}
}
