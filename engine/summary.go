package engine

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

// periodicTriggers send schedule summaries on a calendar.
var periodicTriggers = map[string]bool{"weekly": true, "monthly": true, "dates": true}

var weekdays = map[string]time.Weekday{"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday,
	"wednesday": time.Wednesday, "thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday}

// checkSchedule validates a periodic link's schedule.
func checkSchedule(l *avisera.Link) error {
	l.Schedule.Weekday = strings.ToLower(l.Schedule.Weekday)
	sch := l.Schedule
	switch l.Trigger {
	case "weekly":
		if _, ok := weekdays[sch.Weekday]; sch.Weekday != "" && !ok { // lower-cased above
			return avisera.Invalid("schedule.weekday", "%q is not a weekday (monday … sunday)", sch.Weekday)
		}
	case "monthly":
		if sch.DayOfMonth != 0 && sch.DayOfMonth != -1 && (sch.DayOfMonth < 1 || sch.DayOfMonth > 28) {
			return avisera.Invalid("schedule.day_of_month", "must be 1–28, or -1 for the last day")
		}
	case "dates":
		if len(sch.Dates) == 0 {
			return avisera.Invalid("schedule.dates", "list the dates (YYYY-MM-DD) to send the summary on")
		}
		for i, d := range sch.Dates {
			if _, err := time.Parse("2006-01-02", d); err != nil {
				return avisera.Invalid("schedule.dates["+strconv.Itoa(i)+"]", "%q is not a date such as 2026-12-24", d)
			}
		}
		d, err := avisera.ParseDuration(sch.Period)
		switch {
		case err != nil:
			return avisera.Invalid("schedule.period", "%v", err)
		case d < 0 || time.Duration(d)%(24*time.Hour) != 0:
			return avisera.Invalid("schedule.period", "%q must be whole days such as 7d (empty is 7d)", sch.Period)
		}
	default:
		if sch.Weekday != "" || sch.DayOfMonth != 0 || len(sch.Dates) > 0 {
			return avisera.Invalid("schedule", "only schedule summaries (weekly, monthly, dates) have a schedule")
		}
	}
	return nil
}

// clockOf reads a link's time of day, 07:00 when unset.
func clockOf(l avisera.Link) (int, int) {
	h, m := 7, 0
	if hh, mm, ok := strings.Cut(l.TimeOfDay, ":"); ok {
		h, _ = strconv.Atoi(hh)
		m, _ = strconv.Atoi(mm)
	}
	return h, m
}

// nextOccurrence is the first time after `after` that a periodic link
// sends, at its time of day in loc (wall-clock, so it stays 18:00 across
// daylight-saving changes).
func nextOccurrence(l avisera.Link, after time.Time, loc *time.Location) (time.Time, bool) {
	h, m := clockOf(l)
	local := after.In(loc)
	y, mo, d := local.Date()
	switch l.Trigger {
	case "weekly":
		wd, ok := weekdays[strings.ToLower(l.Schedule.Weekday)]
		if !ok {
			wd = time.Monday
		}
		for i := 0; i <= 7; i++ {
			c := time.Date(y, mo, d+i, h, m, 0, 0, loc)
			if c.Weekday() == wd && c.After(after) {
				return c, true
			}
		}
	case "monthly":
		for i := 0; i <= 2; i++ {
			c := time.Date(y, mo+time.Month(i), dayOfMonth(y, mo+time.Month(i), l.Schedule.DayOfMonth, loc), h, m, 0, 0, loc)
			if c.After(after) {
				return c, true
			}
		}
	case "dates":
		dates := slices.Clone(l.Schedule.Dates)
		sort.Strings(dates)
		for _, ds := range dates {
			day, _ := time.ParseInLocation("2006-01-02", ds, loc)
			if c := time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, loc); c.After(after) {
				return c, true
			}
		}
	}
	return time.Time{}, false
}

func dayOfMonth(y int, m time.Month, day int, loc *time.Location) int {
	switch {
	case day == -1:
		return time.Date(y, m+1, 0, 0, 0, 0, 0, loc).Day()
	case day < 1:
		return 1
	}
	return day
}

