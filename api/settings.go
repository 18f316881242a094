package api

import (
	"net/http"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/engine"
)

func (h *handler) putTenant(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	var req struct {
		Name     string                 `json:"name"`
		Region   string                 `json:"region"`
		Language string                 `json:"language"`
		TimeZone string                 `json:"time_zone"`
		Settings avisera.TenantSettings `json:"settings"`
	}
	if err := decode(w, r, &req); err != nil {
		h.writeError(w, r, err)
		return
	}
	nt, err := h.engine.UpdateTenant(r.Context(), t.ID, engine.TenantUpdate{Name: req.Name, Region: req.Region,
		Language: req.Language, TimeZone: req.TimeZone, Settings: req.Settings})
	nt.Settings.SMSPassword = mask(nt.Settings.SMSPassword)
	h.respond(w, r, http.StatusOK, nt, err)
}

// mask hides a stored secret in answers.
func mask(s string) string {
	if s == "" {
		return ""
	}
	return engine.PasswordMask
}
