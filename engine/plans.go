package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

// PlanInput is a plan as the host announces it.
type PlanInput struct {
	Type       string
	ID         string
	UserIDs    []string
	Refs       avisera.Refs
	StartsAt   time.Time
	EndsAt     *time.Time
	EarliestAt *time.Time
	LatestAt   *time.Time
	Data       json.RawMessage
}

// checkPlan validates a plan's type, times and references.
func checkPlan(in PlanInput) error {
	et, err := eventType("type", in.Type)
	if err != nil {
		return err
	}
	timed := false
	for _, t := range et.Triggers {
		timed = timed || t.TimeBased
	}
	if !timed {
		return avisera.Invalid("type", "%s has no time-based triggers to plan for", in.Type)
	}
	if err := first(checkID("id", in.ID), checkData(in.Data), checkRefs(in.Refs)); err != nil {
		return err
	}
	if in.StartsAt.IsZero() {
		return avisera.Invalid("starts_at", "is required (RFC 3339)")
	}
	switch {
	case in.EndsAt != nil && !in.EndsAt.After(in.StartsAt):
		return avisera.Invalid("ends_at", "must be after starts_at")
	case in.EarliestAt != nil && in.EarliestAt.After(in.StartsAt):
		return avisera.Invalid("earliest_at", "must not be after starts_at")
	case in.LatestAt != nil && in.LatestAt.Before(in.StartsAt):
		return avisera.Invalid("latest_at", "must not be before starts_at")
	}
	for i, u := range in.UserIDs {
		if err := checkID(fmt.Sprintf("user_ids[%d]", i), u); err != nil {
			return err
		}
	}
	return nil
}

// PutPlan announces or moves a plan: in one transaction it stores the plan,
// cancels the timers of its old times and schedules the timers of every
// time-based link that covers it. Timers already due are not created, so a
// moved plan never fires for its old time and a re-announced one never
// fires twice.
func (e *Engine) PutPlan(ctx context.Context, tenantID string, in PlanInput) (avisera.Plan, bool, error) {
	if err := checkPlan(in); err != nil {
		return avisera.Plan{}, false, err
	}
	p := avisera.Plan{Type: in.Type, ID: in.ID, UserIDs: in.UserIDs, Refs: in.Refs, StartsAt: in.StartsAt.UTC(),
		EndsAt: utc(in.EndsAt), EarliestAt: utc(in.EarliestAt), LatestAt: utc(in.LatestAt), Data: in.Data,
		Status: avisera.PlanActive, UpdatedAt: e.Now()}
	if p.UserIDs == nil {
		p.UserIDs = []string{}
	}
	p.Refs.Users = p.UserIDs
	var created bool
	err := e.store.Tx(ctx, func(s store.Store) error {
		old, err := s.GetPlan(ctx, tenantID, p.Type, p.ID)
		switch {
		case err == nil:
			p.StartedAt = keptMark(old.StartedAt, answersSince(p, "started_at"))
			p.CompletedAt = keptMark(old.CompletedAt, answersSince(p, "completed_at"))
		case errors.Is(err, store.ErrNotFound):
			if err := answeredByEvents(ctx, s, tenantID, &p); err != nil {
				return err
			}
		default:
			return err
		}
		if created, err = s.PutPlan(ctx, tenantID, p); err != nil {
			return err
		}
		return e.rescheduleTimers(ctx, s, tenantID, p)
	})
	if err != nil {
		return p, false, err
	}
	p, err = e.GetPlan(ctx, tenantID, p.Type, p.ID)
	return p, created, err
}

// answeredByEvents marks a plan started or completed by the accepted events
// about it that it has not recorded: those that came before it was
// announced (a shift clocked in before it was planned), so that its
// watchdogs raise no false alarm. Events from before answersSince belong
// to an earlier occurrence that had the plan's id.
func answeredByEvents(ctx context.Context, s store.Store, tenantID string, p *avisera.Plan) error {
	// In this order: a completion counts from the start found first.
	for _, m := range []struct {
		field string
		mark  **time.Time
	}{{"started_at", &p.StartedAt}, {"completed_at", &p.CompletedAt}} {
		first, err := s.FirstOccurrences(ctx, tenantID, p.Type, p.ID, answeringTriggers[m.field], answersSince(*p, m.field))
		if err != nil {
			return err
		}
		for _, at := range first {
			if *m.mark == nil || at.Before(**m.mark) {
				*m.mark = &at
			}
		}
	}
	return nil
}

