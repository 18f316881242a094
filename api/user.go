package api

import (
	"net/http"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/engine"
)

func (h *handler) putUser(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	var req struct {
		Name                  string   `json:"name"`
		Role                  string   `json:"role"`
		NotificationRecipient *bool    `json:"notification_recipient"`
		ValidFrom             *string  `json:"valid_from"`
		ValidTo               *string  `json:"valid_to"`
		Language              string   `json:"language"`
		OrgUnitIDs            []string `json:"org_unit_ids"`
		Emails                []string `json:"emails"`
		Phones                []string `json:"phones"`
	}
	if err := decode(w, r, &req); err != nil {
		h.writeError(w, r, err)
		return
	}
	if req.NotificationRecipient == nil {
		h.writeError(w, r, avisera.Invalid("notification_recipient", "is required (true or false)"))
		return
	}
	u := avisera.User{ID: r.PathValue("id"), Name: req.Name, Role: req.Role, Language: req.Language,
		NotificationRecipient: *req.NotificationRecipient, OrgUnitIDs: req.OrgUnitIDs}
	var err error
	if u.ValidFrom, u.ValidTo, err = parsePeriod(req.ValidFrom, req.ValidTo); err != nil {
		h.writeError(w, r, err)
		return
	}
	if u.OrgUnitIDs == nil {
		u.OrgUnitIDs = []string{}
	}
	u, created, err := h.engine.PutUser(r.Context(), t.ID, engine.UserInput{User: u, Emails: req.Emails, Phones: req.Phones})
	h.respond(w, r, putStatus(created), u, err)
}

func (h *handler) getUser(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	u, err := h.engine.GetUser(r.Context(), t.ID, r.PathValue("id"))
	h.respond(w, r, http.StatusOK, u, err)
}

func (h *handler) listUsers(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	listWith(h, w, r, t, h.engine.ListUsers)
}

func (h *handler) loginDevice(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	var req struct {
		Phone string `json:"phone"`
	}
	if err := decode(w, r, &req); err != nil {
		h.writeError(w, r, err)
		return
	}
	d, err := h.engine.LoginDevice(r.Context(), t.ID, r.PathValue("id"), req.Phone)
	h.respond(w, r, http.StatusOK, d, err)
}

func (h *handler) logoutDevice(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	err := h.engine.LogoutDevice(r.Context(), t.ID, r.PathValue("id"))
	h.respond(w, r, http.StatusNoContent, nil, err)
}
