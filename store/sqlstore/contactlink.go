package sqlstore

import (
	"context"

	"github.com/avisera/avisera"
)

// PutContactLink implements store.ContactStore.
func (s *Store) PutContactLink(ctx context.Context, tenantID string, l avisera.ContactLink) error {
	_, err := s.exec(ctx, `INSERT INTO contact_links (tenant_id, object_type, object_id, contact_id, roles, created_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id, object_type, object_id, contact_id) DO UPDATE SET roles = excluded.roles`,
		tenantID, l.ObjectType, l.ObjectID, l.ContactID, joinList(l.Roles), l.CreatedAt.UTC())
	return err
}

// DeleteContactLink implements store.ContactStore.
func (s *Store) DeleteContactLink(ctx context.Context, tenantID, objectType, objectID, contactID string) error {
	res, err := s.exec(ctx, `DELETE FROM contact_links WHERE tenant_id = ? AND object_type = ?
		AND object_id = ? AND contact_id = ?`, tenantID, objectType, objectID, contactID)
	return s.mustAffect(res, err)
}

func scanContactLink(sc interface{ Scan(...any) error }) (avisera.ContactLink, error) {
	var l avisera.ContactLink
	var roles string
	err := sc.Scan(&l.ObjectType, &l.ObjectID, &l.ContactID, &roles, &l.CreatedAt)
	l.Roles = splitList(roles)
	return l, err
}

const linkColumns = `object_type, object_id, contact_id, roles, created_at`

// ContactLinks implements store.ContactStore.
func (s *Store) ContactLinks(ctx context.Context, tenantID, objectType, objectID string) ([]avisera.ContactLink, error) {
	rows, err := s.query(ctx, `SELECT `+linkColumns+` FROM contact_links WHERE tenant_id = ?
		AND object_type = ? AND object_id = ? ORDER BY created_at, contact_id`, tenantID, objectType, objectID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanContactLink)
}

// LinksOfContact implements store.ContactStore.
func (s *Store) LinksOfContact(ctx context.Context, tenantID, contactID string) ([]avisera.ContactLink, error) {
	rows, err := s.query(ctx, `SELECT `+linkColumns+` FROM contact_links WHERE tenant_id = ?
		AND contact_id = ? ORDER BY created_at, object_type, object_id`, tenantID, contactID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanContactLink)
}

// MainContacts implements store.ContactStore.
func (s *Store) MainContacts(ctx context.Context, tenantID, objectType string, objectIDs []string) (map[string][]avisera.Contact, error) {
	out := map[string][]avisera.Contact{}
	if len(objectIDs) == 0 {
		return out, nil
	}
	in, inArgs := s.in("object_id", objectIDs)
	args := append([]any{tenantID, objectType, "%" + avisera.RoleMainContact + "%"}, inArgs...)
	rows, err := s.query(ctx, `SELECT object_id, contact_id FROM contact_links WHERE tenant_id = ?
		AND object_type = ? AND roles LIKE ? AND `+in+`
		ORDER BY created_at`, args...)
	if err != nil {
		return nil, err
	}
	type pair struct{ obj, contact string }
	pairs, err := collect(rows, func(sc interface{ Scan(...any) error }) (pair, error) {
		var p pair
		return p, sc.Scan(&p.obj, &p.contact)
	})
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(pairs))
	for _, p := range pairs {
		ids = append(ids, p.contact)
	}
	cs, err := s.GetContacts(ctx, tenantID, ids)
	if err != nil {
		return nil, err
	}
	byID := map[string]avisera.Contact{}
	for _, c := range cs {
		byID[c.ID] = c
	}
	for _, p := range pairs {
		out[p.obj] = append(out[p.obj], byID[p.contact])
	}
	return out, nil
}
