package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

// planTriggers are the time-based triggers that fire from one plan.
var planTriggers = map[string]bool{"reminder": true, "not_started": true, "not_performed": true, "not_reported": true}

// timedLinks lists the links with a plan trigger that cover a plan.
func (e *Engine) timedLinks(ctx context.Context, s store.Store, tenantID string, p avisera.Plan) ([]avisera.Link, error) {
	if p.Status != avisera.PlanActive {
		return nil, nil
	}
	targets, err := e.TargetChain(ctx, s, tenantID, avisera.Target{Type: p.Type, ID: p.ID}, p.Refs)
	if err != nil {
		return nil, err
	}
	links, err := s.ListLinks(ctx, tenantID, store.LinkFilter{Targets: targets, EventType: p.Type})
	if err != nil {
		return nil, err
	}
	out := links[:0]
	for _, l := range links {
		if planTriggers[l.Trigger] {
			out = append(out, l)
		}
	}
	return out, nil
}

// dueAt computes when a link fires for a plan. A reminder counts its
// offset back from the start; a not_started watchdog forward from the
// start; not_performed and not_reported forward from the end of the
// window. offset_from picks the earliest, planned (default) or latest
// start.
func dueAt(p avisera.Plan, l avisera.Link) time.Time {
	start := p.StartsAt
	switch {
	case l.OffsetFrom == "earliest" && p.EarliestAt != nil:
		start = *p.EarliestAt
	case l.OffsetFrom == "latest" && p.LatestAt != nil:
		start = *p.LatestAt
	}
	off := time.Duration(l.Offset)
	switch l.Trigger {
	case "reminder":
		return start.Add(-off)
	case "not_started":
		return start.Add(off)
	}
	end := start
	switch {
	case p.EndsAt != nil:
		end = *p.EndsAt
	case p.LatestAt != nil:
		end = *p.LatestAt
	}
	return end.Add(off)
}

// planTimer is the pending timer of link l for plan p, unless it is due
// already.
func (e *Engine) planTimer(tenantID string, p avisera.Plan, l avisera.Link) (avisera.Timer, bool) {
	due := dueAt(p, l)
	if !due.After(e.Now()) || answered(p, l.Trigger) {
		return avisera.Timer{}, false
	}
	return avisera.Timer{ID: newID(), TenantID: tenantID, Kind: avisera.TimerPlan, PlanType: p.Type, PlanID: p.ID,
		LinkID: l.ID, Trigger: l.Trigger, DueAt: due.UTC(), Status: avisera.TimerPending, CreatedAt: e.Now()}, true
}

// answered reports whether the plan's start or completion, already
// recorded, answers the watchdog trigger.
func answered(p avisera.Plan, trigger string) bool {
	return p.StartedAt != nil && slices.Contains(planAnswers["started"].cancels, trigger) ||
		p.CompletedAt != nil && slices.Contains(planAnswers["completed"].cancels, trigger)
}

// resyncLinkTimers replaces a link's pending timers after it was created,
// changed or deleted: plan triggers get a timer for every active future
// plan the link covers, periodic triggers their next summary.
func (e *Engine) resyncLinkTimers(ctx context.Context, s store.Store, tenantID string, l avisera.Link, deleted bool) error {
	if _, err := s.CancelTimers(ctx, tenantID, store.TimerFilter{LinkID: l.ID}, "the link changed"); err != nil {
		return err
	}
	switch {
	case deleted || l.MessageArchived:
		return nil
	case periodicTriggers[l.Trigger]:
		return e.scheduleSummary(ctx, s, tenantID, l, e.Now(), e.linkLocation(ctx, s, tenantID, l))
	case planTriggers[l.Trigger]:
		return e.linkPlanTimers(ctx, s, tenantID, l)
	}
	return nil
}

