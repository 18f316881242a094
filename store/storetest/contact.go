package storetest

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

func contact(id, name string, emails []string, phones ...string) avisera.Contact {
	c := avisera.Contact{ID: id, Name: name, Emails: emails, Phones: []avisera.Phone{}, Active: true,
		CreatedAt: t0, UpdatedAt: t0}
	if c.Emails == nil {
		c.Emails = []string{}
	}
	for _, p := range phones {
		c.Phones = append(c.Phones, avisera.Phone{Number: p, Mobile: true})
	}
	return c
}

func testContacts(t *testing.T, s store.Store) {
	tid := tenant(t, s, "t1")
	c := contact("c1", "Åsa Öberg", []string{"asa@example.se", "asa.o@example.com"}, "+46701234567", "+46812345678")
	c.Phones[1].Mobile = false
	must(t, s.PutContact(ctx, tid, c, []string{"asa", "oberg"}))
	got, err := s.GetContact(ctx, tid, "c1")
	must(t, err)
	if !slices.Equal(got.Emails, c.Emails) || !slices.Equal(got.Phones, c.Phones) || got.Name != c.Name || !got.Active {
		t.Errorf("GetContact = %+v, want %+v", got, c)
	}
	c.Emails = []string{"asa@example.se"}
	c.Active = false
	must(t, s.PutContact(ctx, tid, c, []string{"asa"}))
	got, err = s.GetContact(ctx, tid, "c1")
	if err != nil || len(got.Emails) != 1 || got.Active {
		t.Errorf("after update = %+v, %v; want one email, inactive", got, err)
	}
	if id, err := s.ContactIDByAddress(ctx, tid, "+46701234567"); err != nil || id != "c1" {
		t.Errorf("ContactIDByAddress = %q, %v; want c1", id, err)
	}
	if _, err := s.ContactIDByAddress(ctx, tid, "asa.o@example.com"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("removed address still owned: err = %v", err)
	}
	must(t, s.DeleteContact(ctx, tid, "c1"))
	if _, err := s.GetContact(ctx, tid, "c1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted contact: err = %v, want ErrNotFound", err)
	}
	if _, err := s.ContactIDByAddress(ctx, tid, "asa@example.se"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("addresses of a deleted contact remain: err = %v", err)
	}
}

func testAddressUnique(t *testing.T, s store.Store) {
	tid := tenant(t, s, "t1")
	must(t, s.PutContact(ctx, tid, contact("c1", "A", []string{"a@example.se"}), nil))
	err := s.PutContact(ctx, tid, contact("c2", "B", []string{"a@example.se"}), nil)
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("second owner of an address: err = %v, want ErrConflict", err)
	}
	other := tenant(t, s, "t2")
	must(t, s.PutContact(ctx, other, contact("c1", "A in t2", []string{"a@example.se"}), nil))
}

func testSearch(t *testing.T, s store.Store) {
	tid := tenant(t, s, "t1")
	for i, name := range []string{"Åsa Lindqvist", "Asa Berg", "Bo Åström", "Lina Sund"} {
		id := "c" + strconv.Itoa(i)
		c := contact(id, name, []string{id + "@firma.se"})
		must(t, s.PutContact(ctx, tid, c, append(foldWords(name), id+"@firma.se", id, "firma", "se", "4670000000"+strconv.Itoa(i))))
	}
	tests := []struct {
		terms []string
		want  []string
	}{
		{[]string{"asa"}, []string{"c1", "c0"}}, // ordered by folded name: "asa berg" < "asa lindqvist"
		{[]string{"asa", "lind"}, []string{"c0"}},
		{[]string{"astrom"}, []string{"c2"}},
		{[]string{"c3@fir"}, []string{"c3"}},
		{[]string{"c0"}, []string{"c0"}}, // matches two of its terms ("c0", "c0@firma.se"), listed once
		{[]string{"46700000002"}, []string{"c2"}},
		{[]string{"zzz"}, nil},
	}
	for _, tt := range tests {
		got, err := s.SearchContacts(ctx, tid, tt.terms, avisera.Page{Limit: 10})
		must(t, err)
		if g := ids(got, func(c avisera.Contact) string { return c.ID }); !slices.Equal(g, tt.want) {
			t.Errorf("SearchContacts(%v) = %v, want %v", tt.terms, g, tt.want)
		}
		for _, c := range got {
			if len(c.Emails) != 1 {
				t.Errorf("SearchContacts(%v): %s has emails %v, want its one address", tt.terms, c.ID, c.Emails)
			}
		}
	}
	all, err := s.SearchContacts(ctx, tid, nil, avisera.Page{Limit: 2})
	must(t, err)
	next, err := s.SearchContacts(ctx, tid, nil, avisera.Page{Limit: 2, After: "asa lindqvist\x00c0"})
	must(t, err)
	if g := ids(append(all, next...), func(c avisera.Contact) string { return c.ID }); !slices.Equal(g, []string{"c1", "c0", "c2", "c3"}) {
		t.Errorf("keyset pages = %v, want [c1 c0 c2 c3]", g)
	}
	if len(all[0].Emails) != 1 {
		t.Errorf("search results lack addresses: %+v", all[0])
	}
}