// answersSince is the earliest time an event can set a plan's field. A
// shift is clocked in minutes or hours early, never half a day: a start
// counts from half a day before the planned start, or an hour before the
// earliest start when that is earlier; a completion from the plan's
// counted start (work begun and done early), else from an hour before the
// window, as nothing ends before it begins. The events of an earlier
// occurrence of a reused plan id (yesterday's shift, however long) come
// before.
func answersSince(p avisera.Plan, field string) time.Time {
	opens := p.StartsAt
	if p.EarliestAt != nil && p.EarliestAt.Before(opens) {
		opens = *p.EarliestAt
	}
	if field == "started_at" {
		return earliest(p.StartsAt.Add(-12*time.Hour), opens.Add(-time.Hour))
	}
	since := opens.Add(-time.Hour)
	if p.StartedAt != nil {
		since = earliest(since, *p.StartedAt)
	}
	return since
}

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// keptMark is a moved plan's start or completion mark: kept unless it
// lies before the time events can answer the plan at its new times (a
// plan id reused for the next occurrence starts unanswered).
func keptMark(mark *time.Time, since time.Time) *time.Time {
	if mark == nil || mark.Before(since) {
		return nil
	}
	return mark
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := t.UTC()
	return &v
}

// rescheduleTimers brings a plan's pending timers in line with its times
// and the links that cover it: timers that still hold stay, the others are
// cancelled, missing ones are added.
func (e *Engine) rescheduleTimers(ctx context.Context, s store.Store, tenantID string, p avisera.Plan) error {
	links, err := e.timedLinks(ctx, s, tenantID, p)
	if err != nil {
		return err
	}
	want := map[string]avisera.Timer{}
	for _, l := range links {
		if t, ok := e.planTimer(tenantID, p, l); ok {
			want[timerKey(t)] = t
		}
	}
	pending, err := s.ListTimers(ctx, tenantID, store.TimerFilter{PlanType: p.Type, PlanID: p.ID, Status: avisera.TimerPending})
	if err != nil {
		return err
	}
	for _, t := range pending {
		if _, ok := want[timerKey(t)]; ok {
			delete(want, timerKey(t))
			continue
		}
		if _, err := s.CancelTimers(ctx, tenantID, store.TimerFilter{PlanType: p.Type, PlanID: p.ID, LinkID: t.LinkID,
			Triggers: []string{t.Trigger}}, "the plan moved"); err != nil {
			return err
		}
	}
	ts := make([]avisera.Timer, 0, len(want))
	for _, t := range want {
		ts = append(ts, t)
	}
	return s.InsertTimers(ctx, ts)
}

// timerKey identifies what a plan timer does: which link fires when.
func timerKey(t avisera.Timer) string {
	return t.LinkID + "|" + t.Trigger + "|" + t.DueAt.UTC().Format(time.RFC3339Nano)
}

// CancelPlan cancels a plan and its pending timers.
func (e *Engine) CancelPlan(ctx context.Context, tenantID, typ, id string) error {
	return e.store.Tx(ctx, func(s store.Store) error {
		p, err := s.GetPlan(ctx, tenantID, typ, id)
		if err != nil {
			return notFound(err, "plan", typ+"/"+id)
		}
		p.Status, p.UpdatedAt = avisera.PlanCancelled, e.Now()
		if _, err := s.PutPlan(ctx, tenantID, p); err != nil {
			return err
		}
		_, err = s.CancelTimers(ctx, tenantID, store.TimerFilter{PlanType: typ, PlanID: id}, "the plan was cancelled")
		return err
	})
}

// GetPlan returns a plan with all its timers.
func (e *Engine) GetPlan(ctx context.Context, tenantID, typ, id string) (avisera.Plan, error) {
	p, err := e.store.GetPlan(ctx, tenantID, typ, id)
	if err != nil {
		return p, notFound(err, "plan", typ+"/"+id)
	}
	p.Timers, err = e.store.ListTimers(ctx, tenantID, store.TimerFilter{PlanType: typ, PlanID: id})
	return p, err
}

