package engine

import (
	"context"
	"sync"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

// maxGroup bounds how many accepted events share one transaction.
const maxGroup = 64

// acceptance is one accepted event waiting to be stored.
type acceptance struct {
	ctx      context.Context
	tenantID string
	ev       *avisera.Event
	ds       []avisera.Delivery
	cs       []avisera.Rendered
	err      error
	done     chan struct{}
}

// groupCommit stores concurrently accepted events in shared transactions:
// the first caller to arrive commits what has queued up meanwhile, so that
// under load many events pay for one commit (and SQLite's single writer
// writes shared pages once). Nobody waits for a timer: a lone event is
// committed at once. Two costs of this shape: the first caller commits
// groups for as long as others keep arriving, so under unbroken load its
// own answer waits for theirs too (avisera bench, 32 requests in flight:
// 202 p99 0.05–0.15 s); and one refused event (a repeated id) sends its
// whole group back to one transaction per event.
type groupCommit struct {
	mu      sync.Mutex
	pending []*acceptance
	running bool
}

// storeAcceptance stores an accepted event, grouped with the events
// accepted at the same moment. One group commits at a time, on both
// databases: PostgreSQL could run several side by side, but one group
// collects more events per transaction and more deliveries per send job,
// and each send job costs a few statements whatever its size (avisera
// bench: about 8 % more deliveries per second than four parallel groups).
func (e *Engine) storeAcceptance(a *acceptance) error {
	return e.group.store(e, a)
}

// store stores a and returns when it is committed (or refused).
func (g *groupCommit) store(e *Engine, a *acceptance) error {
	a.done = make(chan struct{})
	g.mu.Lock()
	g.pending = append(g.pending, a)
	if g.running {
		g.mu.Unlock()
		<-a.done
		return a.err
	}
	g.running = true
	for {
		n := min(len(g.pending), maxGroup)
		batch := g.pending[:n:n]
		g.pending = g.pending[n:]
		if len(batch) == 0 {
			g.running = false
			g.mu.Unlock()
			break
		}
		g.mu.Unlock()
		e.commitGroup(batch)
		g.mu.Lock()
	}
	<-a.done
	return a.err
}

// commitGroup stores a batch in one transaction. If that fails (a repeated
// event id, or another replica's insert racing ours), each event is stored
// again on its own, so that one event's error is only its own.
func (e *Engine) commitGroup(batch []*acceptance) {
	defer func() {
		for _, a := range batch {
			close(a.done)
		}
	}()
	if len(batch) > 1 && e.storeAndHand(batch[0].ctx, batch) == nil {
		return
	}
	for _, a := range batch {
		a.err = e.storeAndHand(a.ctx, []*acceptance{a})
	}
}

// storeAndHand stores batch in one transaction and, once it has committed,
// hands its send jobs' deliveries to their first run (handoff).
func (e *Engine) storeAndHand(ctx context.Context, batch []*acceptance) error {
	var hd handed
	err := e.store.Tx(ctx, func(s store.Store) error {
		var err error
		hd, err = e.storeAccepted(s, batch)
		return err
	})
	if err == nil {
		e.handoff.publish(hd)
	}
	return err
}

// storeAccepted stores events with their deliveries (a statement or so per
// table for all of them) and their send jobs (one for the batch's
// deliveries), and marks the plans the events answer (a statement per
// tenant).
func (e *Engine) storeAccepted(s store.Store, batch []*acceptance) (handed, error) {
	sends := sendBatches{}
	es := make([]store.NewEvent, len(batch))
	for i, a := range batch {
		if err := a.ctx.Err(); err != nil {
			return handed{}, err
		}
		es[i] = e.newEvent(a.tenantID, a.ev, a.ds, a.cs, sends)
	}
	ctx := batch[0].ctx
	if err := s.InsertEvents(ctx, es); err != nil {
		return handed{}, err
	}
	if err := e.markPlans(ctx, s, batch); err != nil {
		return handed{}, err
	}
	jobs, err := e.enqueue(ctx, s, sends)
	return handed{jobs: jobs, es: es}, err
}
