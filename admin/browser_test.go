package admin_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/admin"
	"github.com/avisera/avisera/store"
)

// ScreenshotsEnv names the variable that makes the browser test save
// screenshots of the main screens to docs/screenshots (for the README).
const ScreenshotsEnv = "AVISERA_SCREENSHOTS"

// chromiumPath finds Debian's chromium (or another Chrome), or skips.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("browser tests skipped: no chromium binary found on PATH (Debian: apt-get install chromium)")
	return ""
}

// browser drives one headless Chromium tab against an env.
type browser struct {
	t     *testing.T
	ctx   context.Context
	base  string
	shots string // folder of screenshots, "" for none
}

// newBrowser starts headless Chromium with a throwaway profile.
func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	ctx, cancel := context.WithTimeout(bctx, 3*time.Minute)
	t.Cleanup(func() {
		cancel()
		cancelBrowser()
		cancelAlloc()
	})
	b := &browser{t: t, ctx: ctx, base: base}
	if os.Getenv(ScreenshotsEnv) == "1" {
		b.shots = filepath.Join("..", "docs", "screenshots")
		if err := os.MkdirAll(b.shots, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	b.do(chromedp.EmulateViewport(1280, 900))
	return b
}

func (b *browser) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("browser: %v (at %s)", err, b.location())
	}
}

func (b *browser) location() string {
	loc, _ := chromedp.Run(b.ctx, chromedp.Location())
	return loc
}

// open navigates to a path of the server.
func (b *browser) open(path string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base + path))
}

func (b *browser) click(css string) {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.CSS(css)))
}

func (b *browser) typeIn(css, text string) {
	b.t.Helper()
	b.do(chromedp.SendKeys(chromedp.CSS(css), text))
}

// choose selects an option and fires change, as a user would.
func (b *browser) choose(css, value string) {
	b.t.Helper()
	b.do(chromedp.SetValue(chromedp.CSS(css), value))
	b.eval(fmt.Sprintf(`document.querySelector(%q).dispatchEvent(new Event("change", {bubbles: true}))`, css))
}

func (b *browser) eval(js string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[any](js))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", js, err)
	}
	return fmt.Sprint(v)
}

// text is the text of the first element matching css, "" if none.
func (b *browser) text(css string) string {
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](fmt.Sprintf(
		`(function(){var e=document.querySelector(%q);return e?e.textContent:""})()`, css)))
	if err != nil {
		return ""
	}
	return v
}

