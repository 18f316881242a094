package admin

import (
	"net/http"

	"github.com/avisera/avisera/store"
)

// homePage is Översikt: the seed guide's steps as a path through the UI,
// with what needs attention.
type homePage struct {
	Messages int
	Links    int
	Stale    int
	Week     chart
}

// home shows the overview; report readers go straight to their report.
func (h *handler) home(w http.ResponseWriter, r *http.Request, s *session) {
	if !s.isAdmin() {
		redirect(w, r, "/followup")
		return
	}
	ctx := r.Context()
	var d homePage
	rows, err := h.messageRows(ctx, s, store.MessageFilter{})
	d.Messages = len(rows)
	for _, row := range rows {
		d.Links += row.Used
		d.Stale += row.Stale
	}
	if err == nil {
		f := followupFilter{Period: period7Days}
		var df store.DeliveryFilter
		if df.From, df.To, err = f.period(s.loc, h.now()); err == nil {
			d.Week, err = h.dailyChart(ctx, s, df)
		}
	}
	h.render(w, r, s, "home", page{Nav: "home", Title: "home.title", Data: d, Err: err})
}
