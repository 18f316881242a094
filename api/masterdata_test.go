package api

import (
	"net/http"
	"strings"
	"testing"
)

func TestValidationErrors(t *testing.T) {
	t.Parallel()
	a, _ := newServer(t)
	a.must(201, "PUT", "/api/v1/org-units/root", `{"name":"Root"}`, nil)
	a.must(201, "PUT", "/api/v1/org-units/child", `{"name":"Child","parent_id":"root"}`, nil)
	a.must(201, "PUT", "/api/v1/customers/k1", `{"name":"Kund"}`, nil)
	tests := []struct {
		name, method, path, body string
		status                   int
		code, field              string
	}{
		{"unknown field", "PUT", "/api/v1/customers/x", `{"name":"X","nmae":"typo"}`, 400, "bad_request", "nmae"},
		{"unknown nested field", "POST", "/api/v1/events", `{"id":"e","refs":{"customer":"k1","planet":"x"}}`, 400, "bad_request", "refs.planet"},
		{"unknown field in a list", "POST", "/api/v1/links", `{"target":{"type":"tenant"},"static":[{"user_id":"u"},{"user_id":"u2","bogus":1}]}`, 400, "bad_request", "static[1].bogus"},
		{"repeated member", "POST", "/api/v1/events", `{"id":"e1","id":"e2","type":"order.completed"}`, 400, "bad_request", "id"},
		{"member repeated in other case", "POST", "/api/v1/events", `{"id":"e1","ID":"e2","type":"order.completed"}`, 400, "bad_request", "ID"},
		{"repeated nested member", "POST", "/api/v1/links", `{"target":{"type":"tenant"},"static":[{"user_id":"u"},{"user_id":"u2","user_id":"u3"}]}`, 400, "bad_request", "static[1].user_id"},
		{"not UTF-8", "PUT", "/api/v1/customers/x", "{\"name\":\"a\xffb\"}", 400, "bad_request", ""},
		{"wrong type", "PUT", "/api/v1/customers/x", `{"name":42}`, 400, "bad_request", "name"},
		{"malformed", "PUT", "/api/v1/customers/x", `{"name":`, 400, "bad_request", ""},
		{"empty body", "PUT", "/api/v1/customers/x", ``, 400, "bad_request", ""},
		{"missing name", "PUT", "/api/v1/customers/x", `{"number":"1"}`, 422, "invalid", "name"},
		{"missing org unit", "PUT", "/api/v1/customers/x", `{"name":"X","org_unit_id":"nope"}`, 422, "invalid", "org_unit_id"},
		{"missing parent", "PUT", "/api/v1/org-units/x", `{"name":"X","parent_id":"nope"}`, 422, "invalid", "parent_id"},
		{"cycle", "PUT", "/api/v1/org-units/root", `{"name":"Root","parent_id":"child"}`, 422, "invalid", "parent_id"},
		{"own parent", "PUT", "/api/v1/org-units/root", `{"name":"Root","parent_id":"root"}`, 422, "invalid", "parent_id"},
		{"bad time zone", "PUT", "/api/v1/org-units/x", `{"name":"X","time_zone":"Mars/Olympus"}`, 422, "invalid", "time_zone"},
		{"bad language", "PUT", "/api/v1/org-units/x", `{"name":"X","language":"de"}`, 422, "invalid", "language"},
		{"contract without customer", "PUT", "/api/v1/contracts/x", `{"name":"X"}`, 422, "invalid", "customer_id"},
		{"contract of missing customer", "PUT", "/api/v1/contracts/x", `{"name":"X","customer_id":"nope"}`, 422, "invalid", "customer_id"},
		{"bad time", "PUT", "/api/v1/contracts/x", `{"name":"X","customer_id":"k1","valid_from":"yesterday"}`, 422, "invalid", "valid_from"},
		{"period backwards", "PUT", "/api/v1/contracts/x", `{"name":"X","customer_id":"k1","valid_from":"2026-02-01T00:00:00Z","valid_to":"2026-01-01T00:00:00Z"}`, 422, "invalid", "valid_to"},
		{"user without flag", "PUT", "/api/v1/users/u", `{"name":"U","role":"r"}`, 422, "invalid", "notification_recipient"},
		{"user bad email", "PUT", "/api/v1/users/u", `{"name":"U","role":"r","notification_recipient":true,"emails":["ok@example.se","nope"]}`, 422, "invalid", "emails[1]"},
		{"user bad org unit", "PUT", "/api/v1/users/u", `{"name":"U","role":"r","notification_recipient":true,"org_unit_ids":["root","zz"]}`, 422, "invalid", "org_unit_ids[1]"},
		{"device bad phone", "PUT", "/api/v1/users/u/device", `{"phone":"12"}`, 422, "invalid", "phone"},
		{"device without phone", "PUT", "/api/v1/users/u/device", `{}`, 422, "invalid", "phone"},
		{"unknown region", "PUT", "/api/v1/tenant", `{"name":"X","region":"XX"}`, 422, "invalid", "region"},
		{"lowercase region", "PUT", "/api/v1/tenant", `{"name":"X","region":"se"}`, 422, "invalid", "region"},
		{"tenant without name", "PUT", "/api/v1/tenant", `{"region":"NO"}`, 422, "invalid", "name"},
		{"unknown link event type", "GET", "/api/v1/links?event_type=planet", ``, 422, "invalid", "event_type"},
		{"unknown link trigger", "GET", "/api/v1/links?trigger=bogus", ``, 422, "invalid", "trigger"},
		{"delivery filter without _id", "GET", "/api/v1/deliveries?customer=k1", ``, 400, "bad_request", "customer"},
		{"misspelt delivery filter", "GET", "/api/v1/deliveries?costumer_id=k1", ``, 400, "bad_request", "costumer_id"},
		{"delivery filter in capitals", "GET", "/api/v1/deliveries?Status=sent", ``, 400, "bad_request", "Status"},
		{"export filter without event_", "GET", "/api/v1/deliveries/export?format=csv&type=order", ``, 400, "bad_request", "type"},
		{"dotted event type against trigger", "GET", "/api/v1/deliveries?event_type=order.completed&trigger=started", ``, 422, "invalid", "trigger"},
		{"dotted trigger against event type", "GET", "/api/v1/deliveries?event_type=work_shift&trigger=order.completed", ``, 422, "invalid", "trigger"},
		{"a search of too many words", "GET", "/api/v1/deliveries?q=" + strings.Repeat("a+", 40), ``, 422, "invalid", "q"},
		{"time with a raw plus", "GET", "/api/v1/deliveries?from=2026-12-02T09:00:00+01:00", ``, 422, "invalid", "from"},
		{"mailbox cursor", "GET", "/api/v1/dev/mailbox?cursor=zzz", ``, 422, "invalid", "cursor"},
		{"mailbox cursor in braces", "GET", "/api/v1/dev/mailbox?cursor=%7B01a2360b-5559-73ed-a57d-28aec56e8c02%7D", ``, 422, "invalid", "cursor"},
		{"unknown route", "GET", "/api/v1/nothing", ``, 404, "not_found", ""},
		{"wrong method", "POST", "/api/v1/customers/k1", `{}`, 405, "method_not_allowed", ""},
		{"unknown object", "GET", "/api/v1/customers/nope", ``, 404, "not_found", ""},
		{"bad limit", "GET", "/api/v1/customers?limit=x", ``, 422, "invalid", "limit"},
		{"roles missing", "PUT", "/api/v1/customers/k1/contacts/c", `{}`, 422, "invalid", "roles"},
		{"roles null", "PUT", "/api/v1/customers/k1/contacts/c", `{"roles":null}`, 422, "invalid", "roles"},
		{"foreign delivery cursor", "GET", "/api/v1/deliveries?cursor=garbage", ``, 422, "invalid", "cursor"},
		{"foreign plan cursor", "GET", "/api/v1/plans?cursor=garbage", ``, 422, "invalid", "cursor"},
		{"unknown event type filter", "GET", "/api/v1/deliveries?event_type=nope", ``, 422, "invalid", "event_type"},
		{"trigger of another type", "GET", "/api/v1/deliveries?event_type=order&trigger=weekly", ``, 422, "invalid", "trigger"},
		{"unknown trigger filter", "GET", "/api/v1/deliveries?trigger=bogus", ``, 422, "invalid", "trigger"},
		{"foreign contact cursor", "GET", "/api/v1/contacts?cursor=garbage", ``, 422, "invalid", "cursor"},
		{"array body", "PUT", "/api/v1/customers/x", `[]`, 400, "bad_request", ""},
		{"null body", "POST", "/api/v1/events", `null`, 400, "bad_request", ""},
		{"event data not an object", "POST", "/api/v1/events", `{"id":"e1","type":"order.completed","subject":{"type":"order","id":"o"},"occurred_at":"2026-03-02T09:00:00Z","data":[1]}`, 400, "bad_request", "data"},
		{"event subject of another type", "POST", "/api/v1/events", `{"id":"e1","type":"order.completed","subject":{"type":"work_shift","id":"o"},"occurred_at":"2026-03-02T09:00:00Z"}`, 422, "invalid", "subject.type"},
		{"list for a name", "PUT", "/api/v1/customers/x", `{"name":["X"]}`, 400, "bad_request", "name"},
		{"bad offset", "POST", "/api/v1/links", `{"offset":"soon","target":{"type":"tenant"}}`, 422, "invalid", "offset"},
		{"offset as a number", "POST", "/api/v1/links", `{"offset":30,"target":{"type":"tenant"}}`, 400, "bad_request", "offset"},
		{"too large", "PUT", "/api/v1/customers/x", `{"name":"` + strings.Repeat("x", 2<<20) + `"}`, 413, "too_large", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, body := a.do(tt.method, tt.path, tt.body)
			e := errorOf(t, body)
			if got != tt.status || e.Code != tt.code || e.Field != tt.field || e.Message == "" {
				t.Errorf("%s %s = %d %s, want %d code %s field %q", tt.method, tt.path, got, body, tt.status, tt.code, tt.field)
			}
			// The message alone names the field, and speaks JSON, not Go.
			if !strings.Contains(e.Message, tt.field) || strings.ContainsAny(e.Message, "{}") ||
				strings.Contains(e.Message, "api.") {
				t.Errorf("%s %s: message %q should name %q in JSON terms", tt.method, tt.path, e.Message, tt.field)
			}
		})
	}
	req, _ := http.NewRequest("DELETE", a.url+"/api/v1/customers/k1", nil)
	req.Header.Set("Authorization", "Bearer "+a.key)
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 405 || res.Header.Get("Allow") != "GET, PUT" {
		t.Errorf("DELETE a customer = %v %v, want 405 with Allow: GET, PUT", res, err)
	} else {
		res.Body.Close()
	}
	// Nothing half-written: the refused customer does not exist.
	if got, _ := a.do("GET", "/api/v1/customers/x", ""); got != http.StatusNotFound {
		t.Errorf("refused customer exists: GET = %d, want 404", got)
	}
}

