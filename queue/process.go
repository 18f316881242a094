package queue

import (
	"context"
	"encoding/json"
	"slices"
	"sync"
	"time"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivertype"
)

// The process registry. Every Heartbeat a started queue writes the
// database's time into its row of queue_processes, then looks for
// processes silent for SilentAfter: their running send jobs are made
// available again at once (River's own rescue statement, which leaves a
// job alone unless it is still running and was taken before that time),
// instead of after RescueAfter. A send job that runs again sends only what
// is still pending.
//
// A process can fall silent while it lives (paused, its database
// connection stuck). So that its jobs never run twice at once, a process
// that could not write its row for half of SilentAfter cancels its own
// running jobs (the fence) and runs new ones only once it is seen again.

// life is a started queue's registration.
type life struct {
	started time.Time     // database time
	done    chan struct{} // closed when keepAlive has ended

	mu     sync.Mutex
	beat   time.Time       // when the row was last written (this process's clock)
	fence  context.Context // cancelled while the process may be taken for dead
	cancel context.CancelFunc
}

// register writes the process's row before it takes its first job.
func (q *Queue) register(ctx context.Context) (*life, error) {
	now, err := q.db.Now(ctx)
	if err != nil {
		return nil, err
	}
	if err := q.db.MarkAlive(ctx, q.client.ID(), now, now); err != nil {
		return nil, err
	}
	l := &life{started: now, done: make(chan struct{}), beat: time.Now()}
	l.fence, l.cancel = context.WithCancel(context.Background())
	return l, nil
}

// unregister removes the row of a process that stopped cleanly.
func (q *Queue) unregister(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	q.life.cancel()
	return q.db.ForgetProcesses(ctx, q.client.ID())
}

// fenced returns ctx, cancelled too when the process may be taken for
// dead (see life), and whether it is so already: then the job must not
// start (snoozed, it costs no attempt).
func (q *Queue) fenced(ctx context.Context) (context.Context, context.CancelFunc, bool) {
	ctx, cancel := context.WithCancel(ctx)
	if q.life == nil {
		return ctx, cancel, false
	}
	fence := q.life.current()
	stop := context.AfterFunc(fence, cancel)
	return ctx, func() { stop(); cancel() }, fence.Err() != nil
}

// keepAlive writes the row every heartbeat and runs the jobs of silent
// processes again, until River stops.
func (q *Queue) keepAlive(ctx context.Context, l *life) {
	defer close(l.done)
	tick := time.NewTicker(q.cfg.Heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-q.client.Stopped():
			return
		case <-tick.C:
		}
		if l.guard(q.cfg.SilentAfter / 2) {
			q.logger.Warn("queue: not seen alive for half the silence limit; cancelling this process's running jobs")
		}
		now, err := q.heartbeat(ctx, l)
		if err != nil { // a process that cannot say it lives takes no one's jobs
			q.logger.Warn("queue: heartbeat", "err", err)
			continue
		}
		if err := q.reclaim(ctx, now); err != nil {
			q.logger.Warn("queue: run the jobs of silent processes again", "err", err)
		}
	}
}

// heartbeat writes the row with the database's time and returns it.
func (q *Queue) heartbeat(ctx context.Context, l *life) (time.Time, error) {
	ctx, cancel := context.WithTimeout(ctx, q.cfg.SilentAfter/4)
	defer cancel()
	now, err := q.db.Now(ctx)
	if err == nil {
		err = q.db.MarkAlive(ctx, q.client.ID(), l.started, now)
	}
	if err == nil {
		l.seen()
	}
	return now, err
}

// reclaim makes the running jobs of processes silent at now (database
// time) available again, or discards those out of attempts as River's
// rescuer does, and forgets those processes.
func (q *Queue) reclaim(ctx context.Context, now time.Time) error {
	ctx, cancel := context.WithTimeout(ctx, q.cfg.SilentAfter/4)
	defer cancel()
	silent, err := q.db.SilentProcesses(ctx, now.Add(-q.cfg.SilentAfter))
	silent = slices.DeleteFunc(silent, func(id string) bool { return id == q.client.ID() })
	if err != nil || len(silent) == 0 {
		return err
	}
	jobs, err := q.exec.JobGetStuck(ctx, &riverdriver.JobGetStuckParams{Max: 10_000, StuckHorizon: now})
	if err != nil {
		return err
	}
	p := &riverdriver.JobRescueManyParams{StuckHorizon: now}
	for _, j := range jobs {
		holder := ""
		if n := len(j.AttemptedBy); n > 0 {
			holder = j.AttemptedBy[n-1]
		}
		if !slices.Contains(silent, holder) {
			continue
		}
		state, finalized := rivertype.JobStateAvailable, (*time.Time)(nil)
		if j.Attempt >= j.MaxAttempts {
			state, finalized = rivertype.JobStateDiscarded, &now
		}
		reason, _ := json.Marshal(rivertype.AttemptError{At: now, Attempt: j.Attempt,
			Error: "its process (" + holder + ") fell silent; run again"})
		p.ID, p.Error = append(p.ID, j.ID), append(p.Error, reason)
		p.FinalizedAt, p.ScheduledAt = append(p.FinalizedAt, finalized), append(p.ScheduledAt, now)
		p.State = append(p.State, string(state))
	}
	if len(p.ID) > 0 {
		if _, err := q.exec.JobRescueMany(ctx, p); err != nil {
			return err
		}
		q.logger.Info("queue: jobs of silent processes run again", "jobs", len(p.ID), "processes", silent)
	}
	return q.db.ForgetProcesses(ctx, silent...)
}

// seen records a written row and lifts a fence.
func (l *life) seen() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.beat = time.Now()
	if l.fence.Err() != nil {
		l.fence, l.cancel = context.WithCancel(context.Background())
	}
}

// guard raises the fence when the row was last written more than limit
// ago; it reports whether it did so now.
func (l *life) guard(limit time.Duration) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if time.Since(l.beat) <= limit || l.fence.Err() != nil {
		return false
	}
	l.cancel()
	return true
}

// current returns the fence jobs starting now run under.
func (l *life) current() context.Context {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.fence
}
