package engine

import (
	"context"

	"github.com/avisera/avisera"
)

// List is one page of a list and the cursor of the next page ("" at the end).
type List[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// ahead is p for the store: one item more than the page holds, so that
// page knows whether another page follows and the last page has no
// cursor to an empty one.
func ahead(p avisera.Page) avisera.Page {
	p.Limit++
	return p
}

// page wraps items, read with ahead(p), into a List of at most p.Limit;
// id gives the keyset cursor of an item.
func page[T any](items []T, p avisera.Page, id func(T) string) List[T] {
	l := List[T]{Items: items}
	if l.Items == nil {
		l.Items = []T{}
	}
	if len(items) > p.Limit {
		l.Items = items[:p.Limit]
		l.NextCursor = id(l.Items[p.Limit-1])
	}
	return l
}

// withMainContacts fills each item's main contacts (seed rule 6: main
// contacts are shown in the object lists).
func withMainContacts[T any](ctx context.Context, e *Engine, tenantID, objectType string, items []T,
	id func(T) string, set func(*T, []avisera.Contact)) error {
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = id(it)
	}
	mc, err := e.store.MainContacts(ctx, tenantID, objectType, ids)
	if err != nil {
		return err
	}
	for i := range items {
		set(&items[i], mc[ids[i]])
	}
	return nil
}

// ListOrgUnits lists org units with their main contacts.
func (e *Engine) ListOrgUnits(ctx context.Context, tenantID string, p avisera.Page) (List[avisera.OrgUnit], error) {
	p = p.Normalize()
	items, err := e.store.ListOrgUnits(ctx, tenantID, ahead(p))
	id := func(o avisera.OrgUnit) string { return o.ID }
	if err == nil {
		err = withMainContacts(ctx, e, tenantID, avisera.ObjectOrgUnit, items, id,
			func(o *avisera.OrgUnit, c []avisera.Contact) { o.Contacts = c })
	}
	return page(items, p, id), err
}

// ListCustomers lists customers with their main contacts.
func (e *Engine) ListCustomers(ctx context.Context, tenantID string, p avisera.Page) (List[avisera.Customer], error) {
	p = p.Normalize()
	items, err := e.store.ListCustomers(ctx, tenantID, ahead(p))
	id := func(c avisera.Customer) string { return c.ID }
	if err == nil {
		err = withMainContacts(ctx, e, tenantID, avisera.ObjectCustomer, items, id,
			func(c *avisera.Customer, cs []avisera.Contact) { c.Contacts = cs })
	}
	return page(items, p, id), err
}

// ListContracts lists contracts with their main contacts.
func (e *Engine) ListContracts(ctx context.Context, tenantID string, p avisera.Page) (List[avisera.Contract], error) {
	p = p.Normalize()
	items, err := e.store.ListContracts(ctx, tenantID, ahead(p))
	id := func(c avisera.Contract) string { return c.ID }
	if err == nil {
		err = withMainContacts(ctx, e, tenantID, avisera.ObjectContract, items, id,
			func(c *avisera.Contract, cs []avisera.Contact) { c.Contacts = cs })
	}
	return page(items, p, id), err
}

// ListPlaces lists places with their main contacts.
func (e *Engine) ListPlaces(ctx context.Context, tenantID string, p avisera.Page) (List[avisera.Place], error) {
	p = p.Normalize()
	items, err := e.store.ListPlaces(ctx, tenantID, ahead(p))
	id := func(pl avisera.Place) string { return pl.ID }
	if err == nil {
		err = withMainContacts(ctx, e, tenantID, avisera.ObjectPlace, items, id,
			func(pl *avisera.Place, cs []avisera.Contact) { pl.Contacts = cs })
	}
	return page(items, p, id), err
}

// ListUsers lists users with their own addresses and device logins.
func (e *Engine) ListUsers(ctx context.Context, tenantID string, p avisera.Page) (List[avisera.User], error) {
	p = p.Normalize()
	items, err := e.store.ListUsers(ctx, tenantID, ahead(p))
	return page(items, p, func(u avisera.User) string { return u.ID }), err
}
