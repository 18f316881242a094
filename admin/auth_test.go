package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/avisera/avisera/admin"
	"github.com/avisera/avisera/store"
)

func TestLogin(t *testing.T) {
	t.Parallel()
	e := newEnv(t, admin.Options{})
	c := e.client()
	if r := c.get("/contacts"); r.status != http.StatusSeeOther || r.location != "/login?next=%2Fcontacts" {
		t.Fatalf("anonymous GET /contacts = %d to %q, want 303 to the login page", r.status, r.location)
	}
	r := c.login(e.email, "wrong password")
	if r.status != http.StatusUnauthorized || !strings.Contains(r.body, "Fel e-postadress eller lösenord") {
		t.Errorf("wrong password = %d, want 401 with the Swedish message; body:\n%s", r.status, r.body)
	}
	c.get("/login?next=/contacts")
	r = c.post("/login", url.Values{"email": {strings.ToUpper(e.email)}, "password": {e.password}, "next": {"/contacts"}})
	if r.status != http.StatusSeeOther || r.location != "/contacts" {
		t.Fatalf("login = %d to %q, want 303 to /contacts", r.status, r.location)
	}
	cookie := sessionCookie(t, r.header)
	if !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Secure {
		t.Errorf("session cookie = %+v, want HttpOnly, SameSite=Lax, not Secure over plain HTTP", cookie)
	}
	if r := c.get("/contacts"); r.status != http.StatusOK || !strings.Contains(r.body, "Kontaktboken") {
		t.Errorf("GET /contacts after login = %d, want 200 with Kontaktboken", r.status)
	}
	if r := c.post("/logout", nil); r.status != http.StatusSeeOther || r.location != "/login" {
		t.Errorf("logout = %d to %q, want 303 to /login", r.status, r.location)
	}
	if r := c.get("/contacts"); r.status != http.StatusSeeOther {
		t.Errorf("GET /contacts after logout = %d, want 303 to the login page", r.status)
	}
}

func sessionCookie(t *testing.T, h http.Header) *http.Cookie {
	t.Helper()
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == "avisera_session" {
			return c
		}
	}
	t.Fatalf("no session cookie in %v", h["Set-Cookie"])
	return nil
}

func TestSecureCookies(t *testing.T) {
	t.Parallel()
	e := newEnv(t, admin.Options{SecureCookies: true})
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/login", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if len(res.Cookies()) == 0 {
		t.Fatal("the login page set no cookie")
	}
	for _, ck := range res.Cookies() {
		if !ck.Secure {
			t.Errorf("cookie %s is not Secure although SecureCookies is set", ck.Name)
		}
	}
}

func TestLoginOnlyToLocalPaths(t *testing.T) {
	t.Parallel()
	e := newEnv(t, admin.Options{})
	for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example"} {
		c := e.client()
		c.get("/login")
		r := c.post("/login", url.Values{"email": {e.email}, "password": {e.password}, "next": {next}})
		if r.status != http.StatusSeeOther || r.location != "/" {
			t.Errorf("login with next=%q went to %q, want /", next, r.location)
		}
	}
}

func TestCSRFRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, admin.Options{})
	c := e.loggedIn()
	form := url.Values{"name": {"Eva Extern"}, "emails": {"eva@kund.se"}}
	for _, token := range []string{"", "forged"} {
		form.Set("csrf", token)
		if r := c.post("/contacts", form); r.status != http.StatusForbidden || !strings.Contains(r.body, "Formuläret hade gått ut") {
			t.Errorf("POST /contacts with csrf %q = %d, want 403 explaining why", token, r.status)
		}
	}
	l, err := e.eng.SearchContacts(ctx, e.tenant.ID, pageQ("eva"))
	if err != nil || len(l.Items) != 0 {
		t.Fatalf("a refused form created contacts: %v, %v", l.Items, err)
	}
	c.get("/contacts")
	form.Del("csrf")
	if r := c.post("/contacts", form); r.status != http.StatusSeeOther {
		t.Errorf("POST /contacts with the session's token = %d, want 303; body:\n%s", r.status, r.body)
	}
	// The login form has its own double-submit token.
	anon := e.client()
	if r := anon.post("/login", url.Values{"email": {e.email}, "password": {e.password}, "csrf": {"x"}}); r.status != http.StatusForbidden {
		t.Errorf("login without the login form's cookie = %d, want 403", r.status)
	}
}

func TestReportReaderSeesTheReportOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t, admin.Options{})
	_, pw, err := admin.CreateAdmin(ctx, e.st, admin.NewAdmin{TenantID: e.tenant.ID, Email: "rita@ren.se",
		Name: "Rita Rapport", Role: store.AdminRoleReportReader}, time.Now())
	e.must(err)
	c := e.client()
	if r := c.login("rita@ren.se", pw); r.status != http.StatusSeeOther {
		t.Fatalf("login = %d", r.status)
	}
	if r := c.get("/"); r.status != http.StatusSeeOther || r.location != "/followup" {
		t.Errorf("GET / as report reader = %d to %q, want 303 to /followup", r.status, r.location)
	}
	r := c.get("/followup")
	if r.status != http.StatusOK || strings.Contains(r.body, `href="/contacts"`) {
		t.Errorf("GET /followup = %d, menu shows Kontaktboken: %v", r.status, strings.Contains(r.body, `href="/contacts"`))
	}
	for _, path := range []string{"/contacts", "/messages", "/links", "/settings", "/api-keys", "/customers", "/mailbox",
		"/plans", "/plans/work_shift/ws-1", "/webhooks"} {
		if r := c.get(path); r.status != http.StatusForbidden {
			t.Errorf("GET %s as report reader = %d, want 403", path, r.status)
		}
	}
	for _, path := range []string{"/api-keys", "/webhooks/rotate", "/plans/work_shift/ws-1/cancel"} {
		if r := c.post(path, url.Values{"name": {"stolen"}}); r.status != http.StatusForbidden {
			t.Errorf("POST %s as report reader = %d, want 403", path, r.status)
		}
	}
	if r := c.get("/followup/export?format=csv"); r.status != http.StatusOK {
		t.Errorf("export as report reader = %d, want 200", r.status)
	}
}

func TestLoginThrottled(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}
	e := newEnv(t, admin.Options{Now: clock, TrustProxy: true})
	attempt := func(ip, pw string) int {
		c := e.client()
		c.get("/login")
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/login", strings.NewReader(url.Values{
			"email": {e.email}, "password": {pw}, "csrf": {c.csrf}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", ip)
		return c.do(req).status
	}
	for i := range 5 {
		if got := attempt("10.0.0.1", "wrong"); got != http.StatusUnauthorized {
			t.Fatalf("attempt %d = %d, want 401", i+1, got)
		}
	}
	if got := attempt("10.0.0.1", e.password); got != http.StatusTooManyRequests {
		t.Errorf("right password after 5 failures = %d, want 429", got)
	}
	if got := attempt("10.0.0.2", e.password); got != http.StatusSeeOther {
		t.Errorf("right password from another address = %d, want 303", got)
	}
	mu.Lock()
	now = now.Add(61 * time.Second)
	mu.Unlock()
	if got := attempt("10.0.0.1", e.password); got != http.StatusSeeOther {
		t.Errorf("right password a minute later = %d, want 303", got)
	}
}

func TestLanguageRemembered(t *testing.T) {
	t.Parallel()
	e := newEnv(t, admin.Options{})
	c := e.loggedIn()
	if r := c.get("/contacts"); !strings.Contains(r.body, "Kontaktboken") || !strings.Contains(r.body, `lang="sv"`) {
		t.Fatalf("default language is not Swedish")
	}
	if r := c.post("/language", url.Values{"lang": {"en"}, "back": {"/contacts"}}); r.status != http.StatusSeeOther || r.location != "/contacts" {
		t.Fatalf("switch = %d to %q", r.status, r.location)
	}
	if r := c.get("/contacts"); !strings.Contains(r.body, "Contact book") || !strings.Contains(r.body, `lang="en"`) {
		t.Errorf("after the switch the page is not English")
	}
	again := e.loggedIn() // a new browser: the choice is stored with the login
	if r := again.get("/followup"); !strings.Contains(r.body, "Notification follow-up") {
		t.Errorf("a new session of the admin is not in English")
	}
}
