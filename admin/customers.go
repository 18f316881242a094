package admin

import (
	"net/http"

	"github.com/avisera/avisera"
)

// customersPage is Kunder: customers with their org unit and main
// contacts (seed rule 6).
type customersPage struct {
	Kind      kind
	Customers []avisera.Customer
	OrgUnits  map[string]string // org unit id → name
	Pager     pager
}

// customers lists the customers.
func (h *handler) customers(k kind) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		p := pageQuery(r)
		l, err := h.engine.ListCustomers(r.Context(), s.tenant.ID, p)
		n := h.namer(r.Context(), s)
		units := map[string]string{}
		for _, c := range l.Items {
			units[c.OrgUnitID] = n.name(avisera.ObjectOrgUnit, c.OrgUnitID)
		}
		h.render(w, r, s, "customers", page{Nav: k.Path, Title: k.Plural, Err: err, Data: customersPage{Kind: k,
			Customers: l.Items, OrgUnits: units, Pager: listPager("/"+k.Path, p, l.NextCursor)}})
	}
}
