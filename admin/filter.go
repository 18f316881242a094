package admin

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

// Period presets of the follow-up report.
const (
	periodToday  = "today"
	period7Days  = "7d"
	periodMonth  = "month"
	periodCustom = "custom"
)

// followupFilter is the follow-up report's filter as the form holds it.
type followupFilter struct {
	Period                                                                       string
	From, To                                                                     string // yyyy-mm-dd, for the custom period
	Statuses                                                                     []string
	Channel, EventType, Trigger, MessageID, CustomerID, ContractID, OrgUnitID, Q string
	EventID                                                                      string // one event's deliveries: a plan's fired timer links here
}

// readFilter reads the report's filter from the query string and turns
// it into the engine's delivery filter, with the period in the tenant's
// time zone.
func readFilter(r *http.Request, loc *time.Location, now time.Time) (followupFilter, store.DeliveryFilter, error) {
	q := r.URL.Query()
	f := followupFilter{Period: q.Get("period"), From: q.Get("from"), To: q.Get("to"), Channel: q.Get("channel"),
		EventType: q.Get("event_type"), Trigger: q.Get("trigger"), MessageID: q.Get("message_id"),
		CustomerID: q.Get("customer_id"), ContractID: q.Get("contract_id"), OrgUnitID: q.Get("org_unit_id"),
		EventID: q.Get("event_id"), Q: strings.TrimSpace(q.Get("q"))}
	for _, v := range q["status"] {
		if slices.Contains(avisera.Statuses, v) {
			f.Statuses = append(f.Statuses, v)
		}
	}
	df := store.DeliveryFilter{Statuses: f.Statuses, Channel: f.Channel, EventType: f.EventType, Trigger: f.Trigger,
		MessageID: f.MessageID, CustomerID: f.CustomerID, ContractID: f.ContractID, OrgUnitID: f.OrgUnitID,
		EventID: f.EventID, Q: f.Q}
	var err error
	df.From, df.To, err = f.period(loc, now)
	return f, df, err
}

// period returns the bounds of the filter's period (To exclusive).
func (f *followupFilter) period(loc *time.Location, now time.Time) (*time.Time, *time.Time, error) {
	today := midnight(now.In(loc))
	var from, to time.Time
	switch f.Period {
	case periodToday:
		from, to = today, today.AddDate(0, 0, 1)
	case periodMonth:
		from = time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, loc)
		to = from.AddDate(0, 1, 0)
	case periodCustom:
		return customPeriod(f.From, f.To, loc)
	default:
		f.Period = period7Days
		from, to = today.AddDate(0, 0, -6), today.AddDate(0, 0, 1)
	}
	f.From, f.To = from.Format("2006-01-02"), to.AddDate(0, 0, -1).Format("2006-01-02")
	return &from, &to, nil
}

// customPeriod reads a custom period: both days inclusive.
func customPeriod(fromText, toText string, loc *time.Location) (*time.Time, *time.Time, error) {
	from, err := parseDate(fromText, "from", loc)
	if err != nil {
		return nil, nil, err
	}
	to, err := parseDate(toText, "to", loc)
	if err != nil || to == nil {
		return from, nil, err
	}
	end := to.In(loc).AddDate(0, 0, 1).UTC()
	return from, &end, nil
}

// midnight is the start of t's day in t's location.
func midnight(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

// Query encodes the filter for links (paging, export, back from detail).
func (f followupFilter) Query() string {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("period", f.Period)
	if f.Period == periodCustom {
		set("from", f.From)
		set("to", f.To)
	}
	for k, val := range map[string]string{"channel": f.Channel, "event_type": f.EventType, "trigger": f.Trigger,
		"message_id": f.MessageID, "customer_id": f.CustomerID, "contract_id": f.ContractID,
		"org_unit_id": f.OrgUnitID, "event_id": f.EventID, "q": f.Q} {
		set(k, val)
	}
	for _, s := range f.Statuses {
		v.Add("status", s)
	}
	return v.Encode()
}
