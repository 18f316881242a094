package api

import (
	"encoding/json"
	"net/http"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/engine"
	"github.com/avisera/avisera/store"
)

func (h *handler) putPlan(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	var req struct {
		UserIDs    []string        `json:"user_ids"`
		Refs       avisera.Refs    `json:"refs"`
		StartsAt   *string         `json:"starts_at"`
		EndsAt     *string         `json:"ends_at"`
		EarliestAt *string         `json:"earliest_at"`
		LatestAt   *string         `json:"latest_at"`
		Data       json.RawMessage `json:"data"`
	}
	if err := decode(w, r, &req); err != nil {
		h.writeError(w, r, err)
		return
	}
	in := engine.PlanInput{Type: r.PathValue("type"), ID: r.PathValue("id"), UserIDs: req.UserIDs, Refs: req.Refs, Data: req.Data}
	starts, err := parseTime("starts_at", req.StartsAt)
	if err == nil && starts == nil {
		err = avisera.Invalid("starts_at", "is required (RFC 3339)")
	}
	if err == nil {
		in.StartsAt = *starts
		in.EndsAt, err = parseTime("ends_at", req.EndsAt)
	}
	if err == nil {
		in.EarliestAt, err = parseTime("earliest_at", req.EarliestAt)
	}
	if err == nil {
		in.LatestAt, err = parseTime("latest_at", req.LatestAt)
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	p, created, err := h.engine.PutPlan(r.Context(), t.ID, in)
	h.respond(w, r, putStatus(created), p, err)
}

func (h *handler) getPlan(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	p, err := h.engine.GetPlan(r.Context(), t.ID, r.PathValue("type"), r.PathValue("id"))
	h.respond(w, r, http.StatusOK, p, err)
}

func (h *handler) cancelPlan(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	err := h.engine.CancelPlan(r.Context(), t.ID, r.PathValue("type"), r.PathValue("id"))
	h.respond(w, r, http.StatusNoContent, nil, err)
}

func (h *handler) listPlans(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	q := r.URL.Query()
	f := store.PlanFilter{Type: q.Get("type"), UserID: q.Get("user_id"), Status: q.Get("status")}
	var err error
	if f.From, f.To, err = queryPeriod(q); err != nil {
		h.writeError(w, r, err)
		return
	}
	p, err := pageOf(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	l, err := h.engine.ListPlans(r.Context(), t.ID, f, p)
	h.respond(w, r, http.StatusOK, l, err)
}