// period is what a summary sent at due covers: from the next local
// midnight, one week (weekly), one month (monthly) or the schedule's
// period (dates, a week by default).
func period(l avisera.Link, due time.Time, loc *time.Location) (time.Time, time.Time) {
	local := due.In(loc)
	from := time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, loc)
	switch l.Trigger {
	case "monthly":
		return from, from.AddDate(0, 1, 0)
	case "dates":
		d, _ := avisera.ParseDuration(l.Schedule.Period)
		if d <= 0 {
			return from, from.AddDate(0, 0, 7)
		}
		days := int(time.Duration(d) / (24 * time.Hour))
		return from, from.AddDate(0, 0, max(days, 1))
	}
	return from, from.AddDate(0, 0, 7)
}

// linkLocation is the time zone of a link: its target's org unit's, else
// the tenant's.
func (e *Engine) linkLocation(ctx context.Context, s store.Store, tenantID string, l avisera.Link) *time.Location {
	refs := avisera.Refs{}
	switch l.Target.Type {
	case avisera.TargetOrgUnit:
		refs.OrgUnit = l.Target.ID
	case avisera.TargetCustomer:
		refs.Customer = l.Target.ID
	case avisera.TargetContract:
		refs.Contract = l.Target.ID
	case avisera.TargetPlace:
		refs.Place = l.Target.ID
	}
	sc, err := e.loadScene(ctx, tenantID, avisera.Event{Refs: refs})
	if err != nil {
		return time.UTC
	}
	return sc.location()
}

// scheduleSummary inserts the timer of a periodic link's next summary; loc
// is the link's location (linkLocation).
func (e *Engine) scheduleSummary(ctx context.Context, s store.Store, tenantID string, l avisera.Link, after time.Time,
	loc *time.Location) error {
	next, ok := nextOccurrence(l, after, loc)
	if !ok {
		return nil
	}
	return s.InsertTimers(ctx, []avisera.Timer{{ID: newID(), TenantID: tenantID, Kind: avisera.TimerSummary,
		LinkID: l.ID, Trigger: l.Trigger, DueAt: next.UTC(), Status: avisera.TimerPending, CreatedAt: e.Now()}})
}

// fireSummary sends a periodic link's summaries and schedules the next.
func (e *Engine) fireSummary(ctx context.Context, s store.Store, t *avisera.Timer) error {
	l, err := s.GetLink(ctx, t.TenantID, t.LinkID)
	if errors.Is(err, store.ErrNotFound) {
		return skip(t, "the link was deleted")
	}
	if err != nil {
		return err
	}
	loc := e.linkLocation(ctx, s, t.TenantID, l)
	if err := e.scheduleSummary(ctx, s, t.TenantID, l, t.DueAt, loc); err != nil {
		return err
	}
	if !l.ValidAt(t.DueAt) || l.MessageArchived {
		return skip(t, "the link is not valid at %s", t.DueAt.Format(time.RFC3339))
	}
	from, to := period(l, t.DueAt, loc)
	plans, err := e.coveredPlans(ctx, s, t.TenantID, l, from, to)
	if err != nil {
		return err
	}
	sent, err := e.sendSummaries(ctx, s, t, l, plans, from, to, loc)
	if err != nil {
		return err
	}
	t.Status, t.Detail = avisera.TimerFired, strconv.Itoa(sent)+" summaries for "+from.Format("2006-01-02")+" – "+to.Add(-time.Second).Format("2006-01-02")
	return nil
}

// coveredPlans lists the active plans starting in [from, to) that the
// link's target covers.
func (e *Engine) coveredPlans(ctx context.Context, s store.Store, tenantID string, l avisera.Link, from, to time.Time) ([]avisera.Plan, error) {
	var out []avisera.Plan
	f := store.PlanFilter{Type: l.EventType, Status: avisera.PlanActive, From: &from, To: &to}
	err := eachPlans(ctx, s, tenantID, f, func(ps []avisera.Plan) error {
		for _, p := range ps {
			targets, err := e.TargetChain(ctx, s, tenantID, avisera.Target{Type: p.Type, ID: p.ID}, p.Refs)
			if err != nil {
				return err
			}
			if slices.Contains(targets, l.Target) {
				out = append(out, p)
			}
		}
		return nil
	})
	return out, err
}

