package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

// testInsertEvents stores the events of two tenants in one call, each
// with its deliveries and their shared content, and refuses a repeated id.
func testInsertEvents(t *testing.T, s store.Store) {
	t1, t2 := tenant(t, s, "t1"), tenant(t, s, "t2")
	newEvent := func(tid, id string, n int) store.NewEvent {
		e := store.NewEvent{TenantID: tid, Event: avisera.Event{ID: id, EventType: "order", Trigger: "completed",
			OccurredAt: t0, Subject: avisera.Target{Type: "order", ID: "o-" + id}, Planned: n, AcceptedAt: t0},
			Contents: []avisera.Rendered{{ID: "c-" + id, Subject: "S", HTML: "<p>Hej</p>", Text: "Hej"}}}
		for i := range n {
			e.Deliveries = append(e.Deliveries, avisera.Delivery{ID: id + "-d" + string(rune('0'+i)), EventID: id,
				EventType: "order", Trigger: "completed", OccurredAt: t0, Channel: avisera.ChannelEmail,
				Address: "a" + string(rune('0'+i)) + "@kund.se", Status: avisera.StatusQueued, StatusAt: t0,
				CreatedAt: t0, ContentID: "c-" + id, Subject: "S", ProviderID: id + "@example.se"})
		}
		return e
	}
	must(t, s.InsertEvents(ctx, []store.NewEvent{newEvent(t1, "e1", 2), newEvent(t2, "e2", 3), newEvent(t1, "e3", 1)}))
	for _, c := range []struct {
		tid, id string
		n       int
	}{{t1, "e1", 2}, {t2, "e2", 3}, {t1, "e3", 1}} {
		ev, err := s.GetEvent(ctx, c.tid, c.id)
		if err != nil || ev.Planned != c.n {
			t.Errorf("GetEvent(%s) = %+v, %v; want %d planned", c.id, ev, err, c.n)
		}
		var ids []string
		for i := range c.n {
			ids = append(ids, c.id+"-d"+string(rune('0'+i)))
		}
		ds, err := s.GetDeliveries(ctx, c.tid, ids)
		if err != nil || len(ds) != c.n {
			t.Fatalf("GetDeliveries(%s) = %d, %v; want %d", c.id, len(ds), err, c.n)
		}
		for _, d := range ds {
			if d.HTML != "<p>Hej</p>" || d.ProviderID != c.id+"@example.se" {
				t.Errorf("delivery %s: html %q, provider id %q", d.ID, d.HTML, d.ProviderID)
			}
		}
		full, err := s.GetDelivery(ctx, c.tid, ids[0])
		if err != nil || len(full.History) != 1 || full.History[0].Status != avisera.StatusQueued {
			t.Errorf("GetDelivery(%s) history = %+v, %v; want one queued entry", ids[0], full.History, err)
		}
	}
	// Two more events about o-e1: a started one, and a later completion.
	more := newEvent(t1, "e5", 0)
	more.Event.Trigger, more.Event.Subject.ID, more.Event.OccurredAt = "started", "o-e1", t0.Add(-time.Hour)
	later := newEvent(t1, "e6", 0)
	later.Event.Subject.ID, later.Event.OccurredAt = "o-e1", t0.Add(time.Hour)
	must(t, s.InsertEvents(ctx, []store.NewEvent{later, more}))
	first, err := s.FirstOccurrences(ctx, t1, "order", "o-e1", []string{"started", "completed", "reported"}, t0.Add(-2*time.Hour))
	if err != nil || len(first) != 2 || !first["completed"].Equal(t0) || !first["started"].Equal(t0.Add(-time.Hour)) {
		t.Errorf("FirstOccurrences(o-e1) = %v, %v; want the earliest completion at %s and the start an hour before", first, err, t0)
	}
	first, err = s.FirstOccurrences(ctx, t1, "order", "o-e1", []string{"started", "completed"}, t0.Add(time.Minute))
	if err != nil || len(first) != 1 || !first["completed"].Equal(t0.Add(time.Hour)) {
		t.Errorf("FirstOccurrences(o-e1) since %s = %v, %v; want the later completion only", t0.Add(time.Minute), first, err)
	}
	if first, err := s.FirstOccurrences(ctx, t1, "order", "o-e2", []string{"completed"}, time.Time{}); err != nil || len(first) != 0 {
		t.Errorf("t1 sees t2's event about o-e2: %v, %v", first, err)
	}
	if _, err := s.GetEvent(ctx, t2, "e1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("t2 sees t1's event: %v", err)
	}
	err = s.InsertEvents(ctx, []store.NewEvent{newEvent(t2, "e4", 1), newEvent(t1, "e1", 1)})
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("a repeated event id: err = %v, want ErrConflict", err)
	}
}

