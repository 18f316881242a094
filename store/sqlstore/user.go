package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
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
	for _, ou := range u.OrgUnitIDs {
		if _, err := s.exec(ctx, `INSERT INTO user_org_units (tenant_id, user_id, org_unit_id)
			VALUES (?, ?, ?)`, tenantID, u.ID, ou); err != nil {
			return false, err
		}
	}
	return created, nil
}

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
	u, err := scanUser(s.queryRow(ctx, `SELECT `+userColumns+` FROM users
		WHERE tenant_id = ? AND id = ?`, tenantID, id))
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

// fillUsers adds org units, own addresses and device logins to users.
func (s *Store) fillUsers(ctx context.Context, tenantID string, users []avisera.User) error {
	for i := range users {
		u := &users[i]
		ous, err := s.userOrgUnits(ctx, tenantID, u.ID)
		if err != nil {
			return err
		}
		u.OrgUnitIDs, u.Emails, u.Phones = ous, []string{}, []string{}
		if u.ContactID != "" {
			c, err := s.GetContact(ctx, tenantID, u.ContactID)
			if err != nil {
				return err
			}
			u.Emails = c.Emails
			for _, p := range c.Phones {
				u.Phones = append(u.Phones, p.Number)
			}
		}
		if u.Device, err = s.currentDevice(ctx, tenantID, u.ID); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) userOrgUnits(ctx context.Context, tenantID, userID string) ([]string, error) {
	rows, err := s.query(ctx, `SELECT org_unit_id FROM user_org_units
		WHERE tenant_id = ? AND user_id = ? ORDER BY org_unit_id`, tenantID, userID)
	if err != nil {
		return nil, err
	}
	ids, err := collect(rows, scanString)
	if ids == nil {
		ids = []string{}
	}
	return ids, err
}

func scanString(sc interface{ Scan(...any) error }) (string, error) {
	var v string
	err := sc.Scan(&v)
	return v, err
}

// currentDevice returns the user's active device login, or nil.
func (s *Store) currentDevice(ctx context.Context, tenantID, userID string) (*avisera.Device, error) {
	d := avisera.Device{UserID: userID}
	err := s.scanRow(ctx, []any{&d.Phone, &d.LoggedInAt}, `SELECT phone, logged_in_at FROM devices
		WHERE tenant_id = ? AND user_id = ? AND logged_out_at IS NULL
		ORDER BY logged_in_at DESC LIMIT 1`, tenantID, userID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &d, nil
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
