package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivermigrate"
)

// Migration names one database's migrations: its goose dialect and
// embedded files (a folder "migrations"), and River's driver for the queue
// tables.
type Migration struct {
	Name    string // "sqlite" or "postgres", for error messages
	Dialect goose.Dialect
	Files   fs.FS
	River   riverdriver.Driver[*sql.Tx]
	Options []goose.ProviderOption
}

// Migrate applies Avisera's migrations, then River's.
func Migrate(ctx context.Context, db *sql.DB, m Migration) error {
	p, err := m.provider(db)
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("%s: migrate: %w", m.Name, err)
	}
	rm, err := rivermigrate.New(m.River, nil)
	if err != nil {
		return fmt.Errorf("%s: river migrations: %w", m.Name, err)
	}
	if _, err := rm.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("%s: river migrate: %w", m.Name, err)
	}
	return nil
}

// MigrateTo moves the database to version of Avisera's migrations, up or
// down, leaving River's tables alone: for tests of a migration's data.
func MigrateTo(ctx context.Context, db *sql.DB, m Migration, version int64) error {
	p, err := m.provider(db)
	if err != nil {
		return err
	}
	current, err := p.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("%s: migration version: %w", m.Name, err)
	}
	if current > version {
		_, err = p.DownTo(ctx, version)
	} else {
		_, err = p.UpTo(ctx, version)
	}
	if err != nil {
		return fmt.Errorf("%s: migrate to %d: %w", m.Name, version, err)
	}
	return nil
}

// provider is goose's provider of Avisera's migrations on db.
func (m Migration) provider(db *sql.DB) (*goose.Provider, error) {
	fsys, err := fs.Sub(m.Files, "migrations")
	if err != nil {
		return nil, err
	}
	p, err := goose.NewProvider(m.Dialect, db, fsys, m.Options...)
	if err != nil {
		return nil, fmt.Errorf("%s: migrations: %w", m.Name, err)
	}
	return p, nil
}