// sendSummaries sends each performer their own plans and the link's other
// recipients all of them; it returns how many summaries went out.
func (e *Engine) sendSummaries(ctx context.Context, s store.Store, t *avisera.Timer, l avisera.Link, plans []avisera.Plan,
	from, to time.Time, loc *time.Location) (int, error) {
	sent := 0
	if slices.Contains(l.Dynamic, avisera.TokenPerformer) {
		byUser := map[string][]avisera.Plan{}
		var users []string
		for _, p := range plans {
			for _, u := range p.UserIDs {
				if byUser[u] == nil {
					users = append(users, u)
				}
				byUser[u] = append(byUser[u], p)
			}
		}
		sort.Strings(users)
		for _, u := range users {
			one := l
			one.Static, one.Dynamic = nil, []string{avisera.TokenPerformer}
			if err := e.sendSummary(ctx, s, t, one, u, avisera.Refs{Users: []string{u}}, byUser[u], from, to, loc); err != nil {
				return sent, err
			}
			sent++
		}
	}
	others := l
	others.Dynamic = slices.DeleteFunc(slices.Clone(l.Dynamic), func(tok string) bool { return tok == avisera.TokenPerformer })
	if len(others.Static) == 0 && len(others.Dynamic) == 0 {
		return sent, nil
	}
	err := e.sendSummary(ctx, s, t, others, "all", targetRefs(l.Target), plans, from, to, loc)
	return sent + 1, err
}

func targetRefs(t avisera.Target) avisera.Refs {
	switch t.Type {
	case avisera.TargetOrgUnit:
		return avisera.Refs{OrgUnit: t.ID}
	case avisera.TargetCustomer:
		return avisera.Refs{Customer: t.ID}
	case avisera.TargetContract:
		return avisera.Refs{Contract: t.ID}
	case avisera.TargetPlace:
		return avisera.Refs{Place: t.ID}
	}
	return avisera.Refs{}
}

// sendSummary sends one summary event for the plans to the link's
// recipients.
func (e *Engine) sendSummary(ctx context.Context, s store.Store, t *avisera.Timer, l avisera.Link, who string,
	refs avisera.Refs, plans []avisera.Plan, from, to time.Time, loc *time.Location) error {
	data, _ := json.Marshal(map[string]any{"period_start": from.Format(time.RFC3339), "period_end": to.Format(time.RFC3339),
		"plan_count": len(plans)})
	ev := avisera.Event{ID: "summary-" + t.ID + "-" + who, Type: l.EventType + "." + l.Trigger, EventType: l.EventType,
		Trigger: l.Trigger, OccurredAt: t.DueAt, Subject: avisera.Target{Type: l.EventType, ID: "summary-" + t.ID},
		Refs: refs, Data: data}
	sc, err := e.loadScene(ctx, t.TenantID, ev)
	if err != nil {
		return err
	}
	sc.plans = e.planVars(ctx, t.TenantID, plans, loc)
	return e.sendFor(ctx, s, t.TenantID, sc, &ev, []avisera.Link{l})
}

// planVars are the plans variable of a summary, in start order.
func (e *Engine) planVars(ctx context.Context, tenantID string, plans []avisera.Plan, loc *time.Location) []any {
	out := make([]any, 0, len(plans))
	for _, p := range plans {
		data := map[string]any{}
		_ = json.Unmarshal(p.Data, &data)
		v := map[string]any{"id": p.ID, "name": data["name"], "starts_at": p.StartsAt.In(loc).Format(time.RFC3339)}
		if p.EndsAt != nil {
			v["ends_at"] = p.EndsAt.In(loc).Format(time.RFC3339)
		}
		if p.Refs.Place != "" {
			if pl, err := e.store.GetPlace(ctx, tenantID, p.Refs.Place); err == nil {
				v["place"], v["address"] = pl.Name, pl.Address
			}
		}
		if v["name"] == nil {
			v["name"] = p.ID
		}
		out = append(out, v)
	}
	return out
}
