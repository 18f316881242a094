package api

import (
	"cmp"
	"net/http"
	"strconv"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/catalog"
	"github.com/avisera/avisera/engine"
	"github.com/avisera/avisera/store"
)

func (h *handler) listEventTypes(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	writeJSON(w, http.StatusOK, map[string]any{"items": catalog.All()})
}

func (h *handler) getEventType(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	et, ok := catalog.Lookup(r.PathValue("type"))
	if !ok {
		h.writeError(w, r, avisera.NotFound("event type", r.PathValue("type")))
		return
	}
	writeJSON(w, http.StatusOK, et)
}

// messageRequest is the body of POST and PUT /messages.
type messageRequest struct {
	EventType    string                     `json:"event_type"`
	Name         string                     `json:"name"`
	Subject      string                     `json:"subject"`
	EmailBody    string                     `json:"email_body"`
	SMSBody      string                     `json:"sms_body"`
	Language     string                     `json:"language"`
	Variants     map[string]avisera.Content `json:"variants"`
	LogoURL      string                     `json:"logo_url"`
	IncludeFiles bool                       `json:"include_files"`
	Note         string                     `json:"note"`
}

func (m messageRequest) input() engine.MessageInput {
	return engine.MessageInput{EventType: m.EventType, Name: m.Name, Language: m.Language, Variants: m.Variants,
		Content: avisera.Content{Subject: m.Subject, EmailBody: m.EmailBody, SMSBody: m.SMSBody},
		LogoURL: m.LogoURL, IncludeFiles: m.IncludeFiles, Note: m.Note}
}

// changedBy names who makes a change: the X-Avisera-User header a host may
// set for its own user, else the API.
func changedBy(r *http.Request) string {
	if u := r.Header.Get("X-Avisera-User"); u != "" && len(u) <= 200 {
		return u
	}
	return "api"
}

func (h *handler) createMessage(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	var req messageRequest
	if err := decode(w, r, &req); err != nil {
		h.writeError(w, r, err)
		return
	}
	m, err := h.engine.CreateMessage(r.Context(), t.ID, req.input(), changedBy(r))
	h.respond(w, r, http.StatusCreated, m, err)
}

func (h *handler) updateMessage(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	var req messageRequest
	if err := decode(w, r, &req); err != nil {
		h.writeError(w, r, err)
		return
	}
	m, err := h.engine.UpdateMessage(r.Context(), t.ID, r.PathValue("id"), req.input(), changedBy(r))
	h.respond(w, r, http.StatusOK, m, err)
}

func (h *handler) getMessage(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	m, err := h.engine.GetMessage(r.Context(), t.ID, r.PathValue("id"))
	h.respond(w, r, http.StatusOK, m, err)
}

func (h *handler) listMessages(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	p, err := pageOf(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	f := store.MessageFilter{EventType: r.URL.Query().Get("event_type"), Archived: r.URL.Query().Get("archived") == "true"}
	l, err := h.engine.ListMessages(r.Context(), t.ID, f, p)
	h.respond(w, r, http.StatusOK, l, err)
}

func (h *handler) archiveMessage(archived bool) tenantHandler {
	return func(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
		m, err := h.engine.SetMessageArchived(r.Context(), t.ID, r.PathValue("id"), archived)
		h.respond(w, r, http.StatusOK, m, err)
	}
}

func (h *handler) listVersions(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	vs, err := h.engine.MessageVersions(r.Context(), t.ID, r.PathValue("id"))
	h.respond(w, r, http.StatusOK, map[string]any{"items": vs}, err)
}

func (h *handler) getVersion(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	n, err := strconv.Atoi(r.PathValue("version"))
	if err != nil {
		h.writeError(w, r, avisera.NotFound("message version", r.PathValue("version")))
		return
	}
	v, err := h.engine.MessageVersion(r.Context(), t.ID, r.PathValue("id"), n)
	h.respond(w, r, http.StatusOK, v, err)
}

func (h *handler) diffVersions(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	q := r.URL.Query()
	from, err1 := strconv.Atoi(q.Get("from"))
	to, err2 := strconv.Atoi(q.Get("to"))
	switch {
	case err1 != nil:
		h.writeError(w, r, avisera.Invalid("from", "a version number is required"))
		return
	case err2 != nil:
		h.writeError(w, r, avisera.Invalid("to", "a version number is required"))
		return
	}
	d, err := h.engine.DiffVersions(r.Context(), t.ID, r.PathValue("id"), from, to)
	h.respond(w, r, http.StatusOK, d, err)
}

// draftPreview is the body of the preview of unsaved content: the message
// fields, the data, and the language variant to show (preview_language, or
// the query parameter language).
type draftPreview struct {
	messageRequest
	PreviewLanguage string         `json:"preview_language"`
	Data            map[string]any `json:"data"`
}

// storedPreview is the body of the preview of a stored message or link.
type storedPreview struct {
	Version  int            `json:"version"`
	Language string         `json:"language"`
	Data     map[string]any `json:"data"`
}

func (p storedPreview) request() engine.PreviewRequest {
	return engine.PreviewRequest{Version: p.Version, Language: p.Language, Data: p.Data}
}

func (h *handler) previewMessage(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	var req storedPreview
	if err := decodeOptional(w, r, &req); err != nil {
		h.writeError(w, r, err)
		return
	}
	p, err := h.engine.PreviewMessage(r.Context(), t.ID, r.PathValue("id"), req.request())
	h.respond(w, r, http.StatusOK, p, err)
}

func (h *handler) previewDraft(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	var req draftPreview
	if err := decode(w, r, &req); err != nil {
		h.writeError(w, r, err)
		return
	}
	lang := cmp.Or(req.PreviewLanguage, r.URL.Query().Get("language"))
	p, err := h.engine.PreviewDraft(r.Context(), t.ID, req.input(), engine.PreviewRequest{Language: lang, Data: req.Data})
	h.respond(w, r, http.StatusOK, p, err)
}
