package admin

import (
	"net/http"

	"github.com/avisera/avisera"
)

// placesPage is Platser: places with their address, customer and main
// contacts.
type placesPage struct {
	Kind   kind
	Places []avisera.Place
	Names  map[string]string // customer id → name
	Pager  pager
}

// places lists the places.
func (h *handler) places(k kind) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		p := pageQuery(r)
		l, err := h.engine.ListPlaces(r.Context(), s.tenant.ID, p)
		n := h.namer(r.Context(), s)
		names := map[string]string{}
		for _, pl := range l.Items {
			names[pl.CustomerID] = n.name(avisera.ObjectCustomer, pl.CustomerID)
		}
		h.render(w, r, s, "places", page{Nav: k.Path, Title: k.Plural, Err: err, Data: placesPage{Kind: k,
			Places: l.Items, Names: names, Pager: listPager("/"+k.Path, p, l.NextCursor)}})
	}
}
