package store

import (
	"context"
	"time"
)

// Roles of an administrator login.
const (
	// AdminRoleAdmin may use every screen of the admin UI.
	AdminRoleAdmin = "admin"
	// AdminRoleReportReader may only read the follow-up report.
	AdminRoleReportReader = "report_reader"
)

// Admin is a login to the admin web UI. It belongs to one tenant; its
// email address is unique across the installation because it is the login
// name. Only a password hash (argon2id, PHC string) is stored.
type Admin struct {
	ID           string
	TenantID     string
	Email        string // lower-cased
	Name         string
	Role         string // AdminRoleAdmin or AdminRoleReportReader
	PasswordHash string
	Language     string // the UI language, "sv" or "en"
	CreatedAt    time.Time
	LastLoginAt  *time.Time
}

// AdminSession is a logged-in browser. ID is the SHA-256 (hex) of the
// secret in the session cookie, so a copy of the table logs nobody in.
type AdminSession struct {
	ID        string
	TenantID  string
	AdminID   string
	CSRFToken string // the token every form of the session must carry
	CreatedAt time.Time
	ExpiresAt time.Time
}

// AdminStore keeps what the admin web UI needs of its own: administrators'
// logins, their sessions and failed login attempts (for throttling).
// Package admin owns the rules; these methods only store.
type AdminStore interface {
	// CreateAdmin adds a login; an email already taken fails with
	// ErrConflict.
	CreateAdmin(ctx context.Context, a Admin) error
	// UpdateAdmin stores a login's name, role, language, password hash and
	// last login time.
	UpdateAdmin(ctx context.Context, a Admin) error
	GetAdmin(ctx context.Context, tenantID, id string) (Admin, error)
	// AdminByEmail finds a login by its (lower-cased) email in any tenant.
	AdminByEmail(ctx context.Context, email string) (Admin, error)
	ListAdmins(ctx context.Context, tenantID string) ([]Admin, error)
	// CountAdmins counts the logins of every tenant (first-run check).
	CountAdmins(ctx context.Context) (int, error)
	// DeleteAdmin removes a login and its sessions.
	DeleteAdmin(ctx context.Context, tenantID, id string) error

	CreateAdminSession(ctx context.Context, s AdminSession) error
	GetAdminSession(ctx context.Context, id string) (AdminSession, error)
	DeleteAdminSession(ctx context.Context, id string) error
	// DeleteAdminSessions ends every session of one login (a new password).
	DeleteAdminSessions(ctx context.Context, tenantID, adminID string) error
	// DeleteExpiredAdminSessions removes sessions that expired before t.
	DeleteExpiredAdminSessions(ctx context.Context, t time.Time) error

	// AddLoginFailure records a failed login for a throttling key (such as
	// email and client address).
	AddLoginFailure(ctx context.Context, key string, at time.Time) error
	// CountLoginFailures counts a key's failures at or after since.
	CountLoginFailures(ctx context.Context, key string, since time.Time) (int, error)
	// ClearLoginFailures forgets a key's failures (a successful login) and
	// every key's failures before t.
	ClearLoginFailures(ctx context.Context, key string, before time.Time) error
}
