package api

import (
	"net/http"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/engine"
)

// contactRequest is the body of POST and PUT /contacts.
type contactRequest struct {
	Name     string   `json:"name"`
	Emails   []string `json:"emails"`
	Phones   []string `json:"phones"`
	Language string   `json:"language"`
	Active   *bool    `json:"active"`
}

func (c contactRequest) input() engine.ContactInput {
	return engine.ContactInput{Name: c.Name, Emails: c.Emails, Phones: c.Phones, Language: c.Language, Active: c.Active}
}

func (h *handler) createContact(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	var req contactRequest
	if err := decode(w, r, &req); err != nil {
		h.writeError(w, r, err)
		return
	}
	c, err := h.engine.CreateContact(r.Context(), t.ID, req.input())
	h.respond(w, r, http.StatusCreated, c, err)
}

func (h *handler) updateContact(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	var req contactRequest
	if err := decode(w, r, &req); err != nil {
		h.writeError(w, r, err)
		return
	}
	c, err := h.engine.UpdateContact(r.Context(), t.ID, r.PathValue("id"), req.input())
	h.respond(w, r, http.StatusOK, c, err)
}

func (h *handler) getContact(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	c, links, err := h.engine.GetContact(r.Context(), t.ID, r.PathValue("id"))
	if links == nil {
		links = []avisera.ContactLink{}
	}
	h.respond(w, r, http.StatusOK, struct {
		avisera.Contact
		Links []avisera.ContactLink `json:"links"`
	}{c, links}, err)
}

func (h *handler) searchContacts(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	listWith(h, w, r, t, h.engine.SearchContacts)
}

func (h *handler) mergeContacts(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	var req struct {
		FromID string `json:"from_id"`
	}
	if err := decode(w, r, &req); err != nil {
		h.writeError(w, r, err)
		return
	}
	if req.FromID == "" {
		h.writeError(w, r, avisera.Invalid("from_id", "is required"))
		return
	}
	c, err := h.engine.MergeContacts(r.Context(), t.ID, r.PathValue("id"), req.FromID)
	h.respond(w, r, http.StatusOK, c, err)
}

func (h *handler) setContactActive(active bool) tenantHandler {
	return func(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
		c, err := h.engine.SetContactActive(r.Context(), t.ID, r.PathValue("id"), active)
		h.respond(w, r, http.StatusOK, c, err)
	}
}

func (h *handler) objectContacts(objectType string) tenantHandler {
	return func(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
		links, err := h.engine.ObjectContacts(r.Context(), t.ID, objectType, r.PathValue("id"))
		h.respond(w, r, http.StatusOK, map[string]any{"items": links}, err)
	}
}

func (h *handler) linkContact(objectType string) tenantHandler {
	return func(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
		var req struct {
			Roles []string `json:"roles"`
		}
		if err := decode(w, r, &req); err != nil {
			h.writeError(w, r, err)
			return
		}
		if req.Roles == nil { // a forgotten list must not clear the roles
			h.writeError(w, r, avisera.Invalid("roles", `is required: a list such as ["notification_recipient"], [] for none`))
			return
		}
		l, err := h.engine.LinkContact(r.Context(), t.ID, avisera.ContactLink{ObjectType: objectType,
			ObjectID: r.PathValue("id"), ContactID: r.PathValue("contact_id"), Roles: req.Roles})
		h.respond(w, r, http.StatusOK, l, err)
	}
}

func (h *handler) unlinkContact(objectType string) tenantHandler {
	return func(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
		err := h.engine.UnlinkContact(r.Context(), t.ID, objectType, r.PathValue("id"), r.PathValue("contact_id"))
		h.respond(w, r, http.StatusNoContent, nil, err)
	}
}
