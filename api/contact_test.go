package api

import (
	"net/url"
	"slices"
	"strings"
	"testing"
)

type contactJSON struct {
	ID     string
	Name   string
	Emails []string
	Phones []struct {
		Number string
		Mobile bool
	}
	Active bool
	Links  []linkJSON
}

type linkJSON struct {
	ObjectType string `json:"object_type"`
	ObjectID   string `json:"object_id"`
	ContactID  string `json:"contact_id"`
	Roles      []string
	Contact    *contactJSON
}

func TestContactBook(t *testing.T) {
	t.Parallel()
	a, _ := newServer(t)
	var asa, bo contactJSON
	a.must(201, "POST", "/api/v1/contacts", `{"name":"Åsa Lindqvist","emails":["Asa.Lindqvist@Example.se"],"phones":["070-123 45 67","08-123 456 78"]}`, &asa)
	if asa.Emails[0] != "asa.lindqvist@example.se" || asa.Phones[0].Number != "+46701234567" || !asa.Phones[0].Mobile || asa.Phones[1].Mobile {
		t.Errorf("normalised contact = %+v; want lower-case email, +46701234567 mobile, landline not mobile", asa)
	}
	a.must(201, "POST", "/api/v1/contacts", `{"name":"Bo Ek","emails":["bo@example.se"]}`, &bo)

	got, body := a.do("POST", "/api/v1/contacts", `{"name":"Dup","phones":["+46 70 123 45 67"]}`)
	if e := errorOf(t, body); got != 409 || e.ConflictID != asa.ID || e.Field != "phones[0]" {
		t.Errorf("clash = %d %s, want 409 naming %s and phones[0]", got, body, asa.ID)
	}
	got, body = a.do("POST", "/api/v1/contacts", `{"name":"Bad","phones":["070-12"]}`)
	if e := errorOf(t, body); got != 422 || e.Field != "phones[0]" {
		t.Errorf("invalid phone = %d %s, want 422 phones[0]", got, body)
	}
	got, body = a.do("POST", "/api/v1/contacts", `{"name":"Bad","emails":["not-an-email"]}`)
	if e := errorOf(t, body); got != 422 || e.Field != "emails[0]" {
		t.Errorf("invalid email = %d %s, want 422 emails[0]", got, body)
	}

	for _, q := range []string{"asa", "ÅSA", "lindq", "asa lind", "0701234567", "+46 70 123 45 67", "+46 (0)70-123 45 67", "70 123 45 67", "701234567", "070-123", "lindqvist@ex", "example.se"} {
		var res struct{ Items []contactJSON }
		a.must(200, "GET", "/api/v1/contacts?q="+url.QueryEscape(q), "", &res)
		if !slices.ContainsFunc(res.Items, func(c contactJSON) bool { return c.ID == asa.ID }) {
			t.Errorf("search %q = %+v, want Åsa", q, res.Items)
		}
	}
	var none struct{ Items []contactJSON }
	a.must(200, "GET", "/api/v1/contacts?q=zebra", "", &none)
	if len(none.Items) != 0 {
		t.Errorf("search zebra = %+v, want nothing", none.Items)
	}

	a.must(201, "PUT", "/api/v1/customers/k1", `{"name":"Kund"}`, nil)
	var l linkJSON
	a.must(200, "PUT", "/api/v1/customers/k1/contacts/"+bo.ID, `{"roles":["notification_recipient"]}`, &l)
	if !slices.Equal(l.Roles, []string{"notification_recipient", "main_contact"}) {
		t.Errorf("first link roles = %v, want notification_recipient + main_contact", l.Roles)
	}
	a.must(200, "PUT", "/api/v1/customers/k1/contacts/"+asa.ID, `{"roles":["survey_recipient"]}`, &l)
	if !slices.Equal(l.Roles, []string{"survey_recipient"}) {
		t.Errorf("second link roles = %v, want survey_recipient only", l.Roles)
	}
	got, body = a.do("PUT", "/api/v1/customers/k1/contacts/"+asa.ID, `{"roles":["boss"]}`)
	if e := errorOf(t, body); got != 422 || e.Field != "roles[0]" {
		t.Errorf("bad role = %d %s, want 422 roles[0]", got, body)
	}
	var cust struct {
		MainContacts []contactJSON `json:"main_contacts"`
	}
	a.must(200, "GET", "/api/v1/customers/k1", "", &cust)
	if len(cust.MainContacts) != 1 || cust.MainContacts[0].ID != bo.ID {
		t.Errorf("main contacts = %+v, want Bo", cust.MainContacts)
	}

	// Merging Åsa into Bo keeps Åsa's addresses and unites the roles on k1.
	var merged contactJSON
	a.must(200, "POST", "/api/v1/contacts/"+bo.ID+"/merge", `{"from_id":"`+asa.ID+`"}`, &merged)
	if merged.Name != "Bo Ek" || len(merged.Emails) != 2 || len(merged.Phones) != 2 {
		t.Errorf("merged = %+v, want Bo with 2 emails and 2 phones", merged)
	}
	var links struct{ Items []linkJSON }
	a.must(200, "GET", "/api/v1/customers/k1/contacts", "", &links)
	if len(links.Items) != 1 || !slices.Contains(links.Items[0].Roles, "survey_recipient") || !slices.Contains(links.Items[0].Roles, "main_contact") {
		t.Errorf("links after merge = %+v, want one link to Bo with united roles", links.Items)
	}
	if got, _ := a.do("GET", "/api/v1/contacts/"+asa.ID, ""); got != 404 {
		t.Errorf("merged-away contact GET = %d, want 404", got)
	}
	var found struct{ Items []contactJSON }
	a.must(200, "GET", "/api/v1/contacts?q=0701234567", "", &found)
	if len(found.Items) != 1 || found.Items[0].ID != bo.ID {
		t.Errorf("search by Åsa's old number = %+v, want Bo", found.Items)
	}

	var deact contactJSON
	a.must(200, "POST", "/api/v1/contacts/"+bo.ID+"/deactivate", "", &deact)
	if deact.Active {
		t.Error("deactivated contact is active")
	}
	a.must(204, "DELETE", "/api/v1/customers/k1/contacts/"+bo.ID, "", nil)
	a.must(404, "DELETE", "/api/v1/customers/k1/contacts/"+bo.ID, "", nil)
}

