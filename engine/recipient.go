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
		return c.link.MessageID + "|" + c.channel + "|-|" + c.via + "|" + c.suppressed + "|" + c.address
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
// link (seed rule 4). While the user is logged in on a device, their SMS
// go to it (seed rule 8), as a performer's do: one person, one SMS.
func (e *Engine) staticRecipient(ctx context.Context, sc *scene, l avisera.Link, r avisera.StaticRecipient) ([]candidate, error) {
	base := candidate{name: r.UserID, via: "static user " + r.UserID}
	u, err := sc.st.GetUser(ctx, sc.tenant.ID, r.UserID)
	if err != nil {
		if absent(err) != nil {
			return nil, err
		}
		return suppressChosen(l, base, r.Addresses, "user no longer exists"), nil
	}
	base.name, base.language, base.via = u.Name, u.Language, fmt.Sprintf("static user %s (%s)", u.Name, u.ID)
	if !u.NotificationRecipient {
		return suppressChosen(l, base, r.Addresses, "the user is no longer a notification recipient"), nil
	}
	if reason := sc.userInvalid(u); reason != "" {
		return suppressChosen(l, base, r.Addresses, reason), nil
	}
	own, err := e.userOwnContact(ctx, sc, u)
	if err != nil {
		return nil, err
	}
	if own.ID != "" && !own.Active {
		return suppressChosen(l, base, r.Addresses, "the user's own contact is deactivated"), nil
	}
	var emails []string
	var phones []avisera.Phone
	for _, a := range r.Addresses {
		if slices.Contains(own.Emails, a) {
			emails = append(emails, a)
		}
		if i := slices.IndexFunc(own.Phones, func(p avisera.Phone) bool { return p.Number == a }); i >= 0 {
			phones = append(phones, own.Phones[i])
		}
	}
	cs := perChannel(l, base, emails, phones)
	if len(phones) > 0 { // SMS were chosen for this user: they follow a device login
		cs = toDevice(cs, u)
	}
	return dedupeSameLink(cs), nil
}

// userInvalid says why a user receives nothing of the scene's event, or
// "": their validity must cover the event, and must not have ended since
// (seed: users whose validity has ended receive nothing, however late the
// host reports an event of their time).
func (sc *scene) userInvalid(u avisera.User) string {
	switch t := sc.ev.OccurredAt; {
	case u.ValidFrom != nil && t.Before(*u.ValidFrom):
		return "the user's validity period has not begun"
	case !u.ValidAt(t), u.ValidTo != nil && !sc.now.Before(*u.ValidTo):
		return "the user's validity period has ended"
	}
	return ""
}

// suppressChosen is suppressAll for a static recipient: one skipped
// delivery per address the link chose for each channel, so that the
// follow-up report shows which address was skipped (one without an
// address for a channel none was chosen for).
func suppressChosen(l avisera.Link, base candidate, chosen []string, reason string) []candidate {
	var out []candidate
	for _, c := range suppressAll(l, base, reason) {
		var n int
		for _, a := range chosen {
			if isEmail(a) == (c.channel == avisera.ChannelEmail) {
				c.address, n = a, n+1
				out = append(out, c)
			}
		}
		if n == 0 {
			out = append(out, c)
		}
	}
	return out
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

// userOwnContact returns the user's own contact, or a zero contact when the
// user has none.
func (e *Engine) userOwnContact(ctx context.Context, sc *scene, u avisera.User) (avisera.Contact, error) {
	if u.ContactID == "" {
		return avisera.Contact{}, nil
	}
	c, err := sc.st.GetContact(ctx, sc.tenant.ID, u.ContactID)
	if err != nil {
		return avisera.Contact{}, absent(err)
	}
	return c, nil
}

// toDevice sends the SMS among cs to the phone the user is logged in on,
// while they are (seed rule 8).
func toDevice(cs []candidate, u avisera.User) []candidate {
	for i, c := range cs {
		switch {
		case c.channel != avisera.ChannelSMS:
		case u.Device.Active():
			cs[i].address, cs[i].suppressed = u.Device.Phone, ""
			cs[i].via += ", logged-in phone"
		case c.suppressed == "":
			cs[i].via += ", contact mobile (no device login)"
		}
	}
	return cs
}

// performers resolves the event's users (seed rules 7 and 8): the contacts
// linked to each user with the role notification_recipient — their own
// contact, whose SMS go to the phone they are logged in on, else to its
// mobile numbers, and any other contact linked to them. A user without a
// contact of their own is reached on the phone they are logged in on.
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
		if reason := sc.userInvalid(u); reason != "" {
			out = append(out, suppressAll(l, base, reason)...)
			continue
		}
		cs, err := e.performerContacts(ctx, sc, l, u, base)
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	return dedupeSameLink(out), nil
}

