package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/avisera/avisera/engine"
	"github.com/avisera/avisera/store/sqlstore"
	"github.com/avisera/avisera/store/storetest"
)

// client calls the API as one tenant.
type client struct {
	t   *testing.T
	url string
	key string
}

// newServer starts the API on a fresh SQLite database with two tenants.
func newServer(t *testing.T) (a, b *client) {
	t.Helper()
	return newServerOn(t, storetest.OpenSQLite)
}

// newServerOn is newServer on the database open returns.
func newServerOn(t *testing.T, open func(testing.TB) *sqlstore.DB) (a, b *client) {
	t.Helper()
	db := open(t)
	eng := engine.New(db.Store())
	srv := httptest.NewServer(NewHandler(eng, Options{}))
	t.Cleanup(srv.Close)
	mk := func(name string) *client {
		_, key, err := eng.CreateTenant(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		return &client{t: t, url: srv.URL, key: key}
	}
	return mk("A"), mk("B")
}

// do sends a request with a JSON body and returns the status and the body.
func (c *client) do(method, path, body string) (int, string) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.url+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// must sends a request and fails the test unless the status is want;
// it decodes the answer into out when out is not nil.
func (c *client) must(want int, method, path, body string, out any) {
	c.t.Helper()
	got, resp := c.do(method, path, body)
	if got != want {
		c.t.Fatalf("%s %s = %d %s, want %d", method, path, got, resp, want)
	}
	if out != nil {
		if err := json.Unmarshal([]byte(resp), out); err != nil {
			c.t.Fatalf("%s %s: decode %s: %v", method, path, resp, err)
		}
	}
}

// errorOf decodes an error answer.
func errorOf(t *testing.T, body string) errorBody {
	t.Helper()
	var e errorBody
	if err := json.NewDecoder(bytes.NewReader([]byte(body))).Decode(&e); err != nil {
		t.Fatalf("error body %q: %v", body, err)
	}
	return e
}

func TestAuthRequired(t *testing.T) {
	t.Parallel()
	a, _ := newServer(t)
	for _, key := range []string{"", "avk_wrong"} {
		c := &client{t: t, url: a.url, key: key}
		got, body := c.do("GET", "/api/v1/customers", "")
		if got != http.StatusUnauthorized || errorOf(t, body).Code != "unauthorized" {
			t.Errorf("key %q: %d %s, want 401 unauthorized", key, got, body)
		}
	}
	// The scheme is case-insensitive.
	for _, scheme := range []string{"bearer ", "BEARER "} {
		req, _ := http.NewRequest("GET", a.url+"/api/v1/customers", nil)
		req.Header.Set("Authorization", scheme+a.key)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("Authorization %q…: %d, want 200", scheme, res.StatusCode)
		}
	}
	// Another scheme, even with a valid key, or none is refused too.
	for _, header := range []string{"Basic xyz", "Basic " + a.key, a.key} {
		req, _ := http.NewRequest("GET", a.url+"/api/v1/customers", nil)
		req.Header.Set("Authorization", header)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized || errorOf(t, string(body)).Code != "unauthorized" {
			t.Errorf("Authorization %q: %d %s, want 401 unauthorized", header, res.StatusCode, body)
		}
	}
}
