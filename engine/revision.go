package engine

import (
	"context"
	"sync"
)

// revisions reads tenants' master revisions for events planned at the same
// moment. Each caller is answered by a read that started after it asked,
// so that its event sees every change of master data committed before the
// event arrived; callers that ask while a read of their tenant is running
// share the one read that follows it. Under load that is one statement
// for several events instead of one each (avisera bench on PostgreSQL: 816
// reads for 2,100 events), and a lone event waits for no one.
type revisions struct {
	mu      sync.Mutex
	tenants map[string]*revisionQueue
}

// revisionQueue is a tenant's running read and the read its waiters share.
type revisionQueue struct {
	running bool
	next    *revisionRead
}

type revisionRead struct {
	ctx     context.Context // of the first waiter, without its cancellation
	waiters int
	done    chan struct{}
	n       int64
	err     error
}

// get returns the tenant's revision from a read that starts after get was
// called, made with read.
func (r *revisions) get(ctx context.Context, tenantID string, read func(context.Context) (int64, error)) (int64, error) {
	r.mu.Lock()
	if r.tenants == nil {
		r.tenants = map[string]*revisionQueue{}
	}
	q := r.tenants[tenantID]
	if q == nil {
		q = &revisionQueue{}
		r.tenants[tenantID] = q
	}
	if !q.running {
		q.running = true
		r.mu.Unlock()
		n, err := read(ctx)
		r.finish(tenantID, q, read)
		return n, err
	}
	if q.next == nil {
		q.next = &revisionRead{ctx: context.WithoutCancel(ctx), done: make(chan struct{})}
	}
	w := q.next
	w.waiters++
	r.mu.Unlock()
	select {
	case <-w.done:
		return w.n, w.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// finish ends a tenant's running read: the read its waiters share starts
// now, in its own goroutine, or the tenant's queue goes.
func (r *revisions) finish(tenantID string, q *revisionQueue, read func(context.Context) (int64, error)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	w := q.next
	if w == nil {
		q.running = false
		delete(r.tenants, tenantID)
		return
	}
	q.next = nil
	go func() {
		w.n, w.err = read(w.ctx)
		close(w.done)
		r.finish(tenantID, q, read)
	}()
}
