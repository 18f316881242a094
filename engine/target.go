package engine

import (
	"context"
	"errors"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

// chain collects targets without duplicates.
type chain struct {
	targets []avisera.Target
	seen    map[avisera.Target]bool
}

func (c *chain) add(typ, id string) bool {
	t := avisera.Target{Type: typ, ID: id}
	if id == "" && typ != avisera.TargetTenant || c.seen[t] {
		return false
	}
	c.seen[t] = true
	c.targets = append(c.targets, t)
	return true
}

// TargetChain lists every target whose links apply to an event on subject
// with refs: the subject, the refs, what they belong to (a contract's
// customer, a place's customer, their org units), every ancestor org unit
// and the tenant. Refs the engine has never seen are kept as targets of
// their own but add nothing above them.
func (e *Engine) TargetChain(ctx context.Context, s store.Store, tenantID string, subject avisera.Target, refs avisera.Refs) ([]avisera.Target, error) {
	c := &chain{seen: map[avisera.Target]bool{}}
	steps := []func() error{
		func() error { return e.chainContract(ctx, s, tenantID, c, refs.Contract) },
		func() error { return e.chainPlace(ctx, s, tenantID, c, refs.Place) },
		func() error { return e.chainCustomer(ctx, s, tenantID, c, refs.Customer) },
		func() error { return e.chainOrgUnit(ctx, s, tenantID, c, refs.OrgUnit) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	for _, u := range refs.Users {
		c.add(avisera.TargetUser, u)
	}
	c.add(subject.Type, subject.ID) // a business object, or already in the chain
	c.add(avisera.TargetTenant, "")
	return c.targets, nil
}

// absent treats a missing object as a dead end, not an error.
func absent(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

func (e *Engine) chainContract(ctx context.Context, s store.Store, tenantID string, c *chain, id string) error {
	if !c.add(avisera.TargetContract, id) {
		return nil
	}
	k, err := s.GetContract(ctx, tenantID, id)
	if err != nil {
		return absent(err)
	}
	if err := e.chainOrgUnit(ctx, s, tenantID, c, k.OrgUnitID); err != nil {
		return err
	}
	return e.chainCustomer(ctx, s, tenantID, c, k.CustomerID)
}

func (e *Engine) chainPlace(ctx context.Context, s store.Store, tenantID string, c *chain, id string) error {
	if !c.add(avisera.TargetPlace, id) {
		return nil
	}
	p, err := s.GetPlace(ctx, tenantID, id)
	if err != nil {
		return absent(err)
	}
	if err := e.chainOrgUnit(ctx, s, tenantID, c, p.OrgUnitID); err != nil {
		return err
	}
	return e.chainCustomer(ctx, s, tenantID, c, p.CustomerID)
}

func (e *Engine) chainCustomer(ctx context.Context, s store.Store, tenantID string, c *chain, id string) error {
	if !c.add(avisera.TargetCustomer, id) {
		return nil
	}
	cu, err := s.GetCustomer(ctx, tenantID, id)
	if err != nil {
		return absent(err)
	}
	return e.chainOrgUnit(ctx, s, tenantID, c, cu.OrgUnitID)
}

func (e *Engine) chainOrgUnit(ctx context.Context, s store.Store, tenantID string, c *chain, id string) error {
	for depth := 0; id != "" && depth <= maxOrgDepth; depth++ {
		if !c.add(avisera.TargetOrgUnit, id) {
			return nil
		}
		o, err := s.GetOrgUnit(ctx, tenantID, id)
		if err != nil {
			return absent(err)
		}
		id = o.ParentID
	}
	return nil
}