// ListPlans lists plans by start time, with their pending timers.
func (e *Engine) ListPlans(ctx context.Context, tenantID string, f store.PlanFilter, pg avisera.Page) (List[avisera.Plan], error) {
	pg = pg.Normalize()
	if f.Type != "" {
		if _, err := eventType("type", f.Type); err != nil {
			return List[avisera.Plan]{}, err
		}
	}
	if f.Status != "" && f.Status != avisera.PlanActive && f.Status != avisera.PlanCancelled {
		return List[avisera.Plan]{}, avisera.Invalid("status", "must be active or cancelled")
	}
	if err := checkCursor(pg); err != nil {
		return List[avisera.Plan]{}, err
	}
	items, err := e.store.ListPlans(ctx, tenantID, f, ahead(pg))
	if err != nil {
		return List[avisera.Plan]{}, err
	}
	l := page(items, pg, store.PlanCursor)
	for i, p := range l.Items {
		l.Items[i].Timers, err = e.store.ListTimers(ctx, tenantID, store.TimerFilter{PlanType: p.Type,
			PlanID: p.ID, Status: avisera.TimerPending})
		if err != nil {
			return List[avisera.Plan]{}, err
		}
	}
	return l, nil
}

// planAnswer says which field of its plan an event sets and which
// watchdogs it answers: a started event cancels the reminder and the
// not_started watchdog, a completed one every watchdog. ok is false for
// an event that answers no plan.
func planAnswer(trigger string) (field string, triggers []string, ok bool) {
	a, ok := planAnswers[trigger]
	return a.field, a.cancels, ok
}

// planAnswers are the triggers whose events answer a plan: the plan field
// each sets and the watchdog triggers it cancels.
var planAnswers = map[string]struct {
	field   string
	cancels []string
}{
	"started":   {"started_at", []string{"reminder", "not_started"}},
	"completed": {"completed_at", completedCancels},
	"ended":     {"completed_at", completedCancels},
	"reported":  {"completed_at", completedCancels},
}

var completedCancels = []string{"reminder", "not_started", "not_performed", "not_reported"}

// answeringTriggers are, per plan field, the triggers whose events set it
// (planAnswers turned around, in a fixed order).
var answeringTriggers = func() map[string][]string {
	out := map[string][]string{}
	for _, t := range slices.Sorted(maps.Keys(planAnswers)) {
		out[planAnswers[t].field] = append(out[planAnswers[t].field], t)
	}
	return out
}()

// markPlans records the start or completion of the plans that a group of
// accepted events answer (one statement per tenant) and cancels the
// watchdogs each event answers.
func (e *Engine) markPlans(ctx context.Context, s store.Store, batch []*acceptance) error {
	byTenant := map[string][]*acceptance{}
	var tenants []string
	for _, a := range batch {
		if _, _, ok := planAnswer(a.ev.Trigger); !ok {
			continue
		}
		if _, seen := byTenant[a.tenantID]; !seen {
			tenants = append(tenants, a.tenantID)
		}
		byTenant[a.tenantID] = append(byTenant[a.tenantID], a)
	}
	for _, tenantID := range tenants {
		if err := e.markTenantPlans(ctx, s, tenantID, byTenant[tenantID]); err != nil {
			return err
		}
	}
	return nil
}

func (e *Engine) markTenantPlans(ctx context.Context, s store.Store, tenantID string, as []*acceptance) error {
	marks := make([]store.PlanMark, len(as))
	for i, a := range as {
		field, _, _ := planAnswer(a.ev.Trigger)
		marks[i] = store.PlanMark{Type: a.ev.EventType, ID: a.ev.Subject.ID, Field: field, At: a.ev.OccurredAt}
	}
	found, err := s.MarkPlans(ctx, tenantID, marks)
	if err != nil {
		return err
	}
	for i, a := range as {
		if !found[i] {
			continue
		}
		_, triggers, _ := planAnswer(a.ev.Trigger)
		if _, err := s.CancelTimers(ctx, tenantID, store.TimerFilter{PlanType: a.ev.EventType, PlanID: a.ev.Subject.ID,
			Triggers: triggers}, "answered by event "+a.ev.ID); err != nil {
			return err
		}
	}
	return nil
}
