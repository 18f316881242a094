package sqlstore

import (
	"context"
	"strings"

	"github.com/avisera/avisera"
)

// PutContact implements store.ContactStore.
func (s *Store) PutContact(ctx context.Context, tenantID string, c avisera.Contact, terms []string) error {
	_, err := s.upsert(ctx, "contacts", tenantID, c.ID,
		[]string{"name", "name_key", "language", "active", "created_at", "updated_at"},
		c.Name, nameKey(c.Name), c.Language, c.Active, c.CreatedAt.UTC(), c.UpdatedAt.UTC())
	if err != nil {
		return err
	}
	for _, table := range []string{"contact_addresses", "contact_terms"} {
		if _, err := s.exec(ctx, `DELETE FROM `+table+` WHERE tenant_id = ? AND contact_id = ?`,
			tenantID, c.ID); err != nil {
			return err
		}
	}
	if err := s.insertAddresses(ctx, tenantID, c); err != nil {
		return err
	}
	rows := make([][]any, len(terms))
	for i, t := range terms {
		rows[i] = []any{tenantID, t, c.ID}
	}
	return s.insertRowsThen(ctx, "contact_terms", termColumns, rows, ` ON CONFLICT DO NOTHING`)
}

var termColumns = []column{{"tenant_id", "text"}, {"term", "text"}, {"contact_id", "text"}}

// nameKey is the sort key of a contact: its folded name.
func nameKey(name string) string { return searchKey(name) }

var addressColumns = []column{{"tenant_id", "text"}, {"address", "text"}, {"contact_id", "text"},
	{"kind", "text"}, {"mobile", "boolean"}, {"position", "integer"}}

func (s *Store) insertAddresses(ctx context.Context, tenantID string, c avisera.Contact) error {
	rows := make([][]any, 0, len(c.Emails)+len(c.Phones))
	for i, e := range c.Emails {
		rows = append(rows, []any{tenantID, e, c.ID, "email", false, i})
	}
	for i, p := range c.Phones {
		rows = append(rows, []any{tenantID, p.Number, c.ID, "phone", p.Mobile, i})
	}
	return s.insertRows(ctx, "contact_addresses", addressColumns, rows)
}

const contactColumns = `id, name, language, active, created_at, updated_at`

func scanContact(sc interface{ Scan(...any) error }) (avisera.Contact, error) {
	var c avisera.Contact
	err := sc.Scan(&c.ID, &c.Name, &c.Language, &c.Active, &c.CreatedAt, &c.UpdatedAt)
	c.Emails, c.Phones = []string{}, []avisera.Phone{}
	return c, err
}

// GetContact implements store.ContactStore.
func (s *Store) GetContact(ctx context.Context, tenantID, id string) (avisera.Contact, error) {
	c, err := scanContact(s.queryRow(ctx, `SELECT `+contactColumns+` FROM contacts
		WHERE tenant_id = ? AND id = ?`, tenantID, id))
	if err != nil {
		return c, s.wrap(err)
	}
	cs := []avisera.Contact{c}
	err = s.fillAddresses(ctx, tenantID, cs)
	return cs[0], err
}

// GetContacts implements store.ContactStore.
func (s *Store) GetContacts(ctx context.Context, tenantID string, ids []string) ([]avisera.Contact, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	in, args := s.in("id", ids)
	rows, err := s.query(ctx, `SELECT `+contactColumns+` FROM contacts WHERE tenant_id = ?
		AND `+in+` ORDER BY name_key, id`, append([]any{tenantID}, args...)...)
	if err != nil {
		return nil, err
	}
	cs, err := collect(rows, scanContact)
	if err != nil {
		return nil, err
	}
	return cs, s.fillAddresses(ctx, tenantID, cs)
}

