package engine

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/fold"
	"github.com/avisera/avisera/phone"
	"github.com/avisera/avisera/store"
)

// ContactInput is what a client sends to create or replace a contact.
// Phones may be written in any format; they are normalised to E.164.
type ContactInput struct {
	Name     string
	Emails   []string
	Phones   []string
	Language string
	Active   *bool
}

// region returns the tenant's default phone region.
func (e *Engine) region(ctx context.Context, tenantID string) (string, error) {
	t, err := e.store.GetTenant(ctx, tenantID)
	if err != nil {
		return "", err
	}
	return t.Region, nil
}

// normalizeEmails validates and lower-cases addresses, dropping duplicates.
func normalizeEmails(field string, in []string) ([]string, error) {
	out := []string{}
	for i, raw := range in {
		e := strings.ToLower(strings.TrimSpace(raw))
		a, err := mail.ParseAddress(e)
		if err != nil || a.Address != e || !strings.Contains(e[strings.LastIndex(e, "@"):], ".") {
			return nil, avisera.Invalid(fmt.Sprintf("%s[%d]", field, i), "%q is not a valid email address", raw)
		}
		if !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out, nil
}

// normalizePhones parses numbers into E.164, dropping duplicates.
func normalizePhones(field string, in []string, region string) ([]avisera.Phone, error) {
	out := []avisera.Phone{}
	for i, raw := range in {
		n, err := phone.Parse(raw, region)
		if err != nil {
			return nil, avisera.Invalid(fmt.Sprintf("%s[%d]", field, i), "%q is not a valid phone number", raw)
		}
		if !slices.ContainsFunc(out, func(p avisera.Phone) bool { return p.Number == n.E164 }) {
			out = append(out, avisera.Phone{Number: n.E164, Mobile: n.Mobile})
		}
	}
	return out, nil
}

// buildContact validates input into a contact (without id and times).
func (e *Engine) buildContact(ctx context.Context, tenantID string, in ContactInput) (avisera.Contact, error) {
	c := avisera.Contact{Name: strings.TrimSpace(in.Name), Language: in.Language, Active: true}
	if in.Active != nil {
		c.Active = *in.Active
	}
	if err := first(required("name", c.Name, 200), checkLanguage("language", c.Language)); err != nil {
		return c, err
	}
	region, err := e.region(ctx, tenantID)
	if err != nil {
		return c, err
	}
	if c.Emails, err = normalizeEmails("emails", in.Emails); err != nil {
		return c, err
	}
	c.Phones, err = normalizePhones("phones", in.Phones, region)
	return c, err
}

// searchTerms are the keys a contact is found by: the words of its name
// and addresses, and its numbers as digits (international and national).
func searchTerms(c avisera.Contact) []string {
	terms := fold.Words(c.Name)
	for _, e := range c.Emails {
		terms = append(terms, e)
		terms = append(terms, fold.Words(e)...)
	}
	for _, p := range c.Phones {
		terms = append(terms, strings.TrimPrefix(p.Number, "+"))
	}
	slices.Sort(terms)
	return slices.Compact(terms)
}

// checkAddresses refuses addresses owned by another contact, naming it.
func checkAddresses(ctx context.Context, s store.Store, tenantID string, c avisera.Contact) error {
	for _, a := range addresses(c) {
		owner, err := s.ContactIDByAddress(ctx, tenantID, a)
		if errors.Is(err, store.ErrNotFound) || owner == c.ID {
			continue
		}
		if err != nil {
			return err
		}
		return &avisera.Error{Code: avisera.ECONFLICT, Field: addressField(c, a), ConflictID: owner,
			Message: fmt.Sprintf("%s already belongs to contact %s", a, owner)}
	}
	return nil
}

// addresses lists a contact's email addresses and phone numbers.
func addresses(c avisera.Contact) []string {
	addrs := slices.Clone(c.Emails)
	for _, p := range c.Phones {
		addrs = append(addrs, p.Number)
	}
	return addrs
}

func addressField(c avisera.Contact, a string) string {
	if i := slices.Index(c.Emails, a); i >= 0 {
		return fmt.Sprintf("emails[%d]", i)
	}
	i := slices.IndexFunc(c.Phones, func(p avisera.Phone) bool { return p.Number == a })
	return fmt.Sprintf("phones[%d]", i)
}

// saveContact checks address ownership and writes the contact.
func saveContact(ctx context.Context, s store.Store, tenantID string, c avisera.Contact) error {
	if err := checkAddresses(ctx, s, tenantID, c); err != nil {
		return err
	}
	return s.PutContact(ctx, tenantID, c, searchTerms(c))
}

// CreateContact adds a contact to the contact book.
func (e *Engine) CreateContact(ctx context.Context, tenantID string, in ContactInput) (avisera.Contact, error) {
	c, err := e.buildContact(ctx, tenantID, in)
	if err != nil {
		return c, err
	}
	c.ID, c.CreatedAt, c.UpdatedAt = newID(), e.Now(), e.Now()
	return c, e.store.Tx(ctx, func(s store.Store) error { return saveContact(ctx, s, tenantID, c) })
}

// UpdateContact replaces a contact's name, addresses, language and state.
func (e *Engine) UpdateContact(ctx context.Context, tenantID, id string, in ContactInput) (avisera.Contact, error) {
	c, err := e.buildContact(ctx, tenantID, in)
	if err != nil {
		return c, err
	}
	err = e.store.Tx(ctx, func(s store.Store) error {
		old, err := s.GetContact(ctx, tenantID, id)
		if err != nil {
			return notFound(err, "contact", id)
		}
		c.ID, c.CreatedAt, c.UpdatedAt = id, old.CreatedAt, e.Now()
		if in.Active == nil {
			c.Active = old.Active
		}
		return saveContact(ctx, s, tenantID, c)
	})
	return c, err
}

// SetContactActive deactivates or reactivates a contact. An inactive
// contact stays in the book and its links, but receives nothing.
func (e *Engine) SetContactActive(ctx context.Context, tenantID, id string, active bool) (avisera.Contact, error) {
	var c avisera.Contact
	err := e.store.Tx(ctx, func(s store.Store) error {
		var err error
		if c, err = s.GetContact(ctx, tenantID, id); err != nil {
			return notFound(err, "contact", id)
		}
		c.Active, c.UpdatedAt = active, e.Now()
		return s.PutContact(ctx, tenantID, c, searchTerms(c))
	})
	return c, err
}

// GetContact returns a contact with its links.
func (e *Engine) GetContact(ctx context.Context, tenantID, id string) (avisera.Contact, []avisera.ContactLink, error) {
	c, err := e.store.GetContact(ctx, tenantID, id)
	if err != nil {
		return c, nil, notFound(err, "contact", id)
	}
	links, err := e.store.LinksOfContact(ctx, tenantID, id)
	return c, links, err
}

// SearchContacts finds contacts by name (case and accents ignored), email
// fragment or phone number in any format. Every word must match the start
// of a word of the name or an address.
func (e *Engine) SearchContacts(ctx context.Context, tenantID string, p avisera.Page) (List[avisera.Contact], error) {
	p = p.Normalize()
	terms, err := e.searchTerms(ctx, tenantID, p.Q)
	if err != nil {
		return List[avisera.Contact]{}, err
	}
	if p.After != "" {
		raw, err := base64.RawURLEncoding.DecodeString(p.After)
		if err != nil || !strings.Contains(string(raw), "\x00") { // see contactCursor
			return List[avisera.Contact]{}, avisera.Invalid("cursor", "is not a cursor this API returned")
		}
		p.After = string(raw)
	}
	items, err := e.store.SearchContacts(ctx, tenantID, terms, ahead(p))
	if err == nil && len(items) == 0 && p.After == "" {
		if again := e.otherTerms(ctx, tenantID, p.Q); again != nil {
			items, err = e.store.SearchContacts(ctx, tenantID, again, ahead(p))
		}
	}
	return page(items, p, contactCursor), err
}

// otherTerms is the second reading of a query that found nothing: the
// words of text with @ that is not the start of an address, a number
// without prefix as a national one without its 0 (70 123 45 67); nil when
// there is none.
func (e *Engine) otherTerms(ctx context.Context, tenantID, q string) []string {
	switch {
	case strings.Contains(q, "@"):
		return shortWordsDropped(fold.Words(q))
	case phone.LooksLike(q):
		region, err := e.region(ctx, tenantID)
		if key := phone.NationalSearchKey(q, region); err == nil && key != "" {
			return []string{key}
		}
	}
	return nil
}

// searchTerms turns a query into prefix terms: a phone number in any
// format becomes its international digits; an email address (with @) is
// one term, matching the start of a stored address; other text its words.
func (e *Engine) searchTerms(ctx context.Context, tenantID, q string) ([]string, error) {
	switch {
	case phone.LooksLike(q):
		region, err := e.region(ctx, tenantID)
		if err != nil {
			return nil, err
		}
		return []string{phone.SearchKey(q, region)}, nil
	case strings.Contains(q, "@"):
		return []string{strings.ToLower(strings.TrimSpace(q))}, nil
	}
	return shortWordsDropped(fold.Words(q)), nil
}

// shortWordsDropped leaves out words of one or two letters when a longer
// one is there: as prefixes they match most of the book ("se" in
// "firma.se") and would only slow the search down, not narrow it.
func shortWordsDropped(words []string) []string {
	var long []string
	for _, w := range words {
		if len([]rune(w)) >= 3 {
			long = append(long, w)
		}
	}
	if len(long) == 0 {
		return words
	}
	return long
}

// contactCursor is the URL-safe keyset cursor after a contact.
func contactCursor(c avisera.Contact) string {
	return base64.RawURLEncoding.EncodeToString([]byte(fold.String(c.Name) + "\x00" + c.ID))
}
