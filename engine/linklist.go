package engine

import (
	"context"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/catalog"
	"github.com/avisera/avisera/store"
)

// GetLink returns one link.
func (e *Engine) GetLink(ctx context.Context, tenantID, id string) (avisera.Link, error) {
	l, err := e.store.GetLink(ctx, tenantID, id)
	return l, notFound(err, "link", id)
}

// DeleteLink removes a link; deliveries it made keep referring to it.
func (e *Engine) DeleteLink(ctx context.Context, tenantID, id string) error {
	return e.store.Tx(ctx, func(s store.Store) error {
		l, err := s.GetLink(ctx, tenantID, id)
		if err != nil {
			return notFound(err, "link", id)
		}
		if err := s.DeleteLink(ctx, tenantID, id, e.Now()); err != nil {
			return err
		}
		return e.resyncLinkTimers(ctx, s, tenantID, l, true)
	})
}

// ListLinks lists links by filter.
func (e *Engine) ListLinks(ctx context.Context, tenantID string, f store.LinkFilter) ([]avisera.Link, error) {
	if err := first(checkTargetType(f), checkTriggerFilter(f.EventType, f.Trigger)); err != nil {
		return nil, err
	}
	links, err := e.store.ListLinks(ctx, tenantID, f)
	if links == nil {
		links = []avisera.Link{}
	}
	return links, err
}

// MessageLinks lists where a message is used.
func (e *Engine) MessageLinks(ctx context.Context, tenantID, id string) ([]avisera.Link, error) {
	if _, err := e.store.GetMessage(ctx, tenantID, id); err != nil {
		return nil, notFound(err, "message", id)
	}
	return e.ListLinks(ctx, tenantID, store.LinkFilter{MessageID: id})
}

// Relink moves a link to its message's latest version.
func (e *Engine) Relink(ctx context.Context, tenantID, id string) (avisera.Link, error) {
	var l avisera.Link
	err := e.store.Tx(ctx, func(s store.Store) error {
		var err error
		if l, err = s.GetLink(ctx, tenantID, id); err != nil {
			return notFound(err, "link", id)
		}
		l.MessageVersion, l.UpdatedAt, l.Stale = l.LatestVersion, e.Now(), false
		return s.PutLink(ctx, tenantID, l)
	})
	return l, err
}

// RelinkMessage moves every link of a message to its latest version and
// returns the links that moved.
func (e *Engine) RelinkMessage(ctx context.Context, tenantID, id string) ([]avisera.Link, error) {
	moved := []avisera.Link{}
	err := e.store.Tx(ctx, func(s store.Store) error {
		if _, err := s.GetMessage(ctx, tenantID, id); err != nil {
			return notFound(err, "message", id)
		}
		links, err := s.ListLinks(ctx, tenantID, store.LinkFilter{MessageID: id, StaleOnly: true})
		if err != nil {
			return err
		}
		for _, l := range links {
			l.MessageVersion, l.UpdatedAt, l.Stale = l.LatestVersion, e.Now(), false
			if err := s.PutLink(ctx, tenantID, l); err != nil {
				return err
			}
			moved = append(moved, l)
		}
		return nil
	})
	return moved, err
}

// EffectiveLink is a link that fires for events on an object, and the
// target it is inherited from.
type EffectiveLink struct {
	avisera.Link
	Inherited bool `json:"inherited"`
	// ValidNow tells whether the link's validity period covers now.
	ValidNow bool `json:"valid_now"`
}

// EffectiveLinks lists every link that would fire for events on the
// object (type, id) with refs: its own links and those inherited from the
// org-unit tree, the customer, the contract and the tenant.
func (e *Engine) EffectiveLinks(ctx context.Context, tenantID string, object avisera.Target, refs avisera.Refs) ([]EffectiveLink, error) {
	if err := e.objectRefs(ctx, tenantID, object, &refs); err != nil {
		return nil, err
	}
	targets, err := e.TargetChain(ctx, e.store, tenantID, object, refs)
	if err != nil {
		return nil, err
	}
	links, err := e.store.ListLinks(ctx, tenantID, store.LinkFilter{Targets: targets})
	if err != nil {
		return nil, err
	}
	out := make([]EffectiveLink, len(links))
	for i, l := range links {
		out[i] = EffectiveLink{Link: l, Inherited: l.Target != object, ValidNow: l.ValidAt(e.Now())}
	}
	return out, nil
}

// objectRefs checks a master-data object exists and adds it to refs, with
// a user's org units.
func (e *Engine) objectRefs(ctx context.Context, tenantID string, object avisera.Target, refs *avisera.Refs) error {
	switch object.Type {
	case avisera.TargetCustomer:
		refs.Customer = object.ID
	case avisera.TargetContract:
		refs.Contract = object.ID
	case avisera.TargetOrgUnit:
		refs.OrgUnit = object.ID
	case avisera.TargetPlace:
		refs.Place = object.ID
	case avisera.TargetUser:
		u, err := e.store.GetUser(ctx, tenantID, object.ID)
		if err != nil {
			return notFound(err, "user", object.ID)
		}
		if refs.OrgUnit == "" && len(u.OrgUnitIDs) > 0 {
			refs.OrgUnit = u.OrgUnitIDs[0]
		}
		return nil
	default:
		return nil // a business object: the host's id, known only from events
	}
	return e.objectExists(ctx, e.store, tenantID, object.Type, object.ID)
}

// checkTargetType refuses a filter on a type nothing can target, which
// would list no links and hide a typo.
func checkTargetType(f store.LinkFilter) error {
	types := []string{f.TargetType}
	for _, t := range f.Targets {
		types = append(types, t.Type)
	}
	for _, typ := range types {
		switch typ {
		case "", avisera.TargetTenant, avisera.TargetOrgUnit, avisera.TargetCustomer, avisera.TargetContract,
			avisera.TargetPlace, avisera.TargetUser:
			continue
		}
		if _, ok := catalog.Lookup(typ); !ok {
			return avisera.Invalid("target_type", "%q is not a link target (tenant, org_unit, customer, contract, place, user or an event type such as order)", typ)
		}
	}
	return nil
}

// CheckObjectType accepts the event types' names as business-object types.
func (e *Engine) CheckObjectType(typ string) error {
	if _, ok := catalog.Lookup(typ); !ok {
		return avisera.NotFound("object type", typ)
	}
	return nil
}
