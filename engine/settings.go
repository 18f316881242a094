package engine

import (
	"context"
	"fmt"
	"net/mail"
	"sync"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/phone"
	"github.com/avisera/avisera/sms"
)

// PasswordMask stands for a stored secret in answers; sent back, it keeps
// the secret unchanged.
const PasswordMask = "********"

// TenantUpdate is what a tenant may change of itself.
type TenantUpdate struct {
	Name     string
	Region   string
	Language string
	TimeZone string
	Settings avisera.TenantSettings
}

// UpdateTenant validates and stores the tenant's defaults and settings.
func (e *Engine) UpdateTenant(ctx context.Context, tenantID string, in TenantUpdate) (avisera.Tenant, error) {
	t, err := e.store.GetTenant(ctx, tenantID)
	if err != nil {
		return t, notFound(err, "tenant", tenantID)
	}
	if in.Region == "" {
		in.Region = t.Region
	}
	if err := first(required("name", in.Name, 200), checkRegion(in.Region), checkLanguage("language", in.Language),
		checkTimeZone("time_zone", in.TimeZone), checkSettings(in.Settings)); err != nil {
		return t, err
	}
	keep := in.Settings.SMSPassword == "" || in.Settings.SMSPassword == PasswordMask
	if keep && in.Settings.SMSProvider != "" && in.Settings.SMSProvider != "dev" {
		in.Settings.SMSPassword = t.Settings.SMSPassword // unchanged unless the tenant leaves its own provider
	} else if keep {
		in.Settings.SMSPassword = ""
	}
	t.Name, t.Region, t.Settings = in.Name, in.Region, in.Settings
	if in.Language != "" {
		t.Language = in.Language
	}
	if in.TimeZone != "" {
		t.TimeZone = in.TimeZone
	}
	if err := e.store.UpdateTenant(ctx, t); err != nil {
		return t, err
	}
	e.smsRoutes.forget(tenantID)
	e.keys.clear() // cached tenants carry the old settings
	return t, nil
}

func checkRegion(r string) error {
	if len(r) != 2 || r[0] < 'A' || r[0] > 'Z' || r[1] < 'A' || r[1] > 'Z' {
		return avisera.Invalid("region", "%q is not a two-letter country code such as SE", r)
	}
	if !phone.KnownRegion(r) {
		return avisera.Invalid("region", "%q is not a country with telephone numbers (an ISO 3166 code such as SE)", r)
	}
	return nil
}

func checkSettings(s avisera.TenantSettings) error {
	switch s.SMSProvider {
	case "", "dev", sms.ProviderElks, sms.ProviderTwilio, sms.ProviderHTTP:
	default:
		return avisera.Invalid("settings.sms_provider", "%q is not dev, 46elks, twilio or http", s.SMSProvider)
	}
	if s.SMSFrom != "" {
		if err := sms.ValidSender(s.SMSFrom); err != nil {
			return avisera.Invalid("settings.sms_from", "%v", err)
		}
	}
	if s.EmailFrom != "" {
		if a, err := mail.ParseAddress(s.EmailFrom); err != nil || a.Address != s.EmailFrom {
			return avisera.Invalid("settings.email_from", "%q is not an email address", s.EmailFrom)
		}
	}
	if err := checkLogo(s.LogoURL); err != nil {
		return avisera.Invalid("settings.logo_url", "%q is not an http(s) URL", s.LogoURL)
	}
	return nil
}

// ensureSecrets gives a tenant made before secrets existed its link and
// webhook secrets.
func (e *Engine) ensureSecrets(ctx context.Context, t avisera.Tenant) (avisera.Tenant, error) {
	if t.LinkSecret != "" && t.WebhookSecret != "" {
		return t, nil
	}
	if t.LinkSecret == "" {
		t.LinkSecret = newSecret()
	}
	if t.WebhookSecret == "" {
		t.WebhookSecret = newSecret()
	}
	return t, e.store.UpdateTenant(ctx, t)
}

// WebhookURLs returns the callback URLs to register with providers.
func (e *Engine) WebhookURLs(ctx context.Context, tenantID string) (map[string]string, error) {
	t, err := e.store.GetTenant(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	if t, err = e.ensureSecrets(ctx, t); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, p := range []string{sms.ProviderElks, sms.ProviderTwilio, sms.ProviderHTTP, "brevo"} {
		out[p] = e.webhookURL(t, p)
	}
	return out, nil
}

func (e *Engine) webhookURL(t avisera.Tenant, provider string) string {
	return fmt.Sprintf("%s/api/v1/webhooks/%s/%s", e.publicURL, provider, t.WebhookSecret)
}

// RotateWebhookSecret gives the tenant a new callback secret; the old
// callback URLs stop working at once (they answer 401), so the new ones
// must be registered with the providers. It returns the new URLs.
func (e *Engine) RotateWebhookSecret(ctx context.Context, tenantID string) (map[string]string, error) {
	t, err := e.store.GetTenant(ctx, tenantID)
	if err != nil {
		return nil, notFound(err, "tenant", tenantID)
	}
	t.WebhookSecret = newSecret()
	if err := e.store.UpdateTenant(ctx, t); err != nil {
		return nil, err
	}
	e.keys.clear()
	return e.WebhookURLs(ctx, tenantID)
}

// TenantByWebhookSecret authenticates a provider callback.
func (e *Engine) TenantByWebhookSecret(ctx context.Context, secret string) (avisera.Tenant, error) {
	t, err := e.store.TenantByWebhookSecret(ctx, secret)
	if err != nil {
		return t, avisera.Errorf(avisera.EUNAUTHORIZED, "unknown callback URL")
	}
	return t, nil
}

// SMSCredentials returns the SMS provider password in force for a tenant
// (Twilio's auth token signs its callbacks).
func (e *Engine) SMSCredentials(t avisera.Tenant) (provider, user, password string) {
	if t.Settings.SMSProvider != "" {
		return t.Settings.SMSProvider, t.Settings.SMSUser, t.Settings.SMSPassword
	}
	return e.smsDefaults.Provider, e.smsDefaults.User, e.smsDefaults.Password
}

// SMSDefaults are the installation's SMS settings.
type SMSDefaults struct {
	Provider, URL, User, Password, From string
}

// smsRoutes caches each tenant's SMS sender built from its settings.
type smsRoutes struct {
	mu    sync.Mutex
	cache map[string]SMSSender
}

func (r *smsRoutes) forget(tenantID string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.cache, tenantID)
}

// smsFor returns the tenant's SMS sender: its own provider when its
// settings name one, else the installation's.
func (e *Engine) smsFor(t avisera.Tenant) (SMSSender, error) {
	s := t.Settings
	if s.SMSProvider == "" {
		return e.sms, nil
	}
	e.smsRoutes.mu.Lock()
	defer e.smsRoutes.mu.Unlock()
	if snd, ok := e.smsRoutes.cache[t.ID]; ok {
		return snd, nil
	}
	var snd SMSSender = &devSMS{store: e.store, now: e.Now}
	if s.SMSProvider != "dev" {
		p, err := sms.New(s.SMSProvider, sms.Config{BaseURL: s.SMSURL, User: s.SMSUser, Password: s.SMSPassword})
		if err != nil {
			return nil, err
		}
		snd = SMSProvider{Provider: p}
	}
	if e.smsRoutes.cache == nil {
		e.smsRoutes.cache = map[string]SMSSender{}
	}
	e.smsRoutes.cache[t.ID] = snd
	return snd, nil
}
