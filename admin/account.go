package admin

import (
	"context"
	"errors"
	"net/mail"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

// FirstAdminEmail is the login of the administrator a fresh installation
// creates.
const FirstAdminEmail = "admin@localhost"

// NewAdmin is an administrator login to create. An empty Password gets a
// generated one; an empty Role means admin and an empty Language Swedish.
type NewAdmin struct {
	TenantID string
	Email    string
	Name     string
	Role     string
	Password string
	Language string
}

// CreateAdmin validates and stores a login and returns it with its
// password (the one given or the generated one), which is not stored and
// cannot be shown again. Errors are *avisera.Error naming the field.
func CreateAdmin(ctx context.Context, st store.Store, in NewAdmin, now time.Time) (store.Admin, string, error) {
	a, pw, err := buildAdmin(in, now)
	if err != nil {
		return a, "", err
	}
	if _, err := st.GetTenant(ctx, a.TenantID); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return a, "", avisera.Invalid("tenant", "tenant %q does not exist", a.TenantID)
		}
		return a, "", err
	}
	err = st.CreateAdmin(ctx, a)
	if errors.Is(err, store.ErrConflict) {
		return a, "", &avisera.Error{Code: avisera.ECONFLICT, Field: "email",
			Message: a.Email + " already has a login"}
	}
	return a, pw, err
}

// buildAdmin validates input into a login with a hashed password.
func buildAdmin(in NewAdmin, now time.Time) (store.Admin, string, error) {
	a := store.Admin{ID: uuid.Must(uuid.NewV7()).String(), TenantID: in.TenantID,
		Email: strings.ToLower(strings.TrimSpace(in.Email)), Name: strings.TrimSpace(in.Name),
		Role: in.Role, Language: language(in.Language), CreatedAt: now.UTC()}
	if a.Role == "" {
		a.Role = store.AdminRoleAdmin
	}
	if err := checkAdmin(a); err != nil {
		return a, "", err
	}
	pw := in.Password
	if pw == "" {
		pw = newPassword()
	}
	if err := checkPasswordRules(pw); err != nil {
		return a, "", err
	}
	a.PasswordHash = hashPassword(pw)
	return a, pw, nil
}

// checkAdmin validates the email, name and role of a login.
func checkAdmin(a store.Admin) error {
	if addr, err := mail.ParseAddress(a.Email); err != nil || addr.Address != a.Email {
		return avisera.Invalid("email", "%q is not a valid email address", a.Email)
	}
	switch {
	case a.Name == "":
		return avisera.Invalid("name", "is required")
	case len(a.Name) > 200:
		return avisera.Invalid("name", "is longer than 200 characters")
	case a.Role != store.AdminRoleAdmin && a.Role != store.AdminRoleReportReader:
		return avisera.Invalid("role", "must be admin or report_reader, not %q", a.Role)
	}
	return nil
}

// checkPasswordRules refuses passwords that are too short or too long.
func checkPasswordRules(pw string) error {
	switch {
	case len([]rune(pw)) < minPassword:
		return avisera.Invalid("password", "must be at least %d characters", minPassword)
	case len(pw) > 256:
		return avisera.Invalid("password", "is longer than 256 characters")
	}
	return nil
}

// SetPassword gives a login a new password (a generated one when pw is
// empty), ends its sessions and returns the password.
func SetPassword(ctx context.Context, st store.Store, email, pw string) (store.Admin, string, error) {
	a, err := st.AdminByEmail(ctx, strings.ToLower(strings.TrimSpace(email)))
	if errors.Is(err, store.ErrNotFound) {
		return a, "", avisera.Invalid("email", "no login has the email %q", email)
	}
	if err != nil {
		return a, "", err
	}
	if pw == "" {
		pw = newPassword()
	}
	if err := checkPasswordRules(pw); err != nil {
		return a, "", err
	}
	a.PasswordHash = hashPassword(pw)
	err = st.Tx(ctx, func(tx store.Store) error {
		if err := tx.UpdateAdmin(ctx, a); err != nil {
			return err
		}
		return tx.DeleteAdminSessions(ctx, a.TenantID, a.ID)
	})
	return a, pw, err
}

// EnsureFirstAdmin creates the login FirstAdminEmail in tenantID with a
// generated password when the installation has no login at all. The
// password is returned only when the login was created, to be shown once.
func EnsureFirstAdmin(ctx context.Context, st store.Store, tenantID string, now time.Time) (store.Admin, string, error) {
	n, err := st.CountAdmins(ctx)
	if err != nil || n > 0 {
		return store.Admin{}, "", err
	}
	return CreateAdmin(ctx, st, NewAdmin{TenantID: tenantID, Email: FirstAdminEmail, Name: "Administratör"}, now)
}