// linkPlanTimers schedules a new plan-trigger link on the active plans it
// covers that have not yet started.
func (e *Engine) linkPlanTimers(ctx context.Context, s store.Store, tenantID string, l avisera.Link) error {
	from := e.Now().Add(-7 * 24 * time.Hour)
	f := store.PlanFilter{Type: l.EventType, Status: avisera.PlanActive, From: &from}
	return eachPlans(ctx, s, tenantID, f, func(ps []avisera.Plan) error { return e.linkPlans(ctx, s, tenantID, l, ps) })
}

// eachPlans calls fn with every page of the plans matching f.
func eachPlans(ctx context.Context, s store.Store, tenantID string, f store.PlanFilter, fn func([]avisera.Plan) error) error {
	pg := avisera.Page{Limit: 500}
	for {
		ps, err := s.ListPlans(ctx, tenantID, f, pg)
		if err != nil {
			return err
		}
		if err := fn(ps); err != nil {
			return err
		}
		if len(ps) < pg.Limit {
			return nil
		}
		pg.After = store.PlanCursor(ps[len(ps)-1])
	}
}

func (e *Engine) linkPlans(ctx context.Context, s store.Store, tenantID string, l avisera.Link, ps []avisera.Plan) error {
	var ts []avisera.Timer
	for _, p := range ps {
		targets, err := e.TargetChain(ctx, s, tenantID, avisera.Target{Type: p.Type, ID: p.ID}, p.Refs)
		if err != nil {
			return err
		}
		if !slices.Contains(targets, l.Target) {
			continue
		}
		if t, ok := e.planTimer(tenantID, p, l); ok {
			ts = append(ts, t)
		}
	}
	return s.InsertTimers(ctx, ts)
}

// timerBatch is how many timers one FireDueTimers call of RunTimers
// handles before it looks again.
const timerBatch = 500

// RunTimers fires due reminders, watchdogs and summaries every interval
// until ctx ends, draining a backlog before it waits again. Timers are rows
// in the database, so every replica may run this; each timer is claimed in
// its own transaction.
func (e *Engine) RunTimers(ctx context.Context, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		for {
			n, err := e.FireDueTimers(ctx, timerBatch)
			if err != nil && ctx.Err() == nil {
				e.logger.Error("firing timers", "err", err)
			}
			if n < timerBatch || err != nil {
				break
			}
		}
	}
}

