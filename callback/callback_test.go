package callback_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/avisera/avisera/callback"
)

func TestCheckBasicAuth(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name             string
		user, password   string
		wantUser, wantPw string
		ok               bool
	}{
		{"right", "elk", "s3cret", "elk", "s3cret", true},
		{"wrong password", "elk", "guess", "elk", "s3cret", false},
		{"wrong user", "moose", "s3cret", "elk", "s3cret", false},
		{"none configured", "", "", "", "", false},
	} {
		r := httptest.NewRequest(http.MethodPost, "/cb", nil)
		r.SetBasicAuth(tc.user, tc.password)
		err := callback.CheckBasicAuth(r, tc.wantUser, tc.wantPw)
		if tc.ok != (err == nil) || (!tc.ok && !errors.Is(err, callback.ErrUnauthorized)) {
			t.Errorf("%s: got %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
	if err := callback.CheckBasicAuth(httptest.NewRequest(http.MethodPost, "/cb", nil), "elk", "s3cret"); !errors.Is(err, callback.ErrUnauthorized) {
		t.Errorf("no header: got %v, want ErrUnauthorized", err)
	}
}

func TestCheckBearer(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		header, token string
		ok            bool
	}{
		{"Bearer tok", "tok", true},
		{"Bearer tik", "tok", false},
		{"tok", "tok", false},
		{"", "tok", false},
		{"Bearer ", "", false},
	} {
		r := httptest.NewRequest(http.MethodPost, "/cb", nil)
		r.Header.Set("Authorization", tc.header)
		err := callback.CheckBearer(r, tc.token)
		if tc.ok != (err == nil) || (!tc.ok && !errors.Is(err, callback.ErrUnauthorized)) {
			t.Errorf("CheckBearer(%q, %q): got %v, want ok=%v", tc.header, tc.token, err, tc.ok)
		}
	}
}
