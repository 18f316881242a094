package api

import (
	"strings"
	"testing"

	"github.com/avisera/avisera/store/storetest"
)

type previewJSON struct {
	Subject, HTML, Text, SMS string
	Version                  int
	SMSSegments              int `json:"sms_segments"`
	SMSInfo                  struct {
		Characters int
		Encoding   string
		Segments   int
	} `json:"sms_info"`
}

type linkResultJSON struct {
	ID             string
	MessageVersion int `json:"message_version"`
	Stale          bool
	Warnings       []struct{ Field, Message string }
}

// TestMessagesAndLinks walks issue 3's checks on every database.
func TestMessagesAndLinks(t *testing.T) {
	t.Parallel()
	for name, open := range storetest.Databases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			a, _ := newServerOn(t, open)
			testMessagesAndLinks(t, a)
		})
	}
}

func testMessagesAndLinks(t *testing.T, a *client) {
	got, body := a.do("POST", "/api/v1/messages", `{"event_type":"order","name":"Order klar","subject":"{{ customer.name }}","email_body":"Hej!\n\n{{ order.nope }}"}`)
	if e := errorOf(t, body); got != 422 || e.Field != "email_body" || !strings.Contains(e.Message, "order.nope") || !strings.Contains(e.Message, "line 3") {
		t.Errorf("unknown variable = %d %s, want 422 naming email_body, order.nope and line 3", got, body)
	}
	var msg struct {
		ID            string
		LatestVersion int `json:"latest_version"`
	}
	a.must(201, "POST", "/api/v1/messages", `{"event_type":"order","name":"Order klar","subject":"Klart hos {{ customer.name }}","email_body":"Hej {{ recipient.name }}!\n\nOrdern **{{ order.number }}** är klar.","sms_body":"Order {{ order.number }} hos {{ customer.name }} är klar."}`, &msg)

	var p previewJSON
	a.must(200, "POST", "/api/v1/messages/"+msg.ID+"/preview", `{"data":{"customer":{"name":"<script>alert(1)</script> AB"}}}`, &p)
	if strings.Contains(p.HTML, "<script>alert") || !strings.Contains(p.HTML, "&lt;script&gt;") {
		t.Errorf("HTML preview does not escape the name: %s", p.HTML)
	}
	if !strings.Contains(p.SMS, "<script>alert(1)</script> AB") || !strings.Contains(p.Text, "Ordern 2026") || p.SMSSegments != 1 || p.SMSInfo.Encoding != "GSM-7" {
		t.Errorf("preview text/sms = %q %q segments %d %s", p.Text, p.SMS, p.SMSSegments, p.SMSInfo.Encoding)
	}

	a.must(201, "PUT", "/api/v1/org-units/root", `{"name":"Städbolaget"}`, nil)
	a.must(201, "PUT", "/api/v1/org-units/syd", `{"name":"Syd","parent_id":"root"}`, nil)
	a.must(201, "PUT", "/api/v1/customers/k1", `{"name":"Kund","org_unit_id":"syd"}`, nil)
	a.must(201, "PUT", "/api/v1/contracts/c1", `{"name":"Avtal","customer_id":"k1"}`, nil)
	a.must(201, "PUT", "/api/v1/users/boss", `{"name":"Chef","role":"manager","notification_recipient":true,"emails":["chef@example.se"]}`, nil)
	a.must(201, "PUT", "/api/v1/users/worker", `{"name":"Arbetare","role":"cleaner","notification_recipient":false,"emails":["arb@example.se"]}`, nil)

	var link linkResultJSON
	a.must(201, "POST", "/api/v1/links", `{"message_id":"`+msg.ID+`","trigger":"completed","target":{"type":"org_unit","id":"root"},"channels":["email","sms"],"static":[{"user_id":"boss","addresses":["chef@example.se"]}],"dynamic":["contract_contacts"]}`, &link)
	if link.MessageVersion != 1 || len(link.Warnings) == 0 || !strings.Contains(link.Warnings[0].Message, "no SMS") {
		t.Errorf("link = %+v, want version 1 and a warning that boss gets no SMS", link)
	}
	var onContract linkResultJSON
	a.must(201, "POST", "/api/v1/links", `{"message_id":"`+msg.ID+`","trigger":"completed","target":{"type":"contract","id":"c1"},"channels":["email"],"dynamic":["contract_contacts"]}`, &onContract)
	if len(onContract.Warnings) != 1 || !strings.Contains(onContract.Warnings[0].Message, "no contact") {
		t.Errorf("contract link warnings = %+v, want one about the contract having no recipient contact", onContract.Warnings)
	}
	var onRoot linkResultJSON
	a.must(201, "POST", "/api/v1/links", `{"message_id":"`+msg.ID+`","trigger":"completed","target":{"type":"org_unit","id":"root"},"channels":["email"],"dynamic":["org_unit_contacts"]}`, &onRoot)
	if len(onRoot.Warnings) != 1 || !strings.Contains(onRoot.Warnings[0].Message, "for events of root itself") {
		t.Errorf("org unit link warnings = %+v, want one saying only root's own events reach nobody", onRoot.Warnings)
	}
	a.must(204, "DELETE", "/api/v1/links/"+onRoot.ID, "", nil)

	var emailOnly struct{ ID string }
	a.must(201, "POST", "/api/v1/messages", `{"event_type":"order","name":"Bara e-post","subject":"Klart","email_body":"Klart."}`, &emailOnly)
	var noSMS linkResultJSON
	a.must(201, "POST", "/api/v1/links", `{"message_id":"`+emailOnly.ID+`","trigger":"completed","target":{"type":"tenant"},"channels":["email","sms"],"dynamic":["performer"]}`, &noSMS)
	if len(noSMS.Warnings) != 1 || noSMS.Warnings[0].Field != "channels" || !strings.Contains(noSMS.Warnings[0].Message, "no SMS text") {
		t.Errorf("link of a message without SMS text on sms: warnings = %+v, want one on channels", noSMS.Warnings)
	}
	a.must(204, "DELETE", "/api/v1/links/"+noSMS.ID, "", nil)

	refused := []struct{ name, body, field string }{
		{"trigger of another type", `{"message_id":"` + msg.ID + `","trigger":"ended","target":{"type":"tenant"},"channels":["email"],"dynamic":["performer"]}`, "trigger"},
		{"static user without the flag", `{"message_id":"` + msg.ID + `","trigger":"completed","target":{"type":"tenant"},"channels":["email"],"static":[{"user_id":"worker","addresses":[]}]}`, "static[0].user_id"},
		{"address not the user's", `{"message_id":"` + msg.ID + `","trigger":"completed","target":{"type":"tenant"},"channels":["email"],"static":[{"user_id":"boss","addresses":["other@example.se"]}]}`, "static[0].addresses[0]"},
		{"offset on an event trigger", `{"message_id":"` + msg.ID + `","trigger":"completed","offset":"15m","target":{"type":"tenant"},"channels":["email"],"dynamic":["performer"]}`, "offset"},
		{"bad token", `{"message_id":"` + msg.ID + `","trigger":"completed","target":{"type":"tenant"},"channels":["email"],"dynamic":["everyone"]}`, "dynamic[0]"},
		{"missing target object", `{"message_id":"` + msg.ID + `","trigger":"completed","target":{"type":"customer","id":"nope"},"channels":["email"],"dynamic":["performer"]}`, "target.id"},
		{"wrong business object", `{"message_id":"` + msg.ID + `","trigger":"completed","target":{"type":"work_shift","id":"ws1"},"channels":["email"],"dynamic":["performer"]}`, "target.type"},
		{"no recipients", `{"message_id":"` + msg.ID + `","trigger":"completed","target":{"type":"tenant"},"channels":["email"]}`, "static"},
		{"no channel", `{"message_id":"` + msg.ID + `","trigger":"completed","target":{"type":"tenant"},"channels":[],"dynamic":["performer"]}`, "channels"},
	}
	for _, tt := range refused {
		got, body := a.do("POST", "/api/v1/links", tt.body)
		if e := errorOf(t, body); got != 422 || e.Field != tt.field {
			t.Errorf("%s: %d %s, want 422 naming %s", tt.name, got, body, tt.field)
		}
	}
	a.must(201, "POST", "/api/v1/links", `{"message_id":"`+msg.ID+`","trigger":"reminder","offset":"30m","target":{"type":"order","id":"o-1"},"channels":["sms"],"dynamic":["performer"]}`, nil)

	// Links by target: a type alone, or a type and an id.
	for query, want := range map[string]int{"target_type=contract": 1, "target_type=contract&target_id=c1": 1,
		"target_type=contract&target_id=c2": 0, "target_type=order": 1, "target_type=org_unit&target_id=root": 1,
		"target_type=tenant": 0, "stale=false": 3} {
		var list struct{ Items []linkResultJSON }
		a.must(200, "GET", "/api/v1/links?"+query, "", &list)
		if len(list.Items) != want {
			t.Errorf("GET /links?%s = %d links, want %d", query, len(list.Items), want)
		}
	}
	for query, field := range map[string]string{"target_type=planet": "target_type", "target_id=c1": "target_type",
		"stale=maybe": "stale"} {
		got, body := a.do("GET", "/api/v1/links?"+query, "")
		if e := errorOf(t, body); got != 422 || e.Field != field {
			t.Errorf("GET /links?%s = %d %s, want 422 naming %s", query, got, body, field)
		}
	}

	// Effective links: the org-unit link reaches the contract of a customer in a child unit.
	var eff struct {
		Items []struct {
			ID        string
			Inherited bool
		}
	}
	a.must(200, "GET", "/api/v1/contracts/c1/effective-links", "", &eff)
	if len(eff.Items) != 2 || !hasLink(eff.Items, link.ID, true) || !hasLink(eff.Items, onContract.ID, false) {
		t.Errorf("effective links of c1 = %+v, want the org-unit link (inherited) and its own", eff.Items)
	}

	// A new version leaves links pinned, stale, until relinked.
	a.must(200, "PUT", "/api/v1/messages/"+msg.ID, `{"name":"Order klar","subject":"Ny rubrik för {{ customer.name }}","sms_body":"Ny: {{ order.number }}","note":"ny rubrik"}`, &msg)
	if msg.LatestVersion != 2 {
		t.Fatalf("latest version = %d, want 2", msg.LatestVersion)
	}
	a.must(200, "POST", "/api/v1/links/"+link.ID+"/preview", "", &p)
	if p.Version != 1 || !strings.HasPrefix(p.Subject, "Klart hos") {
		t.Errorf("stale link renders version %d %q, want version 1", p.Version, p.Subject)
	}
	var stale struct{ Items []linkResultJSON }
	a.must(200, "GET", "/api/v1/links?stale=true", "", &stale)
	if len(stale.Items) != 3 || !stale.Items[0].Stale {
		t.Errorf("stale links = %+v, want all 3", stale.Items)
	}
	a.must(200, "POST", "/api/v1/links/"+link.ID+"/relink", "", nil)
	a.must(200, "POST", "/api/v1/links/"+link.ID+"/preview", "", &p)
	if p.Version != 2 || !strings.HasPrefix(p.Subject, "Ny rubrik") {
		t.Errorf("relinked link renders version %d %q, want version 2", p.Version, p.Subject)
	}
	var relinked struct{ Relinked []linkResultJSON }
	a.must(200, "POST", "/api/v1/messages/"+msg.ID+"/relink", "", &relinked)
	if len(relinked.Relinked) != 2 {
		t.Errorf("relink all moved %d links, want the 2 still stale", len(relinked.Relinked))
	}
	a.must(200, "GET", "/api/v1/links?stale=true", "", &stale)
	if len(stale.Items) != 0 {
		t.Errorf("stale after relink all = %+v, want none", stale.Items)
	}

	var diff struct {
		Changed []struct {
			Field string
			Lines []struct{ Op, Text string }
		}
	}
	a.must(200, "GET", "/api/v1/messages/"+msg.ID+"/diff?from=1&to=2", "", &diff)
	if len(diff.Changed) != 3 || diff.Changed[0].Field != "subject" || diff.Changed[0].Lines[0].Op != "-" {
		t.Errorf("diff = %+v, want subject, email_body and sms_body changed", diff.Changed)
	}
	var versions struct {
		Items []struct {
			Version   int
			ChangedBy string `json:"changed_by"`
			Note      string
		}
	}
	a.must(200, "GET", "/api/v1/messages/"+msg.ID+"/versions", "", &versions)
	if len(versions.Items) != 2 || versions.Items[0].Version != 2 || versions.Items[0].Note != "ny rubrik" || versions.Items[0].ChangedBy == "" {
		t.Errorf("versions = %+v", versions.Items)
	}
	var where struct{ Items []linkResultJSON }
	a.must(200, "GET", "/api/v1/messages/"+msg.ID+"/links", "", &where)
	if len(where.Items) != 3 {
		t.Errorf("where used = %d links, want 3", len(where.Items))
	}
	got, body = a.do("PUT", "/api/v1/messages/"+msg.ID, `{"event_type":"work_shift","name":"x","subject":"y"}`)
	if e := errorOf(t, body); got != 422 || e.Field != "event_type" {
		t.Errorf("changing the event type = %d %s, want 422 event_type", got, body)
	}
}

func hasLink(items []struct {
	ID        string
	Inherited bool
}, id string, inherited bool) bool {
	for _, it := range items {
		if it.ID == id && it.Inherited == inherited {
			return true
		}
	}
	return false
}
