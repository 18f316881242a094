package engine_test

import (
	"context"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/engine"
	"github.com/avisera/avisera/store"
	"github.com/avisera/avisera/store/sqlstore"
)

// jobRecorder is a queue that keeps the send jobs it is given, runs none
// and numbers them as River would.
type jobRecorder struct {
	mu   sync.Mutex
	jobs []recordedJob
}

type recordedJob struct {
	id       int64
	tenantID string
	ids      []string
}

func (r *jobRecorder) EnqueueSend(_ context.Context, _ store.Store, tenantID string, ids []string, _ time.Time) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	j := recordedJob{id: int64(len(r.jobs) + 1), tenantID: tenantID, ids: append([]string(nil), ids...)}
	r.jobs = append(r.jobs, j)
	return j.id, nil
}

func (r *jobRecorder) job(t *testing.T, i int) recordedJob {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if i >= len(r.jobs) {
		t.Fatalf("%d send jobs, want at least %d", len(r.jobs), i+1)
	}
	return r.jobs[i]
}

// readCounter is a store that counts reads of deliveries outside
// transactions.
type readCounter struct {
	store.Store
	reads atomic.Int64
}

func (c *readCounter) GetDeliveries(ctx context.Context, tenantID string, ids []string) ([]avisera.Delivery, error) {
	c.reads.Add(1)
	return c.Store.GetDeliveries(ctx, tenantID, ids)
}

// A send job's first run in the process that planned it takes the
// deliveries it was handed, which are what the database holds (contents
// shared with a name slot or not, names that need escaping), and reads
// nothing; a run again, another job, or another tenant reads the
// database.
func TestHandoff(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		db := open(t)
		jobs, counter := &jobRecorder{}, &readCounter{Store: db.Store()}
		eng := engine.New(counter, engine.WithQueue(jobs))
		tenant, _, err := eng.CreateTenant(ctx, "Städbolaget")
		if err != nil {
			t.Fatal(err)
		}
		e := &env{t: t, eng: eng, tenant: tenant.ID, db: db}
		customerWith(e, "anna@kund.se", "bo@kund.se", "asa@kund.se")
		e.contact("k1", "Åsa & <Bo>", "asa.bo@kund.se", avisera.RoleNotificationRecipient)
		own, err := eng.CreateMessage(ctx, e.tenant, engine.MessageInput{EventType: "order", Name: "Egen",
			Content: avisera.Content{Subject: "Till {{ recipient.name | upcase }}",
				EmailBody: "Hej **{{ recipient.name | upcase }}**, order {{ order.number }}."}}, "test")
		e.must(err)
		e.link(avisera.Link{MessageID: own.ID, Target: avisera.Target{Type: avisera.TargetCustomer, ID: "k1"},
			Dynamic: []string{avisera.TokenCustomerContacts}})
		for _, id := range []string{"e1", "e2", "e3"} {
			e.post(id, avisera.Refs{Customer: "k1"})
		}

		first := jobs.job(t, 0)
		handed, ok := eng.HandedOff(first.id, first.tenantID, first.ids)
		if !ok || len(handed) != 8 {
			t.Fatalf("job 1 handed off %d deliveries (%v), want the 8 of its event", len(handed), ok)
		}
		stored, err := db.Store().GetDeliveries(ctx, first.tenantID, first.ids)
		e.must(err)
		res := db.Dialect().TimeResolution
		for i := range handed {
			if h, s := asStored(handed[i], res), asStored(stored[i], res); !reflect.DeepEqual(h, s) {
				t.Errorf("delivery %d handed off:\n%+v\nstored:\n%+v", i, h, s)
			}
		}
		if _, ok := eng.HandedOff(first.id, first.tenantID, first.ids); ok {
			t.Error("a job's deliveries were handed off twice")
		}

		second := jobs.job(t, 1)
		e.must(eng.SendDeliveries(ctx, second.id, second.tenantID, second.ids, false))
		if n := counter.reads.Load(); n != 0 {
			t.Errorf("the first run of a job planned here read deliveries %d times, want none", n)
		}
		for _, d := range e.deliveries("e2") {
			if d.Status != avisera.StatusSent {
				t.Errorf("e2 to %s: %s, want sent", d.Address, d.Status)
			}
		}
		third := jobs.job(t, 2)
		e.must(eng.SendDeliveries(ctx, third.id, third.tenantID, third.ids, true))
		if n := counter.reads.Load(); n != 1 {
			t.Errorf("a job that runs again read deliveries %d times, want once", n)
		}
		if _, ok := eng.HandedOff(third.id, third.tenantID, third.ids); ok {
			t.Error("a job that ran again left its handed-off deliveries behind")
		}
		if _, ok := eng.HandedOff(99, first.tenantID, first.ids); ok {
			t.Error("a job never planned here was handed deliveries")
		}
	})
}

// asStored is d with its times as the database keeps them.
func asStored(d avisera.Delivery, res time.Duration) avisera.Delivery {
	at := func(t time.Time) time.Time { return t.Round(0).UTC().Truncate(max(res, 1)) }
	d.OccurredAt, d.StatusAt, d.CreatedAt = at(d.OccurredAt), at(d.StatusAt), at(d.CreatedAt)
	for _, p := range []**time.Time{&d.NextAttemptAt, &d.SentAt} {
		if *p != nil {
			t := at(**p)
			*p = &t
		}
	}
	return d
}

// deliveries lists an event's deliveries.
func (e *env) deliveries(eventID string) []avisera.Delivery {
	e.t.Helper()
	l, err := e.eng.ListDeliveries(ctx, e.tenant, storeFilter(eventID), avisera.Page{Limit: 100})
	e.must(err)
	return l.Items
}
