package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/avisera/avisera/store"
)

const adminColumns = `id, tenant_id, email, name, role, password_hash, language, created_at, last_login_at`

func scanAdmin(sc interface{ Scan(...any) error }) (store.Admin, error) {
	var a store.Admin
	var last sql.NullTime
	err := sc.Scan(&a.ID, &a.TenantID, &a.Email, &a.Name, &a.Role, &a.PasswordHash, &a.Language, &a.CreatedAt, &last)
	a.CreatedAt = a.CreatedAt.UTC()
	a.LastLoginAt = timePtr(last)
	return a, err
}

// CreateAdmin implements store.AdminStore.
func (s *Store) CreateAdmin(ctx context.Context, a store.Admin) error {
	_, err := s.exec(ctx, `INSERT INTO admins (`+adminColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.TenantID, a.Email, a.Name, a.Role, a.PasswordHash, a.Language, a.CreatedAt.UTC(), nullTime(a.LastLoginAt))
	return err
}

// UpdateAdmin implements store.AdminStore.
func (s *Store) UpdateAdmin(ctx context.Context, a store.Admin) error {
	res, err := s.exec(ctx, `UPDATE admins SET name = ?, role = ?, password_hash = ?, language = ?, last_login_at = ?
		WHERE tenant_id = ? AND id = ?`, a.Name, a.Role, a.PasswordHash, a.Language, nullTime(a.LastLoginAt),
		a.TenantID, a.ID)
	return s.mustAffect(res, err)
}

// GetAdmin implements store.AdminStore.
func (s *Store) GetAdmin(ctx context.Context, tenantID, id string) (store.Admin, error) {
	a, err := scanAdmin(s.queryRow(ctx, `SELECT `+adminColumns+` FROM admins WHERE tenant_id = ? AND id = ?`,
		tenantID, id))
	return a, s.wrap(err)
}

// AdminByEmail implements store.AdminStore.
func (s *Store) AdminByEmail(ctx context.Context, email string) (store.Admin, error) {
	a, err := scanAdmin(s.queryRow(ctx, `SELECT `+adminColumns+` FROM admins WHERE email = ?`, email))
	return a, s.wrap(err)
}

// ListAdmins implements store.AdminStore.
func (s *Store) ListAdmins(ctx context.Context, tenantID string) ([]store.Admin, error) {
	rows, err := s.query(ctx, `SELECT `+adminColumns+` FROM admins WHERE tenant_id = ? ORDER BY email`, tenantID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanAdmin)
}

// CountAdmins implements store.AdminStore.
func (s *Store) CountAdmins(ctx context.Context) (int, error) {
	var n int
	err := s.scanRow(ctx, []any{&n}, `SELECT COUNT(*) FROM admins`)
	return n, err
}

// DeleteAdmin implements store.AdminStore. The login's sessions go with
// it (ON DELETE CASCADE).
func (s *Store) DeleteAdmin(ctx context.Context, tenantID, id string) error {
	res, err := s.exec(ctx, `DELETE FROM admins WHERE tenant_id = ? AND id = ?`, tenantID, id)
	return s.mustAffect(res, err)
}

const sessionColumns = `id, tenant_id, admin_id, csrf_token, created_at, expires_at`

// CreateAdminSession implements store.AdminStore.
func (s *Store) CreateAdminSession(ctx context.Context, a store.AdminSession) error {
	_, err := s.exec(ctx, `INSERT INTO admin_sessions (`+sessionColumns+`) VALUES (?, ?, ?, ?, ?, ?)`,
		a.ID, a.TenantID, a.AdminID, a.CSRFToken, a.CreatedAt.UTC(), a.ExpiresAt.UTC())
	return err
}

// GetAdminSession implements store.AdminStore.
func (s *Store) GetAdminSession(ctx context.Context, id string) (store.AdminSession, error) {
	var a store.AdminSession
	err := s.scanRow(ctx, []any{&a.ID, &a.TenantID, &a.AdminID, &a.CSRFToken, &a.CreatedAt, &a.ExpiresAt},
		`SELECT `+sessionColumns+` FROM admin_sessions WHERE id = ?`, id)
	a.CreatedAt, a.ExpiresAt = a.CreatedAt.UTC(), a.ExpiresAt.UTC()
	return a, err
}

// DeleteAdminSession implements store.AdminStore.
func (s *Store) DeleteAdminSession(ctx context.Context, id string) error {
	_, err := s.exec(ctx, `DELETE FROM admin_sessions WHERE id = ?`, id)
	return err
}

// DeleteAdminSessions implements store.AdminStore.
func (s *Store) DeleteAdminSessions(ctx context.Context, tenantID, adminID string) error {
	_, err := s.exec(ctx, `DELETE FROM admin_sessions WHERE tenant_id = ? AND admin_id = ?`, tenantID, adminID)
	return err
}

// DeleteExpiredAdminSessions implements store.AdminStore.
func (s *Store) DeleteExpiredAdminSessions(ctx context.Context, t time.Time) error {
	_, err := s.exec(ctx, `DELETE FROM admin_sessions WHERE expires_at < ?`, t.UTC())
	return err
}

// AddLoginFailure implements store.AdminStore.
func (s *Store) AddLoginFailure(ctx context.Context, key string, at time.Time) error {
	_, err := s.exec(ctx, `INSERT INTO admin_login_failures (login_key, at) VALUES (?, ?)`, key, at.UTC())
	return err
}

// CountLoginFailures implements store.AdminStore.
func (s *Store) CountLoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	err := s.scanRow(ctx, []any{&n}, `SELECT COUNT(*) FROM admin_login_failures WHERE login_key = ? AND at >= ?`,
		key, since.UTC())
	return n, err
}

// ClearLoginFailures implements store.AdminStore.
func (s *Store) ClearLoginFailures(ctx context.Context, key string, before time.Time) error {
	_, err := s.exec(ctx, `DELETE FROM admin_login_failures WHERE login_key = ? OR at < ?`, key, before.UTC())
	return err
}
