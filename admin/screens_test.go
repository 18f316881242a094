package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/admin"
	"github.com/avisera/avisera/engine"
	"github.com/avisera/avisera/store"
)

func pageQ(q string) avisera.Page { return avisera.Page{Q: q, Limit: 50} }

// untranslated finds translation keys shown as they are: a key missing
// from a table renders as itself.
var untranslated = regexp.MustCompile(`\b(nav|flash|links?|messages?|contacts?|followup|delivery|settings|home|objcontacts|objects|field|error|status|token|role|col|period|preview|apikeys|mailbox|chart|group|tab|kind|target|lang|et|adminrole|pager|layout|list|action|login|diff|plans|webhooks|placeholder|notice|notfound|forbidden|users|orgunits)\.[a-z_]+[a-z_.]*\b`)

// markup matches tags and code samples (variable names), which may look
// like keys.
var markup = regexp.MustCompile(`(?s)<code>.*?</code>|<[^>]*>`)

// visibleText is the text of a page without its markup.
func visibleText(html string) string { return markup.ReplaceAllString(html, " ") }

// TestScreens renders every screen in both languages with seed data and
// checks that nothing is left untranslated.
func TestScreens(t *testing.T) {
	t.Parallel()
	e := newEnv(t, admin.Options{})
	e.seed()
	m, err := e.eng.CreateMessage(ctx, e.tenant.ID, engine.MessageInput{EventType: "order", Name: "Order klar",
		Content: avisera.Content{Subject: "Order {{ order.number }} är klar", EmailBody: "Hej {{ recipient.name }}!",
			SMSBody: "Order {{ order.number }} klar"}}, "test")
	e.must(err)
	_, err = e.eng.CreateLink(ctx, e.tenant.ID, avisera.Link{MessageID: m.ID, Trigger: "completed",
		Target: avisera.Target{Type: avisera.TargetOrgUnit, ID: "ou-sthlm"}, Channels: []string{"email"},
		Dynamic: []string{avisera.TokenPerformer}})
	e.must(err)
	_, err = e.eng.UpdateMessage(ctx, e.tenant.ID, m.ID, engine.MessageInput{Name: "Order klar",
		Content: avisera.Content{Subject: "Order {{ order.number }} är utförd"}}, "test")
	e.must(err)
	res, err := e.eng.AcceptEvent(ctx, e.tenant.ID, engine.EventInput{ID: "ev1", Type: "order.completed",
		OccurredAt: e.eng.Now(), Subject: avisera.Target{Type: "order", ID: "o1"},
		Refs: avisera.Refs{Customer: "k1", Users: []string{"u1"}}})
	e.must(err)
	if res.Deliveries != 1 {
		t.Fatalf("event made %+v, want one delivery", res)
	}
	ds, err := e.eng.ListDeliveries(ctx, e.tenant.ID, store.DeliveryFilter{}, pageQ(""))
	e.must(err)
	e.seedPlans(e.eng.Now())
	c := e.loggedIn()
	c.checkScreens(t, []string{"/", "/contacts", "/contacts/new", "/customers", "/customers/k1/contacts?q=olle",
		"/customers/k1/links", "/customers/k1/links?message=" + m.ID, "/contracts", "/contracts/c1/links",
		"/org-units", "/org-units?q=norr", "/org-units/ou-norr/contacts", "/places", "/places/p1/links", "/users",
		"/users/u1/contacts", "/users/u1/links?message=" + m.ID, "/messages", "/messages?event_type=order",
		"/messages/new", "/messages/new?event_type=work_shift", "/messages/" + m.ID, "/messages/" + m.ID + "/diff",
		"/links", "/links?stale=1", "/links/tenant", "/links/object?type=order&id=4711&message=" + m.ID,
		"/followup", "/followup?period=today&status=sent&status=queued", "/followup?period=custom&from=2026-01-01&to=2026-12-31",
		"/followup/" + ds.Items[0].ID, "/followup?period=custom&event_id=ev1", "/mailbox", "/api-keys", "/settings",
		"/plans", "/plans?from=&to=2099-12-31&status=active", "/plans/work_shift/ws-1", "/webhooks"})
	// The export words statuses, channels and triggers as the screen does.
	if r := c.get("/followup/export?format=csv&period=today"); !strings.Contains(r.body, ";Order – Utförd;E-post;") ||
		strings.Contains(r.body, ";email;") || strings.Contains(r.body, ";sent;") || strings.Contains(r.body, ";queued;") ||
		strings.Contains(r.body, ";"+ds.Items[0].ReachedVia+";") || !strings.Contains(r.body, ";utföraren ") ||
		!strings.Contains(r.body, ";"+ds.Items[0].Address+";") {
		t.Errorf("Swedish CSV export:\n%.1000s\nwant the trigger, channel and status in Swedish", r.body)
	}
	if r := c.get("/no/such/page"); r.status != http.StatusNotFound {
		t.Errorf("GET /no/such/page = %d, want 404", r.status)
	}
	if r := c.get("/customers/nope/contacts"); r.status != http.StatusNotFound {
		t.Errorf("GET an unknown customer = %d, want 404", r.status)
	}
}