// waitText waits until the element's text contains want.
func (b *browser) waitText(css, want string) {
	b.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		got := b.text(css)
		if strings.Contains(got, want) {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("%s at %s shows %q, want it to contain %q; the page says: %.1500s", css, b.location(),
				strings.Join(strings.Fields(got), " "), want, strings.Join(strings.Fields(b.text("main")), " "))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// shot saves a full-page screenshot when screenshots are on.
func (b *browser) shot(name string) {
	b.t.Helper()
	if b.shots == "" {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.shots, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// TestBrowserSeedFlow does the seed guide's flow in a real browser, in
// Swedish: log in, create a contact on a customer, write a message with a
// variable and see the live preview, link it with a static and a dynamic
// recipient, post an event through the API, find the delivery in the
// follow-up report and the dev mailbox, and switch to English.
func TestBrowserSeedFlow(t *testing.T) {
	t.Parallel()
	e := newEnv(t, admin.Options{})
	e.seed()
	b := newBrowser(t, e.srv.URL)

	b.open("/login")
	b.shot("login")
	b.typeIn("#email", e.email)
	b.typeIn("#password", e.password)
	b.click("#login-submit")
	b.waitText("main h1", "Översikt")

	// Kunder → Kontaktuppgifter: "+ kontakt" creates and links at once.
	b.open("/customers")
	b.waitText("main h1", "Kunder")
	b.open("/customers/k1/contacts")
	b.click("#plus-contact summary")
	b.typeIn("#new-name", "Maria Svensson")
	b.typeIn("#new-email-0", "maria@kontorshuset.se")
	b.typeIn("#new-phone-0", "070-765 43 21")
	b.click("#create-linked-contact")
	b.waitText("#flash", "Maria Svensson är skapad i kontaktboken och kopplad")
	b.waitText("#linked-contacts", "maria@kontorshuset.se")

	// Search the contact book (htmx, as you type) and link with a tick.
	b.typeIn("#q", "olle")
	b.waitText("#results", "Olle Städare")
	b.click(`#results input[name="contact_id"]`)
	b.waitText("#flash", "Olle Städare är kopplad")
	b.shot("customer-contacts")

	// Aviseringsmeddelanden: the variable picker and the live preview.
	b.open("/messages/new?event_type=order")
	b.typeIn("#name", "Order utförd")
	b.typeIn("#subject", "Order ")
	b.click(`button[data-insert="{{ order.number }}"]`)
	b.typeIn("#subject", " är utförd")
	b.typeIn("#sms_body", "Hej! Order ")
	b.click(`button[data-insert="{{ order.number }}"]`)
	b.typeIn("#sms_body", " hos ")
	b.click(`button[data-insert="{{ customer.name }}"]`)
	b.typeIn("#sms_body", " är utförd.")
	b.typeIn("#email_body", "Hej {{ recipient.name }}!\n\nVi har utfört **")
	b.click(`button[data-insert="{{ order.name }}"]`)
	b.typeIn("#email_body", "**.")
	b.waitText("#preview-subject", "Order 2026-04711 är utförd")
	b.waitText("#preview-sms", "Hej! Order 2026-04711 hos Norrmalms Kontorsfastigheter AB är utförd.")
	b.waitText("#sms-counter", "68 tecken · 1 SMS · GSM-7")
	b.waitText("#preview-text", "Vi har utfört Kontorsstädning vecka 48.")
	b.eval(`document.querySelector(".vars").scrollTop = 0`)
	b.shot("message-editor")
	b.click("#save-message")
	b.waitText("#flash", "Meddelandet Order utförd är skapat")

	// Kopplingar on the customer: a static and a dynamic recipient.
	b.open("/customers/k1/links")
	msgID := e.messageID("Order utförd")
	b.choose("#message", msgID)
	b.waitText("#new-link", "Statiska mottagare")
	b.choose("#trigger", "completed")
	b.click(`input[name="static_user"][value="u1"]`)
	b.click(`input[name="channels"][value="sms"]`)
	b.click(`input[name="urgent"]`) // SMS at any hour: the test may run at night
	b.click(`input[name="dynamic"][value="customer_contacts"]`)
	if got := b.eval(`document.querySelector('input[name="static_user"][value="u2"]').disabled`); got != "true" {
		t.Errorf("the user without the recipient role can be ticked (disabled = %s)", got)
	}
	b.shot("link-form")
	b.click("#save-link")
	b.waitText("#flash", "Kopplingen är sparad")
	b.waitText("table.links", "Kundens aviseringsmottagare")
	b.shot("links")

	// The host posts an event through the API.
	e.postEvent("order-4711-done", `{"id":"order-4711-done","type":"order.completed","occurred_at":"`+
		time.Now().UTC().Format(time.RFC3339)+`","subject":{"type":"order","id":"4711"},`+
		`"refs":{"customer":"k1","users":["u1"]},"data":{"number":"4711","name":"Veckostädning"}}`)
	e.settle()

	// Aviseringsuppföljning and the detail of one delivery.
	b.open("/followup")
	b.waitText("#report", "maria@kontorshuset.se")
	b.waitText("#report", "Order 4711 är utförd")
	b.waitText("#report", "Skickad")
	b.shot("followup")
	b.click(`#report a[href^="/followup/"]`)
	b.waitText("#history", "I kö")
	if got := b.eval(`!!(document.querySelector("#delivery-sms") || document.querySelector("iframe.mailview"))`); got != "true" {
		t.Error("the delivery detail does not show the rendered message")
	}
	b.shot("delivery")

	// The dev mailbox has the email and the SMS.
	b.open("/mailbox")
	b.waitText("#mailbox", "Order 4711 är utförd")
	b.waitText("#mailbox", "Hej! Order 4711 hos Kontorshuset AB är utförd.")
	b.eval(`document.querySelectorAll("#mailbox details").forEach(function (d) {
		if (!document.querySelector("#mailbox details[open]") && d.querySelector(".tag").textContent === "E-post") { d.open = true }
	})`)
	b.shot("mailbox")

	// More screens for the README.
	b.open("/contacts")
	b.waitText("main", "Maria Svensson")
	b.shot("contacts")
	b.open("/org-units")
	b.waitText(".tree", "Norrmalm")
	b.shot("org-units")
	b.open("/messages")
	b.waitText("main table", "Order utförd")
	b.shot("messages")
	b.open("/")
	b.waitText("main h1", "Översikt")
	b.shot("overview")
	b.open("/settings")
	b.waitText("main h1", "Inställningar")
	b.shot("settings")
	e.seedPlans(time.Now())
	b.open("/plans")
	b.waitText("#plans", "Ej startat")
	b.shot("plans")
	b.open("/api-keys")
	b.typeIn("#key-name", "Verksamhetssystemet")
	b.click(`form[action="/api-keys"] button`)
	b.waitText("#new-key", "avk_") // no screenshot: it would show a key

	// English, remembered for the admin.
	b.open("/followup")
	b.click("#lang-switch")
	b.waitText("main h1", "Notification follow-up")
	b.waitText("#report", "Sent")
	b.shot("followup-en")
	b.open("/customers/k1/contacts")
	b.waitText(".tabs", "Contact details")

	// A tablet: the menu folds above the page.
	b.do(chromedp.EmulateViewport(820, 1180))
	b.open("/customers/k1/links")
	b.waitText(".tabs", "Links")
	b.shot("tablet-links-en")
}

// messageID finds a message by name.
func (e *env) messageID(name string) string {
	e.t.Helper()
	l, err := e.eng.ListMessages(ctx, e.tenant.ID, store.MessageFilter{}, pageQ(""))
	e.must(err)
	for _, m := range l.Items {
		if m.Name == name {
			return m.ID
		}
	}
	e.t.Fatalf("no message %q", name)
	return ""
}

// postEvent posts an event to the JSON API with the tenant's key.
func (e *env) postEvent(id, body string) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/api/v1/events", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+e.apiKey)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		Deliveries int `json:"deliveries"`
	}
	_ = json.NewDecoder(res.Body).Decode(&out)
	if res.StatusCode != http.StatusAccepted || out.Deliveries == 0 {
		e.t.Fatalf("POST /api/v1/events %s = %d with %d deliveries, want 202 with some", id, res.StatusCode, out.Deliveries)
	}
}

// settle waits until no delivery is pending.
func (e *env) settle() {
	e.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		l, err := e.eng.ListDeliveries(ctx, e.tenant.ID, store.DeliveryFilter{}, avisera.Page{Limit: 500})
		e.must(err)
		if len(l.Items) > 0 && !slices.ContainsFunc(l.Items, func(d avisera.Delivery) bool { return avisera.Pending(d.Status) }) {
			return
		}
		if time.Now().After(deadline) {
			var states []string
			for _, d := range l.Items {
				states = append(states, d.Channel+" "+d.Address+": "+d.Status+" "+d.Detail)
			}
			e.t.Fatalf("deliveries still pending after 20 s: %v", states)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
