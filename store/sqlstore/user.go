package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/avisera/avisera"
)

// PutUser implements store.MasterStore.
func (s *Store) PutUser(ctx context.Context, tenantID string, u avisera.User) (bool, error) {
	created, err := s.upsert(ctx, "users", tenantID, u.ID,
		[]string{"name", "role", "notification_recipient", "valid_from", "valid_to", "language",
			"contact_id", "search", "updated_at"},
		u.Name, u.Role, u.NotificationRecipient, nullTime(u.ValidFrom), nullTime(u.ValidTo), u.Language,
		nullString(u.ContactID), searchKey(u.ID, u.Name, u.Role), u.UpdatedAt.UTC())
	if err != nil {
		return false, err
	}
	if _, err := s.exec(ctx, `DELETE FROM user_org_units WHERE tenant_id = ? AND user_id = ?`,
		tenantID, u.ID); err != nil {
		return false, err
	}
	rows := make([][]any, len(u.OrgUnitIDs))
	for i, ou := range u.OrgUnitIDs {
		rows[i] = []any{tenantID, u.ID, ou}
	}
	return created, s.insertRows(ctx, "user_org_units", userOrgUnitColumns, rows)
}

var userOrgUnitColumns = []column{{"tenant_id", "text"}, {"user_id", "text"}, {"org_unit_id", "text"}}

const userColumns = `id, name, role, notification_recipient, valid_from, valid_to, language,
	COALESCE(contact_id, ''), updated_at`

func scanUser(sc interface{ Scan(...any) error }) (avisera.User, error) {
	var u avisera.User
	var from, to sql.NullTime
	err := sc.Scan(&u.ID, &u.Name, &u.Role, &u.NotificationRecipient, &from, &to, &u.Language,
		&u.ContactID, &u.UpdatedAt)
	u.ValidFrom, u.ValidTo = timePtr(from), timePtr(to)
	return u, err
}

// GetUser implements store.MasterStore.
func (s *Store) GetUser(ctx context.Context, tenantID, id string) (avisera.User, error) {
	return s.oneUser(ctx, tenantID, `id = ?`, id)
}

// OwnerOfContact implements store.MasterStore.
func (s *Store) OwnerOfContact(ctx context.Context, tenantID, contactID string) (avisera.User, error) {
	return s.oneUser(ctx, tenantID, `contact_id = ? ORDER BY id LIMIT 1`, contactID)
}

// oneUser reads the tenant's first user matching where, with org units,
// addresses and device login.
func (s *Store) oneUser(ctx context.Context, tenantID, where string, arg any) (avisera.User, error) {
	u, err := scanUser(s.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE tenant_id = ? AND `+where, tenantID, arg))
	if err != nil {
		return u, s.wrap(err)
	}
	users := []avisera.User{u}
	if err := s.fillUsers(ctx, tenantID, users); err != nil {
		return u, err
	}
	return users[0], nil
}

// ListUsers implements store.MasterStore.
func (s *Store) ListUsers(ctx context.Context, tenantID string, p avisera.Page) ([]avisera.User, error) {
	where, args := listWhere(tenantID, p)
	rows, err := s.query(ctx, `SELECT `+userColumns+` FROM users`+where, args...)
	if err != nil {
		return nil, err
	}
	users, err := collect(rows, scanUser)
	if err != nil {
		return nil, err
	}
	return users, s.fillUsers(ctx, tenantID, users)
}

// fillUsers adds org units, own addresses and device logins to users, in
// a few queries for the whole page.
func (s *Store) fillUsers(ctx context.Context, tenantID string, users []avisera.User) error {
	if len(users) == 0 {
		return nil
	}
	ids := make([]string, len(users))
	var contactIDs []string
	for i, u := range users {
		ids[i] = u.ID
		if u.ContactID != "" {
			contactIDs = append(contactIDs, u.ContactID)
		}
	}
	ous, err := s.userOrgUnits(ctx, tenantID, ids)
	if err != nil {
		return err
	}
	contacts, err := s.GetContacts(ctx, tenantID, contactIDs)
	if err != nil {
		return err
	}
	devices, err := s.currentDevices(ctx, tenantID, ids)
	if err != nil {
		return err
	}
	byID := map[string]avisera.Contact{}
	for _, c := range contacts {
		byID[c.ID] = c
	}
	for i := range users {
		fillUser(&users[i], ous[users[i].ID], byID[users[i].ContactID], devices[users[i].ID])
	}
	return nil
}

func fillUser(u *avisera.User, ous []string, c avisera.Contact, d *avisera.Device) {
	u.OrgUnitIDs, u.Emails, u.Phones, u.Device = ous, []string{}, []string{}, d
	if u.OrgUnitIDs == nil {
		u.OrgUnitIDs = []string{}
	}
	if c.Emails != nil {
		u.Emails = c.Emails
	}
	for _, p := range c.Phones {
		u.Phones = append(u.Phones, p.Number)
	}
}

func (s *Store) userOrgUnits(ctx context.Context, tenantID string, userIDs []string) (map[string][]string, error) {
	in, args := s.in("user_id", userIDs)
	rows, err := s.query(ctx, `SELECT user_id, org_unit_id FROM user_org_units WHERE tenant_id = ?
		AND `+in+` ORDER BY user_id, org_unit_id`, append([]any{tenantID}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var u, ou string
		if err := rows.Scan(&u, &ou); err != nil {
			return nil, s.wrap(err)
		}
		out[u] = append(out[u], ou)
	}
	return out, s.wrap(rows.Err())
}

// currentDevices returns the users' active device logins.
func (s *Store) currentDevices(ctx context.Context, tenantID string, userIDs []string) (map[string]*avisera.Device, error) {
	in, args := s.in("user_id", userIDs)
	rows, err := s.query(ctx, `SELECT user_id, phone, logged_in_at FROM devices WHERE tenant_id = ?
		AND logged_out_at IS NULL AND `+in+` ORDER BY logged_in_at`, append([]any{tenantID}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]*avisera.Device{}
	for rows.Next() {
		d := &avisera.Device{}
		if err := rows.Scan(&d.UserID, &d.Phone, &d.LoggedInAt); err != nil {
			return nil, s.wrap(err)
		}
		out[d.UserID] = d // the latest login wins
	}
	return out, s.wrap(rows.Err())
}

// LoginDevice implements store.MasterStore.
func (s *Store) LoginDevice(ctx context.Context, tenantID string, d avisera.Device) error {
	if _, err := s.exec(ctx, `UPDATE devices SET logged_out_at = ? WHERE tenant_id = ? AND user_id = ?
		AND logged_out_at IS NULL`, d.LoggedInAt.UTC(), tenantID, d.UserID); err != nil {
		return err
	}
	_, err := s.exec(ctx, `INSERT INTO devices (tenant_id, user_id, phone, logged_in_at)
		VALUES (?, ?, ?, ?)`, tenantID, d.UserID, d.Phone, d.LoggedInAt.UTC())
	return err
}

// LogoutDevice implements store.MasterStore.
func (s *Store) LogoutDevice(ctx context.Context, tenantID, userID string, at time.Time) error {
	res, err := s.exec(ctx, `UPDATE devices SET logged_out_at = ? WHERE tenant_id = ? AND user_id = ?
		AND logged_out_at IS NULL`, at.UTC(), tenantID, userID)
	return s.mustAffect(res, err)
}
