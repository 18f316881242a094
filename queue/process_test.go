package queue

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivertype"

	"github.com/avisera/avisera/store"
	"github.com/avisera/avisera/store/sqlstore"
	"github.com/avisera/avisera/store/storetest"
)

// senderFunc is a Sender.
type senderFunc func(ctx context.Context, tenantID string, ids []string, again bool) error

func (f senderFunc) SendDeliveries(ctx context.Context, _ int64, tenantID string, ids []string, again bool) error {
	return f(ctx, tenantID, ids, again)
}

// A job held by a process that fell silent runs again on a live one long
// before RescueAfter; a job held by a process still alive is left alone.
func TestSilentProcessJobsRunAgain(t *testing.T) {
	t.Parallel()
	for name, open := range map[string]func(testing.TB) *sqlstore.DB{"sqlite": storetest.OpenSQLite, "postgres": storetest.OpenPostgres} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			db := open(t)
			ctx := context.Background()
			q, err := New(db, Config{Workers: 2, PollInterval: 20 * time.Millisecond, Heartbeat: 50 * time.Millisecond,
				SilentAfter: 20 * time.Second}, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			// Two jobs taken by two other processes, as River's fetch takes
			// them: one last seen an hour ago, one seen just now.
			now := time.Now()
			holders := map[string]time.Time{"dead-1": now.Add(-time.Hour), "live-1": now}
			held := map[string]int64{}
			for holder, seen := range holders {
				must(t, db.Store().Tx(ctx, func(s store.Store) error {
					_, err := q.EnqueueSend(ctx, s, "t1", []string{"of-" + holder}, time.Time{})
					return err
				}))
				fetchAt := time.Now()
				res, err := q.exec.JobGetAvailable(ctx, &riverdriver.JobGetAvailableParams{ClientID: holder,
					MaxToLock: 1, MaxAttemptedBy: 100, Queue: "default", Now: &fetchAt})
				if err != nil || len(res.Jobs) != 1 {
					t.Fatalf("%s takes a job: %v, %+v", holder, err, res)
				}
				held[holder] = res.Jobs[0].ID
				must(t, db.MarkAlive(ctx, holder, seen, seen))
			}
			got := make(chan []string, 2)
			must(t, q.Start(ctx, senderFunc(func(_ context.Context, _ string, ids []string, again bool) error {
				if !again {
					t.Errorf("the job of a dead process runs with again = false, want true (its sends may have arrived)")
				}
				got <- ids
				return nil
			})))

			select {
			case ids := <-got:
				if !slices.Equal(ids, []string{"of-dead-1"}) {
					t.Errorf("ran %v, want the dead process's job [of-dead-1]", ids)
				}
			case <-time.After(15 * time.Second):
				t.Fatal("the silent process's job did not run again within 15 s (RescueAfter is 2 min)")
			}
			job, err := q.exec.JobGetByID(ctx, &riverdriver.JobGetByIDParams{ID: held["live-1"]})
			must(t, err)
			if job.State != rivertype.JobStateRunning || job.Attempt != 1 || job.AttemptedBy[len(job.AttemptedBy)-1] != "live-1" {
				t.Errorf("the live process's job is %s, attempt %d by %v; want still running, attempt 1 by live-1",
					job.State, job.Attempt, job.AttemptedBy)
			}
			registered, err := db.SilentProcesses(ctx, time.Now().Add(time.Minute))
			must(t, err)
			if !slices.Contains(registered, q.client.ID()) {
				t.Errorf("registry %v lacks this process %s", registered, q.client.ID())
			}
			must(t, q.Stop(ctx))
			registered, err = db.SilentProcesses(ctx, time.Now().Add(time.Minute))
			must(t, err)
			if slices.Contains(registered, q.client.ID()) {
				t.Errorf("registry %v still holds this process after Stop", registered)
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// A process that cannot write its row (here: another transaction holds
// it) cancels its running job before another process, which then takes it
// for dead, runs the job again: the two never send at once.
func TestStalledProcessStopsBeforeAnotherTakesOver(t *testing.T) {
	t.Parallel()
	db := storetest.OpenPostgres(t)
	ctx := context.Background()
	cfg := Config{Workers: 2, PollInterval: 20 * time.Millisecond, Heartbeat: 100 * time.Millisecond, SilentAfter: 4 * time.Second}
	a, err := New(db, cfg, slog.New(slog.DiscardHandler))
	must(t, err)
	b, err := New(db, cfg, slog.New(slog.DiscardHandler))
	must(t, err)
	must(t, db.Store().Tx(ctx, func(s store.Store) error {
		_, err := a.EnqueueSend(ctx, s, "t1", []string{"d1"}, time.Time{})
		return err
	}))

	events := make(chan string, 8)
	taken := make(chan struct{})
	var once sync.Once
	must(t, a.Start(ctx, senderFunc(func(ctx context.Context, _ string, _ []string, _ bool) error {
		once.Do(func() { close(taken) })
		<-ctx.Done() // sends until it is stopped
		events <- "a stopped"
		return ctx.Err()
	})))
	select {
	case <-taken:
	case <-time.After(15 * time.Second):
		t.Fatal("the first process did not take the job")
	}
	tx, err := db.WriteDB().BeginTx(ctx, nil)
	must(t, err)
	_, err = tx.ExecContext(ctx, `SELECT id FROM queue_processes WHERE id = $1 FOR UPDATE`, a.client.ID())
	must(t, err)
	must(t, b.Start(ctx, senderFunc(func(_ context.Context, _ string, ids []string, again bool) error {
		events <- fmt.Sprintf("b runs %v again=%v", ids, again)
		return nil
	})))
	var got []string
	for len(got) < 2 {
		select {
		case e := <-events:
			got = append(got, e)
		case <-time.After(30 * time.Second):
			t.Fatalf("after 30 s: %v", got)
		}
	}
	if want := []string{"a stopped", "b runs [d1] again=true"}; !slices.Equal(got, want) {
		t.Errorf("events %q, want %q: the stalled process stops before the job runs elsewhere", got, want)
	}
	must(t, tx.Rollback())
	must(t, b.Stop(ctx))
	_ = a.Stop(ctx)
}

func TestFence(t *testing.T) {
	l := &life{beat: time.Now().Add(-time.Minute)}
	l.fence, l.cancel = context.WithCancel(context.Background())
	job := l.current()
	if !l.guard(10*time.Second) || job.Err() == nil || l.guard(10*time.Second) {
		t.Fatal("a beat a minute old: want the fence raised once, the running job cancelled")
	}
	l.seen()
	if l.current().Err() != nil || l.guard(10*time.Second) {
		t.Error("after a beat: want new jobs to run, the fence down")
	}
}
