package admin

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

// Cookie names.
const (
	sessionCookie = "avisera_session"
	loginCSRF     = "avisera_login_csrf"
	langCookie    = "avisera_lang"
	flashCookie   = "avisera_flash"
)

// role is what a route requires of the logged-in admin.
type role int

const (
	roleReader role = iota // admin or report_reader
	roleAdmin              // admin only
)

// session is the logged-in admin of one request, with their tenant.
type session struct {
	id     string
	admin  store.Admin
	tenant avisera.Tenant
	csrf   string
	loc    *time.Location
}

// lang is the admin's UI language.
func (s *session) lang() string { return language(s.admin.Language) }

// isAdmin reports whether the admin may use every screen.
func (s *session) isAdmin() bool { return s.admin.Role == store.AdminRoleAdmin }

// pageFunc handles a request of a logged-in admin.
type pageFunc func(w http.ResponseWriter, r *http.Request, s *session)

// authed loads the session, refuses forms without the session's CSRF
// token and requests the admin's role does not allow, then calls next.
func (h *handler) authed(need role, next pageFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, err := h.loadSession(r)
		if err != nil {
			h.toLogin(w, r, err)
			return
		}
		if unsafeMethod(r.Method) {
			r.Body = http.MaxBytesReader(w, r.Body, maxForm)
		}
		if unsafeMethod(r.Method) && !h.validCSRF(r, s.csrf) {
			h.forbidden(w, r, s, "error.csrf")
			return
		}
		if need == roleAdmin && !s.isAdmin() {
			h.forbidden(w, r, s, "error.role")
			return
		}
		next(w, r, s)
	})
}

// toLogin sends an anonymous request to the login page, back to where it
// was going afterwards.
func (h *handler) toLogin(w http.ResponseWriter, r *http.Request, err error) {
	if !errors.Is(err, store.ErrNotFound) && !errors.Is(err, errNoSession) {
		h.log.ErrorContext(r.Context(), "admin: load session", "err", err)
	}
	target := "/login"
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		target += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", target)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

var errNoSession = errors.New("admin: no session")

// loadSession reads the session cookie and loads the admin and tenant.
func (h *handler) loadSession(r *http.Request) (*session, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, errNoSession
	}
	ctx := r.Context()
	id := hashToken(c.Value)
	ss, err := h.store.GetAdminSession(ctx, id)
	if err != nil {
		return nil, err
	}
	if !h.now().Before(ss.ExpiresAt) {
		return nil, errNoSession
	}
	a, err := h.store.GetAdmin(ctx, ss.TenantID, ss.AdminID)
	if err != nil {
		return nil, err
	}
	t, err := h.store.GetTenant(ctx, a.TenantID)
	if err != nil {
		return nil, err
	}
	return &session{id: id, admin: a, tenant: t, csrf: ss.CSRFToken, loc: t.Location()}, nil
}

// startSession stores a new session for a and sets its cookie.
func (h *handler) startSession(w http.ResponseWriter, r *http.Request, a store.Admin) error {
	token, csrf := newToken(), newToken()
	now := h.now()
	ss := store.AdminSession{ID: hashToken(token), TenantID: a.TenantID, AdminID: a.ID, CSRFToken: csrf,
		CreatedAt: now, ExpiresAt: now.Add(h.opts.SessionTTL)}
	if err := h.store.CreateAdminSession(r.Context(), ss); err != nil {
		return err
	}
	h.setCookie(w, r, sessionCookie, token, h.opts.SessionTTL)
	return nil
}

// setCookie sets an HttpOnly, SameSite=Lax cookie, Secure behind TLS; a
// zero maxAge deletes it.
func (h *handler) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge time.Duration) {
	c := &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: h.secure(r), MaxAge: int(maxAge / time.Second)}
	if maxAge <= 0 {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}

// secure reports whether the browser reached us over HTTPS.
func (h *handler) secure(r *http.Request) bool {
	return h.opts.SecureCookies || r.TLS != nil ||
		(h.opts.TrustProxy && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https"))
}

// validCSRF checks the form field or the htmx header against want, and
// refuses requests another site started.
func (h *handler) validCSRF(r *http.Request, want string) bool {
	if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		return false
	}
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("csrf")
	}
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// newToken returns 32 random bytes, URL-safe.
func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is the stored form of a session secret.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// localPath accepts a path on this site only (no //host or scheme), for
// redirects after login and after actions.
func localPath(p, fallback string) string {
	if p == "" || p[0] != '/' || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return fallback
	}
	return p
}
