package engine

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/phone"
	"github.com/avisera/avisera/store"
)

// UserInput is a user as the host system sends it. Emails and Phones are
// nil when the host does not manage the user's contact details; a non-nil
// value (even empty) replaces the addresses of the user's own contact.
type UserInput struct {
	avisera.User
	Emails []string
	Phones []string
}

// PutUser creates or updates a user. A user sent with contact details gets
// a contact of their own, linked with the roles main contact and
// notification recipient (seed rule 7); an existing contact that already
// owns all of the addresses is adopted instead of duplicated.
func (e *Engine) PutUser(ctx context.Context, tenantID string, in UserInput) (avisera.User, bool, error) {
	u := in.User
	u.UpdatedAt = e.Now()
	if err := first(checkID("id", u.ID), required("name", u.Name, 200), required("role", u.Role, 100),
		checkPeriod(u.ValidFrom, u.ValidTo), checkLanguage("language", u.Language)); err != nil {
		return u, false, err
	}
	region, err := e.region(ctx, tenantID)
	if err != nil {
		return u, false, err
	}
	emails, err := normalizeEmails("emails", in.Emails)
	if err != nil {
		return u, false, err
	}
	phones, err := normalizePhones("phones", in.Phones, region)
	if err != nil {
		return u, false, err
	}
	var created bool
	err = e.store.Tx(ctx, func(s store.Store) error {
		if err := lockContacts(ctx, s, tenantID); err != nil {
			return err
		}
		for i, ou := range u.OrgUnitIDs {
			if err := e.orgUnitExists(ctx, s, tenantID, fmt.Sprintf("org_unit_ids[%d]", i), ou); err != nil {
				return err
			}
		}
		old, err := s.GetUser(ctx, tenantID, u.ID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		u.ContactID = old.ContactID
		if in.Emails != nil || in.Phones != nil {
			if err := e.ownContact(ctx, s, tenantID, &u, keep(in, emails, phones)); err != nil {
				return err
			}
		}
		created, err = s.PutUser(ctx, tenantID, u)
		if err != nil || u.ContactID == "" || old.ContactID == u.ContactID {
			return err
		}
		return e.linkOwnContact(ctx, s, tenantID, u)
	})
	if err != nil {
		return u, false, err
	}
	u, err = e.store.GetUser(ctx, tenantID, u.ID)
	return u, created, err
}

// ownContact creates, adopts or updates the user's own contact. A user
// without one adopts the contact that already holds their addresses (an
// address belongs to one contact: it is this person), keeping what the
// host did not send.
func (e *Engine) ownContact(ctx context.Context, s store.Store, tenantID string, u *avisera.User,
	addrs func(old avisera.Contact) ([]string, []avisera.Phone)) error {
	id := u.ContactID
	if id == "" {
		emails, phones := addrs(avisera.Contact{})
		sent := avisera.Contact{Emails: emails, Phones: phones}
		owner, addr, err := soleOwner(ctx, s, tenantID, sent)
		if err != nil {
			return err
		}
		if err := notOwnedByOtherUser(ctx, s, tenantID, u.ID, owner); err != nil {
			return err
		}
		if err := notOutsiders(ctx, s, tenantID, owner, addressField(sent, addr)); err != nil {
			return err
		}
		id = owner
	}
	c := avisera.Contact{ID: id, Name: u.Name, Language: u.Language, Active: true, CreatedAt: e.Now(), UpdatedAt: e.Now()}
	var old avisera.Contact
	if id != "" {
		var err error
		if old, err = s.GetContact(ctx, tenantID, id); err != nil {
			return err
		}
		c.CreatedAt, c.Active, c.Language = old.CreatedAt, old.Active, cmp.Or(u.Language, old.Language)
	}
	c.Emails, c.Phones = addrs(old)
	if c.ID == "" {
		if len(c.Emails) == 0 && len(c.Phones) == 0 {
			return nil
		}
		c.ID = newID()
	}
	u.ContactID = c.ID
	return saveContact(ctx, s, tenantID, c)
}

// keep returns the user's new addresses; a kind the host did not send
// (nil) keeps the own contact's current addresses of that kind.
func keep(in UserInput, emails []string, phones []avisera.Phone) func(avisera.Contact) ([]string, []avisera.Phone) {
	return func(old avisera.Contact) ([]string, []avisera.Phone) {
		if in.Emails == nil && old.Emails != nil {
			emails = old.Emails
		}
		if in.Phones == nil && old.Phones != nil {
			phones = old.Phones
		}
		return emails, phones
	}
}

// soleOwner returns the contact owning all of c's addresses that have an
// owner, and the first such address, or "" when none has; addresses owned
// by two contacts clash.
func soleOwner(ctx context.Context, s store.Store, tenantID string, c avisera.Contact) (owner, addr string, err error) {
	for _, a := range addresses(c) {
		id, err := s.ContactIDByAddress(ctx, tenantID, a)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return "", "", err
		}
		if owner != "" && id != owner {
			return "", "", &avisera.Error{Code: avisera.ECONFLICT, Field: addressField(c, a), ConflictID: id,
				Message: fmt.Sprintf("%s belongs to contact %s, other addresses to contact %s", a, id, owner)}
		}
		if owner == "" {
			owner, addr = id, a
		}
	}
	return owner, addr, nil
}