// fillAddresses loads the addresses of contacts in one query.
func (s *Store) fillAddresses(ctx context.Context, tenantID string, cs []avisera.Contact) error {
	if len(cs) == 0 {
		return nil
	}
	byID := make(map[string]*avisera.Contact, len(cs))
	ids := make([]string, len(cs))
	for i := range cs {
		byID[cs[i].ID] = &cs[i]
		ids[i] = cs[i].ID
	}
	in, args := s.in("contact_id", ids)
	rows, err := s.query(ctx, `SELECT contact_id, address, kind, mobile FROM contact_addresses
		WHERE tenant_id = ? AND `+in+`
		ORDER BY contact_id, kind, position`, append([]any{tenantID}, args...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, addr, kind string
		var mobile bool
		if err := rows.Scan(&id, &addr, &kind, &mobile); err != nil {
			return s.wrap(err)
		}
		c := byID[id]
		if kind == "email" {
			c.Emails = append(c.Emails, addr)
		} else {
			c.Phones = append(c.Phones, avisera.Phone{Number: addr, Mobile: mobile})
		}
	}
	return s.wrap(rows.Err())
}

// DeleteContact implements store.ContactStore.
func (s *Store) DeleteContact(ctx context.Context, tenantID, id string) error {
	res, err := s.exec(ctx, `DELETE FROM contacts WHERE tenant_id = ? AND id = ?`, tenantID, id)
	return s.mustAffect(res, err)
}

// MoveUserContact implements store.ContactStore.
func (s *Store) MoveUserContact(ctx context.Context, tenantID, fromID, toID string) error {
	_, err := s.exec(ctx, `UPDATE users SET contact_id = ? WHERE tenant_id = ? AND contact_id = ?`,
		toID, tenantID, fromID)
	return err
}

// ContactIDByAddress implements store.ContactStore.
func (s *Store) ContactIDByAddress(ctx context.Context, tenantID, address string) (string, error) {
	var id string
	err := s.scanRow(ctx, []any{&id}, `SELECT contact_id FROM contact_addresses
		WHERE tenant_id = ? AND address = ?`, tenantID, address)
	return id, err
}

// SearchContacts implements store.ContactStore. Each term must be the
// prefix of one of the contact's search terms; the intersection runs on the
// (tenant_id, term) index, so it stays fast on large books.
func (s *Store) SearchContacts(ctx context.Context, tenantID string, terms []string, p avisera.Page) ([]avisera.Contact, error) {
	from, where, args := ` FROM contacts c`, ` WHERE c.tenant_id = ?`, []any{tenantID}
	if len(terms) > 0 {
		subs := make([]string, len(terms))
		var targs []any
		for i, t := range terms {
			subs[i] = `SELECT DISTINCT contact_id FROM contact_terms WHERE tenant_id = ? AND term >= ? AND term < ?`
			targs = append(targs, tenantID, t, t+"\uffff")
		}
		matches := strings.Join(subs, " INTERSECT ")
		// Make each planner compute the (small) set of matching ids first
		// and look contacts up by key, instead of walking the whole book in
		// name order: SQLite fixes the join order with CROSS JOIN,
		// PostgreSQL evaluates ARRAY(subquery) once.
		if s.db.dialect.Name == "postgres" {
			where += ` AND c.id = ANY(ARRAY(` + matches + `))`
			args = append(args, targs...)
		} else {
			from = ` FROM (` + matches + `) m CROSS JOIN contacts c`
			where += ` AND c.id = m.contact_id`
			args = append(targs, args...)
		}
	}
	if key, id, ok := strings.Cut(p.After, "\x00"); ok {
		where += ` AND (c.name_key > ? OR (c.name_key = ? AND c.id > ?))`
		args = append(args, key, key, id)
	}
	rows, err := s.query(ctx, `SELECT `+qualify("c.", contactColumns)+from+where+`
		ORDER BY c.name_key, c.id LIMIT ?`, append(args, p.Limit)...)
	if err != nil {
		return nil, err
	}
	cs, err := collect(rows, scanContact)
	if err != nil {
		return nil, err
	}
	return cs, s.fillAddresses(ctx, tenantID, cs)
}