// checkScreens gets each path in English and then Swedish, and fails on
// an error status or a key shown untranslated. The client is left in
// Swedish.
func (c *client) checkScreens(t *testing.T, paths []string) {
	t.Helper()
	for _, lang := range []string{"en", "sv"} {
		c.post("/language", url.Values{"lang": {lang}})
		for _, p := range paths {
			r := c.get(p)
			if r.status != http.StatusOK {
				t.Errorf("%s GET %s = %d; body:\n%.2000s", lang, p, r.status, r.body)
				continue
			}
			if k := untranslated.FindString(visibleText(r.body)); k != "" {
				t.Errorf("%s GET %s shows the untranslated key %q", lang, p, k)
			}
		}
	}
}

// TestContactFormWithoutJavaScript creates a contact on a customer's
// Kontaktuppgifter tab with plain forms, and sees errors name the field in
// Swedish.
func TestContactFormWithoutJavaScript(t *testing.T) {
	t.Parallel()
	e := newEnv(t, admin.Options{})
	e.seed()
	c := e.loggedIn()
	c.get("/customers/k1/contacts")
	bad := url.Values{"name": {"Maria Svensson"}, "emails": {"maria@kund.se", "inte-en-adress"}, "phones": {""},
		"roles": {"notification_recipient"}}
	r := c.post("/customers/k1/contacts/new", bad)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "E-postadresser 2: är inte en giltig e-postadress") {
		t.Fatalf("invalid email = %d, want 422 naming the field in Swedish; body:\n%.3000s", r.status, r.body)
	}
	if !strings.Contains(r.body, `value="Maria Svensson"`) {
		t.Error("the form lost what was typed")
	}
	good := url.Values{"name": {"Maria Svensson"}, "emails": {"maria@kund.se"}, "phones": {"070-765 43 21"},
		"roles": {"notification_recipient"}}
	if r := c.post("/customers/k1/contacts/new", good); r.status != http.StatusSeeOther {
		t.Fatalf("+ kontakt = %d; body:\n%.3000s", r.status, r.body)
	}
	links, err := e.eng.ObjectContacts(ctx, e.tenant.ID, avisera.ObjectCustomer, "k1")
	e.must(err)
	if len(links) != 1 || links[0].Contact.Name != "Maria Svensson" || !links[0].HasRole(avisera.RoleNotificationRecipient) ||
		!links[0].HasRole(avisera.RoleMainContact) {
		t.Fatalf("customer contacts = %+v, want Maria as recipient and (first) main contact", links)
	}
	if links[0].Contact.Phones[0].Number != "+46707654321" {
		t.Errorf("phone = %q, want it normalised to E.164", links[0].Contact.Phones[0].Number)
	}
	if r := c.get("/customers"); !strings.Contains(r.body, "Maria Svensson") {
		t.Error("the customer list does not show the main contact")
	}
	// Link an existing contact found by phone with a tick, then change roles.
	olle, err := e.eng.SearchContacts(ctx, e.tenant.ID, pageQ("olle"))
	e.must(err)
	r = c.get("/customers/k1/contacts?q=070-123+45+67")
	if !strings.Contains(r.body, "Olle Städare") {
		t.Fatalf("searching by phone did not find Olle")
	}
	if r := c.post("/customers/k1/contacts", url.Values{"contact_id": {olle.Items[0].ID}}); r.status != http.StatusSeeOther {
		t.Fatalf("tick = %d", r.status)
	}
	if r := c.post("/customers/k1/contacts/"+olle.Items[0].ID, url.Values{"roles": {"survey_recipient"}}); r.status != http.StatusSeeOther {
		t.Fatalf("set roles = %d", r.status)
	}
	links, _ = e.eng.ObjectContacts(ctx, e.tenant.ID, avisera.ObjectCustomer, "k1")
	if len(links) != 2 || !links[1].HasRole(avisera.RoleSurveyRecipient) || links[1].HasRole(avisera.RoleNotificationRecipient) {
		t.Errorf("after roles = %+v", links)
	}
	// A clashing address names the field and the conflict.
	r = c.post("/contacts", url.Values{"name": {"Dubblett"}, "emails": {"MARIA@kund.se"}})
	if r.status != http.StatusConflict || !strings.Contains(r.body, "E-postadresser 1: adressen tillhör redan en annan kontakt") {
		t.Errorf("clash = %d; body:\n%.2000s", r.status, r.body)
	}
}

