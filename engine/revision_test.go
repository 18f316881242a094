package engine

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Callers that ask while a read runs share the next read, and each is
// answered by a read that started after it asked; a lone caller reads at
// once.
func TestRevisionsShareTheNextRead(t *testing.T) {
	ctx := context.Background()
	var r revisions
	var started atomic.Int64
	release := make(chan struct{})
	read := func(context.Context) (int64, error) {
		n := started.Add(1)
		<-release
		return n, nil
	}
	first := make(chan int64)
	go func() { n, _ := r.get(ctx, "t1", read); first <- n }()
	waitFor(t, func() bool { return started.Load() == 1 })

	const callers = 5
	answers := make([]int64, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() { answers[i], _ = r.get(ctx, "t1", read) })
	}
	waitFor(t, func() bool {
		r.mu.Lock()
		defer r.mu.Unlock()
		q := r.tenants["t1"]
		return q != nil && q.next != nil && q.next.waiters == callers
	})
	close(release)
	if n := <-first; n != 1 {
		t.Errorf("first caller got read %d, want 1", n)
	}
	wg.Wait()
	for i, n := range answers {
		if n != 2 {
			t.Errorf("caller %d got read %d, want 2 (the one read started after the callers asked)", i, n)
		}
	}
	if n := started.Load(); n != 2 {
		t.Errorf("%d reads for %d callers, want 2", n, callers+1)
	}
	if n, _ := r.get(ctx, "t1", read); n != 3 {
		t.Errorf("a lone caller got read %d, want a new one (3)", n)
	}
	if len(r.tenants) != 0 {
		t.Errorf("%d tenant queues left over, want none", len(r.tenants))
	}
}

// A waiter whose context ends stops waiting; the read it shares goes on
// for the others.
func TestRevisionsWaiterGivesUp(t *testing.T) {
	var r revisions
	var reads atomic.Int64
	release := make(chan struct{})
	read := func(context.Context) (int64, error) { <-release; return reads.Add(1), nil }
	done := make(chan struct{})
	go func() { r.get(context.Background(), "t1", read); close(done) }()
	waitFor(t, func() bool { r.mu.Lock(); defer r.mu.Unlock(); return r.tenants["t1"] != nil })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.get(ctx, "t1", read); err != context.Canceled {
		t.Errorf("cancelled waiter: err %v, want context.Canceled", err)
	}
	other := make(chan int64)
	go func() { n, _ := r.get(context.Background(), "t1", read); other <- n }()
	waitFor(t, func() bool { r.mu.Lock(); defer r.mu.Unlock(); return r.tenants["t1"].next.waiters == 2 })
	close(release)
	<-done
	if n := <-other; n != 2 {
		t.Errorf("the waiter that stayed got read %d, want 2 (the one it shared with the one that left)", n)
	}
	waitFor(t, func() bool { r.mu.Lock(); defer r.mu.Unlock(); return len(r.tenants) == 0 })
	if n := reads.Load(); n != 2 {
		t.Errorf("%d reads, want 2", n)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 10 s")
		}
	}
}
