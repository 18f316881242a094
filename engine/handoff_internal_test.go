package engine

import (
	"strconv"
	"testing"

	"github.com/avisera/avisera"
)

// The handoff holds at most maxHandedDeliveries, pushing out the oldest
// jobs first, and forgets the jobs taken from it.
func TestHandoffBounds(t *testing.T) {
	h := newHandoff()
	job := func(n int, prefix string) ([]avisera.Delivery, []string) {
		ds, ids := make([]avisera.Delivery, n), make([]string, n)
		for i := range ds {
			ids[i] = prefix + strconv.Itoa(i)
			ds[i].ID = ids[i]
		}
		return ds, ids
	}
	const per = 1000
	for j := range int64(maxHandedDeliveries/per + 5) {
		ds, _ := job(per, strconv.FormatInt(j, 10)+"-")
		h.put(j, "t1", ds)
	}
	if h.held > maxHandedDeliveries {
		t.Errorf("holds %d deliveries, want at most %d", h.held, maxHandedDeliveries)
	}
	if _, ok := h.jobs[0]; ok {
		t.Error("the oldest job was kept past the bound")
	}
	last := int64(maxHandedDeliveries/per + 4)
	_, ids := job(per, strconv.FormatInt(last, 10)+"-")
	if _, ok := h.take(last, "t2", ids); ok {
		t.Error("another tenant's job was handed the deliveries")
	}
	if _, ok := h.take(last, "t1", ids); ok {
		t.Error("a job was handed deliveries after a wrong take had dropped them")
	}
	// Jobs taken as fast as they come: the order of arrival does not grow.
	for j := range int64(10000) {
		ds, ids := job(1, "x")
		h.put(1000+j, "t1", ds)
		if _, ok := h.take(1000+j, "t1", ids); !ok {
			t.Fatalf("job %d was not handed its delivery", 1000+j)
		}
	}
	if len(h.order) > 2*len(h.jobs)+1024 {
		t.Errorf("the order of arrival holds %d jobs for %d held", len(h.order), len(h.jobs))
	}
}
