package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/avisera/avisera"
)

// candidate is one recipient address of one link on one channel, or a
// recipient skipped with a reason.
type candidate struct {
	link       avisera.Link
	channel    string
	name       string
	address    string
	language   string
	via        string
	suppressed string
}

// key identifies a delivery: one per message, channel and address.
func (c candidate) key() string {
	if c.suppressed != "" {
		return c.link.MessageID + "|" + c.channel + "|-|" + c.via + "|" + c.suppressed
	}
	return c.link.MessageID + "|" + c.channel + "|" + c.address
}

// recipients resolves a link's static and dynamic recipients for an event.
func (e *Engine) recipients(ctx context.Context, sc *scene, l avisera.Link) ([]candidate, error) {
	var out []candidate
	for _, r := range l.Static {
		cs, err := e.staticRecipient(ctx, sc, l, r)
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	for _, tok := range l.Dynamic {
		var cs []candidate
		var err error
		if tok == avisera.TokenPerformer {
			cs, err = e.performers(ctx, sc, l)
		} else {
			cs, err = e.objectContacts(ctx, sc, l, tok)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	return out, nil
}

// perChannel makes one candidate per address of each of the link's
// channels, or a suppressed one naming what is missing.
func perChannel(l avisera.Link, base candidate, emails []string, phones []avisera.Phone) []candidate {
	var out []candidate
	for _, ch := range l.Channels {
		c := base
		c.link, c.channel = l, ch
		addrs := emails
		if ch == avisera.ChannelSMS {
			addrs = mobiles(phones)
		}
		if len(addrs) == 0 {
			c.suppressed = missing(ch, phones)
			out = append(out, c)
			continue
		}
		for _, a := range addrs {
			c.address = a
			out = append(out, c)
		}
	}
	return out
}

func mobiles(phones []avisera.Phone) []string {
	var out []string
	for _, p := range phones {
		if p.Mobile {
			out = append(out, p.Number)
		}
	}
	return out
}

func missing(channel string, phones []avisera.Phone) string {
	if channel == avisera.ChannelEmail {
		return "no email address"
	}
	if len(phones) > 0 {
		return "no mobile number (landlines get no SMS)"
	}
	return "no mobile number"
}

// staticRecipient resolves a named user with the addresses chosen on the
// link (seed rule 4).
func (e *Engine) staticRecipient(ctx context.Context, sc *scene, l avisera.Link, r avisera.StaticRecipient) ([]candidate, error) {
	base := candidate{name: r.UserID, via: "static user " + r.UserID}
	u, err := sc.st.GetUser(ctx, sc.tenant.ID, r.UserID)
	if err != nil {
		if absent(err) != nil {
			return nil, err
		}
		return suppressAll(l, base, "user no longer exists"), nil
	}
	base.name, base.language, base.via = u.Name, u.Language, fmt.Sprintf("static user %s (%s)", u.Name, u.ID)
	switch {
	case !u.NotificationRecipient:
		return suppressAll(l, base, "the user is no longer a notification recipient"), nil
	case !u.ValidAt(sc.ev.OccurredAt):
		return suppressAll(l, base, "the user's validity period has ended"), nil
	}
	own, err := e.ownPhones(ctx, sc, u)
	if err != nil {
		return nil, err
	}
	var emails []string
	var phones []avisera.Phone
	for _, a := range r.Addresses {
		if slices.Contains(u.Emails, a) {
			emails = append(emails, a)
		}
		if i := slices.IndexFunc(own, func(p avisera.Phone) bool { return p.Number == a }); i >= 0 {
			phones = append(phones, own[i])
		}
	}
	return perChannel(l, base, emails, phones), nil
}

func suppressAll(l avisera.Link, base candidate, reason string) []candidate {
	var out []candidate
	for _, ch := range l.Channels {
		c := base
		c.link, c.channel, c.suppressed = l, ch, reason
		out = append(out, c)
	}
	return out
}

// ownPhones returns the phones of the user's own contact with their
// mobile flags.
func (e *Engine) ownPhones(ctx context.Context, sc *scene, u avisera.User) ([]avisera.Phone, error) {
	if u.ContactID == "" {
		return nil, nil
	}
	c, err := sc.st.GetContact(ctx, sc.tenant.ID, u.ContactID)
	if err != nil {
		return nil, absent(err)
	}
	return c.Phones, nil
}

// performers resolves the event's users (seed rule 8): email from their own
// contact; SMS to the phone they are logged in on, else their contact's
// mobile numbers.
func (e *Engine) performers(ctx context.Context, sc *scene, l avisera.Link) ([]candidate, error) {
	if len(sc.ev.Refs.Users) == 0 {
		return suppressAll(l, candidate{via: "performer"}, "the event names no performer (refs.users)"), nil
	}
	var out []candidate
	for _, u := range sc.users {
		base := candidate{name: u.Name, language: u.Language, via: fmt.Sprintf("performer %s (%s)", u.Name, u.ID)}
		if sc.strangers[u.ID] {
			out = append(out, suppressAll(l, base, "user "+u.ID+" is unknown to Avisera")...)
			continue
		}
		phones, err := e.ownPhones(ctx, sc, u)
		if err != nil {
			return nil, err
		}
		for _, c := range perChannel(l, base, u.Emails, phones) {
			if c.channel == avisera.ChannelSMS && u.Device.Active() {
				c.address, c.suppressed = u.Device.Phone, ""
				c.via += ", logged-in phone"
			} else if c.channel == avisera.ChannelSMS && c.suppressed == "" {
				c.via += ", contact mobile (no device login)"
			}
			out = append(out, c)
		}
	}
	return dedupeSameLink(out), nil
}

// dedupeSameLink drops repeats a device login makes (one SMS per user).
func dedupeSameLink(cs []candidate) []candidate {
	seen := map[string]bool{}
	var out []candidate
	for _, c := range cs {
		k := c.key() + "|" + c.name
		if !seen[k] {
			seen[k] = true
			out = append(out, c)
		}
	}
	return out
}

// tokenObjects maps a contacts token to the object type it reads.
var tokenObjects = map[string]string{
	avisera.TokenCustomerContacts: avisera.ObjectCustomer,
	avisera.TokenContractContacts: avisera.ObjectContract,
	avisera.TokenOrgUnitContacts:  avisera.ObjectOrgUnit,
	avisera.TokenPlaceContacts:    avisera.ObjectPlace,
}

// objectContacts resolves a contacts token: the active contacts with the
// notification_recipient role on the event's customer, contract, org unit
// or place (seed rule 5).
func (e *Engine) objectContacts(ctx context.Context, sc *scene, l avisera.Link, tok string) ([]candidate, error) {
	objType := tokenObjects[tok]
	id, name := sc.object(objType)
	via := strings.ReplaceAll(objType, "_", " ") + " contacts"
	if name != "" {
		via += " of " + name
	}
	base := candidate{via: via}
	switch {
	case sc.unknown[objType] != "":
		return suppressAll(l, base, fmt.Sprintf("%s %s is unknown to Avisera", objType, sc.unknown[objType])), nil
	case id == "":
		return suppressAll(l, base, "the event names no "+objType), nil
	}
	links, err := sc.st.ContactLinks(ctx, sc.tenant.ID, objType, id)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, cl := range links {
		if cl.HasRole(avisera.RoleNotificationRecipient) {
			ids = append(ids, cl.ContactID)
		}
	}
	if len(ids) == 0 {
		return suppressAll(l, base, fmt.Sprintf("%s %s has no contact with the role notification_recipient", objType, id)), nil
	}
	contacts, err := sc.st.GetContacts(ctx, sc.tenant.ID, ids)
	if err != nil {
		return nil, err
	}
	var out []candidate
	for _, c := range contacts {
		b := base
		b.name, b.language = c.Name, c.Language
		if !c.Active {
			out = append(out, suppressAll(l, b, "contact "+c.Name+" is deactivated")...)
			continue
		}
		out = append(out, perChannel(l, b, c.Emails, c.Phones)...)
	}
	return out, nil
}

// object returns the id and name of the event's object of a type.
func (sc *scene) object(objType string) (string, string) {
	switch {
	case objType == avisera.ObjectCustomer && sc.customer != nil:
		return sc.customer.ID, sc.customer.Name
	case objType == avisera.ObjectContract && sc.contract != nil:
		return sc.contract.ID, sc.contract.Name
	case objType == avisera.ObjectOrgUnit && sc.orgUnit != nil:
		return sc.orgUnit.ID, sc.orgUnit.Name
	case objType == avisera.ObjectPlace && sc.place != nil:
		return sc.place.ID, sc.place.Name
	}
	return "", ""
}

// dedupe merges candidates with the same key: one delivery per message,
// channel and address, remembering every link and way it was reached.
func dedupe(cs []candidate) []merged {
	idx := map[string]int{}
	var out []merged
	for _, c := range cs {
		k := c.key()
		if i, ok := idx[k]; ok {
			out[i].add(c)
			continue
		}
		idx[k] = len(out)
		out = append(out, merged{candidate: c, linkIDs: []string{c.link.ID}, vias: []string{c.via}})
	}
	return out
}

// merged is a deduplicated candidate.
type merged struct {
	candidate
	linkIDs []string
	vias    []string
}

func (m *merged) add(c candidate) {
	if !slices.Contains(m.linkIDs, c.link.ID) {
		m.linkIDs = append(m.linkIDs, c.link.ID)
	}
	if !slices.Contains(m.vias, c.via) {
		m.vias = append(m.vias, c.via)
	}
}
