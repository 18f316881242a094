package api

import (
	"net/http"

	"github.com/avisera/avisera"
)

func (h *handler) getTenant(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	t.Settings.SMSPassword = mask(t.Settings.SMSPassword)
	writeJSON(w, http.StatusOK, t)
}

func (h *handler) listAPIKeys(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	keys, err := h.engine.Store().ListAPIKeys(r.Context(), t.ID)
	if keys == nil {
		keys = []avisera.APIKey{}
	}
	h.respond(w, r, http.StatusOK, map[string]any{"items": keys}, err)
}

func (h *handler) createAPIKey(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	var req struct {
		Name string `json:"name"`
	}
	if err := decode(w, r, &req); err != nil {
		h.writeError(w, r, err)
		return
	}
	secret, k, err := h.engine.CreateAPIKey(r.Context(), t.ID, req.Name)
	h.respond(w, r, http.StatusCreated, struct {
		avisera.APIKey
		Key string `json:"key"`
	}{k, secret}, err)
}

func (h *handler) revokeAPIKey(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	err := h.engine.RevokeAPIKey(r.Context(), t.ID, r.PathValue("id"))
	h.respond(w, r, http.StatusNoContent, nil, err)
}
