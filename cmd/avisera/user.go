package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/admin"
	"github.com/avisera/avisera/engine"
)

const userUsage = `Usage:
  avisera user create-admin --email EMAIL --name NAME [--role admin|report_reader] [--password PW] [--tenant ID]
  avisera user set-password --email EMAIL [--password PW]

Without --password a password is generated and printed once.
`

// userCmd manages the logins of the admin web UI.
func userCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, userUsage)
		return errors.New("the user command needs a subcommand: create-admin or set-password")
	}
	switch args[0] {
	case "create-admin":
		return createAdminCmd(ctx, args[1:], getenv, stdout, stderr)
	case "set-password":
		return setPasswordCmd(ctx, args[1:], getenv, stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, userUsage)
		return nil
	}
	fmt.Fprint(stderr, userUsage)
	return fmt.Errorf("unknown user subcommand %q", args[0])
}

// createAdminCmd adds a login to a tenant (the first one by default; on a
// fresh installation it is created and its API key printed once).
func createAdminCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("user create-admin", "user create-admin [flags]", stderr)
	cfg := bindConfig(fs, getenv, "data-dir", "database-url", "tenant-name")
	email := fs.String("email", "", "the login's email address (required)")
	name := fs.String("name", "", "the admin's name (required)")
	role := fs.String("role", "admin", "admin (every screen) or report_reader (the follow-up report only)")
	password := fs.String("password", "", "the password (at least 10 characters); empty generates one")
	tenantID := fs.String("tenant", "", "the tenant's id; default the first tenant")
	lang := fs.String("language", "sv", "the UI language: sv or en")
	db, err := parseAndOpen(ctx, fs, cfg, args)
	if err != nil {
		return err
	}
	defer db.Close()
	eng := engine.New(db.Store())
	if *tenantID == "" {
		if err := announceTenant(ctx, eng, cfg, stdout, slog.New(slog.DiscardHandler)); err != nil {
			return err
		}
		t, _, err := eng.EnsureDefaultTenant(ctx, cfg.TenantName)
		if err != nil {
			return err
		}
		*tenantID = t.ID
	}
	a, pw, err := admin.CreateAdmin(ctx, db.Store(), admin.NewAdmin{TenantID: *tenantID, Email: *email, Name: *name,
		Role: *role, Password: *password, Language: *lang}, time.Now())
	if err != nil {
		return flagError(err)
	}
	fmt.Fprintf(stdout, "created login %s (%s) in tenant %s\n", a.Email, a.Role, a.TenantID)
	if *password == "" {
		fmt.Fprintf(stdout, "password (shown once): %s\n", pw)
	}
	return nil
}

// setPasswordCmd gives a login a new password and logs it out everywhere.
func setPasswordCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("user set-password", "user set-password [flags]", stderr)
	cfg := bindConfig(fs, getenv, "data-dir", "database-url")
	email := fs.String("email", "", "the login's email address (required)")
	password := fs.String("password", "", "the new password (at least 10 characters); empty generates one")
	db, err := parseAndOpen(ctx, fs, cfg, args)
	if err != nil {
		return err
	}
	defer db.Close()
	a, pw, err := admin.SetPassword(ctx, db.Store(), *email, *password)
	if err != nil {
		return flagError(err)
	}
	fmt.Fprintf(stdout, "new password set for %s; its sessions are logged out\n", a.Email)
	if *password == "" {
		fmt.Fprintf(stdout, "password (shown once): %s\n", pw)
	}
	return nil
}

// flagError names the flag an input error concerns.
func flagError(err error) error {
	var e *avisera.Error
	if errors.As(err, &e) && e.Field != "" && e.Code != avisera.EINTERNAL {
		return fmt.Errorf("--%s: %s", strings.ReplaceAll(e.Field, "_", "-"), e.Message)
	}
	return err
}

// announceAdmin creates the first login of a fresh installation in the
// default tenant and prints its password once, like the API key.
func announceAdmin(ctx context.Context, eng *engine.Engine, cfg *Config, stdout io.Writer) error {
	t, _, err := eng.EnsureDefaultTenant(ctx, cfg.TenantName)
	if err != nil {
		return fmt.Errorf("first admin: %w", err)
	}
	a, pw, err := admin.EnsureFirstAdmin(ctx, eng.Store(), t.ID, time.Now())
	if err != nil {
		return fmt.Errorf("first admin: %w", err)
	}
	if pw == "" {
		return nil
	}
	fmt.Fprintf(stdout, "Created the admin login %s. Its password (shown once):\n\n    %s\n\n"+
		"Log in at %s/ and change it under Inställningar (Settings).\n\n", a.Email, pw, cfg.PublicURL)
	return nil
}
