package api

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/avisera/avisera/store/storetest"
)

// upload posts data as a multipart report and returns the status and the body.
func (c *client) upload(name string, data []byte) (int, string) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", c.url+"/api/v1/files", &body)
	req.Header.Set("Authorization", "Bearer "+c.key)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// seedRecipient makes customer k1 with Anna as a notification recipient
// and a message including files linked on it.
func (s *stack) seedRecipient() {
	s.must(201, "PUT", "/api/v1/customers/k1", `{"name":"Kontorshuset AB"}`, nil)
	var c struct{ ID string }
	s.must(201, "POST", "/api/v1/contacts", `{"name":"Anna Kund","emails":["anna@kund.se"],"phones":["0702222222"]}`, &c)
	s.must(200, "PUT", "/api/v1/customers/k1/contacts/"+c.ID, `{"roles":["notification_recipient"]}`, nil)
	var m struct{ ID string }
	s.must(201, "POST", "/api/v1/messages", `{"event_type":"room_inspection","name":"Kvalitet","subject":"Kvalitetsrapport {{ customer.name }}","email_body":"Hej {{ recipient.name }}, rapporten finns här.","include_files":true}`, &m)
	s.must(201, "POST", "/api/v1/links", `{"message_id":"`+m.ID+`","trigger":"completed","target":{"type":"customer","id":"k1"},"channels":["email"],"dynamic":["customer_contacts"]}`, nil)
}

var linkPattern = regexp.MustCompile(`https?://[^\s)"<]+/d/[A-Za-z0-9_.-]+`)

func TestReportDownloadLinks(t *testing.T) {
	t.Parallel()
	for name, open := range storetest.Databases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newStack(t, open)
			s.seedRecipient()
			report := bytes.Repeat([]byte("%PDF-1.7 kvalitetsrapport åäö\n"), 4000)
			code, body := s.upload("Rapport vecka 9.pdf", report)
			if code != 201 {
				t.Fatalf("upload = %d %s", code, body)
			}
			var f struct {
				ID          string
				Size        int64
				SHA256      string
				ContentType string `json:"content_type"`
			}
			decodeJSON(t, body, &f)
			if f.Size != int64(len(report)) || len(f.SHA256) != 64 || f.ContentType != "application/pdf" {
				t.Errorf("uploaded = %+v", f)
			}
			got, body := s.do("POST", "/api/v1/events", `{"id":"e-missing","type":"room_inspection.completed","occurred_at":"2026-03-02T09:00:00Z","subject":{"type":"room_inspection","id":"i1"},"refs":{"customer":"k1"},"files":["nope"]}`)
			if e := errorOf(t, body); got != 422 || e.Field != "files[0]" {
				t.Errorf("event with an unknown file = %d %s, want 422 files[0]", got, body)
			}
			got, body = s.do("POST", "/api/v1/events", `{"id":"e-empty","type":"room_inspection.completed","occurred_at":"2026-03-02T09:00:00Z","subject":{"type":"room_inspection","id":"i1"},"refs":{"customer":"k1"},"files":["`+f.ID+`",""]}`)
			if e := errorOf(t, body); got != 422 || e.Field != "files[1]" || !strings.Contains(e.Message, "required") {
				t.Errorf("event with an empty file id = %d %s, want 422 files[1] is required", got, body)
			}
			s.must(202, "POST", "/api/v1/events", `{"id":"e1","type":"room_inspection.completed","occurred_at":"2026-03-02T09:00:00Z","subject":{"type":"room_inspection","id":"i1"},"refs":{"customer":"k1"},"files":["`+f.ID+`"]}`, nil)
			ds := s.settled("e1")
			if !s.sink.WaitFor(1, 5*time.Second) {
				t.Fatalf("no mail arrived; deliveries %+v", ds)
			}
			mail := string(s.sink.Messages()[0].Data)
			link := linkPattern.FindString(strings.ReplaceAll(strings.ReplaceAll(mail, "=\r\n", ""), "=3D", "="))
			if link == "" {
				t.Fatalf("no download link in the mail:\n%s", mail)
			}
			// A HEAD request (a link checker) is answered, not recorded.
			res, err := http.Head(link)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			var d deliveryJSON
			s.must(200, "GET", "/api/v1/deliveries/"+ds[0].ID, "", &d)
			if res.StatusCode != 200 || d.Status != "sent" {
				t.Errorf("HEAD = %d, delivery %s; want 200 and still sent", res.StatusCode, d.Status)
			}
			// The link works at once and returns the exact bytes.
			res, err = http.Get(link)
			if err != nil {
				t.Fatal(err)
			}
			got2, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 200 || !bytes.Equal(got2, report) || !strings.Contains(res.Header.Get("Content-Disposition"), "Rapport vecka 9.pdf") {
				t.Errorf("download = %d, %d bytes, %q; want the exact %d bytes with the name", res.StatusCode, len(got2), res.Header.Get("Content-Disposition"), len(report))
			}
			// Range requests work.
			req, _ := http.NewRequest("GET", link, nil)
			req.Header.Set("Range", "bytes=100-199")
			res, err = http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			part, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 206 || !bytes.Equal(part, report[100:200]) {
				t.Errorf("range = %d %d bytes, want 206 and bytes 100-199", res.StatusCode, len(part))
			}
			// One character changed: 404.
			i := strings.LastIndex(link, "/d/") + 10
			forged := link[:i] + flip(link[i]) + link[i+1:]
			if res, _ := http.Get(forged); res.StatusCode != 404 {
				t.Errorf("forged link = %d, want 404", res.StatusCode)
			}
			// The download shows in the follow-up report.
			s.must(200, "GET", "/api/v1/deliveries/"+ds[0].ID, "", &d)
			if d.Status != "downloaded" {
				t.Errorf("delivery after download = %s, want downloaded", d.Status)
			}
			// After 31 days: 410 with a friendly page.
			s.clock.Add(31 * 24 * time.Hour)
			res, _ = http.Get(link)
			page, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 410 || !strings.Contains(string(page), "gått ut") {
				t.Errorf("expired link = %d %s, want 410 with a page", res.StatusCode, page)
			}
		})
	}
}

func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

func TestUploadLimits(t *testing.T) {
	t.Parallel()
	s := newStack(t, storetest.OpenSQLite)
	if code, body := s.upload("empty.pdf", nil); code != 422 {
		t.Errorf("empty upload = %d %s, want 422", code, body)
	}
	got, body := s.do("POST", "/api/v1/files", "not multipart")
	if e := errorOf(t, body); got != 400 || e.Field != "file" {
		t.Errorf("non-multipart = %d %s, want 400 naming file", got, body)
	}
}

func decodeJSON(t *testing.T, body string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
}