// TestEditorPreviewAndLink previews a draft (the htmx fragment), saves the
// message, and links it with a static and a dynamic recipient through the
// plain forms.
func TestEditorPreviewAndLink(t *testing.T) {
	t.Parallel()
	e := newEnv(t, admin.Options{})
	e.seed()
	c := e.loggedIn()
	c.get("/messages/new?event_type=order")
	draft := url.Values{"event_type": {"order"}, "name": {"Order utförd"}, "language": {"sv"},
		"subject": {"Order {{ order.number }} hos {{ customer.name }}"}, "sms_body": {"Order {{ order.number }} är utförd."}}
	r := c.post("/messages/preview", draft)
	if r.status != http.StatusOK || !strings.Contains(r.body, "Order 2026-04711 hos Norrmalms Kontorsfastigheter AB") ||
		!strings.Contains(r.body, "1 SMS") || strings.Contains(r.body, "<html") {
		t.Fatalf("preview fragment = %d; body:\n%s", r.status, r.body)
	}
	broken := url.Values{"event_type": {"order"}, "subject": {"{{ order.nummer }}"}}
	if r := c.post("/messages/preview", broken); !strings.Contains(r.body, "Ämne:") {
		t.Errorf("a template error does not name the field; body:\n%s", r.body)
	}
	draft.Set("op", "save")
	r = c.post("/messages", draft)
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/messages/") {
		t.Fatalf("create = %d to %q; body:\n%.2000s", r.status, r.location, r.body)
	}
	id := strings.TrimPrefix(r.location, "/messages/")
	r = c.get("/customers/k1/links?message=" + id)
	if !strings.Contains(r.body, `name="static_user" value="u2" disabled`) || !strings.Contains(r.body, "behörigheten är inte aviseringsmottagare") {
		t.Errorf("the user who is no recipient is not greyed out with the reason")
	}
	form := url.Values{"message_id": {id}, "target_type": {"customer"}, "target_id": {"k1"}, "trigger": {"completed"},
		"channels": {"email", "sms"}, "static_user": {"u1"}, "addr.u1": {"olle@ren.se"},
		"dynamic": {"customer_contacts"}, "valid_from": {"2026-01-01"}}
	r = c.post("/links", form)
	if r.status != http.StatusSeeOther || r.location != "/customers/k1/links" {
		t.Fatalf("create link = %d to %q; body:\n%.3000s", r.status, r.location, r.body)
	}
	links, err := e.eng.ListLinks(ctx, e.tenant.ID, store.LinkFilter{MessageID: id})
	e.must(err)
	if len(links) != 1 || links[0].Static[0].UserID != "u1" || len(links[0].Static[0].Addresses) != 1 ||
		links[0].Dynamic[0] != "customer_contacts" || links[0].ValidFrom == nil {
		t.Fatalf("links = %+v", links)
	}
	r = c.get("/customers/k1/links")
	if !strings.Contains(r.body, "Olle Städare") || !strings.Contains(r.body, "Kundens aviseringsmottagare") ||
		!strings.Contains(r.body, "Kopplingen är sparad, men observera") {
		t.Errorf("the links tab does not show the link with its warning; body:\n%.4000s", r.body)
	}
	// A new version makes the link stale; one click re-links it.
	draft.Set("subject", "Ny rubrik {{ order.number }}")
	if r := c.post("/messages/"+id, draft); r.status != http.StatusSeeOther {
		t.Fatalf("new version = %d; body:\n%.2000s", r.status, r.body)
	}
	if r := c.get("/customers/k1/links"); !strings.Contains(r.body, "ny version v2 finns") {
		t.Error("the stale link is not badged")
	}
	if r := c.post("/links/"+links[0].ID+"/relink", url.Values{"back": {"/customers/k1/links"}}); r.status != http.StatusSeeOther {
		t.Fatalf("relink = %d", r.status)
	}
	if l, _ := e.eng.GetLink(ctx, e.tenant.ID, links[0].ID); l.MessageVersion != 2 {
		t.Errorf("after relink the link uses v%d, want v2", l.MessageVersion)
	}
	// An invalid link names the field.
	form.Del("channels")
	if r := c.post("/links", form); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Kanaler: välj e-post, SMS eller båda") {
		t.Errorf("link without channel = %d; body:\n%.2000s", r.status, r.body)
	}
}

// TestExport downloads the report as CSV and Excel.
func TestExport(t *testing.T) {
	t.Parallel()
	e := newEnv(t, admin.Options{})
	c := e.loggedIn()
	r := c.get("/followup/export?format=csv&period=month")
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(r.body, "Skickad;Organisation;Ämne") { // semicolons: what Swedish Excel reads
		t.Errorf("csv = %d %q; body:\n%.300s", r.status, r.header.Get("Content-Type"), r.body)
	}
	r = c.get("/followup/export?format=xlsx&period=today")
	if r.status != http.StatusOK || !strings.HasPrefix(r.body, "PK") ||
		!strings.Contains(r.header.Get("Content-Disposition"), "aviseringsuppfoljning-") {
		t.Errorf("xlsx = %d, disposition %q", r.status, r.header.Get("Content-Disposition"))
	}
}
