package admin

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/catalog"
	"github.com/avisera/avisera/engine"
	"github.com/avisera/avisera/report"
	"github.com/avisera/avisera/store"
)

// followupPage is Aviseringsuppföljning: every notification of a period
// with the seed's columns, the deliveries API's filters, a chart per day,
// paging and export.
type followupPage struct {
	F          followupFilter
	Query      string
	ExportXLSX template.URL
	ExportCSV  template.URL
	NextURL    template.URL
	FirstURL   template.URL
	Rows       []avisera.Delivery
	Next       string
	Paged      bool
	Chart      chart
	Statuses   []string
	EventTypes []catalog.EventType
	Triggers   []triggerOption
	Customers  []avisera.Customer
	Contracts  []avisera.Contract
	OrgUnits   []avisera.OrgUnit
	Messages   []avisera.Message
}

// triggerOption is a trigger name in the filter, labelled once although
// several event types share it.
type triggerOption struct {
	Name, LabelSV, LabelEN string
}

// followup shows the report.
func (h *handler) followup(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	f, df, err := readFilter(r, s.loc, h.now())
	q := f.Query()
	d := followupPage{F: f, Query: q, Statuses: avisera.Statuses, EventTypes: catalog.All(),
		Triggers: triggerOptions(),
		// The query is built by url.Values.Encode, so it is safe as a URL.
		ExportXLSX: template.URL("/followup/export?format=xlsx&" + q),
		ExportCSV:  template.URL("/followup/export?format=csv&" + q),
		FirstURL:   template.URL("/followup?" + q)}
	if err == nil {
		err = h.fillFollowup(ctx, s, r.URL.Query().Get("cursor"), df, &d)
	}
	h.render(w, r, s, "followup", page{Nav: "followup", Title: "followup.title", Data: d, Err: err})
}

// fillFollowup reads one page of deliveries, the chart and the filter
// choices.
func (h *handler) fillFollowup(ctx context.Context, s *session, cursor string, df store.DeliveryFilter, d *followupPage) error {
	l, err := h.engine.ListDeliveries(ctx, s.tenant.ID, df, avisera.Page{Limit: 50, After: cursor})
	if err != nil {
		return err
	}
	d.Rows, d.Next, d.Paged = l.Items, l.NextCursor, cursor != ""
	if d.Next != "" {
		d.NextURL = template.URL("/followup?" + d.Query + "&cursor=" + url.QueryEscape(d.Next))
	}
	if d.Chart, err = h.dailyChart(ctx, s, df); err != nil {
		return err
	}
	return h.filterChoices(ctx, s, d)
}

// filterChoices reads the customers, contracts, org units and messages the
// filter offers.
func (h *handler) filterChoices(ctx context.Context, s *session, d *followupPage) error {
	var err error
	if d.Customers, err = collectAll(ctx, s.tenant.ID, 500, h.engine.ListCustomers); err != nil {
		return err
	}
	if d.Contracts, err = collectAll(ctx, s.tenant.ID, 500, h.engine.ListContracts); err != nil {
		return err
	}
	if d.OrgUnits, err = collectAll(ctx, s.tenant.ID, 500, h.engine.ListOrgUnits); err != nil {
		return err
	}
	d.Messages, err = collectAll(ctx, s.tenant.ID, 500, func(ctx context.Context, tid string, p avisera.Page) (engine.List[avisera.Message], error) {
		return h.engine.ListMessages(ctx, tid, store.MessageFilter{}, p)
	})
	return err
}

// triggerOptions lists every trigger name of the catalogue once.
func triggerOptions() []triggerOption {
	var out []triggerOption
	seen := map[string]bool{}
	for _, et := range catalog.All() {
		for _, tr := range et.Triggers {
			if !seen[tr.Name] {
				seen[tr.Name] = true
				out = append(out, triggerOption{tr.Name, tr.LabelSV, tr.LabelEN})
			}
		}
	}
	return out
}