// performerContacts resolves one performer's recipient contacts. A user
// without a contact of their own is reached on the phone they are logged
// in on, besides the other contacts linked to them.
func (e *Engine) performerContacts(ctx context.Context, sc *scene, l avisera.Link, u avisera.User, base candidate) ([]candidate, error) {
	ids, err := recipientContacts(ctx, sc, avisera.ObjectUser, u.ID)
	if err != nil {
		return nil, err
	}
	switch {
	case len(ids) == 0 && u.ContactID == "": // the device, or why nothing reaches them
		return toDevice(perChannel(l, base, nil, nil), u), nil
	case len(ids) == 0:
		return suppressAll(l, base, fmt.Sprintf("user %s has no contact with the role notification_recipient", u.ID)), nil
	}
	var out []candidate
	if u.ContactID == "" && u.Device.Active() && slices.Contains(l.Channels, avisera.ChannelSMS) {
		out = toDevice([]candidate{{link: l, channel: avisera.ChannelSMS, name: base.name, language: base.language,
			via: base.via}}, u)
	}
	contacts, err := sc.st.GetContacts(ctx, sc.tenant.ID, ids)
	if err != nil {
		return nil, err
	}
	for _, c := range contacts {
		b := base
		if c.ID != u.ContactID {
			b.name, b.language = c.Name, c.Language
			b.via = fmt.Sprintf("contact %s of performer %s (%s)", c.Name, u.Name, u.ID)
		}
		switch {
		case !c.Active:
			out = append(out, suppressAll(l, b, "contact "+c.Name+" is deactivated")...)
		case c.ID == u.ContactID:
			out = append(out, toDevice(perChannel(l, b, c.Emails, c.Phones), u)...)
		default:
			cs, err := e.followDevice(ctx, sc, c, perChannel(l, b, c.Emails, c.Phones))
			if err != nil {
				return nil, err
			}
			out = append(out, cs...)
		}
	}
	return out, nil
}

// followDevice sends the SMS among cs, the candidates of contact c, to the
// phone a user is logged in on when c is that user's own contact and the
// user is valid at the event: their SMS follow their device login
// whichever way they are reached.
func (e *Engine) followDevice(ctx context.Context, sc *scene, c avisera.Contact, cs []candidate) ([]candidate, error) {
	if !slices.ContainsFunc(cs, func(c candidate) bool { return c.channel == avisera.ChannelSMS }) {
		return cs, nil
	}
	u, ok, err := ownerOf(ctx, sc.st, sc.tenant.ID, c.ID)
	if err != nil || !ok || sc.userInvalid(u) != "" {
		return cs, err
	}
	return dedupeSameLink(toDevice(cs, u)), nil
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
	ids, err := recipientContacts(ctx, sc, objType, id)
	if err != nil {
		return nil, err
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
		cs, err := e.followDevice(ctx, sc, c, perChannel(l, b, c.Emails, c.Phones))
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	return out, nil
}

// recipientContacts returns the ids of the contacts linked to an object
// with the role notification_recipient.
func recipientContacts(ctx context.Context, sc *scene, objType, id string) ([]string, error) {
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
	return ids, nil
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
