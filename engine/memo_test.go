package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

func TestMasterCacheFollowsTheRevision(t *testing.T) {
	var c masterCache
	m5 := c.at(nil, "t1", 5)
	if c.at(nil, "t1", 5) != m5 {
		t.Error("the same revision got another memo")
	}
	if c.at(nil, "t2", 5) == m5 {
		t.Error("another tenant got the first tenant's memo")
	}
	m6 := c.at(nil, "t1", 6)
	if m6 == m5 {
		t.Error("a newer revision got the old memo")
	}
	if old := c.at(nil, "t1", 5); old == m5 || old == m6 {
		t.Error("a reader of an older revision got a shared memo")
	}
	if c.at(nil, "t1", 6) != m6 {
		t.Error("an older reader replaced the newest memo")
	}
}

// A full cache gives up one tenant for a new one; a cached tenant's newer
// revision costs no other tenant its memo.
func TestMasterCacheBound(t *testing.T) {
	var c masterCache
	memos := map[string]*memo{}
	for i := range maxCachedTenants {
		id := fmt.Sprint("t", i)
		memos[id] = c.at(nil, id, 1)
	}
	c.at(nil, "t0", 2) // t0's master data changed
	kept := 0
	for id, m := range memos {
		if id != "t0" && c.at(nil, id, 1) == m {
			kept++
		}
	}
	if kept != maxCachedTenants-1 {
		t.Errorf("after a change of one tenant %d of the other %d memos are kept, want all", kept, maxCachedTenants-1)
	}
	c.at(nil, "new", 1)
	if len(c.tenants) != maxCachedTenants {
		t.Errorf("%d tenants cached after one more, want %d", len(c.tenants), maxCachedTenants)
	}
}

func TestMemoRemembersAnswersOnly(t *testing.T) {
	m := newMemo(nil)
	reads := 0
	read := func(err error) func() (int, error) {
		return func() (int, error) { reads++; return reads, err }
	}
	boom := errors.New("connection reset")
	for _, err := range []error{boom, boom} {
		if _, got := remember(m, "k", read(err)); !errors.Is(got, boom) {
			t.Fatalf("err = %v, want boom", got)
		}
	}
	if reads != 2 {
		t.Errorf("a failed read was remembered: %d reads, want 2", reads)
	}
	for range 2 {
		if _, err := remember(m, "gone", read(store.ErrNotFound)); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("err = %v, want ErrNotFound", err)
		}
	}
	if v, err := remember(m, "v", read(nil)); err != nil || v != 4 {
		t.Fatalf("v = %d, %v; want 4", v, err)
	}
	if v, _ := remember(m, "v", read(nil)); v != 4 || reads != 4 {
		t.Errorf("v = %d after %d reads; want 4 remembered, and not found remembered too", v, reads)
	}
}

// linkStore answers ListLinks only, counting the questions.
type linkStore struct {
	store.Store
	links []avisera.Link
	asked int
}

func (s *linkStore) ListLinks(_ context.Context, _ string, f store.LinkFilter) ([]avisera.Link, error) {
	s.asked++
	var out []avisera.Link
	for _, l := range s.links {
		if len(f.Targets) == 0 || slices.Contains(f.Targets, l.Target) {
			out = append(out, l)
		}
	}
	return out, nil
}

func TestMemoPicksTheEventsLinks(t *testing.T) {
	k1 := avisera.Target{Type: avisera.TargetCustomer, ID: "k1"}
	k2 := avisera.Target{Type: avisera.TargetCustomer, ID: "k2"}
	all := avisera.Target{Type: avisera.TargetTenant}
	s := &linkStore{links: []avisera.Link{{ID: "a", Target: k1}, {ID: "b", Target: k2}, {ID: "c", Target: all}}}
	m := newMemo(s)
	ids := func(targets ...avisera.Target) []string {
		links, err := m.ListLinks(context.Background(), "t", store.LinkFilter{Targets: targets, Trigger: "completed"})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, l := range links {
			out = append(out, l.ID)
		}
		return out
	}
	if got := ids(k1, avisera.Target{Type: "order", ID: "o1"}, all); !slices.Equal(got, []string{"a", "c"}) {
		t.Errorf("links of k1's event = %v, want [a c]", got)
	}
	if got := ids(k2, avisera.Target{Type: "order", ID: "o2"}, all); !slices.Equal(got, []string{"b", "c"}) {
		t.Errorf("links of k2's event = %v, want [b c]", got)
	}
	if s.asked != 1 {
		t.Errorf("the store was asked %d times, want once for both events", s.asked)
	}
}
