package storetest

import (
	"errors"
	"testing"

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
	if _, err := s.GetEvent(ctx, t2, "e1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("t2 sees t1's event: %v", err)
	}
	err := s.InsertEvents(ctx, []store.NewEvent{newEvent(t2, "e4", 1), newEvent(t1, "e1", 1)})
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("a repeated event id: err = %v, want ErrConflict", err)
	}
}