// exportDeliveries streams the filtered report as Excel or CSV, in the
// admin's language and the tenant's time zone.
func (h *handler) exportDeliveries(w http.ResponseWriter, r *http.Request, s *session) {
	_, df, err := readFilter(r, s.loc, h.now())
	if err != nil {
		h.followup(w, r, s)
		return
	}
	each := func(fn func(avisera.Delivery) error) error {
		return h.engine.EachDelivery(r.Context(), s.tenant.ID, df, fn)
	}
	name := translate(s.lang(), "followup.filename") + "-" + h.now().In(s.loc).Format("2006-01-02")
	if r.URL.Query().Get("format") == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
		err = report.WriteCSV(w, exportOptions(s, csvDelimiter(s.lang())), each)
	} else {
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.xlsx"`)
		err = report.WriteXLSX(w, exportOptions(s, 0), each)
	}
	if err != nil {
		h.log.ErrorContext(r.Context(), "admin: export", "err", err)
	}
}

// exportOptions words the report as the follow-up screen does, in the
// admin's language: statuses, channels, triggers and how the recipient was
// reached.
func exportOptions(s *session, comma rune) report.Options {
	lang := s.lang()
	return report.Options{Lang: lang, Loc: s.loc, Comma: comma, Label: func(kind, value string) string {
		switch kind {
		case "trigger":
			eventType, trigger, _ := strings.Cut(value, ".")
			return triggerLabel(lang, eventType, trigger)
		case "reached_via":
			return reachedVia(lang, value)
		}
		return translate(lang, kind+"."+value)
	}}
}

// csvDelimiter is what Excel expects in the admin's language: semicolon
// where the decimal mark is a comma (Swedish), else comma.
func csvDelimiter(lang string) rune {
	if lang == "sv" {
		return report.Delimiters["semicolon"]
	}
	return report.Delimiters["comma"]
}

// deliveryPage is one delivery: its columns, full status history and the
// message as it was rendered.
type deliveryPage struct {
	D        avisera.Delivery
	Back     string
	CanSend  bool
	Trigger  string
	Object   string
	Customer string
	Message  string
}

// delivery shows one delivery.
func (h *handler) delivery(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	d, err := h.engine.GetDelivery(ctx, s.tenant.ID, r.PathValue("id"))
	if err != nil {
		h.notFound(w, r, s)
		return
	}
	n := h.namer(ctx, s)
	p := deliveryPage{D: d, Back: "/followup?" + r.URL.Query().Get("back"), Trigger: d.Trigger,
		CanSend: s.isAdmin() && d.Address != "" && d.Status != avisera.StatusSuppressed && !avisera.Pending(d.Status),
		Object:  n.label(d.Object), Customer: n.name(avisera.ObjectCustomer, d.CustomerID)}
	if et, ok := catalog.Lookup(d.EventType); ok {
		if tr, ok := et.Trigger(d.Trigger); ok {
			p.Trigger = pick(s.lang(), et.LabelSV, et.LabelEN) + " – " + pick(s.lang(), tr.LabelSV, tr.LabelEN)
		}
	}
	if m, err := h.engine.GetMessage(ctx, s.tenant.ID, d.MessageID); err == nil {
		p.Message = m.Name
	}
	h.render(w, r, s, "delivery", page{Nav: "followup", Title: "delivery.title", Data: p})
}

// resend sends a delivery's content again, as a new delivery.
func (h *handler) resend(w http.ResponseWriter, r *http.Request, s *session) {
	n, err := h.engine.Resend(r.Context(), s.tenant.ID, r.PathValue("id"))
	if err != nil {
		h.setFlash(w, r, "error", "flash.failed", explain(s.lang(), err).Message)
		redirect(w, r, "/followup/"+r.PathValue("id"))
		return
	}
	h.setFlash(w, r, "ok", "flash.resent", n.Address)
	redirect(w, r, "/followup/"+n.ID)
}
