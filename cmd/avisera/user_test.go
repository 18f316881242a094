package main

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/avisera/avisera/engine"
	"github.com/avisera/avisera/store/sqlite"
)

// printedPassword matches a generated password as the commands print it.
var printedPassword = regexp.MustCompile(`password \(shown once\): (\S+)`)

func TestUserCreateAdmin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	getenv := func(k string) string {
		if k == "AVISERA_DATA_DIR" {
			return dir
		}
		return ""
	}
	var out bytes.Buffer
	err := userCmd(ctx, []string{"create-admin", "--email", "Eva@Ren.se", "--name", "Eva Admin"}, getenv, &out, io.Discard)
	if err != nil {
		t.Fatalf("create-admin: %v", err)
	}
	if !strings.Contains(out.String(), "created login eva@ren.se (admin)") || !printedPassword.MatchString(out.String()) ||
		!strings.Contains(out.String(), "avk_") {
		t.Errorf("output = %q, want the login, its generated password and the new tenant's API key", out.String())
	}
	err = userCmd(ctx, []string{"create-admin", "--email", "eva@ren.se", "--name", "Again"}, getenv, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--email") {
		t.Errorf("a second login with the email: err = %v, want one naming --email", err)
	}
	err = userCmd(ctx, []string{"create-admin", "--email", "rita@ren.se", "--name", "Rita", "--role", "boss"}, getenv, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--role") {
		t.Errorf("an unknown role: err = %v, want one naming --role", err)
	}
	out.Reset()
	err = userCmd(ctx, []string{"create-admin", "--email", "rita@ren.se", "--name", "Rita", "--role", "report_reader",
		"--password", "ett långt lösenord"}, getenv, &out, io.Discard)
	if err != nil || printedPassword.MatchString(out.String()) {
		t.Errorf("create with a given password: %v, output %q (must not print it)", err, out.String())
	}
	out.Reset()
	if err := userCmd(ctx, []string{"set-password", "--email", "rita@ren.se"}, getenv, &out, io.Discard); err != nil ||
		!printedPassword.MatchString(out.String()) {
		t.Errorf("set-password: %v, output %q", err, out.String())
	}
	if err := userCmd(ctx, []string{"set-password", "--email", "nobody@ren.se"}, getenv, io.Discard, io.Discard); err == nil {
		t.Error("set-password of an unknown login succeeded")
	}
	if err := userCmd(ctx, []string{"frobnicate"}, getenv, io.Discard, io.Discard); err == nil {
		t.Error("an unknown subcommand succeeded")
	}
}

func TestAnnounceAdmin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, t.TempDir()+"/avisera.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	eng := engine.New(db.Store())
	if _, _, err := eng.EnsureDefaultTenant(ctx, "Default"); err != nil {
		t.Fatal(err)
	}
	cfg := &Config{TenantName: "Default", PublicURL: "http://127.0.0.1:8080"}
	var out bytes.Buffer
	if err := announceAdmin(ctx, eng, cfg, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "admin@localhost") || !strings.Contains(out.String(), "http://127.0.0.1:8080/") ||
		!regexp.MustCompile(`\n    [A-Z2-7]{5}-[A-Z2-7]{5}-[A-Z2-7]{5}-[A-Z2-7]{5}\n`).MatchString(out.String()) {
		t.Errorf("first start printed %q, want the login, its password and where to log in", out.String())
	}
	out.Reset()
	if err := announceAdmin(ctx, eng, cfg, &out); err != nil || out.Len() != 0 {
		t.Errorf("second start: %v, printed %q; want nothing", err, out.String())
	}
}
