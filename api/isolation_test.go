package api

import (
	"net/http"
	"strings"
	"testing"
)

// TestTenantIsolation walks every route of the API as tenant B with the ids
// of tenant A's objects: each answers 404 or, for lists and creations,
// succeeds without showing any of A's data.
func TestTenantIsolation(t *testing.T) {
	t.Parallel()
	a, b := newServer(t)
	const secret = "SECRETA"
	a.must(201, "PUT", "/api/v1/org-units/ou-a", `{"name":"OU `+secret+`"}`, nil)
	a.must(201, "PUT", "/api/v1/customers/cust-a", `{"name":"Customer `+secret+`","org_unit_id":"ou-a"}`, nil)
	a.must(201, "PUT", "/api/v1/contracts/contract-a", `{"name":"Contract `+secret+`","customer_id":"cust-a"}`, nil)
	a.must(201, "PUT", "/api/v1/places/place-a", `{"name":"Place `+secret+`","customer_id":"cust-a"}`, nil)
	a.must(201, "PUT", "/api/v1/users/user-a", `{"name":"User `+secret+`","role":"performer","notification_recipient":true,"emails":["user.a@example.se"]}`, nil)
	a.must(200, "PUT", "/api/v1/users/user-a/device", `{"phone":"0701111111"}`, nil)
	var c1, c2 struct{ ID string }
	a.must(201, "POST", "/api/v1/contacts", `{"name":"Anna `+secret+`","emails":["anna@example.se"]}`, &c1)
	a.must(201, "POST", "/api/v1/contacts", `{"name":"Bo `+secret+`","phones":["0702222222"]}`, &c2)
	for _, obj := range []string{"customers/cust-a", "contracts/contract-a", "org-units/ou-a", "places/place-a", "users/user-a"} {
		a.must(200, "PUT", "/api/v1/"+obj+"/contacts/"+c1.ID, `{"roles":["notification_recipient"]}`, nil)
	}
	var keys struct{ Items []struct{ ID string } }
	a.must(200, "GET", "/api/v1/api-keys", "", &keys)
	var msg, link struct{ ID string }
	a.must(201, "POST", "/api/v1/messages", `{"event_type":"order","name":"Order `+secret+`","subject":"Klar `+secret+`"}`, &msg)
	a.must(201, "POST", "/api/v1/links", `{"message_id":"`+msg.ID+`","trigger":"completed","target":{"type":"customer","id":"cust-a"},"channels":["email"],"dynamic":["customer_contacts"]}`, &link)
	var file struct{ ID string }
	code, resp := a.upload("Report "+secret+".pdf", []byte("%PDF-1.7 "+secret))
	if code != http.StatusCreated {
		t.Fatalf("upload = %d %s", code, resp)
	}
	decodeJSON(t, resp, &file)
	a.must(202, "POST", "/api/v1/events", `{"id":"event-a","type":"order.completed","occurred_at":"2026-03-02T09:00:00Z","subject":{"type":"order","id":"o1"},"refs":{"customer":"cust-a"},"data":{"note":"`+secret+`"}}`, nil)
	var deliveries struct{ Items []struct{ ID string } }
	a.must(200, "GET", "/api/v1/deliveries?event_id=event-a", "", &deliveries)
	if len(deliveries.Items) == 0 {
		t.Fatal("A's event made no delivery")
	}
	a.must(201, "PUT", "/api/v1/plans/order/plan-a", `{"starts_at":"2026-03-02T09:00:00Z","data":{"note":"`+secret+`"}}`, nil)

	// Every route with an id gets one of A's: a route left without would
	// answer 404 as an unknown route whatever it does.
	ids := map[string]string{"org-units": "ou-a", "customers": "cust-a", "contracts": "contract-a",
		"places": "place-a", "users": "user-a", "contacts": c1.ID, "api-keys": keys.Items[0].ID,
		"messages": msg.ID, "links": link.ID, "event-types": "order", "objects": "order",
		"files": file.ID, "events": "event-a", "deliveries": deliveries.Items[0].ID, "plans": "plan-a"}
	bodies := map[string]string{
		"PUT /api/v1/users/{id}/device":      `{"phone":"0703333333"}`,
		"PUT /api/v1/contacts/{id}":          `{"name":"Taken over"}`,
		"POST /api/v1/contacts/{id}/merge":   `{"from_id":"` + c2.ID + `"}`,
		"PUT /api/v1/messages/{id}":          `{"name":"Taken","subject":"x"}`,
		"POST /api/v1/messages/{id}/preview": `{}`,
		"POST /api/v1/links/{id}/preview":    `{}`,
		"PUT /api/v1/links/{id}":             `{"trigger":"completed","target":{"type":"tenant"},"channels":["email"],"dynamic":["performer"]}`,
	}
	// Routes that hold no tenant data by id answer 200; they must still
	// show nothing of A's.
	public := map[string]bool{
		"GET /api/v1/event-types/{type}":                  true,
		"GET /api/v1/objects/{type}/{id}/effective-links": true,
	}
	h := &handler{}
	checked := 0
	for _, rt := range h.routes() {
		method, path, _ := strings.Cut(rt.pattern, " ")
		if !strings.Contains(path, "{id}") && !strings.Contains(path, "{type}") {
			continue // lists and creations: checked for leaks below
		}
		segs := strings.Split(path, "/")
		if ids[segs[3]] == "" {
			t.Errorf("%s: no id of A's for %s", rt.pattern, segs[3])
		}
		url := strings.ReplaceAll(path, "{id}", ids[segs[3]])
		url = strings.ReplaceAll(url, "{contact_id}", c1.ID)
		url = strings.ReplaceAll(url, "{type}", "order")
		url = strings.ReplaceAll(url, "{version}", "1")
		if strings.HasSuffix(url, "/diff") {
			url += "?from=1&to=1"
		}
		body, ok := bodies[rt.pattern]
		if !ok {
			body = `{"roles":["main_contact"]}`
			if method == "PUT" && !strings.Contains(path, "/contacts/") {
				continue // an upsert by the host's id creates B's own object; see below
			}
		}
		checked++
		got, resp := b.do(method, url, body)
		want := http.StatusNotFound
		if public[rt.pattern] {
			want = http.StatusOK
		}
		if got != want || strings.Contains(resp, secret) {
			t.Errorf("tenant B %s %s = %d %s, want 404 without A's data", method, url, got, resp)
		}
	}
	if checked < 56 {
		t.Errorf("walked %d routes with ids, want every one (at least 56)", checked)
	}
	for _, list := range []string{"org-units", "customers", "contracts", "places", "users", "contacts", "api-keys",
		"messages", "links", "links?stale=true"} {
		got, resp := b.do("GET", "/api/v1/"+list, "")
		if got != http.StatusOK || strings.Contains(resp, secret) || strings.Contains(resp, c1.ID) {
			t.Errorf("tenant B GET %s = %d %s, want 200 without A's data", list, got, resp)
		}
	}
	// B's upsert with A's id makes B's own customer; A's stays untouched.
	b.must(201, "PUT", "/api/v1/customers/cust-a", `{"name":"B's own"}`, nil)
	var cust struct{ Name string }
	a.must(200, "GET", "/api/v1/customers/cust-a", "", &cust)
	if !strings.Contains(cust.Name, secret) {
		t.Errorf("A's customer after B's upsert = %q, want unchanged", cust.Name)
	}
	// A's contact survived B's attempts to change, merge and deactivate it.
	var after struct {
		Name   string
		Active bool
	}
	a.must(200, "GET", "/api/v1/contacts/"+c1.ID, "", &after)
	if !strings.Contains(after.Name, secret) || !after.Active {
		t.Errorf("A's contact after B's attempts = %+v, want unchanged and active", after)
	}
}
