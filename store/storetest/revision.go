package storetest

import (
	"errors"
	"testing"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

// testMasterRevision checks that every kind of master-data write moves
// its tenant's revision, and that a rolled-back write, an event and
// another tenant's writes do not.
func testMasterRevision(t *testing.T, s store.Store) {
	if n, err := s.MasterRevision(ctx, "nobody"); err != nil || n != 0 {
		t.Fatalf("revision of an unknown tenant = %d, %v; want 0", n, err)
	}
	tid := tenant(t, s, "t1")
	rev := func() int64 {
		t.Helper()
		n, err := s.MasterRevision(ctx, tid)
		must(t, err)
		return n
	}
	writes := []struct {
		name  string
		write func() error
	}{
		{"org unit", func() error { _, err := s.PutOrgUnit(ctx, tid, avisera.OrgUnit{ID: "o1", Name: "Syd"}); return err }},
		{"customer", func() error {
			_, err := s.PutCustomer(ctx, tid, avisera.Customer{ID: "k1", Name: "Kund", OrgUnitID: "o1"})
			return err
		}},
		{"contract", func() error {
			_, err := s.PutContract(ctx, tid, avisera.Contract{ID: "c1", Name: "Avtal", CustomerID: "k1"})
			return err
		}},
		{"place", func() error { _, err := s.PutPlace(ctx, tid, avisera.Place{ID: "p1", Name: "Plats"}); return err }},
		{"user", func() error {
			_, err := s.PutUser(ctx, tid, avisera.User{ID: "u1", Name: "Ulla", OrgUnitIDs: []string{"o1"}})
			return err
		}},
		{"device", func() error {
			return s.LoginDevice(ctx, tid, avisera.Device{UserID: "u1", Phone: "+46701234567", LoggedInAt: t0})
		}},
		{"contact", func() error {
			return s.PutContact(ctx, tid, contact("ct1", "Anna", []string{"anna@kund.se"}), []string{"anna"})
		}},
		{"contact link", func() error {
			return s.PutContactLink(ctx, tid, avisera.ContactLink{ObjectType: avisera.ObjectCustomer, ObjectID: "k1",
				ContactID: "ct1", Roles: []string{avisera.RoleNotificationRecipient}, CreatedAt: t0})
		}},
		{"contact link removed", func() error {
			return s.DeleteContactLink(ctx, tid, avisera.ObjectCustomer, "k1", "ct1")
		}},
		{"contact removed", func() error { return s.DeleteContact(ctx, tid, "ct1") }},
		{"message", func() error {
			return s.CreateMessage(ctx, tid, avisera.Message{ID: "m1", EventType: "order", Name: "Klar", CreatedAt: t0,
				UpdatedAt: t0}, avisera.MessageVersion{MessageID: "m1", Version: 1, CreatedAt: t0})
		}},
		{"link", func() error {
			return s.PutLink(ctx, tid, avisera.Link{ID: "l1", MessageID: "m1", MessageVersion: 1, Trigger: "completed",
				Target: avisera.Target{Type: avisera.TargetTenant}, CreatedAt: t0, UpdatedAt: t0})
		}},
		{"message archived", func() error { return s.SetMessageArchived(ctx, tid, "m1", &t0) }},
		{"tenant", func() error {
			tn, err := s.GetTenant(ctx, tid)
			if err != nil {
				return err
			}
			tn.Language = "en"
			return s.UpdateTenant(ctx, tn)
		}},
	}
	for _, w := range writes {
		before := rev()
		must(t, w.write())
		if after := rev(); after == before {
			t.Errorf("%s: the master revision stayed %d", w.name, before)
		}
	}
	before := rev()
	boom := errors.New("boom")
	err := s.Tx(ctx, func(tx store.Store) error {
		if _, err := tx.PutCustomer(ctx, tid, avisera.Customer{ID: "k2", Name: "Ny"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Tx = %v, want boom", err)
	}
	must(t, s.InsertEvents(ctx, []store.NewEvent{{TenantID: tid, Event: avisera.Event{ID: "e1", EventType: "order",
		Trigger: "completed", OccurredAt: t0, Subject: avisera.Target{Type: "order", ID: "o1"}, AcceptedAt: t0}}}))
	other := tenant(t, s, "t2")
	_, err = s.PutCustomer(ctx, other, avisera.Customer{ID: "k1", Name: "Annan"})
	must(t, err)
	if after := rev(); after != before {
		t.Errorf("a rolled-back write, an event and another tenant's customer moved the master revision from %d to %d",
			before, after)
	}
}