func TestUserOwnContactAndDevice(t *testing.T) {
	t.Parallel()
	a, _ := newServer(t)
	var u struct {
		ContactID string `json:"contact_id"`
		Emails    []string
		Phones    []string
		Device    *struct{ Phone string }
	}
	a.must(201, "PUT", "/api/v1/users/u1", `{"name":"Olle Städare","role":"performer","notification_recipient":true,"emails":["olle@example.se"],"phones":["0702222222"]}`, &u)
	if u.ContactID == "" || !slices.Equal(u.Phones, []string{"+46702222222"}) {
		t.Fatalf("user = %+v, want an own contact with +46702222222", u)
	}
	var links struct{ Items []linkJSON }
	a.must(200, "GET", "/api/v1/users/u1/contacts", "", &links)
	if len(links.Items) != 1 || links.Items[0].ContactID != u.ContactID ||
		!slices.Contains(links.Items[0].Roles, "main_contact") || !slices.Contains(links.Items[0].Roles, "notification_recipient") {
		t.Errorf("user's contacts = %+v, want the own contact as main contact and notification recipient", links.Items)
	}
	first := u.ContactID
	a.must(200, "PUT", "/api/v1/users/u1", `{"name":"Olle Städare","role":"performer","notification_recipient":true,"emails":["olle@example.se","olle2@example.se"]}`, &u)
	if u.ContactID != first || len(u.Emails) != 2 || !slices.Equal(u.Phones, []string{"+46702222222"}) {
		t.Errorf("after update = %+v, want the same contact with two emails and the phone kept", u)
	}
	// Another user cannot take Olle's address.
	got, body := a.do("PUT", "/api/v1/users/u2", `{"name":"X","role":"r","notification_recipient":false,"emails":["olle@example.se","x@example.se"],"phones":["0709999999"]}`)
	if e := errorOf(t, body); got != 409 || e.ConflictID != first {
		t.Errorf("second user with Olle's address = %d %s, want 409 naming %s", got, body, first)
	}

	a.must(200, "PUT", "/api/v1/users/u1/device", `{"phone":"070-111 11 11"}`, nil)
	a.must(200, "GET", "/api/v1/users/u1", "", &u)
	if u.Device == nil || u.Device.Phone != "+46701111111" {
		t.Errorf("device = %+v, want +46701111111", u.Device)
	}
	a.must(204, "DELETE", "/api/v1/users/u1/device", "", nil)
	u.Device = nil
	a.must(200, "GET", "/api/v1/users/u1", "", &u)
	if u.Device != nil {
		t.Errorf("device after logout = %+v, want none", u.Device)
	}
	a.must(404, "DELETE", "/api/v1/users/u1/device", "", nil)
	a.must(404, "PUT", "/api/v1/users/nobody/device", `{"phone":"0701111111"}`, nil)
	var bad struct{ Field, Message string }
	a.must(422, "PUT", "/api/v1/users/u1/device", `{"phone":"08-123 456 78"}`, &bad)
	if bad.Field != "phone" || !strings.Contains(bad.Message, "not a mobile number") {
		t.Errorf("landline device = %+v, want refused naming phone", bad)
	}
}