// testUpdateDeliveries moves deliveries on only from the status and
// attempts their update saw: a stale update changes neither state nor history; one
// without Seen always applies, and a missing delivery then fails.
func testUpdateDeliveries(t *testing.T, s store.Store) {
	tid := tenant(t, s, "t1")
	ev := store.NewEvent{TenantID: tid, Event: avisera.Event{ID: "e1", EventType: "order", Trigger: "completed",
		OccurredAt: t0, Subject: avisera.Target{Type: "order", ID: "o1"}, Planned: 2, AcceptedAt: t0},
		Contents: []avisera.Rendered{{ID: "c1", Subject: "S", Text: "Hej"}}}
	for _, id := range []string{"d1", "d2"} {
		ev.Deliveries = append(ev.Deliveries, avisera.Delivery{ID: id, EventID: "e1", EventType: "order",
			Trigger: "completed", OccurredAt: t0, Channel: avisera.ChannelSMS, Address: "+46701234567",
			Status: avisera.StatusQueued, StatusAt: t0, CreatedAt: t0, ContentID: "c1"})
	}
	must(t, s.InsertEvents(ctx, []store.NewEvent{ev}))
	t1 := t0.Add(time.Minute)
	delivered := store.DeliveryUpdate{ID: "d1", Status: avisera.StatusDelivered, StatusAt: t1,
		History: []avisera.StatusChange{{Status: avisera.StatusDelivered, At: t1, Applied: true}}}
	if stale, err := s.UpdateDeliveries(ctx, tid, []store.DeliveryUpdate{delivered}); err != nil || len(stale) != 0 {
		t.Fatalf("update without Seen = %v, %v; want applied", stale, err)
	}
	sent := func(id string) store.DeliveryUpdate {
		return store.DeliveryUpdate{ID: id, Status: avisera.StatusSent, StatusAt: t1, Attempts: 1, ProviderID: "p-" + id,
			Seen: avisera.StatusQueued, History: []avisera.StatusChange{{Status: avisera.StatusSent, At: t1, Applied: true}}}
	}
	stale, err := s.UpdateDeliveries(ctx, tid, []store.DeliveryUpdate{sent("d1"), sent("d2")})
	if err != nil || !slices.Equal(stale, []string{"d1"}) {
		t.Fatalf("UpdateDeliveries = %v, %v; want d1 stale (delivered, not queued)", stale, err)
	}
	d1, err := s.GetDelivery(ctx, tid, "d1")
	if err != nil || d1.Status != avisera.StatusDelivered || d1.Attempts != 0 || len(d1.History) != 2 {
		t.Errorf("stale d1 = %+v, %v; want delivered, untouched, with queued and delivered history", d1, err)
	}
	d2, err := s.GetDelivery(ctx, tid, "d2")
	if err != nil || d2.Status != avisera.StatusSent || d2.ProviderID != "p-d2" || len(d2.History) != 2 {
		t.Errorf("d2 = %+v, %v; want sent by p-d2 with queued and sent history", d2, err)
	}
	// The same status after another attempt is another state.
	again := store.DeliveryUpdate{ID: "d2", Status: avisera.StatusDelivered, StatusAt: t1, Attempts: 0,
		Seen: avisera.StatusSent, SeenAttempts: 0}
	if stale, err := s.UpdateDeliveries(ctx, tid, []store.DeliveryUpdate{again}); err != nil || !slices.Equal(stale, []string{"d2"}) {
		t.Errorf("update seeing 0 attempts of d2 (it has 1) = %v, %v; want stale", stale, err)
	}
	if _, err := s.UpdateDeliveries(ctx, tid, []store.DeliveryUpdate{{ID: "d9", Status: avisera.StatusSent,
		StatusAt: t1}}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("update of a missing delivery: err = %v, want ErrNotFound", err)
	}
}

// testUpdateDeliveriesRace: an update that saw "queued" and runs while
// another transaction moves the delivery (a callback) waits for it and
// then leaves the delivery alone — on PostgreSQL the condition is checked
// again on the row the other transaction wrote.
func testUpdateDeliveriesRace(t *testing.T, s store.Store) {
	tid := tenant(t, s, "t1")
	ev := store.NewEvent{TenantID: tid, Event: avisera.Event{ID: "e1", EventType: "order", Trigger: "completed",
		OccurredAt: t0, Subject: avisera.Target{Type: "order", ID: "o1"}, Planned: 1, AcceptedAt: t0},
		Deliveries: []avisera.Delivery{{ID: "d1", EventID: "e1", EventType: "order", Trigger: "completed", OccurredAt: t0,
			Channel: avisera.ChannelSMS, Address: "+46701234567", Status: avisera.StatusQueued, StatusAt: t0, CreatedAt: t0}}}
	must(t, s.InsertEvents(ctx, []store.NewEvent{ev}))
	t1 := t0.Add(time.Minute)
	moved, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- s.Tx(ctx, func(tx store.Store) error {
			_, err := tx.UpdateDeliveries(ctx, tid, []store.DeliveryUpdate{{ID: "d1", Status: avisera.StatusDelivered,
				StatusAt: t1, History: []avisera.StatusChange{{Status: avisera.StatusDelivered, At: t1, Applied: true}}}})
			close(moved)
			<-release
			return err
		})
	}()
	<-moved
	sent := make(chan []string, 1)
	go func() {
		stale, err := s.UpdateDeliveries(ctx, tid, []store.DeliveryUpdate{{ID: "d1", Status: avisera.StatusSent, StatusAt: t1,
			Attempts: 1, Seen: avisera.StatusQueued, History: []avisera.StatusChange{{Status: avisera.StatusSent, At: t1, Applied: true}}}})
		if err != nil {
			t.Errorf("racing update: %v", err)
		}
		sent <- stale
	}()
	time.Sleep(100 * time.Millisecond) // the racing update waits for the row (PostgreSQL) or the writer (SQLite)
	close(release)
	must(t, <-done)
	if stale := <-sent; !slices.Equal(stale, []string{"d1"}) {
		t.Errorf("racing update's stale ids = %v, want d1", stale)
	}
	d, err := s.GetDelivery(ctx, tid, "d1")
	if err != nil || d.Status != avisera.StatusDelivered || d.Attempts != 0 || len(d.History) != 2 {
		t.Errorf("d1 = %+v, %v; want delivered as the first transaction left it", d, err)
	}
}
