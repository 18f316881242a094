package admin

import (
	"crypto/subtle"
	"errors"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/avisera/avisera/store"
)

// maxForm bounds form bodies.
const maxForm = 2 << 20

// loginPage is the data of the login screen.
type loginPage struct {
	Email string
	Next  string
	Token string // the login form's CSRF token (double-submit cookie)
}

// loginPage shows the login form. A logged-in admin goes straight on.
func (h *handler) loginPage(w http.ResponseWriter, r *http.Request) {
	if lang := r.URL.Query().Get("lang"); lang != "" {
		h.setCookie(w, r, langCookie, language(lang), 365*24*time.Hour)
		r.AddCookie(&http.Cookie{Name: langCookie, Value: language(lang)})
	}
	next := localPath(r.URL.Query().Get("next"), "/")
	if _, err := h.loadSession(r); err == nil {
		redirect(w, r, next)
		return
	}
	h.showLogin(w, r, loginPage{Next: next}, nil, 0)
}

// showLogin renders the login form with its CSRF token: the browser's
// current one, so that several tabs (and the favicon's redirect) do not
// invalidate each other, or a new one.
func (h *handler) showLogin(w http.ResponseWriter, r *http.Request, d loginPage, err error, status int) {
	if c, cerr := r.Cookie(loginCSRF); cerr == nil && len(c.Value) == len(newToken()) {
		d.Token = c.Value
	} else {
		d.Token = newToken()
	}
	h.setCookie(w, r, loginCSRF, d.Token, time.Hour)
	h.render(w, r, nil, "login", page{Title: "login.title", Data: d, Err: err, Status: status})
}

// login checks the email and password, throttled per email and client
// address, and starts a session.
func (h *handler) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil || !h.validLoginCSRF(r) {
		h.showLogin(w, r, loginPage{}, keyError("error.csrf"), http.StatusForbidden)
		return
	}
	d := loginPage{Email: strings.ToLower(strings.TrimSpace(r.PostFormValue("email"))),
		Next: localPath(r.PostFormValue("next"), "/")}
	a, err := h.authenticate(r, d.Email, r.PostFormValue("password"))
	if err != nil {
		status := http.StatusUnauthorized
		if errors.Is(err, errThrottled) {
			status = http.StatusTooManyRequests
		}
		var le keyError
		if !errors.As(err, &le) {
			h.log.ErrorContext(r.Context(), "admin: login", "err", err)
			err = keyError("error.internal")
			status = http.StatusInternalServerError
		}
		h.showLogin(w, r, d, err, status)
		return
	}
	if err := h.startSession(w, r, a); err != nil {
		h.log.ErrorContext(r.Context(), "admin: start session", "err", err)
		h.showLogin(w, r, d, keyError("error.internal"), http.StatusInternalServerError)
		return
	}
	h.setCookie(w, r, loginCSRF, "", 0)
	redirect(w, r, d.Next)
}

var errThrottled = keyError("login.throttled")

// authenticate returns the admin with the email and password, refusing
// further attempts after too many failures from the same client.
func (h *handler) authenticate(r *http.Request, email, pw string) (store.Admin, error) {
	ctx, now := r.Context(), h.now()
	key := email + "|" + h.clientIP(r)
	n, err := h.store.CountLoginFailures(ctx, key, now.Add(-h.opts.LoginWindow))
	if err != nil {
		return store.Admin{}, err
	}
	if n >= h.opts.LoginLimit {
		return store.Admin{}, errThrottled
	}
	a, err := h.store.AdminByEmail(ctx, email)
	hash := a.PasswordHash
	if errors.Is(err, store.ErrNotFound) {
		hash = dummyHash()
	} else if err != nil {
		return a, err
	}
	ok, _ := checkPassword(hash, pw)
	if !ok || a.ID == "" {
		if err := h.store.AddLoginFailure(ctx, key, now); err != nil {
			return a, err
		}
		return a, keyError("login.failed")
	}
	a.LastLoginAt = &now
	return a, h.afterLogin(r, key, a)
}

// afterLogin records the login and sweeps old failures and sessions.
func (h *handler) afterLogin(r *http.Request, key string, a store.Admin) error {
	ctx, now := r.Context(), h.now()
	if err := h.store.ClearLoginFailures(ctx, key, now.Add(-h.opts.LoginWindow)); err != nil {
		return err
	}
	if err := h.store.DeleteExpiredAdminSessions(ctx, now); err != nil {
		return err
	}
	return h.store.UpdateAdmin(ctx, a)
}

// validLoginCSRF checks the login form's double-submit token.
func (h *handler) validLoginCSRF(r *http.Request) bool {
	c, err := r.Cookie(loginCSRF)
	got := r.PostFormValue("csrf")
	return err == nil && c.Value != "" && r.Header.Get("Sec-Fetch-Site") != "cross-site" &&
		subtle.ConstantTimeCompare([]byte(c.Value), []byte(got)) == 1
}

// clientIP is the address throttling counts by.
func (h *handler) clientIP(r *http.Request) string {
	if h.opts.TrustProxy {
		parts := strings.Split(r.Header.Get("X-Forwarded-For"), ",")
		if ip := strings.TrimSpace(parts[len(parts)-1]); ip != "" {
			return ip
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// logout ends the session.
func (h *handler) logout(w http.ResponseWriter, r *http.Request, s *session) {
	if err := h.store.DeleteAdminSession(r.Context(), s.id); err != nil {
		h.log.ErrorContext(r.Context(), "admin: logout", "err", err)
	}
	h.setCookie(w, r, sessionCookie, "", 0)
	redirect(w, r, "/login")
}

// switchLanguage stores the admin's UI language and returns to the page.
func (h *handler) switchLanguage(w http.ResponseWriter, r *http.Request, s *session) {
	s.admin.Language = language(r.PostFormValue("lang"))
	if err := h.store.UpdateAdmin(r.Context(), s.admin); err != nil {
		h.log.ErrorContext(r.Context(), "admin: switch language", "err", err)
	}
	h.setCookie(w, r, langCookie, s.admin.Language, 365*24*time.Hour)
	redirect(w, r, localPath(r.PostFormValue("back"), "/"))
}
