package api

import (
	"context"
	"net/http"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/engine"
)

func (h *handler) putOrgUnit(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	var req struct {
		Name      string `json:"name"`
		ParentID  string `json:"parent_id"`
		TimeZone  string `json:"time_zone"`
		Language  string `json:"language"`
		QuietFrom string `json:"quiet_from"`
		QuietTo   string `json:"quiet_to"`
	}
	if err := decode(w, r, &req); err != nil {
		h.writeError(w, r, err)
		return
	}
	o, created, err := h.engine.PutOrgUnit(r.Context(), t.ID, avisera.OrgUnit{ID: r.PathValue("id"),
		Name: req.Name, ParentID: req.ParentID, TimeZone: req.TimeZone, Language: req.Language,
		QuietFrom: req.QuietFrom, QuietTo: req.QuietTo})
	h.respond(w, r, putStatus(created), o, err)
}

func (h *handler) getOrgUnit(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	o, err := h.engine.GetOrgUnit(r.Context(), t.ID, r.PathValue("id"))
	h.respond(w, r, http.StatusOK, o, err)
}

func (h *handler) listOrgUnits(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	listWith(h, w, r, t, h.engine.ListOrgUnits)
}

func (h *handler) putCustomer(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	var req struct {
		Name      string `json:"name"`
		Number    string `json:"number"`
		OrgUnitID string `json:"org_unit_id"`
	}
	if err := decode(w, r, &req); err != nil {
		h.writeError(w, r, err)
		return
	}
	c, created, err := h.engine.PutCustomer(r.Context(), t.ID, avisera.Customer{ID: r.PathValue("id"),
		Name: req.Name, Number: req.Number, OrgUnitID: req.OrgUnitID})
	h.respond(w, r, putStatus(created), c, err)
}

func (h *handler) getCustomer(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	c, err := h.engine.GetCustomer(r.Context(), t.ID, r.PathValue("id"))
	h.respond(w, r, http.StatusOK, c, err)
}

func (h *handler) listCustomers(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	listWith(h, w, r, t, h.engine.ListCustomers)
}

func (h *handler) putContract(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	var req struct {
		Name       string  `json:"name"`
		CustomerID string  `json:"customer_id"`
		OrgUnitID  string  `json:"org_unit_id"`
		ValidFrom  *string `json:"valid_from"`
		ValidTo    *string `json:"valid_to"`
	}
	if err := decode(w, r, &req); err != nil {
		h.writeError(w, r, err)
		return
	}
	c := avisera.Contract{ID: r.PathValue("id"), Name: req.Name, CustomerID: req.CustomerID, OrgUnitID: req.OrgUnitID}
	var err error
	if c.ValidFrom, c.ValidTo, err = parsePeriod(req.ValidFrom, req.ValidTo); err != nil {
		h.writeError(w, r, err)
		return
	}
	c, created, err := h.engine.PutContract(r.Context(), t.ID, c)
	h.respond(w, r, putStatus(created), c, err)
}

func (h *handler) getContract(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	c, err := h.engine.GetContract(r.Context(), t.ID, r.PathValue("id"))
	h.respond(w, r, http.StatusOK, c, err)
}

func (h *handler) listContracts(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	listWith(h, w, r, t, h.engine.ListContracts)
}

func (h *handler) putPlace(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	var req struct {
		Name       string `json:"name"`
		Address    string `json:"address"`
		CustomerID string `json:"customer_id"`
		OrgUnitID  string `json:"org_unit_id"`
	}
	if err := decode(w, r, &req); err != nil {
		h.writeError(w, r, err)
		return
	}
	p, created, err := h.engine.PutPlace(r.Context(), t.ID, avisera.Place{ID: r.PathValue("id"),
		Name: req.Name, Address: req.Address, CustomerID: req.CustomerID, OrgUnitID: req.OrgUnitID})
	h.respond(w, r, putStatus(created), p, err)
}

func (h *handler) getPlace(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	p, err := h.engine.GetPlace(r.Context(), t.ID, r.PathValue("id"))
	h.respond(w, r, http.StatusOK, p, err)
}

func (h *handler) listPlaces(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	listWith(h, w, r, t, h.engine.ListPlaces)
}

// listWith answers a paged list from the engine's list function.
func listWith[T any](h *handler, w http.ResponseWriter, r *http.Request, t avisera.Tenant,
	list func(ctx context.Context, tenantID string, p avisera.Page) (engine.List[T], error)) {
	p, err := pageOf(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	l, err := list(r.Context(), t.ID, p)
	h.respond(w, r, http.StatusOK, l, err)
}

func parsePeriod(from, to *string) (*time.Time, *time.Time, error) {
	f, err := parseTime("valid_from", from)
	if err != nil {
		return nil, nil, err
	}
	t, err := parseTime("valid_to", to)
	return f, t, err
}
