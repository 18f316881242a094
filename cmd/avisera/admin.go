package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/avisera/avisera/engine"
	"github.com/avisera/avisera/store/sqlstore"
)

// parseAndOpen parses a command's flags, validates the configuration and
// opens (and migrates) its database.
func parseAndOpen(ctx context.Context, fs *flag.FlagSet, cfg *Config, args []string) (*sqlstore.DB, error) {
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return openDB(ctx, cfg)
}

func migrateCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("migrate", "migrate [flags]", stderr)
	cfg := bindConfig(fs, getenv, "data-dir", "database-url")
	db, err := parseAndOpen(ctx, fs, cfg, args)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintln(stdout, "database migrated:", dbKind(cfg))
	return nil
}

func tenantCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(stderr, "Usage: avisera tenant create [flags] NAME")
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			return nil
		}
		return errors.New(`the tenant command has one subcommand: create`)
	}
	fs := newFlagSet("tenant create", "tenant create [flags] NAME", stderr)
	cfg := bindConfig(fs, getenv, "data-dir", "database-url")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("tenant create needs exactly one NAME (quote names with spaces)")
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	t, secret, err := engine.New(db.Store()).CreateTenant(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "tenant %s (%s)\napi key (shown once): %s\n", t.Name, t.ID, secret)
	return nil
}
