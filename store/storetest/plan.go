package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

// testPlans stores plans of two types, one sharing the other's id, moves
// one, and reads each back with its own users, one by one and in a list.
func testPlans(t *testing.T, s store.Store) {
	tid := tenant(t, s, "t1")
	put := func(typ, id string, at time.Time, users ...string) bool {
		t.Helper()
		created, err := s.PutPlan(ctx, tid, avisera.Plan{Type: typ, ID: id, UserIDs: users, StartsAt: at,
			Status: avisera.PlanActive, UpdatedAt: t0})
		must(t, err)
		return created
	}
	if !put("work_shift", "p1", t0, "u2", "u1") || !put("order", "p1", t0.Add(time.Hour), "u3") ||
		!put("work_shift", "p2", t0.Add(2*time.Hour)) {
		t.Error("a new plan was not reported created")
	}
	if put("work_shift", "p1", t0, "u1", "u4", "u4") {
		t.Error("a moved plan was reported created")
	}
	want := map[string][]string{"work_shift/p1": {"u1", "u4"}, "order/p1": {"u3"}, "work_shift/p2": {}}
	got, err := s.GetPlan(ctx, tid, "work_shift", "p1")
	if err != nil || !slices.Equal(got.UserIDs, want["work_shift/p1"]) || !got.StartsAt.Equal(t0) {
		t.Errorf("GetPlan(work_shift/p1) = %+v, %v; want users %v", got, err, want["work_shift/p1"])
	}
	list, err := s.ListPlans(ctx, tid, store.PlanFilter{}, avisera.Page{Limit: 10})
	must(t, err)
	if g := ids(list, func(p avisera.Plan) string { return p.Type + "/" + p.ID }); !slices.Equal(g,
		[]string{"work_shift/p1", "order/p1", "work_shift/p2"}) {
		t.Fatalf("ListPlans = %v, want them by start time", g)
	}
	for _, p := range list {
		if k := p.Type + "/" + p.ID; p.UserIDs == nil || !slices.Equal(p.UserIDs, want[k]) {
			t.Errorf("ListPlans: %s has users %#v, want %v", k, p.UserIDs, want[k])
		}
	}
}

// testMarkPlans marks plans in one call: the first mark of a field wins,
// a field already set stays, and a mark of a missing plan is reported.
func testMarkPlans(t *testing.T, s store.Store) {
	tid := tenant(t, s, "t1")
	for _, id := range []string{"p1", "p2"} {
		_, err := s.PutPlan(ctx, tid, avisera.Plan{Type: "work_shift", ID: id, StartsAt: t0, Status: avisera.PlanActive,
			UpdatedAt: t0})
		must(t, err)
	}
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	mark := func(id, field string, m int) store.PlanMark {
		return store.PlanMark{Type: "work_shift", ID: id, Field: field, At: at(m)}
	}
	found, err := s.MarkPlans(ctx, tid, []store.PlanMark{mark("p1", "started_at", 1), mark("none", "started_at", 2),
		mark("p1", "started_at", 3), mark("p1", "completed_at", 4), mark("p2", "completed_at", 5)})
	must(t, err)
	if want := []bool{true, false, true, true, true}; !slices.Equal(found, want) {
		t.Errorf("MarkPlans found %v, want %v", found, want)
	}
	found, err = s.MarkPlans(ctx, tid, []store.PlanMark{mark("p1", "started_at", 9), mark("p2", "started_at", 9)})
	must(t, err)
	if !slices.Equal(found, []bool{true, true}) {
		t.Errorf("MarkPlans found %v, want both", found)
	}
	check := func(id string, started, completed time.Time) {
		t.Helper()
		p, err := s.GetPlan(ctx, tid, "work_shift", id)
		must(t, err)
		if p.StartedAt == nil || !p.StartedAt.Equal(started) || p.CompletedAt == nil || !p.CompletedAt.Equal(completed) {
			t.Errorf("%s: started %v, completed %v; want %v, %v", id, p.StartedAt, p.CompletedAt, started, completed)
		}
	}
	check("p1", at(1), at(4))
	check("p2", at(9), at(5))
	if _, err := s.MarkPlans(ctx, tid, []store.PlanMark{{Type: "work_shift", ID: "p1", Field: "name", At: t0}}); err == nil {
		t.Error("MarkPlans took an unknown field")
	}
}
