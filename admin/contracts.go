package admin

import (
	"net/http"

	"github.com/avisera/avisera"
)

// contractsPage is Kontrakt: contracts with their customer, validity and
// main contacts.
type contractsPage struct {
	Kind      kind
	Contracts []avisera.Contract
	Names     map[string]string // customer and org unit id → name
	Pager     pager
}

// contracts lists the contracts.
func (h *handler) contracts(k kind) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		p := pageQuery(r)
		l, err := h.engine.ListContracts(r.Context(), s.tenant.ID, p)
		n := h.namer(r.Context(), s)
		names := map[string]string{}
		for _, c := range l.Items {
			names[c.CustomerID] = n.name(avisera.ObjectCustomer, c.CustomerID)
			names[c.OrgUnitID] = n.name(avisera.ObjectOrgUnit, c.OrgUnitID)
		}
		h.render(w, r, s, "contracts", page{Nav: k.Path, Title: k.Plural, Err: err, Data: contractsPage{Kind: k,
			Contracts: l.Items, Names: names, Pager: listPager("/"+k.Path, p, l.NextCursor)}})
	}
}
