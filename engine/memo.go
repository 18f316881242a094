package engine

import (
	"context"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

// memo is a store that remembers the master data it has read, for the
// span of one event: matching, recipients and templates read the same
// customer, org units and users several times.
type memo struct {
	store.Store
	tenants   map[string]result[avisera.Tenant]
	customers map[string]result[avisera.Customer]
	contracts map[string]result[avisera.Contract]
	places    map[string]result[avisera.Place]
	orgUnits  map[string]result[avisera.OrgUnit]
	users     map[string]result[avisera.User]
	contacts  map[string]result[avisera.Contact]
}

type result[T any] struct {
	v   T
	err error
}

func newMemo(s store.Store) *memo {
	return &memo{Store: s, tenants: map[string]result[avisera.Tenant]{}, customers: map[string]result[avisera.Customer]{},
		contracts: map[string]result[avisera.Contract]{}, places: map[string]result[avisera.Place]{},
		orgUnits: map[string]result[avisera.OrgUnit]{}, users: map[string]result[avisera.User]{},
		contacts: map[string]result[avisera.Contact]{}}
}

// remember reads through a map.
func remember[T any](m map[string]result[T], key string, read func() (T, error)) (T, error) {
	if r, ok := m[key]; ok {
		return r.v, r.err
	}
	v, err := read()
	m[key] = result[T]{v, err}
	return v, err
}

func (m *memo) GetTenant(ctx context.Context, id string) (avisera.Tenant, error) {
	return remember(m.tenants, id, func() (avisera.Tenant, error) { return m.Store.GetTenant(ctx, id) })
}

func (m *memo) GetCustomer(ctx context.Context, tenantID, id string) (avisera.Customer, error) {
	return remember(m.customers, id, func() (avisera.Customer, error) { return m.Store.GetCustomer(ctx, tenantID, id) })
}

func (m *memo) GetContract(ctx context.Context, tenantID, id string) (avisera.Contract, error) {
	return remember(m.contracts, id, func() (avisera.Contract, error) { return m.Store.GetContract(ctx, tenantID, id) })
}

func (m *memo) GetPlace(ctx context.Context, tenantID, id string) (avisera.Place, error) {
	return remember(m.places, id, func() (avisera.Place, error) { return m.Store.GetPlace(ctx, tenantID, id) })
}

func (m *memo) GetOrgUnit(ctx context.Context, tenantID, id string) (avisera.OrgUnit, error) {
	return remember(m.orgUnits, id, func() (avisera.OrgUnit, error) { return m.Store.GetOrgUnit(ctx, tenantID, id) })
}

func (m *memo) GetUser(ctx context.Context, tenantID, id string) (avisera.User, error) {
	return remember(m.users, id, func() (avisera.User, error) { return m.Store.GetUser(ctx, tenantID, id) })
}

func (m *memo) GetContact(ctx context.Context, tenantID, id string) (avisera.Contact, error) {
	return remember(m.contacts, id, func() (avisera.Contact, error) { return m.Store.GetContact(ctx, tenantID, id) })
}
