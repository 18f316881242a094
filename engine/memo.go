package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

// memo is a store that remembers the master data it has read: matching,
// recipients and templates read the same customer, org units, contacts and
// links for every event. One memo serves all events planned while the
// tenant's master revision stays the same (see masterCache), so what it
// returns is shared and must not be modified.
type memo struct {
	store.Store
	mu sync.Mutex
	m  map[string]any // key → result[T]
}

// maxMemo bounds a memo (and maxCachedTenants the memos): once full, it
// reads through without remembering.
const maxMemo = 10_000

type result[T any] struct {
	v   T
	err error
}

func newMemo(s store.Store) *memo { return &memo{Store: s, m: map[string]any{}} }

// remember reads through the memo. Only answers are remembered (a value,
// or "not found"); a failed read is tried again by the next caller.
func remember[T any](m *memo, key string, read func() (T, error)) (T, error) {
	m.mu.Lock()
	r, ok := m.m[key].(result[T])
	m.mu.Unlock()
	if ok {
		return r.v, r.err
	}
	v, err := read()
	if err == nil || errors.Is(err, store.ErrNotFound) {
		m.mu.Lock()
		if len(m.m) < maxMemo {
			m.m[key] = result[T]{v, err}
		}
		m.mu.Unlock()
	}
	return v, err
}

func key(parts ...string) string { return strings.Join(parts, "\x00") }

func (m *memo) GetTenant(ctx context.Context, id string) (avisera.Tenant, error) {
	return remember(m, key("tenant", id), func() (avisera.Tenant, error) { return m.Store.GetTenant(ctx, id) })
}

func (m *memo) GetCustomer(ctx context.Context, tenantID, id string) (avisera.Customer, error) {
	return remember(m, key("customer", tenantID, id), func() (avisera.Customer, error) {
		return m.Store.GetCustomer(ctx, tenantID, id)
	})
}

func (m *memo) GetContract(ctx context.Context, tenantID, id string) (avisera.Contract, error) {
	return remember(m, key("contract", tenantID, id), func() (avisera.Contract, error) {
		return m.Store.GetContract(ctx, tenantID, id)
	})
}

func (m *memo) GetPlace(ctx context.Context, tenantID, id string) (avisera.Place, error) {
	return remember(m, key("place", tenantID, id), func() (avisera.Place, error) { return m.Store.GetPlace(ctx, tenantID, id) })
}

func (m *memo) GetOrgUnit(ctx context.Context, tenantID, id string) (avisera.OrgUnit, error) {
	return remember(m, key("org_unit", tenantID, id), func() (avisera.OrgUnit, error) {
		return m.Store.GetOrgUnit(ctx, tenantID, id)
	})
}

func (m *memo) GetUser(ctx context.Context, tenantID, id string) (avisera.User, error) {
	return remember(m, key("user", tenantID, id), func() (avisera.User, error) { return m.Store.GetUser(ctx, tenantID, id) })
}

func (m *memo) GetContact(ctx context.Context, tenantID, id string) (avisera.Contact, error) {
	return remember(m, key("contact", tenantID, id), func() (avisera.Contact, error) {
		return m.Store.GetContact(ctx, tenantID, id)
	})
}

func (m *memo) GetContacts(ctx context.Context, tenantID string, ids []string) ([]avisera.Contact, error) {
	return remember(m, key("contacts", tenantID, strings.Join(ids, ",")), func() ([]avisera.Contact, error) {
		return m.Store.GetContacts(ctx, tenantID, ids)
	})
}

func (m *memo) ContactLinks(ctx context.Context, tenantID, objectType, objectID string) ([]avisera.ContactLink, error) {
	return remember(m, key("contact_links", tenantID, objectType, objectID), func() ([]avisera.ContactLink, error) {
		return m.Store.ContactLinks(ctx, tenantID, objectType, objectID)
	})
}

func (m *memo) OwnerOfContact(ctx context.Context, tenantID, contactID string) (avisera.User, error) {
	return remember(m, key("owner_of_contact", tenantID, contactID), func() (avisera.User, error) {
		return m.Store.OwnerOfContact(ctx, tenantID, contactID)
	})
}

// ListLinks remembers the links of a trigger whatever their targets and
// picks the asked targets from them: an event's targets include its own
// subject, so they differ with every event, while the links seldom do. A
// trigger with more than maxPicked links (links to single business
// objects, say) is asked of the database instead.
func (m *memo) ListLinks(ctx context.Context, tenantID string, f store.LinkFilter) ([]avisera.Link, error) {
	all := f
	all.Targets = nil
	links, err := remember(m, key("links", tenantID, fmt.Sprint(all)), func() ([]avisera.Link, error) {
		return m.Store.ListLinks(ctx, tenantID, all)
	})
	switch {
	case err != nil || len(f.Targets) == 0:
		return links, err
	case len(links) > maxPicked:
		return m.Store.ListLinks(ctx, tenantID, f)
	}
	var out []avisera.Link
	for _, l := range links {
		if slices.Contains(f.Targets, l.Target) {
			out = append(out, l)
		}
	}
	return out, nil
}

const maxPicked = 1000

// masterCache hands out, per tenant, the memo of the tenant's current
// master revision. Every change to a tenant's master data moves its
// revision in the same transaction (a trigger in the database), and an
// event reads the revision before any master data: if it is the revision
// the memo was filled at, nothing the memo holds has changed since, on
// this process or any other.
type masterCache struct {
	mu      sync.Mutex
	tenants map[string]*revisionMemo
}

type revisionMemo struct {
	rev  int64
	memo *memo
}

// maxCachedTenants bounds the cache; a new tenant past it takes the place
// of another one.
const maxCachedTenants = 100

// at returns the memo to plan an event of the tenant with, given the
// tenant's revision read before anything else.
func (c *masterCache) at(s store.Store, tenantID string, rev int64) *memo {
	c.mu.Lock()
	defer c.mu.Unlock()
	cur := c.tenants[tenantID]
	switch {
	case cur != nil && rev == cur.rev:
		return cur.memo
	case cur != nil && rev < cur.rev:
		return newMemo(s) // a reader that started before the latest change: on its own
	}
	if c.tenants == nil {
		c.tenants = map[string]*revisionMemo{}
	}
	if cur == nil && len(c.tenants) >= maxCachedTenants {
		for other := range c.tenants { // any one: a tenant cached again reads its master data again
			delete(c.tenants, other)
			break
		}
	}
	cur = &revisionMemo{rev: rev, memo: newMemo(s)}
	c.tenants[tenantID] = cur
	return cur.memo
}
