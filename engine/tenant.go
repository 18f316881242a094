package engine

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

// keyPrefix starts every API key so that leaked keys are recognisable.
const keyPrefix = "avk_"

// CreateTenant creates a tenant with one API key and returns the key's
// secret, which is not stored and cannot be shown again.
func (e *Engine) CreateTenant(ctx context.Context, name string) (avisera.Tenant, string, error) {
	if err := required("name", name, 200); err != nil {
		return avisera.Tenant{}, "", err
	}
	t := avisera.Tenant{ID: newID(), Name: name, Region: "SE", Language: "sv",
		TimeZone: "Europe/Stockholm", CreatedAt: e.Now(), LinkSecret: newSecret(), WebhookSecret: newSecret()}
	var secret string
	err := e.store.Tx(ctx, func(s store.Store) error {
		if err := s.CreateTenant(ctx, t); err != nil {
			return err
		}
		var err error
		secret, _, err = e.createKey(ctx, s, t.ID, "default")
		return err
	})
	return t, secret, err
}

// CreateAPIKey adds a key to a tenant and returns its secret once.
func (e *Engine) CreateAPIKey(ctx context.Context, tenantID, name string) (string, avisera.APIKey, error) {
	if err := required("name", name, 200); err != nil {
		return "", avisera.APIKey{}, err
	}
	return e.createKey(ctx, e.store, tenantID, name)
}

func (e *Engine) createKey(ctx context.Context, s store.Store, tenantID, name string) (string, avisera.APIKey, error) {
	raw := make([]byte, 30)
	if _, err := rand.Read(raw); err != nil {
		return "", avisera.APIKey{}, err
	}
	secret := keyPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(raw))
	k := avisera.APIKey{ID: newID(), TenantID: tenantID, Name: name, Prefix: secret[:10],
		Hash: hashKey(secret), CreatedAt: e.Now()}
	return secret, k, s.CreateAPIKey(ctx, k)
}

func hashKey(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// Authenticate returns the tenant an API key belongs to. Unknown and
// revoked keys get the same EUNAUTHORIZED answer.
func (e *Engine) Authenticate(ctx context.Context, secret string) (avisera.Tenant, error) {
	denied := avisera.Errorf(avisera.EUNAUTHORIZED, "a valid API key is required (Authorization: Bearer <key>)")
	if !strings.HasPrefix(secret, keyPrefix) {
		return avisera.Tenant{}, denied
	}
	hash := hashKey(secret)
	if t, ok := e.keys.get(hash, e.now()); ok {
		return t, nil
	}
	t, err := e.authenticate(ctx, hash, denied)
	if err == nil {
		e.keys.put(hash, t, e.now())
	}
	return t, err
}

func (e *Engine) authenticate(ctx context.Context, hash string, denied error) (avisera.Tenant, error) {
	k, err := e.store.APIKeyByHash(ctx, hash)
	if errors.Is(err, store.ErrNotFound) || (err == nil && k.RevokedAt != nil) {
		return avisera.Tenant{}, denied
	}
	if err != nil {
		return avisera.Tenant{}, err
	}
	return e.store.GetTenant(ctx, k.TenantID)
}

// RevokeAPIKey revokes one of the tenant's keys.
func (e *Engine) RevokeAPIKey(ctx context.Context, tenantID, id string) error {
	defer e.keys.clear()
	return notFound(e.store.RevokeAPIKey(ctx, tenantID, id, e.Now()), "api key", id)
}

// keyTTL is how long an authenticated key is trusted without asking the
// database again: a key revoked on another replica stops working within it.
const keyTTL = 5 * time.Second

// keyCache remembers recently authenticated keys (by hash).
type keyCache struct {
	mu sync.Mutex
	m  map[string]cachedKey
}

type cachedKey struct {
	tenant  avisera.Tenant
	expires time.Time
}

func (c *keyCache) get(hash string, now time.Time) (avisera.Tenant, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k, ok := c.m[hash]
	if !ok || now.After(k.expires) {
		return avisera.Tenant{}, false
	}
	return k.tenant, true
}

func (c *keyCache) put(hash string, t avisera.Tenant, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) > 10000 {
		c.m = map[string]cachedKey{}
	}
	c.m[hash] = cachedKey{tenant: t, expires: now.Add(keyTTL)}
}

func (c *keyCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m = nil
}

// EnsureDefaultTenant returns the first tenant, creating one named name if
// the database has none. The secret is non-empty only when it was created.
func (e *Engine) EnsureDefaultTenant(ctx context.Context, name string) (avisera.Tenant, string, error) {
	ts, err := e.store.ListTenants(ctx)
	if err != nil {
		return avisera.Tenant{}, "", err
	}
	if len(ts) > 0 {
		t, err := e.ensureSecrets(ctx, ts[0])
		return t, "", err
	}
	return e.CreateTenant(ctx, name)
}
