package api

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

// linkRequest is the body of POST /links and PUT /links/{id}.
type linkRequest struct {
	MessageID  string                    `json:"message_id"`
	Trigger    string                    `json:"trigger"`
	Offset     string                    `json:"offset"`
	OffsetFrom string                    `json:"offset_from"`
	Target     *avisera.Target           `json:"target"`
	Channels   []string                  `json:"channels"`
	ValidFrom  *string                   `json:"valid_from"`
	ValidTo    *string                   `json:"valid_to"`
	Static     []avisera.StaticRecipient `json:"static"`
	Dynamic    []string                  `json:"dynamic"`
	Urgent     bool                      `json:"urgent"`
	TimeOfDay  string                    `json:"time_of_day"`
	Schedule   avisera.Schedule          `json:"schedule"`
}

func (req linkRequest) link() (avisera.Link, error) {
	if req.Target == nil {
		return avisera.Link{}, avisera.Invalid("target", `is required: {"type": "tenant"} or {"type": "customer", "id": "…"}`)
	}
	offset, err := avisera.ParseDuration(req.Offset)
	if err != nil {
		return avisera.Link{}, avisera.Invalid("offset", "%v", err)
	}
	l := avisera.Link{MessageID: req.MessageID, Trigger: req.Trigger, Offset: offset, OffsetFrom: req.OffsetFrom,
		Target: *req.Target, Channels: req.Channels, Static: req.Static, Dynamic: req.Dynamic, Urgent: req.Urgent,
		TimeOfDay: req.TimeOfDay, Schedule: req.Schedule}
	if l.Static == nil {
		l.Static = []avisera.StaticRecipient{}
	}
	if l.Dynamic == nil {
		l.Dynamic = []string{}
	}
	l.ValidFrom, l.ValidTo, err = parsePeriod(req.ValidFrom, req.ValidTo)
	return l, err
}

// decodeLink reads the body of POST /links and PUT /links/{id}.
func decodeLink(w http.ResponseWriter, r *http.Request) (avisera.Link, error) {
	var req linkRequest
	if err := decode(w, r, &req); err != nil {
		return avisera.Link{}, err
	}
	return req.link()
}

func (h *handler) createLink(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	l, err := decodeLink(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if l.MessageID == "" {
		h.writeError(w, r, avisera.Invalid("message_id", "is required"))
		return
	}
	res, err := h.engine.CreateLink(r.Context(), t.ID, l)
	h.respond(w, r, http.StatusCreated, res, err)
}

func (h *handler) updateLink(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	l, err := decodeLink(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	res, err := h.engine.UpdateLink(r.Context(), t.ID, r.PathValue("id"), l)
	h.respond(w, r, http.StatusOK, res, err)
}

func (h *handler) getLink(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	l, err := h.engine.GetLink(r.Context(), t.ID, r.PathValue("id"))
	h.respond(w, r, http.StatusOK, l, err)
}

func (h *handler) deleteLink(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	err := h.engine.DeleteLink(r.Context(), t.ID, r.PathValue("id"))
	h.respond(w, r, http.StatusNoContent, nil, err)
}

func (h *handler) listLinks(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	f, err := linkFilter(r.URL.Query())
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	links, err := h.engine.ListLinks(r.Context(), t.ID, f)
	h.respond(w, r, http.StatusOK, map[string]any{"items": links}, err)
}

// linkFilter reads GET /links's query: target_type alone lists the links
// on every object of that type, with target_id those on one object.
func linkFilter(q url.Values) (store.LinkFilter, error) {
	f := store.LinkFilter{MessageID: q.Get("message_id"), Trigger: q.Get("trigger"), EventType: q.Get("event_type")}
	if v := q.Get("stale"); v != "" {
		stale, err := strconv.ParseBool(v)
		if err != nil {
			return f, avisera.Invalid("stale", "%q is not true or false", v)
		}
		f.StaleOnly = stale
	}
	typ, id := q.Get("target_type"), q.Get("target_id")
	switch {
	case id != "" && typ == "":
		return f, avisera.Invalid("target_type", "is required with target_id (customer, org_unit …)")
	case id != "" || typ == avisera.TargetTenant:
		f.Targets = []avisera.Target{{Type: typ, ID: id}}
	default:
		f.TargetType = typ
	}
	return f, nil
}

func (h *handler) relink(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	l, err := h.engine.Relink(r.Context(), t.ID, r.PathValue("id"))
	h.respond(w, r, http.StatusOK, l, err)
}

func (h *handler) relinkMessage(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	links, err := h.engine.RelinkMessage(r.Context(), t.ID, r.PathValue("id"))
	h.respond(w, r, http.StatusOK, map[string]any{"relinked": links}, err)
}

func (h *handler) messageLinks(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	links, err := h.engine.MessageLinks(r.Context(), t.ID, r.PathValue("id"))
	h.respond(w, r, http.StatusOK, map[string]any{"items": links}, err)
}

// effectiveLinks answers the links that fire for an object; targetType is
// empty for business objects, whose type and id are in the path and whose
// refs may be given as query parameters.
func (h *handler) effectiveLinks(targetType string) tenantHandler {
	return func(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
		obj := avisera.Target{Type: targetType, ID: r.PathValue("id")}
		q := r.URL.Query()
		refs := avisera.Refs{Customer: q.Get("customer"), Contract: q.Get("contract"), OrgUnit: q.Get("org_unit"),
			Place: q.Get("place")}
		if targetType == "" {
			obj.Type = r.PathValue("type")
			if err := h.engine.CheckObjectType(obj.Type); err != nil {
				h.writeError(w, r, err)
				return
			}
		}
		links, err := h.engine.EffectiveLinks(r.Context(), t.ID, obj, refs)
		h.respond(w, r, http.StatusOK, map[string]any{"items": links}, err)
	}
}

func (h *handler) previewLink(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	var req storedPreview
	if err := decodeOptional(w, r, &req); err != nil {
		h.writeError(w, r, err)
		return
	}
	p, err := h.engine.PreviewLink(r.Context(), t.ID, r.PathValue("id"), req.request())
	h.respond(w, r, http.StatusOK, p, err)
}
