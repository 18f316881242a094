package admin

import (
	"context"
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/avisera/avisera"
)

// planRow is a plan as the plans screens show it.
type planRow struct {
	Plan   avisera.Plan
	Path   string // the plan's page
	Type   string // the event type's label
	When   string // planned start – end, in the tenant's time zone
	Users  []objectRef
	Refs   []objectRef
	Timers []timerRow
	Active bool
}

// objectRef names a master-data object, with its kind, and links to it.
type objectRef struct {
	Kind, Name, Path string
}

// timerRow is one timer: what fires, when, through which link, and how it
// ended.
type timerRow struct {
	Timer   avisera.Timer
	Trigger string
	Group   string // the colour of its status chip
	Link    linkRef
	Detail  string
	Report  template.URL // the follow-up report of the event it fired
}

// linkRef names the link a timer fires: its message and target.
type linkRef struct {
	Message, Target, Path string
}

// planViewer builds plan rows, reading each name and link once per
// request.
type planViewer struct {
	h     *handler
	ctx   context.Context
	s     *session
	names *namer
	links map[string]linkRef
}

func (h *handler) planViewer(ctx context.Context, s *session) *planViewer {
	return &planViewer{h: h, ctx: ctx, s: s, names: h.namer(ctx, s), links: map[string]linkRef{}}
}

// row describes a plan and the timers it carries.
func (v *planViewer) row(p avisera.Plan) planRow {
	lang := v.s.lang()
	r := planRow{Plan: p, Path: planPath(p.Type, p.ID), Type: kindLabel(lang, p.Type),
		When: span(v.s.loc, p.StartsAt, p.EndsAt), Active: p.Status == avisera.PlanActive}
	for _, u := range p.UserIDs {
		u := v.object(avisera.ObjectUser, u)
		u.Kind = "" // the column says it
		r.Users = append(r.Users, u)
	}
	for _, ref := range []struct{ typ, id string }{{avisera.ObjectOrgUnit, p.Refs.OrgUnit},
		{avisera.ObjectCustomer, p.Refs.Customer}, {avisera.ObjectContract, p.Refs.Contract}, {avisera.ObjectPlace, p.Refs.Place}} {
		if ref.id != "" {
			r.Refs = append(r.Refs, v.object(ref.typ, ref.id))
		}
	}
	for _, t := range p.Timers {
		r.Timers = append(r.Timers, v.timer(p.Type, t))
	}
	return r
}

func (v *planViewer) object(typ, id string) objectRef {
	return objectRef{Kind: kindLabel(v.s.lang(), typ), Name: v.names.name(typ, id), Path: objectPath(typ, id)}
}

// timer describes one timer of a plan of planType.
func (v *planViewer) timer(planType string, t avisera.Timer) timerRow {
	lang := v.s.lang()
	r := timerRow{Timer: t, Trigger: timerTrigger(lang, planType, t.Trigger), Group: timerGroup(t.Status),
		Link: v.link(t.LinkID), Detail: timerDetail(lang, v.s.loc, t.Detail)}
	if t.EventID != "" {
		// Encoded by url.Values, so safe as a URL.
		r.Report = template.URL("/followup?" + url.Values{"period": {periodCustom}, "event_id": {t.EventID}}.Encode())
	}
	return r
}

// link names a timer's link by its message and target; a deleted link
// shows its id.
func (v *planViewer) link(id string) linkRef {
	if ref, ok := v.links[id]; ok {
		return ref
	}
	ref := linkRef{Message: id}
	if l, err := v.h.engine.GetLink(v.ctx, v.s.tenant.ID, id); err == nil {
		ref.Target, ref.Path = v.names.label(l.Target), targetPath(l.Target)
		if m, err := v.h.engine.GetMessage(v.ctx, v.s.tenant.ID, l.MessageID); err == nil {
			ref.Message = m.Name
		}
	}
	v.links[id] = ref
	return ref
}

// timerTrigger names a timer's trigger in plain words ("Påminnelse"), or
// as the catalogue does when the UI has no short name for it.
func timerTrigger(lang, planType, trigger string) string {
	key := "plans.trigger." + trigger
	if s := translate(lang, key); s != key {
		return s
	}
	return triggerLabel(lang, planType, trigger)
}

// timerGroup sorts a timer status into the colour of its chip.
func timerGroup(status string) string {
	switch status {
	case avisera.TimerFired:
		return "ok"
	case avisera.TimerSkipped:
		return "skipped"
	case avisera.TimerCancelled:
		return "off"
	}
	return "pending"
}

// span formats a planned time: "2026-03-02 08:00–12:00", or with the end's
// date when it ends on another day.
func span(loc *time.Location, start time.Time, end *time.Time) string {
	s := formatTime(loc, start, "2006-01-02 15:04")
	switch {
	case end == nil:
		return s
	case end.In(loc).Format("2006-01-02") == start.In(loc).Format("2006-01-02"):
		return s + "–" + formatTime(loc, end, "15:04")
	}
	return s + " – " + formatTime(loc, end, "2006-01-02 15:04")
}

// timerDetails translate the engine's timer details; a trailing space
// means the rest of the detail (an event id or a time) follows.
var timerDetails = []struct{ text, key string }{
	{"answered by event ", "plans.detail.answered"},
	{"the plan started at ", "plans.detail.started"},
	{"the plan was completed at ", "plans.detail.completed"},
	{"the link is not valid at ", "plans.detail.link_invalid"},
	{"the plan moved", "plans.detail.moved"},
	{"the plan was cancelled", "plans.detail.cancelled"},
	{"the plan no longer exists", "plans.detail.gone"},
	{"the link changed", "plans.detail.link_changed"},
	{"the link was deleted", "plans.detail.link_deleted"},
}

// timerDetail says in lang why a timer ended as it did; times are shown
// in loc. A detail the table does not know is shown as the engine wrote it.
func timerDetail(lang string, loc *time.Location, detail string) string {
	var sent, suppressed int
	if n, _ := fmt.Sscanf(detail, "%d deliveries, %d suppressed", &sent, &suppressed); n == 2 {
		return translate(lang, "plans.detail.fired", sent, suppressed)
	}
	for _, d := range timerDetails {
		if !strings.HasSuffix(d.text, " ") {
			if detail == d.text {
				return translate(lang, d.key)
			}
			continue
		}
		if rest, ok := strings.CutPrefix(detail, d.text); ok {
			if t, err := time.Parse(time.RFC3339, rest); err == nil {
				rest = formatTime(loc, t, "2006-01-02 15:04")
			}
			return translate(lang, d.key, rest)
		}
	}
	return detail
}
