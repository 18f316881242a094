package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

// Run runs the conformance suite; open returns a fresh, migrated store.
func Run(t *testing.T, open func(testing.TB) store.Store) {
	tests := map[string]func(*testing.T, store.Store){
		"Tenants":        testTenants,
		"OrgUnits":       testOrgUnits,
		"MasterPaging":   testMasterPaging,
		"Contracts":      testContracts,
		"Users":          testUsers,
		"Devices":        testDevices,
		"Contacts":       testContacts,
		"AddressUnique":  testAddressUnique,
		"Search":         testSearch,
		"ContactLinks":   testContactLinks,
		"TxRollback":     testTxRollback,
		"Lock":           testLock,
		"TenantIsolated": testTenantIsolated,
		"MasterRevision": testMasterRevision,
		"InsertEvents":   testInsertEvents,
		"UpdateDelivery": testUpdateDeliveries,
		"UpdateRace":     testUpdateDeliveriesRace,
		"Plans":          testPlans,
		"MarkPlans":      testMarkPlans,
	}
	for name, fn := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fn(t, open(t))
		})
	}
}

var (
	ctx = context.Background()
	t0  = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
)

// tenant creates a tenant and returns its id.
func tenant(t *testing.T, s store.Store, id string) string {
	t.Helper()
	err := s.CreateTenant(ctx, avisera.Tenant{ID: id, Name: "T " + id, Region: "SE", Language: "sv",
		TimeZone: "Europe/Stockholm", CreatedAt: t0})
	if err != nil {
		t.Fatalf("CreateTenant(%s): %v", id, err)
	}
	return id
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func testTenants(t *testing.T, s store.Store) {
	tid := tenant(t, s, "t1")
	got, err := s.GetTenant(ctx, tid)
	if err != nil || got.Name != "T t1" || !got.CreatedAt.Equal(t0) {
		t.Fatalf("GetTenant = %+v, %v; want name T t1 created %v", got, err, t0)
	}
	if _, err := s.GetTenant(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetTenant(nope) err = %v, want ErrNotFound", err)
	}
	k := avisera.APIKey{ID: "k1", TenantID: tid, Name: "default", Prefix: "avk_x", Hash: "h1", CreatedAt: t0}
	must(t, s.CreateAPIKey(ctx, k))
	if err := s.CreateAPIKey(ctx, avisera.APIKey{ID: "k2", TenantID: tid, Hash: "h1", CreatedAt: t0}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("duplicate hash err = %v, want ErrConflict", err)
	}
	got2, err := s.APIKeyByHash(ctx, "h1")
	if err != nil || got2.TenantID != tid || got2.RevokedAt != nil {
		t.Fatalf("APIKeyByHash = %+v, %v", got2, err)
	}
	must(t, s.RevokeAPIKey(ctx, tid, "k1", t0.Add(time.Hour)))
	if got2, _ = s.APIKeyByHash(ctx, "h1"); got2.RevokedAt == nil || !got2.RevokedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("RevokedAt = %v, want %v", got2.RevokedAt, t0.Add(time.Hour))
	}
	if err := s.RevokeAPIKey(ctx, "other", "k1", t0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("revoke from another tenant err = %v, want ErrNotFound", err)
	}
}

func testOrgUnits(t *testing.T, s store.Store) {
	tid := tenant(t, s, "t1")
	created, err := s.PutOrgUnit(ctx, tid, avisera.OrgUnit{ID: "root", Name: "Städ AB", UpdatedAt: t0})
	if err != nil || !created {
		t.Fatalf("PutOrgUnit(root) = %v, %v; want created", created, err)
	}
	_, err = s.PutOrgUnit(ctx, tid, avisera.OrgUnit{ID: "sthlm", ParentID: "root", Name: "Stockholm",
		TimeZone: "Europe/Stockholm", Language: "sv", UpdatedAt: t0})
	must(t, err)
	created, err = s.PutOrgUnit(ctx, tid, avisera.OrgUnit{ID: "sthlm", ParentID: "root", Name: "Stockholm Syd", UpdatedAt: t0})
	if err != nil || created {
		t.Fatalf("second PutOrgUnit = %v, %v; want updated", created, err)
	}
	got, err := s.GetOrgUnit(ctx, tid, "sthlm")
	if err != nil || got.Name != "Stockholm Syd" || got.ParentID != "root" {
		t.Errorf("GetOrgUnit = %+v, %v", got, err)
	}
	if _, err := s.PutOrgUnit(ctx, tid, avisera.OrgUnit{ID: "x", ParentID: "missing", Name: "X", UpdatedAt: t0}); err == nil {
		t.Error("PutOrgUnit with a missing parent succeeded; the foreign key should refuse it")
	}
}

func testMasterPaging(t *testing.T, s store.Store) {
	tid := tenant(t, s, "t1")
	for _, c := range []avisera.Customer{{ID: "c1", Name: "Åkerby Fastigheter"}, {ID: "c2", Name: "Bryggan AB"},
		{ID: "c3", Name: "Café Söder", Number: "K-1003"}} {
		c.UpdatedAt = t0
		_, err := s.PutCustomer(ctx, tid, c)
		must(t, err)
	}
	page1, err := s.ListCustomers(ctx, tid, avisera.Page{Limit: 2})
	must(t, err)
	page2, err := s.ListCustomers(ctx, tid, avisera.Page{Limit: 2, After: page1[1].ID})
	must(t, err)
	if got := ids(append(page1, page2...), func(c avisera.Customer) string { return c.ID }); !slices.Equal(got, []string{"c1", "c2", "c3"}) {
		t.Errorf("paged ids = %v, want [c1 c2 c3]", got)
	}
	for q, want := range map[string][]string{"akerby": {"c1"}, "CAFE": {"c3"}, "k-1003": {"c3"}, "ab": {"c2"}} {
		got, err := s.ListCustomers(ctx, tid, avisera.Page{Q: q, Limit: 10})
		must(t, err)
		if g := ids(got, func(c avisera.Customer) string { return c.ID }); !slices.Equal(g, want) {
			t.Errorf("filter %q = %v, want %v", q, g, want)
		}
	}
}

