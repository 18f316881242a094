package queue

import (
	"context"
	"log/slog"
	"slices"
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

func (f senderFunc) SendDeliveries(ctx context.Context, tenantID string, ids []string, again bool) error {
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
					return q.EnqueueSend(ctx, s, "t1", []string{"of-" + holder}, time.Time{})
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
			if job.State != rivertype.JobStateRunning {
				t.Errorf("the live process's job is %s, want still running", job.State)
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
