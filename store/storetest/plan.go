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