func ids[T any](items []T, id func(T) string) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, id(it))
	}
	return out
}

func testContracts(t *testing.T, s store.Store) {
	tid := tenant(t, s, "t1")
	_, err := s.PutCustomer(ctx, tid, avisera.Customer{ID: "c1", Name: "Kund", UpdatedAt: t0})
	must(t, err)
	to := t0.AddDate(1, 0, 0)
	_, err = s.PutContract(ctx, tid, avisera.Contract{ID: "k1", Name: "Städ", CustomerID: "c1", ValidFrom: &t0, ValidTo: &to, UpdatedAt: t0})
	must(t, err)
	got, err := s.GetContract(ctx, tid, "k1")
	if err != nil || got.ValidFrom == nil || !got.ValidFrom.Equal(t0) || !got.ValidTo.Equal(to) || got.CustomerID != "c1" {
		t.Errorf("GetContract = %+v, %v", got, err)
	}
	if _, err := s.PutContract(ctx, tid, avisera.Contract{ID: "k2", Name: "X", CustomerID: "nope", UpdatedAt: t0}); err == nil {
		t.Error("contract of a missing customer was stored")
	}
	_, err = s.PutPlace(ctx, tid, avisera.Place{ID: "p1", Name: "Kontoret", Address: "Götgatan 1", CustomerID: "c1", UpdatedAt: t0})
	must(t, err)
	if p, err := s.GetPlace(ctx, tid, "p1"); err != nil || p.Address != "Götgatan 1" {
		t.Errorf("GetPlace = %+v, %v", p, err)
	}
}

func testUsers(t *testing.T, s store.Store) {
	tid := tenant(t, s, "t1")
	_, err := s.PutOrgUnit(ctx, tid, avisera.OrgUnit{ID: "ou1", Name: "A", UpdatedAt: t0})
	must(t, err)
	_, err = s.PutOrgUnit(ctx, tid, avisera.OrgUnit{ID: "ou2", Name: "B", UpdatedAt: t0})
	must(t, err)
	c := avisera.Contact{ID: "own", Name: "Ola", Emails: []string{"ola@example.se"},
		Phones: []avisera.Phone{{Number: "+46701234567", Mobile: true}}, Active: true, CreatedAt: t0, UpdatedAt: t0}
	must(t, s.PutContact(ctx, tid, c, []string{"ola"}))
	u := avisera.User{ID: "u1", Name: "Ola", Role: "performer", NotificationRecipient: true,
		OrgUnitIDs: []string{"ou2", "ou1"}, ContactID: "own", ValidTo: &t0, UpdatedAt: t0}
	created, err := s.PutUser(ctx, tid, u)
	if err != nil || !created {
		t.Fatalf("PutUser = %v, %v", created, err)
	}
	u.OrgUnitIDs = []string{"ou1"}
	_, err = s.PutUser(ctx, tid, u)
	must(t, err)
	got, err := s.GetUser(ctx, tid, "u1")
	must(t, err)
	if !slices.Equal(got.OrgUnitIDs, []string{"ou1"}) || !got.NotificationRecipient || got.ValidTo == nil {
		t.Errorf("GetUser = %+v; want org units [ou1], recipient, valid_to set", got)
	}
	if !slices.Equal(got.Emails, []string{"ola@example.se"}) || !slices.Equal(got.Phones, []string{"+46701234567"}) {
		t.Errorf("user addresses = %v %v, want those of the own contact", got.Emails, got.Phones)
	}
	list, err := s.ListUsers(ctx, tid, avisera.Page{Q: "perform", Limit: 10})
	if err != nil || len(list) != 1 || list[0].ContactID != "own" {
		t.Errorf("ListUsers(q=perform) = %+v, %v", list, err)
	}
	if owner, err := s.OwnerOfContact(ctx, tid, "own"); err != nil || owner.ID != "u1" || !slices.Equal(owner.Emails, got.Emails) {
		t.Errorf("OwnerOfContact(own) = %+v, %v; want u1 with its addresses", owner, err)
	}
	if _, err := s.OwnerOfContact(ctx, tid, "nobody's"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("OwnerOfContact of a contact no user owns: err = %v, want ErrNotFound", err)
	}
}

func testDevices(t *testing.T, s store.Store) {
	tid := tenant(t, s, "t1")
	_, err := s.PutUser(ctx, tid, avisera.User{ID: "u1", Name: "Ola", Role: "performer", UpdatedAt: t0})
	must(t, err)
	must(t, s.LoginDevice(ctx, tid, avisera.Device{UserID: "u1", Phone: "+46701111111", LoggedInAt: t0}))
	must(t, s.LoginDevice(ctx, tid, avisera.Device{UserID: "u1", Phone: "+46703333333", LoggedInAt: t0.Add(time.Minute)}))
	u, err := s.GetUser(ctx, tid, "u1")
	if err != nil || u.Device == nil || u.Device.Phone != "+46703333333" {
		t.Fatalf("device after second login = %+v, %v; want +46703333333", u.Device, err)
	}
	must(t, s.LogoutDevice(ctx, tid, "u1", t0.Add(time.Hour)))
	if u, _ = s.GetUser(ctx, tid, "u1"); u.Device != nil {
		t.Errorf("device after logout = %+v, want none", u.Device)
	}
	if err := s.LogoutDevice(ctx, tid, "u1", t0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second logout err = %v, want ErrNotFound", err)
	}
}
