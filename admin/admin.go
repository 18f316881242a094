// Package admin is Avisera's admin web UI: server-rendered html/template
// pages, one file per screen, with htmx for partial updates; templates,
// styles and scripts are embedded in the binary. Every action calls an
// engine method: the package adds no business rule of its own, only what a
// browser needs — logins with argon2id passwords, sessions, CSRF tokens,
// throttled login attempts, the roles admin and report_reader, and the
// translation of every label (Swedish by default, English per user).
package admin

import (
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/avisera/avisera/engine"
	"github.com/avisera/avisera/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Options configure the admin UI. The zero value works for a local
// installation over plain HTTP.
type Options struct {
	// Logger receives request failures; nil discards them.
	Logger *slog.Logger
	// SecureCookies marks cookies Secure. Set it when users reach the UI
	// over HTTPS through a proxy; requests that arrive over TLS get Secure
	// cookies anyway.
	SecureCookies bool
	// TrustProxy takes the client address from X-Forwarded-For and the
	// scheme from X-Forwarded-Proto (set it only behind a proxy that
	// writes them).
	TrustProxy bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// SessionTTL is how long a login lasts (default 12 hours).
	SessionTTL time.Duration
	// LoginLimit failed attempts per email and client address within
	// LoginWindow lock further attempts (default 5 per minute).
	LoginLimit  int
	LoginWindow time.Duration
}

func (o Options) withDefaults() Options {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.SessionTTL <= 0 {
		o.SessionTTL = 12 * time.Hour
	}
	if o.LoginLimit <= 0 {
		o.LoginLimit = 5
	}
	if o.LoginWindow <= 0 {
		o.LoginWindow = time.Minute
	}
	return o
}

// handler holds the UI's dependencies.
type handler struct {
	engine *engine.Engine
	store  store.Store
	opts   Options
	log    *slog.Logger
	views  views
}

// NewHandler returns the admin UI, to be mounted at /. It panics if the
// embedded templates do not parse, which tests catch.
func NewHandler(eng *engine.Engine, st store.Store, opts Options) http.Handler {
	opts = opts.withDefaults()
	h := &handler{engine: eng, store: st, opts: opts, log: opts.Logger, views: mustParseViews()}
	mux := http.NewServeMux()
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/static/favicon.svg", http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /login", h.loginPage)
	mux.HandleFunc("POST /login", h.login)
	for _, rt := range h.routes() {
		mux.Handle(rt.pattern, h.authed(rt.role, rt.handle))
	}
	mux.Handle("/", h.authed(roleReader, h.notFound))
	return securityHeaders(mux)
}

// now returns the UI's current time.
func (h *handler) now() time.Time { return h.opts.Now().UTC() }

// cacheStatic lets browsers keep the embedded assets for an hour.
func cacheStatic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}

// securityHeaders forbids framing and foreign scripts. Styles may be
// inline because rendered emails (shown in sandboxed frames) carry them.
func securityHeaders(next http.Handler) http.Handler {
	const csp = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https: http:; " +
		"frame-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", csp)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}
