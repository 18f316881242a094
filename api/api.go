// Package api is Avisera's JSON API under /api/v1 (DESIGN §7): one handler
// built by NewHandler from its dependencies, every route listed in routes,
// every request authenticated by an API key that scopes it to one tenant.
package api

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/engine"
)

// handler holds the API's dependencies.
type handler struct {
	engine    *engine.Engine
	logger    *slog.Logger
	maxFile   int64
	publicURL string
}

// Options configure the API handler.
type Options struct {
	Logger      *slog.Logger
	MaxFileSize int64  // upload limit of POST /files (default 50 MB)
	PublicURL   string // the base URL providers call back on (Twilio signs it)
}

// NewHandler returns the handler of /api/v1 and of download links (/d/).
func NewHandler(e *engine.Engine, opts Options) http.Handler {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = 50 << 20
	}
	h := &handler{engine: e, logger: opts.Logger, maxFile: opts.MaxFileSize, publicURL: strings.TrimSuffix(opts.PublicURL, "/")}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/webhooks/{provider}/{secret}", h.webhook)
	mux.HandleFunc("POST /api/v1/webhooks/{provider}", h.webhook)
	mux.HandleFunc("GET /d/{token}", h.download)
	for _, rt := range h.routes() {
		mux.Handle(rt.pattern, h.auth(rt.handle))
	}
	mux.Handle(catchAll, h.auth(func(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
		if allow := allowedMethods(mux, r); len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			writeJSON(w, http.StatusMethodNotAllowed, errorBody{Code: "method_not_allowed",
				Message: fmt.Sprintf("%s is not a method of %s; it takes %s", r.Method, r.URL.Path, strings.Join(allow, ", "))})
			return
		}
		h.writeError(w, r, avisera.Errorf(avisera.ENOTFOUND, "no route %s %s", r.Method, r.URL.Path))
	}))
	return mux
}

// catchAll is the pattern of the requests no route takes.
const catchAll = "/api/v1/"

// allowedMethods lists the methods that have a route at r's path: a
// request with another method answers 405 with them in Allow, not 404.
func allowedMethods(mux *http.ServeMux, r *http.Request) []string {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete} {
		if _, pattern := mux.Handler(&http.Request{Method: m, URL: r.URL, Host: r.Host}); pattern != catchAll && pattern != "" {
			allow = append(allow, m)
		}
	}
	return allow
}

// objectPaths maps the API's path segments to contact-link object types.
var objectPaths = map[string]string{
	"customers": avisera.ObjectCustomer,
	"contracts": avisera.ObjectContract,
	"org-units": avisera.ObjectOrgUnit,
	"places":    avisera.ObjectPlace,
	"users":     avisera.ObjectUser,
}

// route is one authenticated API route.
type route struct {
	pattern string // "METHOD /path"
	handle  tenantHandler
}

