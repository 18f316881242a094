package sqlstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
	"github.com/avisera/avisera/store/storetest"
)

// TestAdminStore checks the admin UI's storage on every configured database.
func TestAdminStore(t *testing.T) {
	t.Parallel()
	for name, open := range storetest.Databases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := open(t).Store()
			testAdmins(t, s)
			testAdminSessions(t, s)
			testLoginFailures(t, s)
		})
	}
}

var (
	ctx = context.Background()
	t0  = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
)

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func testAdmins(t *testing.T, s store.Store) {
	for _, id := range []string{"t1", "t2"} {
		must(t, s.CreateTenant(ctx, avisera.Tenant{ID: id, Name: id, Region: "SE", Language: "sv",
			TimeZone: "Europe/Stockholm", CreatedAt: t0}))
	}
	a := store.Admin{ID: "a1", TenantID: "t1", Email: "anna@example.se", Name: "Anna", Role: store.AdminRoleAdmin,
		PasswordHash: "$argon2id$x", Language: "sv", CreatedAt: t0}
	must(t, s.CreateAdmin(ctx, a))
	dup := a
	dup.ID, dup.TenantID = "a2", "t2"
	if err := s.CreateAdmin(ctx, dup); !errors.Is(err, store.ErrConflict) {
		t.Errorf("CreateAdmin with a taken email: err = %v, want ErrConflict", err)
	}
	got, err := s.AdminByEmail(ctx, "anna@example.se")
	if err != nil || got.ID != "a1" || got.TenantID != "t1" || !got.CreatedAt.Equal(t0) || got.LastLoginAt != nil {
		t.Fatalf("AdminByEmail = %+v, %v; want a1 of t1", got, err)
	}
	if _, err := s.GetAdmin(ctx, "t2", "a1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetAdmin from another tenant: err = %v, want ErrNotFound", err)
	}
	last := t0.Add(time.Hour)
	got.Language, got.Role, got.LastLoginAt = "en", store.AdminRoleReportReader, &last
	must(t, s.UpdateAdmin(ctx, got))
	got, err = s.GetAdmin(ctx, "t1", "a1")
	if err != nil || got.Language != "en" || got.Role != store.AdminRoleReportReader || got.LastLoginAt == nil || !got.LastLoginAt.Equal(last) {
		t.Errorf("after UpdateAdmin = %+v, %v", got, err)
	}
	if n, err := s.CountAdmins(ctx); err != nil || n != 1 {
		t.Errorf("CountAdmins = %d, %v; want 1", n, err)
	}
	if l, err := s.ListAdmins(ctx, "t2"); err != nil || len(l) != 0 {
		t.Errorf("ListAdmins(t2) = %v, %v; want none", l, err)
	}
}

func testAdminSessions(t *testing.T, s store.Store) {
	sess := store.AdminSession{ID: "h1", TenantID: "t1", AdminID: "a1", CSRFToken: "c1", CreatedAt: t0,
		ExpiresAt: t0.Add(12 * time.Hour)}
	must(t, s.CreateAdminSession(ctx, sess))
	got, err := s.GetAdminSession(ctx, "h1")
	if err != nil || got.AdminID != "a1" || got.CSRFToken != "c1" || !got.ExpiresAt.Equal(sess.ExpiresAt) {
		t.Fatalf("GetAdminSession = %+v, %v", got, err)
	}
	must(t, s.DeleteExpiredAdminSessions(ctx, t0.Add(time.Hour)))
	if _, err := s.GetAdminSession(ctx, "h1"); err != nil {
		t.Errorf("a live session was removed as expired: %v", err)
	}
	must(t, s.DeleteExpiredAdminSessions(ctx, t0.Add(13*time.Hour)))
	if _, err := s.GetAdminSession(ctx, "h1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("expired session: err = %v, want ErrNotFound", err)
	}
	must(t, s.CreateAdminSession(ctx, sess))
	must(t, s.DeleteAdmin(ctx, "t1", "a1"))
	if _, err := s.GetAdminSession(ctx, "h1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("session of a deleted admin: err = %v, want ErrNotFound", err)
	}
	if err := s.DeleteAdmin(ctx, "t1", "a1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("DeleteAdmin twice: err = %v, want ErrNotFound", err)
	}
}

func testLoginFailures(t *testing.T, s store.Store) {
	for i := range 3 {
		must(t, s.AddLoginFailure(ctx, "k|ip", t0.Add(time.Duration(i)*30*time.Second)))
	}
	must(t, s.AddLoginFailure(ctx, "other", t0))
	if n, err := s.CountLoginFailures(ctx, "k|ip", t0.Add(30*time.Second)); err != nil || n != 2 {
		t.Errorf("CountLoginFailures = %d, %v; want 2", n, err)
	}
	must(t, s.ClearLoginFailures(ctx, "k|ip", t0.Add(time.Second)))
	if n, err := s.CountLoginFailures(ctx, "k|ip", t0.Add(-time.Hour)); err != nil || n != 0 {
		t.Errorf("failures of a cleared key = %d, %v; want 0", n, err)
	}
	if n, err := s.CountLoginFailures(ctx, "other", t0.Add(-time.Hour)); err != nil || n != 0 {
		t.Errorf("old failures of another key = %d, %v; want 0 (cleared as older than the cut-off)", n, err)
	}
}
