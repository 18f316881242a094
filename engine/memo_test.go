package engine

import (
	"errors"
	"testing"

	"github.com/avisera/avisera/store"
)

func TestMasterCacheFollowsTheRevision(t *testing.T) {
	var c masterCache
	m5 := c.at(nil, 5)
	if c.at(nil, 5) != m5 {
		t.Error("the same revision got another memo")
	}
	m6 := c.at(nil, 6)
	if m6 == m5 {
		t.Error("a newer revision got the old memo")
	}
	if old := c.at(nil, 5); old == m5 || old == m6 {
		t.Error("a reader of an older revision got a shared memo")
	}
	if c.at(nil, 6) != m6 {
		t.Error("an older reader replaced the newest memo")
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