// routes lists every /api/v1 route in one place.
func (h *handler) routes() []route {
	const p = "/api/v1"
	rs := []route{
		{"GET " + p + "/tenant", h.getTenant},
		{"PUT " + p + "/tenant", h.putTenant},
		{"GET " + p + "/tenant/webhook-urls", h.webhookURLs},
		{"POST " + p + "/tenant/webhook-secret", h.rotateWebhookSecret},
		{"POST " + p + "/files", h.uploadFile},
		{"GET " + p + "/files/{id}", h.getFile},
		{"GET " + p + "/api-keys", h.listAPIKeys},
		{"POST " + p + "/api-keys", h.createAPIKey},
		{"DELETE " + p + "/api-keys/{id}", h.revokeAPIKey},

		{"PUT " + p + "/org-units/{id}", h.putOrgUnit},
		{"GET " + p + "/org-units/{id}", h.getOrgUnit},
		{"GET " + p + "/org-units", h.listOrgUnits},
		{"PUT " + p + "/customers/{id}", h.putCustomer},
		{"GET " + p + "/customers/{id}", h.getCustomer},
		{"GET " + p + "/customers", h.listCustomers},
		{"PUT " + p + "/contracts/{id}", h.putContract},
		{"GET " + p + "/contracts/{id}", h.getContract},
		{"GET " + p + "/contracts", h.listContracts},
		{"PUT " + p + "/places/{id}", h.putPlace},
		{"GET " + p + "/places/{id}", h.getPlace},
		{"GET " + p + "/places", h.listPlaces},
		{"PUT " + p + "/users/{id}", h.putUser},
		{"GET " + p + "/users/{id}", h.getUser},
		{"GET " + p + "/users", h.listUsers},
		{"PUT " + p + "/users/{id}/device", h.loginDevice},
		{"DELETE " + p + "/users/{id}/device", h.logoutDevice},

		{"POST " + p + "/contacts", h.createContact},
		{"GET " + p + "/contacts", h.searchContacts},
		{"GET " + p + "/contacts/{id}", h.getContact},
		{"PUT " + p + "/contacts/{id}", h.updateContact},
		{"POST " + p + "/contacts/{id}/merge", h.mergeContacts},
		{"POST " + p + "/contacts/{id}/deactivate", h.setContactActive(false)},
		{"POST " + p + "/contacts/{id}/activate", h.setContactActive(true)},

		{"GET " + p + "/event-types", h.listEventTypes},
		{"GET " + p + "/event-types/{type}", h.getEventType},
		{"POST " + p + "/messages", h.createMessage},
		{"GET " + p + "/messages", h.listMessages},
		{"POST " + p + "/messages/preview", h.previewDraft},
		{"GET " + p + "/messages/{id}", h.getMessage},
		{"PUT " + p + "/messages/{id}", h.updateMessage},
		{"POST " + p + "/messages/{id}/archive", h.archiveMessage(true)},
		{"POST " + p + "/messages/{id}/restore", h.archiveMessage(false)},
		{"GET " + p + "/messages/{id}/versions", h.listVersions},
		{"GET " + p + "/messages/{id}/versions/{version}", h.getVersion},
		{"GET " + p + "/messages/{id}/diff", h.diffVersions},
		{"POST " + p + "/messages/{id}/preview", h.previewMessage},
		{"GET " + p + "/messages/{id}/links", h.messageLinks},
		{"POST " + p + "/messages/{id}/relink", h.relinkMessage},

		{"POST " + p + "/links", h.createLink},
		{"GET " + p + "/links", h.listLinks},
		{"GET " + p + "/links/{id}", h.getLink},
		{"PUT " + p + "/links/{id}", h.updateLink},
		{"DELETE " + p + "/links/{id}", h.deleteLink},
		{"POST " + p + "/links/{id}/relink", h.relink},
		{"POST " + p + "/links/{id}/preview", h.previewLink},
		{"GET " + p + "/objects/{type}/{id}/effective-links", h.effectiveLinks("")},

		{"POST " + p + "/events", h.postEvent},
		{"POST " + p + "/events:batch", h.postEventBatch},
		{"GET " + p + "/events/{id}", h.getEvent},
		{"GET " + p + "/deliveries", h.listDeliveries},
		{"GET " + p + "/deliveries/export", h.exportDeliveries},
		{"GET " + p + "/deliveries/{id}", h.getDelivery},
		{"POST " + p + "/deliveries/{id}/resend", h.resendDelivery},
		{"PUT " + p + "/plans/{type}/{id}", h.putPlan},
		{"GET " + p + "/plans/{type}/{id}", h.getPlan},
		{"DELETE " + p + "/plans/{type}/{id}", h.cancelPlan},
		{"GET " + p + "/plans", h.listPlans},
		{"GET " + p + "/dev/mailbox", h.listMailbox},
		{"DELETE " + p + "/dev/mailbox", h.clearMailbox},
	}
	for _, path := range []string{"customers", "contracts", "org-units", "places", "users"} {
		objectType := objectPaths[path]
		rs = append(rs,
			route{"GET " + p + "/" + path + "/{id}/effective-links", h.effectiveLinks(objectType)},
			route{"GET " + p + "/" + path + "/{id}/contacts", h.objectContacts(objectType)},
			route{"PUT " + p + "/" + path + "/{id}/contacts/{contact_id}", h.linkContact(objectType)},
			route{"DELETE " + p + "/" + path + "/{id}/contacts/{contact_id}", h.unlinkContact(objectType)})
	}
	return rs
}

// tenantHandler is a handler of an authenticated request.
type tenantHandler func(w http.ResponseWriter, r *http.Request, t avisera.Tenant)

// auth authenticates the API key and passes the tenant on.
func (h *handler) auth(next tenantHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t, err := h.engine.Authenticate(r.Context(), bearer(r))
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="avisera"`)
			h.writeError(w, r, err)
			return
		}
		next(w, r, t)
	})
}

// bearer returns the key of a Bearer Authorization header (the scheme is
// case-insensitive, RFC 9110), "" for any other header, which
// Authenticate refuses.
func bearer(r *http.Request) string {
	scheme, key, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(key)
}

// pageOf reads q, limit and cursor query parameters.
func pageOf(r *http.Request) (avisera.Page, error) {
	q := r.URL.Query()
	p := avisera.Page{Q: q.Get("q"), After: q.Get("cursor")}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(v, "-") {
			n, err = math.MaxInt, nil // clamped below, as any limit over the largest page
		}
		if err != nil || n < 1 {
			return p, avisera.Invalid("limit", "must be a positive whole number")
		}
		p.Limit = n
	}
	return p.Normalize(), nil
}

// respond writes v or the error.
func (h *handler) respond(w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if v == nil {
		w.WriteHeader(status)
		return
	}
	writeJSON(w, status, v)
}

// putStatus is 201 for a created object and 200 for an updated one.
func putStatus(created bool) int {
	if created {
		return http.StatusCreated
	}
	return http.StatusOK
}