// notOutsiders refuses to make a contact of a customer, contract or place
// a user's own contact because the user was sent with its address: the
// user's name and addresses would overwrite someone outside the company
// (an address belongs to one contact, so the clash is a 409 naming it).
func notOutsiders(ctx context.Context, s store.Store, tenantID, contactID, field string) error {
	if contactID == "" {
		return nil
	}
	l, ok, err := outsideLink(ctx, s, tenantID, contactID)
	if err != nil || !ok {
		return err
	}
	return &avisera.Error{Code: avisera.ECONFLICT, Field: field, ConflictID: contactID,
		Message: fmt.Sprintf("belongs to contact %s, a contact of %s %s: a user's own contact cannot be someone outside the company",
			contactID, l.ObjectType, l.ObjectID)}
}

// outsideLink returns the contact's first link to a customer, contract or
// place, if it has one.
func outsideLink(ctx context.Context, s store.Store, tenantID, contactID string) (avisera.ContactLink, bool, error) {
	links, err := s.LinksOfContact(ctx, tenantID, contactID)
	if err != nil {
		return avisera.ContactLink{}, false, err
	}
	for _, l := range links {
		if l.ObjectType == avisera.ObjectCustomer || l.ObjectType == avisera.ObjectContract ||
			l.ObjectType == avisera.ObjectPlace {
			return l, true, nil
		}
	}
	return avisera.ContactLink{}, false, nil
}

// notOwnedByOtherUser refuses to adopt a contact that is another user's
// own contact: two users never share one.
func notOwnedByOtherUser(ctx context.Context, s store.Store, tenantID, userID, contactID string) error {
	if contactID == "" {
		return nil
	}
	owner, ok, err := ownerOf(ctx, s, tenantID, contactID)
	if err != nil || !ok || owner.ID == userID {
		return err
	}
	return &avisera.Error{Code: avisera.ECONFLICT, ConflictID: contactID,
		Message: fmt.Sprintf("the addresses belong to contact %s, the own contact of user %s", contactID, owner.ID)}
}

// ownerOf returns the user whose own contact contactID is, if any.
func ownerOf(ctx context.Context, s store.Store, tenantID, contactID string) (avisera.User, bool, error) {
	u, err := s.OwnerOfContact(ctx, tenantID, contactID)
	if errors.Is(err, store.ErrNotFound) {
		return avisera.User{}, false, nil
	}
	return u, err == nil, err
}

// linkOwnContact links the user's own contact to the user as main contact
// and notification recipient, keeping roles an administrator already set.
func (e *Engine) linkOwnContact(ctx context.Context, s store.Store, tenantID string, u avisera.User) error {
	roles := []string{avisera.RoleMainContact, avisera.RoleNotificationRecipient}
	links, err := s.ContactLinks(ctx, tenantID, avisera.ObjectUser, u.ID)
	if err != nil {
		return err
	}
	for _, l := range links {
		if l.ContactID == u.ContactID {
			roles = unite(l.Roles, roles)
		}
	}
	return s.PutContactLink(ctx, tenantID, avisera.ContactLink{ObjectType: avisera.ObjectUser,
		ObjectID: u.ID, ContactID: u.ContactID, Roles: roles, CreatedAt: e.Now()})
}

// GetUser returns a user with their own addresses and device login.
func (e *Engine) GetUser(ctx context.Context, tenantID, id string) (avisera.User, error) {
	u, err := e.store.GetUser(ctx, tenantID, id)
	return u, notFound(err, "user", id)
}

// LoginDevice records that the user is logged in on the phone number raw
// (seed rule 8: their SMS go there while the login lasts).
func (e *Engine) LoginDevice(ctx context.Context, tenantID, userID, raw string) (avisera.Device, error) {
	if strings.TrimSpace(raw) == "" {
		return avisera.Device{}, avisera.Invalid("phone", "is required: the mobile number the user is logged in on")
	}
	region, err := e.region(ctx, tenantID)
	if err != nil {
		return avisera.Device{}, err
	}
	n, err := phone.Parse(raw, region)
	if err != nil {
		return avisera.Device{}, avisera.Invalid("phone", "%q is not a valid phone number", raw)
	}
	if !n.Mobile {
		return avisera.Device{}, avisera.Invalid("phone", "%q is not a mobile number (a landline or a service number): a device must be able to receive SMS", raw)
	}
	d := avisera.Device{UserID: userID, Phone: n.E164, LoggedInAt: e.Now()}
	return d, e.store.Tx(ctx, func(s store.Store) error {
		if _, err := s.GetUser(ctx, tenantID, userID); err != nil {
			return notFound(err, "user", userID)
		}
		return s.LoginDevice(ctx, tenantID, d)
	})
}

// LogoutDevice ends the user's device login.
func (e *Engine) LogoutDevice(ctx context.Context, tenantID, userID string) error {
	return e.store.Tx(ctx, func(s store.Store) error {
		if _, err := s.GetUser(ctx, tenantID, userID); err != nil {
			return notFound(err, "user", userID)
		}
		return notFound(s.LogoutDevice(ctx, tenantID, userID, e.Now()), "device login of user", userID)
	})
}
