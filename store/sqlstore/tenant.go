package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

// CreateTenant implements store.TenantStore.
func (s *Store) CreateTenant(ctx context.Context, t avisera.Tenant) error {
	settings, err := json.Marshal(t.Settings)
	if err != nil {
		return err
	}
	_, err = s.exec(ctx, `INSERT INTO tenants (id, name, region, language, time_zone, created_at, link_secret,
		webhook_secret, settings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, t.ID, t.Name, t.Region, t.Language,
		t.TimeZone, t.CreatedAt.UTC(), t.LinkSecret, t.WebhookSecret, string(settings))
	return err
}

// UpdateTenant implements store.TenantStore.
func (s *Store) UpdateTenant(ctx context.Context, t avisera.Tenant) error {
	settings, err := json.Marshal(t.Settings)
	if err != nil {
		return err
	}
	res, err := s.exec(ctx, `UPDATE tenants SET name = ?, region = ?, language = ?, time_zone = ?,
		link_secret = ?, webhook_secret = ?, settings = ? WHERE id = ?`, t.Name, t.Region, t.Language, t.TimeZone,
		t.LinkSecret, t.WebhookSecret, string(settings), t.ID)
	return s.mustAffect(res, err)
}

// TenantByWebhookSecret implements store.TenantStore.
func (s *Store) TenantByWebhookSecret(ctx context.Context, secret string) (avisera.Tenant, error) {
	if secret == "" {
		return avisera.Tenant{}, store.ErrNotFound
	}
	t, err := scanTenant(s.queryRow(ctx, `SELECT `+tenantColumns+` FROM tenants WHERE webhook_secret = ?`, secret))
	return t, s.wrap(err)
}

const tenantColumns = `id, name, region, language, time_zone, created_at, link_secret, webhook_secret, settings`

func scanTenant(sc interface{ Scan(...any) error }) (avisera.Tenant, error) {
	var t avisera.Tenant
	var settings string
	err := sc.Scan(&t.ID, &t.Name, &t.Region, &t.Language, &t.TimeZone, &t.CreatedAt, &t.LinkSecret,
		&t.WebhookSecret, &settings)
	if err == nil {
		err = json.Unmarshal([]byte(settings), &t.Settings)
	}
	return t, err
}

// MasterRevision implements store.TenantStore. Triggers keep the count
// (migration 00009 of each database).
func (s *Store) MasterRevision(ctx context.Context, tenantID string) (int64, error) {
	var n int64
	err := s.scanRow(ctx, []any{&n}, `SELECT n FROM master_revisions WHERE tenant_id = ?`, tenantID)
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	return n, err
}

// GetTenant implements store.TenantStore.
func (s *Store) GetTenant(ctx context.Context, id string) (avisera.Tenant, error) {
	t, err := scanTenant(s.queryRow(ctx, `SELECT `+tenantColumns+` FROM tenants WHERE id = ?`, id))
	return t, s.wrap(err)
}

// ListTenants implements store.TenantStore.
func (s *Store) ListTenants(ctx context.Context) ([]avisera.Tenant, error) {
	rows, err := s.query(ctx, `SELECT `+tenantColumns+` FROM tenants ORDER BY created_at, id`)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanTenant)
}

// CreateAPIKey implements store.TenantStore.
func (s *Store) CreateAPIKey(ctx context.Context, k avisera.APIKey) error {
	_, err := s.exec(ctx, `INSERT INTO api_keys (id, tenant_id, name, prefix, hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, k.ID, k.TenantID, k.Name, k.Prefix, k.Hash, k.CreatedAt.UTC())
	return err
}

const keyColumns = `id, tenant_id, name, prefix, hash, created_at, revoked_at`

func scanKey(sc interface{ Scan(...any) error }) (avisera.APIKey, error) {
	var k avisera.APIKey
	var revoked sql.NullTime
	err := sc.Scan(&k.ID, &k.TenantID, &k.Name, &k.Prefix, &k.Hash, &k.CreatedAt, &revoked)
	k.RevokedAt = timePtr(revoked)
	return k, err
}

// APIKeyByHash implements store.TenantStore.
func (s *Store) APIKeyByHash(ctx context.Context, hash string) (avisera.APIKey, error) {
	k, err := scanKey(s.queryRow(ctx, `SELECT `+keyColumns+` FROM api_keys WHERE hash = ?`, hash))
	return k, s.wrap(err)
}

// ListAPIKeys implements store.TenantStore.
func (s *Store) ListAPIKeys(ctx context.Context, tenantID string) ([]avisera.APIKey, error) {
	rows, err := s.query(ctx, `SELECT `+keyColumns+` FROM api_keys WHERE tenant_id = ?
		ORDER BY created_at, id`, tenantID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanKey)
}

// RevokeAPIKey implements store.TenantStore.
func (s *Store) RevokeAPIKey(ctx context.Context, tenantID, id string, at time.Time) error {
	res, err := s.exec(ctx, `UPDATE api_keys SET revoked_at = ? WHERE tenant_id = ? AND id = ?
		AND revoked_at IS NULL`, at.UTC(), tenantID, id)
	return s.mustAffect(res, err)
}