func TestMasterDataUpsertAndList(t *testing.T) {
	t.Parallel()
	a, _ := newServer(t)
	a.must(201, "PUT", "/api/v1/org-units/root", `{"name":"Städbolaget","time_zone":"Europe/Stockholm","language":"sv"}`, nil)
	a.must(200, "PUT", "/api/v1/org-units/root", `{"name":"Städbolaget AB"}`, nil)
	for _, id := range []string{"k1", "k2", "k3"} {
		a.must(201, "PUT", "/api/v1/customers/"+id, `{"name":"Kund `+id+`","number":"N-`+id+`","org_unit_id":"root"}`, nil)
	}
	var page struct {
		Items      []struct{ ID string }
		NextCursor string `json:"next_cursor"`
	}
	a.must(200, "GET", "/api/v1/customers?limit=2", "", &page)
	if len(page.Items) != 2 || page.NextCursor != "k2" {
		t.Fatalf("first page = %+v, want 2 items and cursor k2", page)
	}
	cursor := page.NextCursor
	page.NextCursor = ""
	a.must(200, "GET", "/api/v1/customers?limit=2&cursor="+cursor, "", &page)
	if len(page.Items) != 1 || page.Items[0].ID != "k3" || page.NextCursor != "" {
		t.Errorf("second page = %+v, want [k3] and no cursor", page)
	}
	page.Items = nil
	a.must(200, "GET", "/api/v1/customers?limit=99999999999999999999", "", &page) // clamped to 500 like 501
	if len(page.Items) != 3 || page.NextCursor != "" {
		t.Errorf("a limit past any integer = %+v, want all 3 and no cursor", page)
	}
	a.must(200, "GET", "/api/v1/customers?q=n-k2", "", &page)
	if len(page.Items) != 1 || page.Items[0].ID != "k2" {
		t.Errorf("filter n-k2 = %+v, want [k2]", page)
	}
	var ou struct {
		Name     string
		TimeZone string `json:"time_zone"`
	}
	a.must(200, "GET", "/api/v1/org-units/root", "", &ou)
	if ou.Name != "Städbolaget AB" || ou.TimeZone != "" {
		t.Errorf("org unit after update = %+v", ou)
	}
}
