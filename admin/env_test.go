package admin_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/admin"
	"github.com/avisera/avisera/api"
	"github.com/avisera/avisera/engine"
	"github.com/avisera/avisera/queue"
	"github.com/avisera/avisera/store"
	"github.com/avisera/avisera/store/storetest"
)

var ctx = context.Background()

// env is a running installation as serve wires it: a SQLite database, the
// engine with a River queue sending to the dev mailbox, the JSON API at
// /api/ and the admin UI at /.
type env struct {
	t        *testing.T
	eng      *engine.Engine
	st       store.Store
	srv      *httptest.Server
	tenant   avisera.Tenant
	apiKey   string
	email    string
	password string
}

// newEnv starts an installation with one tenant and one admin login.
func newEnv(t *testing.T, opts admin.Options) *env {
	t.Helper()
	return newEnvWith(t, opts)
}

// newEnvWith starts an installation whose engine takes engOpts too (a
// clock tests move).
func newEnvWith(t *testing.T, opts admin.Options, engOpts ...engine.Option) *env {
	t.Helper()
	db := storetest.OpenSQLite(t)
	logger := slog.New(slog.DiscardHandler)
	q, err := queue.New(db, queue.Config{Workers: 4, PollInterval: 20 * time.Millisecond}, logger)
	if err != nil {
		t.Fatal(err)
	}
	eng := engine.New(db.Store(), append([]engine.Option{engine.WithQueue(q), engine.WithLogger(logger)}, engOpts...)...)
	runCtx, cancel := context.WithCancel(ctx)
	if err := q.Start(runCtx, eng); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stopCtx, c := context.WithTimeout(ctx, 10*time.Second)
		defer c()
		_ = q.Stop(stopCtx)
		cancel()
	})
	tenant, key, err := eng.CreateTenant(ctx, "Städbolaget Ren AB")
	if err != nil {
		t.Fatal(err)
	}
	a, pw, err := admin.CreateAdmin(ctx, db.Store(), admin.NewAdmin{TenantID: tenant.ID, Email: "anna@ren.se",
		Name: "Anna Admin"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", api.NewHandler(eng, api.Options{Logger: logger}))
	opts.Logger = logger
	mux.Handle("/", admin.NewHandler(eng, db.Store(), opts))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &env{t: t, eng: eng, st: db.Store(), srv: srv, tenant: tenant, apiKey: key, email: a.Email, password: pw}
}

func (e *env) must(err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
}

// client is a browser without JavaScript: a cookie jar that does not
// follow redirects, so tests see them.
type client struct {
	t    *testing.T
	base string
	http *http.Client
	csrf string
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: e.t, base: e.srv.URL, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// response is a read response.
type response struct {
	status   int
	body     string
	location string
	header   http.Header
}

func (c *client) do(req *http.Request) response {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r := response{status: res.StatusCode, body: string(b), location: res.Header.Get("Location"), header: res.Header}
	if m := csrfField.FindStringSubmatch(r.body); m != nil {
		c.csrf = m[1]
	}
	return r
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *client) get(path string) response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	return c.do(req)
}

// post submits a form with the page's CSRF token unless the form sets one.
func (c *client) post(path string, form url.Values) response {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", c.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// login logs in through the login form.
func (c *client) login(email, password string) response {
	c.t.Helper()
	c.get("/login")
	return c.post("/login", url.Values{"email": {email}, "password": {password}})
}

// loggedIn returns a client logged in as the env's admin.
func (e *env) loggedIn() *client {
	e.t.Helper()
	c := e.client()
	if r := c.login(e.email, e.password); r.status != http.StatusSeeOther || r.location != "/" {
		e.t.Fatalf("login = %d to %q, want 303 to /; body:\n%s", r.status, r.location, r.body)
	}
	c.get("/")
	return c
}

// seed adds the master data of the seed's situation: an org unit, a
// customer with a contract and a place, and two users.
func (e *env) seed() {
	e.t.Helper()
	tid := e.tenant.ID
	_, _, err := e.eng.PutOrgUnit(ctx, tid, avisera.OrgUnit{ID: "ou-sthlm", Name: "Stockholm City"})
	e.must(err)
	_, _, err = e.eng.PutOrgUnit(ctx, tid, avisera.OrgUnit{ID: "ou-norr", Name: "Norrmalm", ParentID: "ou-sthlm"})
	e.must(err)
	_, _, err = e.eng.PutCustomer(ctx, tid, avisera.Customer{ID: "k1", Name: "Kontorshuset AB", Number: "10427", OrgUnitID: "ou-norr"})
	e.must(err)
	_, _, err = e.eng.PutContract(ctx, tid, avisera.Contract{ID: "c1", Name: "Städavtal 2026", CustomerID: "k1", OrgUnitID: "ou-norr"})
	e.must(err)
	_, _, err = e.eng.PutPlace(ctx, tid, avisera.Place{ID: "p1", Name: "Sveavägen 44", Address: "Sveavägen 44, Stockholm", CustomerID: "k1"})
	e.must(err)
	_, _, err = e.eng.PutUser(ctx, tid, engine.UserInput{User: avisera.User{ID: "u1", Name: "Olle Städare", Role: "Serviceutförare",
		NotificationRecipient: true, OrgUnitIDs: []string{"ou-norr"}}, Emails: []string{"olle@ren.se"}, Phones: []string{"070-123 45 67"}})
	e.must(err)
	_, _, err = e.eng.PutUser(ctx, tid, engine.UserInput{User: avisera.User{ID: "u2", Name: "Lisa Lagerchef", Role: "Lager",
		NotificationRecipient: false, OrgUnitIDs: []string{}}})
	e.must(err)
}
