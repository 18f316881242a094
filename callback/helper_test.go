package callback_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/avisera/avisera/callback"
)

// formRequest builds a form-encoded POST to target.
func formRequest(target string, form url.Values) *http.Request {
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

// jsonRequest builds a JSON POST to target.
func jsonRequest(target, body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	return r
}

// checkUpdates compares parsed updates with want.
func checkUpdates(t *testing.T, name string, got []callback.Update, err error, want []callback.Update) {
	t.Helper()
	if err != nil {
		t.Errorf("%s: got error %v, want %+v", name, err, want)
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\ngot  %+v\nwant %+v", name, got, want)
	}
}
