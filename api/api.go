// Package api is Avisera's JSON API under /api/v1 (DESIGN §7): one handler
// built by NewHandler from its dependencies, every route listed in routes,
// every request authenticated by an API key that scopes it to one tenant.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/engine"
)

// handler holds the API's dependencies.
type handler struct {
	engine *engine.Engine
	logger *slog.Logger
}

// NewHandler returns the /api/v1 handler.
func NewHandler(e *engine.Engine, logger *slog.Logger) http.Handler {
	h := &handler{engine: e, logger: logger}
	mux := http.NewServeMux()
	h.routes(mux)
	return mux
}

// objectPaths maps the API's path segments to contact-link object types.
var objectPaths = map[string]string{
	"customers": avisera.ObjectCustomer,
	"contracts": avisera.ObjectContract,
	"org-units": avisera.ObjectOrgUnit,
	"places":    avisera.ObjectPlace,
	"users":     avisera.ObjectUser,
}

func (h *handler) routes(mux *http.ServeMux) {
	const p = "/api/v1"
	mux.Handle(p+"/", h.auth(func(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
		h.writeError(w, r, avisera.Errorf(avisera.ENOTFOUND, "no route %s %s", r.Method, r.URL.Path))
	}))
	mux.Handle("GET "+p+"/tenant", h.auth(h.getTenant))
	mux.Handle("GET "+p+"/api-keys", h.auth(h.listAPIKeys))
	mux.Handle("POST "+p+"/api-keys", h.auth(h.createAPIKey))
	mux.Handle("DELETE "+p+"/api-keys/{id}", h.auth(h.revokeAPIKey))

	mux.Handle("PUT "+p+"/org-units/{id}", h.auth(h.putOrgUnit))
	mux.Handle("GET "+p+"/org-units/{id}", h.auth(h.getOrgUnit))
	mux.Handle("GET "+p+"/org-units", h.auth(h.listOrgUnits))
	mux.Handle("PUT "+p+"/customers/{id}", h.auth(h.putCustomer))
	mux.Handle("GET "+p+"/customers/{id}", h.auth(h.getCustomer))
	mux.Handle("GET "+p+"/customers", h.auth(h.listCustomers))
	mux.Handle("PUT "+p+"/contracts/{id}", h.auth(h.putContract))
	mux.Handle("GET "+p+"/contracts/{id}", h.auth(h.getContract))
	mux.Handle("GET "+p+"/contracts", h.auth(h.listContracts))
	mux.Handle("PUT "+p+"/places/{id}", h.auth(h.putPlace))
	mux.Handle("GET "+p+"/places/{id}", h.auth(h.getPlace))
	mux.Handle("GET "+p+"/places", h.auth(h.listPlaces))
	mux.Handle("PUT "+p+"/users/{id}", h.auth(h.putUser))
	mux.Handle("GET "+p+"/users/{id}", h.auth(h.getUser))
	mux.Handle("GET "+p+"/users", h.auth(h.listUsers))
	mux.Handle("PUT "+p+"/users/{id}/device", h.auth(h.loginDevice))
	mux.Handle("DELETE "+p+"/users/{id}/device", h.auth(h.logoutDevice))

	mux.Handle("POST "+p+"/contacts", h.auth(h.createContact))
	mux.Handle("GET "+p+"/contacts", h.auth(h.searchContacts))
	mux.Handle("GET "+p+"/contacts/{id}", h.auth(h.getContact))
	mux.Handle("PUT "+p+"/contacts/{id}", h.auth(h.updateContact))
	mux.Handle("POST "+p+"/contacts/{id}/merge", h.auth(h.mergeContacts))
	mux.Handle("POST "+p+"/contacts/{id}/deactivate", h.auth(h.setContactActive(false)))
	mux.Handle("POST "+p+"/contacts/{id}/activate", h.auth(h.setContactActive(true)))
	for path, objectType := range objectPaths {
		mux.Handle("GET "+p+"/"+path+"/{id}/contacts", h.auth(h.objectContacts(objectType)))
		mux.Handle("PUT "+p+"/"+path+"/{id}/contacts/{contact_id}", h.auth(h.linkContact(objectType)))
		mux.Handle("DELETE "+p+"/"+path+"/{id}/contacts/{contact_id}", h.auth(h.unlinkContact(objectType)))
	}
}

// tenantHandler is a handler of an authenticated request.
type tenantHandler func(w http.ResponseWriter, r *http.Request, t avisera.Tenant)

type tenantKey struct{}

// auth authenticates the API key and passes the tenant on.
func (h *handler) auth(next tenantHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		t, err := h.engine.Authenticate(r.Context(), strings.TrimSpace(key))
		if !ok || err != nil {
			if err == nil {
				err = avisera.Errorf(avisera.EUNAUTHORIZED, "a valid API key is required (Authorization: Bearer <key>)")
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="avisera"`)
			h.writeError(w, r, err)
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), tenantKey{}, t)), t)
	})
}

// pageOf reads q, limit and cursor query parameters.
func pageOf(r *http.Request) (avisera.Page, error) {
	q := r.URL.Query()
	p := avisera.Page{Q: q.Get("q"), After: q.Get("cursor")}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
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
