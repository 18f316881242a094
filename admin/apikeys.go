package admin

import (
	"net/http"

	"github.com/avisera/avisera"
)

// apiKeysPage lists the tenant's API keys; Secret is a new key's secret,
// shown this once.
type apiKeysPage struct {
	Keys    []avisera.APIKey
	Secret  string
	NewName string
}

// apiKeys lists the keys.
func (h *handler) apiKeys(w http.ResponseWriter, r *http.Request, s *session) {
	h.showKeys(w, r, s, apiKeysPage{}, nil)
}

func (h *handler) showKeys(w http.ResponseWriter, r *http.Request, s *session, d apiKeysPage, err error) {
	keys, lerr := h.engine.Store().ListAPIKeys(r.Context(), s.tenant.ID)
	if err == nil {
		err = lerr
	}
	d.Keys = keys
	h.render(w, r, s, "apikeys", page{Nav: "apikeys", Title: "apikeys.title", Data: d, Err: err})
}

// createAPIKey makes a key and shows its secret once.
func (h *handler) createAPIKey(w http.ResponseWriter, r *http.Request, s *session) {
	name := formText(r, "name")
	secret, _, err := h.engine.CreateAPIKey(r.Context(), s.tenant.ID, name)
	if err != nil {
		h.showKeys(w, r, s, apiKeysPage{NewName: name}, err)
		return
	}
	h.showKeys(w, r, s, apiKeysPage{Secret: secret}, nil)
}

// revokeAPIKey revokes a key; the host can no longer use it.
func (h *handler) revokeAPIKey(w http.ResponseWriter, r *http.Request, s *session) {
	if err := h.engine.RevokeAPIKey(r.Context(), s.tenant.ID, r.PathValue("id")); err != nil {
		h.setFlash(w, r, "error", "flash.failed", explain(s.lang(), err).Message)
	} else {
		h.setFlash(w, r, "ok", "flash.key_revoked")
	}
	redirect(w, r, "/api-keys")
}
