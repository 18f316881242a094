package engine

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

// objectExists returns ENOTFOUND when the object a contact is linked to
// does not exist in the tenant.
func (e *Engine) objectExists(ctx context.Context, s store.Store, tenantID, objectType, id string) error {
	var err error
	switch objectType {
	case avisera.ObjectCustomer:
		_, err = s.GetCustomer(ctx, tenantID, id)
	case avisera.ObjectContract:
		_, err = s.GetContract(ctx, tenantID, id)
	case avisera.ObjectOrgUnit:
		_, err = s.GetOrgUnit(ctx, tenantID, id)
	case avisera.ObjectPlace:
		_, err = s.GetPlace(ctx, tenantID, id)
	case avisera.ObjectUser:
		_, err = s.GetUser(ctx, tenantID, id)
	default:
		return avisera.Invalid("object_type", "%q is not a customer, contract, org_unit, place or user", objectType)
	}
	return notFound(err, objectType, id)
}

func checkRoles(roles []string) ([]string, error) {
	out := []string{}
	for i, r := range roles {
		if !slices.Contains(avisera.Roles, r) {
			return nil, avisera.Invalid(fmt.Sprintf("roles[%d]", i), "%q is not a role (%v)", r, avisera.Roles)
		}
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out, nil
}

// lockContacts makes the transactions that decide from a tenant's contact
// links (the first link is the main contact, a contact is one user's own
// at most) run one after the other on PostgreSQL, so that two at once
// cannot both decide from what neither has written yet.
func lockContacts(ctx context.Context, s store.Store, tenantID string) error {
	return s.Lock(ctx, "contacts:"+tenantID)
}

// LinkContact links a contact to an object with roles, or replaces the
// roles of an existing link. The first contact linked to a customer,
// contract, org unit or place becomes its main contact (seed rule 6); on a
// user, main contact marks the user's own contact details, as asked.
func (e *Engine) LinkContact(ctx context.Context, tenantID string, l avisera.ContactLink) (avisera.ContactLink, error) {
	roles, err := checkRoles(l.Roles)
	if err != nil {
		return l, err
	}
	l.Roles, l.CreatedAt = roles, e.Now()
	err = e.store.Tx(ctx, func(s store.Store) error {
		if err := lockContacts(ctx, s, tenantID); err != nil {
			return err
		}
		if err := e.objectExists(ctx, s, tenantID, l.ObjectType, l.ObjectID); err != nil {
			return err
		}
		c, err := s.GetContact(ctx, tenantID, l.ContactID)
		if err != nil {
			return notFound(err, "contact", l.ContactID)
		}
		l.Contact = &c
		links, err := s.ContactLinks(ctx, tenantID, l.ObjectType, l.ObjectID)
		if err != nil {
			return err
		}
		for _, old := range links {
			if old.ContactID == l.ContactID {
				l.CreatedAt = old.CreatedAt
			}
		}
		if len(links) == 0 && !l.HasRole(avisera.RoleMainContact) && l.ObjectType != avisera.ObjectUser {
			l.Roles = append(l.Roles, avisera.RoleMainContact)
		}
		if err := s.PutContactLink(ctx, tenantID, l); err != nil {
			return err
		}
		return adoptOwnContact(ctx, s, tenantID, l)
	})
	return l, err
}

// adoptOwnContact makes a contact linked to a user as main contact that
// user's own contact when they have none (seed: the user is added as a
// contact of their own, main contact "to mark the user's own contact
// details"), unless it is another user's own or a contact of a customer,
// contract or place — someone outside the company, whom the user's
// addresses would overwrite. (A user sent with its address adopts it: the
// address says it is this person — unless it is an outsider's, see
// notOutsiders.)
func adoptOwnContact(ctx context.Context, s store.Store, tenantID string, l avisera.ContactLink) error {
	if l.ObjectType != avisera.ObjectUser || !l.HasRole(avisera.RoleMainContact) {
		return nil
	}
	u, err := s.GetUser(ctx, tenantID, l.ObjectID)
	if err != nil || u.ContactID != "" {
		return err
	}
	if _, owned, err := ownerOf(ctx, s, tenantID, l.ContactID); err != nil || owned {
		return err
	}
	if _, outside, err := outsideLink(ctx, s, tenantID, l.ContactID); err != nil || outside {
		return err
	}
	u.ContactID = l.ContactID
	_, err = s.PutUser(ctx, tenantID, u)
	return err
}

// UnlinkContact removes a contact from an object.
func (e *Engine) UnlinkContact(ctx context.Context, tenantID, objectType, objectID, contactID string) error {
	return e.store.Tx(ctx, func(s store.Store) error {
		if err := lockContacts(ctx, s, tenantID); err != nil {
			return err
		}
		if err := e.objectExists(ctx, s, tenantID, objectType, objectID); err != nil {
			return err
		}
		if err := s.DeleteContactLink(ctx, tenantID, objectType, objectID, contactID); err != nil {
			return notFound(err, "contact link", contactID)
		}
		return disownContact(ctx, s, tenantID, objectType, objectID, contactID)
	})
}

// disownContact forgets a user's own contact when it is unlinked from the
// user: the next contact linked as main contact becomes their own.
func disownContact(ctx context.Context, s store.Store, tenantID, objectType, objectID, contactID string) error {
	if objectType != avisera.ObjectUser {
		return nil
	}
	u, err := s.GetUser(ctx, tenantID, objectID)
	if err != nil || u.ContactID != contactID {
		return err
	}
	u.ContactID = ""
	_, err = s.PutUser(ctx, tenantID, u)
	return err
}

// ObjectContacts lists an object's contacts with their roles.
func (e *Engine) ObjectContacts(ctx context.Context, tenantID, objectType, objectID string) ([]avisera.ContactLink, error) {
	if err := e.objectExists(ctx, e.store, tenantID, objectType, objectID); err != nil {
		return nil, err
	}
	links, err := e.store.ContactLinks(ctx, tenantID, objectType, objectID)
	if err != nil || len(links) == 0 {
		return []avisera.ContactLink{}, err
	}
	ids := make([]string, len(links))
	for i, l := range links {
		ids[i] = l.ContactID
	}
	cs, err := e.store.GetContacts(ctx, tenantID, ids)
	if err != nil {
		return nil, err
	}
	for i := range links {
		for j := range cs {
			if cs[j].ID == links[i].ContactID {
				links[i].Contact = &cs[j]
			}
		}
	}
	return links, nil
}

// MergeContacts merges contact fromID into id: id keeps its name and gains
// from's addresses, links and roles (roles on a shared object are united);
// users whose own contact was from now point to id; from is removed.
func (e *Engine) MergeContacts(ctx context.Context, tenantID, id, fromID string) (avisera.Contact, error) {
	if id == fromID {
		return avisera.Contact{}, avisera.Invalid("from_id", "a contact cannot be merged into itself")
	}
	var into avisera.Contact
	err := e.store.Tx(ctx, func(s store.Store) error {
		if err := lockContacts(ctx, s, tenantID); err != nil {
			return err
		}
		var err error
		if into, err = s.GetContact(ctx, tenantID, id); err != nil {
			return notFound(err, "contact", id)
		}
		from, err := s.GetContact(ctx, tenantID, fromID)
		if err != nil {
			return mustExist(ctx, "from_id", "contact", fromID, func(context.Context) error { return err })
		}
		if err := oneOwner(ctx, s, tenantID, id, fromID); err != nil {
			return err
		}
		if err := moveLinks(ctx, s, tenantID, id, fromID); err != nil {
			return err
		}
		if err := s.MoveUserContact(ctx, tenantID, fromID, id); err != nil {
			return err
		}
		if err := s.DeleteContact(ctx, tenantID, fromID); err != nil {
			return err
		}
		into = mergedContact(into, from, e.Now())
		return s.PutContact(ctx, tenantID, into, searchTerms(into))
	})
	return into, err
}

// oneOwner refuses to merge two users' own contacts: a contact is the own
// contact of one user at most.
func oneOwner(ctx context.Context, s store.Store, tenantID, id, fromID string) error {
	into, intoOwned, err := ownerOf(ctx, s, tenantID, id)
	if err != nil {
		return err
	}
	from, fromOwned, err := ownerOf(ctx, s, tenantID, fromID)
	if err != nil || !intoOwned || !fromOwned || into.ID == from.ID {
		return err
	}
	return &avisera.Error{Code: avisera.ECONFLICT, Field: "from_id", ConflictID: id, Message: fmt.Sprintf(
		"contacts %s and %s are the own contacts of users %s and %s: a contact belongs to one user", id, fromID, into.ID, from.ID)}
}

func mergedContact(into, from avisera.Contact, now time.Time) avisera.Contact {
	for _, a := range from.Emails {
		if !slices.Contains(into.Emails, a) {
			into.Emails = append(into.Emails, a)
		}
	}
	for _, p := range from.Phones {
		if !slices.Contains(into.Phones, p) {
			into.Phones = append(into.Phones, p)
		}
	}
	if into.Language == "" {
		into.Language = from.Language
	}
	into.Active = into.Active || from.Active
	into.UpdatedAt = now
	return into
}

// moveLinks gives contact id every link of fromID, uniting roles.
func moveLinks(ctx context.Context, s store.Store, tenantID, id, fromID string) error {
	links, err := s.LinksOfContact(ctx, tenantID, fromID)
	if err != nil {
		return err
	}
	for _, l := range links {
		existing, err := s.ContactLinks(ctx, tenantID, l.ObjectType, l.ObjectID)
		if err != nil {
			return err
		}
		for _, x := range existing {
			if x.ContactID == id {
				l.Roles = unite(x.Roles, l.Roles)
				l.CreatedAt = minTime(l.CreatedAt, x.CreatedAt)
			}
		}
		l.ContactID = id
		if err := s.PutContactLink(ctx, tenantID, l); err != nil {
			return err
		}
	}
	return nil
}

func unite(a, b []string) []string {
	out := slices.Clone(a)
	for _, r := range b {
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
