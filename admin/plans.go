package admin

import (
	"context"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/catalog"
	"github.com/avisera/avisera/store"
)

// plansPage is Planer och timers: the plans the host announced, filtered
// and paged by start time, each with its pending timers.
type plansPage struct {
	F        planFilter
	Query    string
	Rows     []planRow
	NextURL  template.URL
	FirstURL template.URL
	Paged    bool
	Types    []catalog.EventType
	Users    []avisera.User
}

// planFilter is the plans list's filter as the form holds it.
type planFilter struct {
	Type, UserID, Status string
	From, To             string // yyyy-mm-dd, both inclusive
}

// readPlanFilter reads the filter of the plans list. Without a from date
// in the query the list starts today, in the tenant's time zone; an empty
// one lists from the first plan.
func readPlanFilter(r *http.Request, loc *time.Location, now time.Time) (planFilter, store.PlanFilter, error) {
	q := r.URL.Query()
	f := planFilter{Type: q.Get("type"), UserID: q.Get("user_id"), Status: q.Get("status"), From: q.Get("from"), To: q.Get("to")}
	if !q.Has("from") {
		f.From = now.In(loc).Format("2006-01-02")
	}
	pf := store.PlanFilter{Type: f.Type, UserID: f.UserID, Status: f.Status}
	var err error
	pf.From, pf.To, err = customPeriod(f.From, f.To, loc)
	return f, pf, err
}

// Query encodes the filter for links (paging, back from a plan). The from
// date is always there, so that an emptied one stays empty.
func (f planFilter) Query() string {
	v := url.Values{"from": {f.From}}
	for k, val := range map[string]string{"type": f.Type, "user_id": f.UserID, "status": f.Status, "to": f.To} {
		if val != "" {
			v.Set(k, val)
		}
	}
	return v.Encode()
}

// plannable lists the event types a host can announce plans of: those
// with time-based triggers.
func plannable() []catalog.EventType {
	var out []catalog.EventType
	for _, et := range catalog.All() {
		for _, tr := range et.Triggers {
			if tr.TimeBased && !tr.Periodic {
				out = append(out, et)
				break
			}
		}
	}
	return out
}

// plans lists the plans.
func (h *handler) plans(w http.ResponseWriter, r *http.Request, s *session) {
	f, pf, err := readPlanFilter(r, s.loc, h.now())
	cursor := r.URL.Query().Get("cursor")
	d := plansPage{F: f, Query: f.Query(), Types: plannable(), Paged: cursor != ""}
	d.FirstURL = template.URL("/plans?" + d.Query) // encoded by url.Values, safe as a URL
	if err == nil {
		err = h.fillPlans(r.Context(), s, pf, cursor, &d)
	}
	h.render(w, r, s, "plans", page{Nav: "plans", Title: "plans.title", Data: d, Err: err})
}

// fillPlans reads one page of plans and the users the filter offers.
func (h *handler) fillPlans(ctx context.Context, s *session, pf store.PlanFilter, cursor string, d *plansPage) error {
	var err error
	if d.Users, err = h.allUsers(ctx, s.tenant.ID); err != nil {
		return err
	}
	l, err := h.engine.ListPlans(ctx, s.tenant.ID, pf, avisera.Page{Limit: 50, After: cursor})
	if err != nil {
		return err
	}
	v := h.planViewer(ctx, s)
	for _, u := range d.Users {
		v.names.remember(avisera.ObjectUser, u.ID, u.Name)
	}
	for _, p := range l.Items {
		d.Rows = append(d.Rows, v.row(p))
	}
	if l.NextCursor != "" {
		d.NextURL = template.URL("/plans?" + d.Query + "&cursor=" + url.QueryEscape(l.NextCursor))
	}
	return nil
}

// planPage is one plan with all its timers.
type planPage struct {
	Row       planRow
	Back      string // the list, filtered as it was
	BackQuery string // its filter, carried through the cancel form
	Data      string // the plan's data, indented
}

// plan shows one plan.
func (h *handler) plan(w http.ResponseWriter, r *http.Request, s *session) {
	p, err := h.engine.GetPlan(r.Context(), s.tenant.ID, r.PathValue("type"), r.PathValue("id"))
	if err != nil {
		h.notFound(w, r, s)
		return
	}
	bq := r.URL.Query().Get("back")
	d := planPage{Row: h.planViewer(r.Context(), s).row(p), Back: "/plans?" + bq, BackQuery: bq}
	if len(p.Data) > 0 {
		if b, err := json.MarshalIndent(p.Data, "", "  "); err == nil {
			d.Data = string(b)
		}
	}
	h.render(w, r, s, "plan", page{Nav: "plans", Title: "plans.plan", Data: d})
}

// cancelPlan cancels a plan; its pending timers are cancelled with it.
func (h *handler) cancelPlan(w http.ResponseWriter, r *http.Request, s *session) {
	typ, id := r.PathValue("type"), r.PathValue("id")
	if err := h.engine.CancelPlan(r.Context(), s.tenant.ID, typ, id); err != nil {
		h.setFlash(w, r, "error", "flash.failed", explain(s.lang(), err).Message)
	} else {
		h.setFlash(w, r, "ok", "flash.plan_cancelled", kindLabel(s.lang(), typ)+" "+id)
	}
	target := planPath(typ, id)
	if b := formText(r, "back"); b != "" {
		target += "?back=" + url.QueryEscape(b)
	}
	redirect(w, r, target)
}

// planPath is the page of one plan.
func planPath(typ, id string) string {
	return "/plans/" + url.PathEscape(typ) + "/" + url.PathEscape(id)
}