// foldWords is a tiny stand-in for the engine's term builder, enough for
// the names above.
func foldWords(name string) []string {
	r := map[rune]rune{'å': 'a', 'Å': 'a', 'ä': 'a', 'ö': 'o', 'Ö': 'o'}
	out, word := []string{}, []rune{}
	for _, c := range name + " " {
		if c == ' ' {
			out = append(out, string(word))
			word = word[:0]
			continue
		}
		if m, ok := r[c]; ok {
			c = m
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		word = append(word, c)
	}
	return out
}

func testContactLinks(t *testing.T, s store.Store) {
	tid := tenant(t, s, "t1")
	_, err := s.PutCustomer(ctx, tid, avisera.Customer{ID: "k1", Name: "Kund", UpdatedAt: t0})
	must(t, err)
	must(t, s.PutContact(ctx, tid, contact("a", "Anna", nil), nil))
	must(t, s.PutContact(ctx, tid, contact("b", "Bert", nil), nil))
	link := func(c string, at int, roles ...string) {
		must(t, s.PutContactLink(ctx, tid, avisera.ContactLink{ObjectType: avisera.ObjectCustomer, ObjectID: "k1",
			ContactID: c, Roles: roles, CreatedAt: t0.Add(time.Duration(at) * time.Minute)}))
	}
	link("b", 1, avisera.RoleMainContact, avisera.RoleNotificationRecipient)
	link("a", 2)
	link("a", 3, avisera.RoleSurveyRecipient)
	links, err := s.ContactLinks(ctx, tid, avisera.ObjectCustomer, "k1")
	must(t, err)
	if len(links) != 2 || links[0].ContactID != "b" || !slices.Equal(links[1].Roles, []string{avisera.RoleSurveyRecipient}) {
		t.Fatalf("ContactLinks = %+v; want b first, a with survey_recipient", links)
	}
	mc, err := s.MainContacts(ctx, tid, avisera.ObjectCustomer, []string{"k1", "none"})
	must(t, err)
	if len(mc["k1"]) != 1 || mc["k1"][0].ID != "b" || len(mc["none"]) != 0 {
		t.Errorf("MainContacts = %+v, want k1: [b]", mc)
	}
	of, err := s.LinksOfContact(ctx, tid, "a")
	if err != nil || len(of) != 1 || of[0].ObjectID != "k1" {
		t.Errorf("LinksOfContact(a) = %+v, %v", of, err)
	}
	must(t, s.DeleteContactLink(ctx, tid, avisera.ObjectCustomer, "k1", "a"))
	if err := s.DeleteContactLink(ctx, tid, avisera.ObjectCustomer, "k1", "a"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second unlink err = %v, want ErrNotFound", err)
	}
	must(t, s.DeleteContact(ctx, tid, "b"))
	if links, err = s.ContactLinks(ctx, tid, avisera.ObjectCustomer, "k1"); err != nil || len(links) != 0 {
		t.Errorf("links of a deleted contact remain: %+v, %v", links, err)
	}
}

func testTxRollback(t *testing.T, s store.Store) {
	tid := tenant(t, s, "t1")
	boom := errors.New("boom")
	for name, tx := range map[string]func(context.Context, func(store.Store) error) error{"Tx": s.Tx, "LazyTx": s.LazyTx} {
		t.Run(name, func(t *testing.T) { testRollback(t, s, tid, tx, boom) })
	}
	must(t, s.LazyTx(ctx, func(tx store.Store) error {
		return tx.PutContact(ctx, tid, contact("c2", "B", nil), []string{"b"})
	}))
	if _, err := s.GetContact(ctx, tid, "c2"); err != nil {
		t.Errorf("LazyTx did not commit: %v", err)
	}
}

func testRollback(t *testing.T, s store.Store, tid string, txFn func(context.Context, func(store.Store) error) error, boom error) {
	err := txFn(ctx, func(tx store.Store) error {
		must(t, tx.PutContact(ctx, tid, contact("c1", "A", []string{"a@example.se"}), []string{"a"}))
		if _, err := tx.GetContact(ctx, tid, "c1"); err != nil {
			t.Errorf("read inside the transaction: %v", err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Tx err = %v, want boom", err)
	}
	if _, err := s.GetContact(ctx, tid, "c1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("rolled-back contact is visible: err = %v", err)
	}
}

func testTenantIsolated(t *testing.T, s store.Store) {
	a, b := tenant(t, s, "ta"), tenant(t, s, "tb")
	_, err := s.PutCustomer(ctx, a, avisera.Customer{ID: "k1", Name: "A's customer", UpdatedAt: t0})
	must(t, err)
	must(t, s.PutContact(ctx, a, contact("c1", "Anna", []string{"anna@a.se"}), []string{"anna"}))
	if _, err := s.GetCustomer(ctx, b, "k1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("tenant b reads a's customer: err = %v", err)
	}
	if _, err := s.GetContact(ctx, b, "c1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("tenant b reads a's contact: err = %v", err)
	}
	if got, err := s.SearchContacts(ctx, b, []string{"anna"}, avisera.Page{Limit: 10}); err != nil || len(got) != 0 {
		t.Errorf("tenant b finds a's contacts: %+v, %v", got, err)
	}
	if got, err := s.ListCustomers(ctx, b, avisera.Page{Limit: 10}); err != nil || len(got) != 0 {
		t.Errorf("tenant b lists a's customers: %+v, %v", got, err)
	}
	if err := s.DeleteContact(ctx, b, "c1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("tenant b deletes a's contact: err = %v", err)
	}
}