// FireDueTimers fires the timers due by the engine's clock, each in its own
// transaction that claims it, sends what it makes and marks it fired, so a
// crash fires none twice and several replicas share the work. It returns
// how many timers it handled; max bounds one call.
func (e *Engine) FireDueTimers(ctx context.Context, max int) (int, error) {
	n := 0
	for ; n < max; n++ {
		// A firing lost in a database crash is lost whole, timer and all,
		// and fires again: the commit need not wait for the disk.
		err := e.store.LazyTx(ctx, func(s store.Store) error {
			t, err := s.ClaimDueTimer(ctx, e.Now())
			if err != nil {
				return err
			}
			return e.fireTimer(ctx, s, t)
		})
		if errors.Is(err, store.ErrNotFound) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// fireTimer runs one claimed timer inside its transaction.
func (e *Engine) fireTimer(ctx context.Context, s store.Store, t avisera.Timer) error {
	now := e.Now()
	t.FiredAt = &now
	var err error
	if t.Kind == avisera.TimerSummary {
		err = e.fireSummary(ctx, s, &t)
	} else {
		err = e.firePlanTimer(ctx, s, &t)
	}
	if err != nil {
		return err
	}
	return s.FinishTimer(ctx, t)
}

// skip marks a timer skipped with the reason.
func skip(t *avisera.Timer, format string, args ...any) error {
	t.Status, t.Detail = avisera.TimerSkipped, fmt.Sprintf(format, args...)
	return nil
}

// firePlanTimer sends a reminder or watchdog unless its condition no
// longer holds.
func (e *Engine) firePlanTimer(ctx context.Context, s store.Store, t *avisera.Timer) error {
	p, err := s.GetPlan(ctx, t.TenantID, t.PlanType, t.PlanID)
	if errors.Is(err, store.ErrNotFound) {
		return skip(t, "the plan no longer exists")
	}
	if err != nil {
		return err
	}
	l, err := s.GetLink(ctx, t.TenantID, t.LinkID)
	if errors.Is(err, store.ErrNotFound) {
		return skip(t, "the link was deleted")
	}
	if err != nil {
		return err
	}
	// An event that answers the plan may have been accepted while the plan
	// was announced, neither transaction seeing the other's row: look now,
	// when the timer would otherwise fire.
	if p.Status == avisera.PlanActive && !answered(p, t.Trigger) {
		if err := answeredByEvents(ctx, s, t.TenantID, &p); err != nil {
			return err
		}
	}
	switch {
	case p.Status != avisera.PlanActive:
		return skip(t, "the plan was cancelled")
	case (t.Trigger == "not_started" || t.Trigger == "reminder") && p.StartedAt != nil:
		return skip(t, "the plan started at %s", p.StartedAt.Format(time.RFC3339))
	case p.CompletedAt != nil:
		return skip(t, "the plan was completed at %s", p.CompletedAt.Format(time.RFC3339))
	case !l.ValidAt(t.DueAt) || l.MessageArchived:
		return skip(t, "the link is not valid at %s", t.DueAt.Format(time.RFC3339))
	}
	sc, err := e.loadScene(ctx, t.TenantID, avisera.Event{Refs: p.Refs})
	if err != nil {
		return err
	}
	ev := planEvent(p, t, sc.location())
	sc.setEvent(ev) // the same refs: the scene read for the location serves
	if err := e.sendFor(ctx, s, t.TenantID, sc, &ev, []avisera.Link{l}); err != nil {
		return err
	}
	t.Status, t.EventID, t.Detail = avisera.TimerFired, ev.ID, fmt.Sprintf("%d deliveries, %d suppressed", ev.Planned, ev.Suppressed)
	return nil
}

// planEvent is the event a plan's timer fires: the plan's data with its
// times, as the templates name them.
func planEvent(p avisera.Plan, t *avisera.Timer, loc *time.Location) avisera.Event {
	data := map[string]any{}
	_ = json.Unmarshal(p.Data, &data)
	put := func(k string, v *time.Time) {
		if _, ok := data[k]; !ok && v != nil {
			data[k] = v.In(loc).Format(time.RFC3339)
		}
	}
	put("planned_start", &p.StartsAt)
	put("planned_end", p.EndsAt)
	put("earliest_start", p.EarliestAt)
	put("latest_start", p.LatestAt)
	put("planned_at", &p.StartsAt)
	raw, _ := json.Marshal(data)
	return avisera.Event{ID: "timer-" + t.ID, Type: p.Type + "." + t.Trigger, EventType: p.Type, Trigger: t.Trigger,
		OccurredAt: t.DueAt, Subject: avisera.Target{Type: p.Type, ID: p.ID}, Refs: p.Refs, Data: raw}
}

// sendFor plans the deliveries of an engine-made event, the scene's, for
// the given links and stores them with their send jobs in the caller's
// transaction.
func (e *Engine) sendFor(ctx context.Context, s store.Store, tenantID string, sc *scene, ev *avisera.Event, links []avisera.Link) error {
	et, err := eventType("type", ev.EventType)
	if err != nil {
		return err
	}
	ds, cs, err := e.planLinks(ctx, sc, et, links)
	if err != nil {
		return err
	}
	ev.BodyHash = hashEvent(*ev)
	// Stored as a group of one accepted event (its triggers answer no plan);
	// the caller commits, so its jobs read their deliveries (no handoff).
	_, err = e.storeAccepted(s, []*acceptance{{ctx: ctx, tenantID: tenantID, ev: ev, ds: ds, cs: cs}})
	return err
}
