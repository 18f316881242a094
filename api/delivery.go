package api

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/engine"
	"github.com/avisera/avisera/report"
	"github.com/avisera/avisera/store"
)

// filterParams are the follow-up's filters, pageParams a list's paging
// and exportParams what an export takes besides the filters.
var (
	filterParams = []string{"from", "to", "status", "channel", "event_type", "trigger", "message_id", "customer_id",
		"contract_id", "org_unit_id", "event_id", "q", "recipient", "address"}
	pageParams   = []string{"limit", "cursor"}
	exportParams = []string{"format", "lang", "delimiter"}
)

// deliveryFilter reads the follow-up filters from the query string.
func deliveryFilter(r *http.Request) (store.DeliveryFilter, error) {
	q := r.URL.Query()
	f := store.DeliveryFilter{Channel: q.Get("channel"), EventType: q.Get("event_type"), Trigger: q.Get("trigger"),
		MessageID: q.Get("message_id"), CustomerID: q.Get("customer_id"), ContractID: q.Get("contract_id"),
		OrgUnitID: q.Get("org_unit_id"), EventID: q.Get("event_id"), Q: textFilter(q)}
	var err error
	if f.EventType, f.Trigger, err = eventTypeAndTrigger(f.EventType, f.Trigger); err != nil {
		return f, err
	}
	for _, s := range q["status"] {
		for _, part := range strings.Split(s, ",") {
			if part != "" {
				f.Statuses = append(f.Statuses, part)
			}
		}
	}
	f.From, f.To, err = queryPeriod(q)
	return f, err
}

// eventTypeAndTrigger reads the event_type and trigger filters, either of
// which may be written as events and the export write a type,
// order.completed (event_type=order&trigger=completed); the two must not
// name different ones.
func eventTypeAndTrigger(eventType, trigger string) (string, string, error) {
	typ, trig, dotted := strings.Cut(eventType, ".")
	if !dotted {
		typ, trig = eventType, ""
	}
	if t, g, ok := strings.Cut(trigger, "."); ok {
		if typ != "" && typ != t {
			return "", "", avisera.Invalid("trigger", "%q names event type %s, not event_type=%s", trigger, t, eventType)
		}
		typ, trigger = t, g
	}
	switch {
	case trig == "":
		return typ, trigger, nil
	case trigger != "" && trigger != trig:
		return "", "", avisera.Invalid("trigger", "%q is not the trigger event_type=%s names (%s)", trigger, eventType, trig)
	}
	return typ, trig, nil
}

// textFilter is the follow-up's text search: q, or recipient and address
// as a host may name it; given together, all their words must match.
func textFilter(q url.Values) string {
	var words []string
	for _, name := range []string{"q", "recipient", "address"} {
		if v := strings.TrimSpace(q.Get(name)); v != "" {
			words = append(words, v)
		}
	}
	return strings.Join(words, " ")
}

// queryPeriod reads the from and to query parameters.
func queryPeriod(q url.Values) (from, to *time.Time, err error) {
	if from, err = queryTime(q.Get("from"), "from"); err != nil {
		return nil, nil, err
	}
	to, err = queryTime(q.Get("to"), "to")
	return from, to, err
}

// queryTime reads an RFC 3339 time or a date (2026-03-01, midnight UTC).
func queryTime(v, field string) (*time.Time, error) {
	if v == "" {
		return nil, nil
	}
	if t, err := time.Parse("2006-01-02", v); err == nil {
		return &t, nil
	}
	t, err := parseTime(field, &v)
	if err != nil && strings.Contains(v, " ") { // most likely an offset's + sent as is
		return nil, avisera.Invalid(field, "%q is not an RFC 3339 time: a + in a query string reads as a space, send it as %%2B", v)
	}
	return t, err
}

func (h *handler) listDeliveries(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	f, err := deliveryFilter(r)
	if err == nil {
		err = misspeltParams(r, slices.Concat(filterParams, pageParams)...)
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	p, err := pageOf(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	p.Q = ""
	l, err := h.engine.ListDeliveries(r.Context(), t.ID, f, p)
	h.respond(w, r, http.StatusOK, l, err)
}

func (h *handler) getDelivery(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	d, err := h.engine.GetDelivery(r.Context(), t.ID, r.PathValue("id"))
	h.respond(w, r, http.StatusOK, d, err)
}

func (h *handler) resendDelivery(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	d, err := h.engine.Resend(r.Context(), t.ID, r.PathValue("id"))
	h.respond(w, r, http.StatusAccepted, d, err)
}

// exportDeliveries streams the follow-up report as CSV or Excel.
func (h *handler) exportDeliveries(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	f, err := deliveryFilter(r)
	if err == nil {
		err = misspeltParams(r, slices.Concat(filterParams, exportParams)...)
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if err := engine.CheckDeliveryFilter(f); err != nil {
		h.writeError(w, r, err)
		return
	}
	format, lang := r.URL.Query().Get("format"), r.URL.Query().Get("lang")
	if lang == "" {
		lang = t.Language
	}
	if lang != "sv" && lang != "en" {
		h.writeError(w, r, avisera.Invalid("lang", "must be sv or en"))
		return
	}
	loc := t.Location()
	each := func(fn func(avisera.Delivery) error) error { return h.engine.EachDelivery(r.Context(), t.ID, f, fn) }
	name := "aviseringsuppfoljning-" + time.Now().In(loc).Format("2006-01-02")
	switch format {
	case "csv":
		comma, ok := report.Delimiters[cmp.Or(r.URL.Query().Get("delimiter"), "comma")]
		if !ok {
			h.writeError(w, r, avisera.Invalid("delimiter", "must be comma, semicolon or tab"))
			return
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
		err = report.WriteCSV(w, report.Options{Lang: lang, Loc: loc, Comma: comma}, each)
	case "xlsx", "":
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.xlsx"`)
		err = report.WriteXLSX(w, report.Options{Lang: lang, Loc: loc}, each)
	default:
		h.writeError(w, r, avisera.Invalid("format", "must be xlsx or csv"))
		return
	}
	if err != nil {
		h.logger.ErrorContext(r.Context(), "export failed", "err", err)
	}
}

func (h *handler) listMailbox(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	listWith(h, w, r, t, h.engine.Mailbox)
}

func (h *handler) clearMailbox(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	h.respond(w, r, http.StatusNoContent, nil, h.engine.ClearMailbox(r.Context(), t.ID))
}
