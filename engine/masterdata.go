package engine

import (
	"context"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

// maxOrgDepth bounds the walk up the organisation tree; deeper is a cycle
// or a data error.
const maxOrgDepth = 100

// PutOrgUnit creates or updates an org unit. The parent must exist and the
// unit must not become its own ancestor.
func (e *Engine) PutOrgUnit(ctx context.Context, tenantID string, o avisera.OrgUnit) (avisera.OrgUnit, bool, error) {
	o.UpdatedAt = e.Now()
	if err := first(checkID("id", o.ID), required("name", o.Name, 200), checkTimeZone("time_zone", o.TimeZone),
		checkLanguage("language", o.Language), checkClock("quiet_from", o.QuietFrom), checkClock("quiet_to", o.QuietTo)); err != nil {
		return o, false, err
	}
	var created bool
	err := e.store.Tx(ctx, func(s store.Store) error {
		// Two units reparented at once under each other would each pass
		// the check alone: on PostgreSQL the second waits for the first.
		if err := s.Lock(ctx, "org_units:"+tenantID); err != nil {
			return err
		}
		if err := e.checkParent(ctx, s, tenantID, o); err != nil {
			return err
		}
		var err error
		created, err = s.PutOrgUnit(ctx, tenantID, o)
		return err
	})
	return o, created, err
}

// checkParent refuses a missing parent and a cycle.
func (e *Engine) checkParent(ctx context.Context, s store.Store, tenantID string, o avisera.OrgUnit) error {
	for id, depth := o.ParentID, 0; id != ""; depth++ {
		if id == o.ID || depth > maxOrgDepth {
			return avisera.Invalid("parent_id", "%q would make org unit %q its own ancestor", o.ParentID, o.ID)
		}
		p, err := s.GetOrgUnit(ctx, tenantID, id)
		if err != nil {
			if depth == 0 {
				return mustExist(ctx, "parent_id", "org unit", id, func(context.Context) error { return err })
			}
			return err
		}
		id = p.ParentID
	}
	return nil
}

func (e *Engine) orgUnitExists(ctx context.Context, s store.Store, tenantID, field, id string) error {
	return mustExist(ctx, field, "org unit", id, func(ctx context.Context) error {
		_, err := s.GetOrgUnit(ctx, tenantID, id)
		return err
	})
}

func (e *Engine) customerExists(ctx context.Context, s store.Store, tenantID, field, id string) error {
	return mustExist(ctx, field, "customer", id, func(ctx context.Context) error {
		_, err := s.GetCustomer(ctx, tenantID, id)
		return err
	})
}

// PutCustomer creates or updates a customer.
func (e *Engine) PutCustomer(ctx context.Context, tenantID string, c avisera.Customer) (avisera.Customer, bool, error) {
	c.UpdatedAt = e.Now()
	if err := first(checkID("id", c.ID), required("name", c.Name, 200)); err != nil {
		return c, false, err
	}
	var created bool
	err := e.store.Tx(ctx, func(s store.Store) error {
		if err := e.orgUnitExists(ctx, s, tenantID, "org_unit_id", c.OrgUnitID); err != nil {
			return err
		}
		var err error
		created, err = s.PutCustomer(ctx, tenantID, c)
		return err
	})
	return c, created, err
}

// PutContract creates or updates a contract of a customer.
func (e *Engine) PutContract(ctx context.Context, tenantID string, c avisera.Contract) (avisera.Contract, bool, error) {
	c.UpdatedAt = e.Now()
	if err := first(checkID("id", c.ID), required("name", c.Name, 200),
		required("customer_id", c.CustomerID, 200), checkPeriod(c.ValidFrom, c.ValidTo)); err != nil {
		return c, false, err
	}
	var created bool
	err := e.store.Tx(ctx, func(s store.Store) error {
		if err := first(e.customerExists(ctx, s, tenantID, "customer_id", c.CustomerID),
			e.orgUnitExists(ctx, s, tenantID, "org_unit_id", c.OrgUnitID)); err != nil {
			return err
		}
		var err error
		created, err = s.PutContract(ctx, tenantID, c)
		return err
	})
	return c, created, err
}

// PutPlace creates or updates a place.
func (e *Engine) PutPlace(ctx context.Context, tenantID string, p avisera.Place) (avisera.Place, bool, error) {
	p.UpdatedAt = e.Now()
	if err := first(checkID("id", p.ID), required("name", p.Name, 200)); err != nil {
		return p, false, err
	}
	var created bool
	err := e.store.Tx(ctx, func(s store.Store) error {
		if err := first(e.customerExists(ctx, s, tenantID, "customer_id", p.CustomerID),
			e.orgUnitExists(ctx, s, tenantID, "org_unit_id", p.OrgUnitID)); err != nil {
			return err
		}
		var err error
		created, err = s.PutPlace(ctx, tenantID, p)
		return err
	})
	return p, created, err
}

// GetOrgUnit returns an org unit with its main contacts.
func (e *Engine) GetOrgUnit(ctx context.Context, tenantID, id string) (avisera.OrgUnit, error) {
	o, err := e.store.GetOrgUnit(ctx, tenantID, id)
	if err != nil {
		return o, notFound(err, "org unit", id)
	}
	mc, err := e.store.MainContacts(ctx, tenantID, avisera.ObjectOrgUnit, []string{id})
	o.Contacts = mc[id]
	return o, err
}

// GetCustomer returns a customer with its main contacts.
func (e *Engine) GetCustomer(ctx context.Context, tenantID, id string) (avisera.Customer, error) {
	c, err := e.store.GetCustomer(ctx, tenantID, id)
	if err != nil {
		return c, notFound(err, "customer", id)
	}
	mc, err := e.store.MainContacts(ctx, tenantID, avisera.ObjectCustomer, []string{id})
	c.Contacts = mc[id]
	return c, err
}

// GetContract returns a contract with its main contacts.
func (e *Engine) GetContract(ctx context.Context, tenantID, id string) (avisera.Contract, error) {
	c, err := e.store.GetContract(ctx, tenantID, id)
	if err != nil {
		return c, notFound(err, "contract", id)
	}
	mc, err := e.store.MainContacts(ctx, tenantID, avisera.ObjectContract, []string{id})
	c.Contacts = mc[id]
	return c, err
}

// GetPlace returns a place with its main contacts.
func (e *Engine) GetPlace(ctx context.Context, tenantID, id string) (avisera.Place, error) {
	p, err := e.store.GetPlace(ctx, tenantID, id)
	if err != nil {
		return p, notFound(err, "place", id)
	}
	mc, err := e.store.MainContacts(ctx, tenantID, avisera.ObjectPlace, []string{id})
	p.Contacts = mc[id]
	return p, err
}

// checkClock accepts an empty value or a time of day such as 21:00.
func checkClock(field, v string) error {
	if v != "" && !timeOfDay.MatchString(v) {
		return avisera.Invalid(field, "%q is not a time of day such as 21:00", v)
	}
	return nil
}
