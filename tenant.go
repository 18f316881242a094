package avisera

import "time"

// Tenant is one service company. Every row of every table belongs to exactly
// one tenant and nothing crosses between tenants.
type Tenant struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Region    string    `json:"region"`    // default phone region, e.g. "SE"
	Language  string    `json:"language"`  // default message language, "sv" or "en"
	TimeZone  string    `json:"time_zone"` // default IANA zone, e.g. "Europe/Stockholm"
	CreatedAt time.Time `json:"created_at"`
	// LinkSecret signs the tenant's download links; WebhookSecret is the
	// path secret of its provider callback URLs. Neither is ever shown.
	LinkSecret    string         `json:"-"`
	WebhookSecret string         `json:"-"`
	Settings      TenantSettings `json:"settings"`
}

// TenantSettings override the installation's defaults for one tenant. An
// empty field means "use the installation default".
type TenantSettings struct {
	SMSProvider string `json:"sms_provider,omitempty"` // dev, 46elks, twilio or http
	SMSURL      string `json:"sms_url,omitempty"`
	SMSUser     string `json:"sms_user,omitempty"`
	SMSPassword string `json:"sms_password,omitempty"`
	SMSFrom     string `json:"sms_from,omitempty"` // sender id: up to 11 letters and digits, or a number
	EmailFrom   string `json:"email_from,omitempty"`
	EmailName   string `json:"email_from_name,omitempty"`
	LogoURL     string `json:"logo_url,omitempty"`
}

// APIKey authenticates the host system. Only the SHA-256 hash of the secret
// is stored; the secret itself is shown once when the key is created.
type APIKey struct {
	ID        string     `json:"id"`
	TenantID  string     `json:"tenant_id"`
	Name      string     `json:"name"`
	Prefix    string     `json:"prefix"` // the first characters, to recognise a key in lists
	Hash      string     `json:"-"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// Page asks for one page of a list: at most Limit items after the cursor
// After (an opaque value returned as NextCursor), filtered by the text Q.
type Page struct {
	Q     string
	Limit int
	After string
}

// Normalize clamps the limit to 1..500 with 50 as the default.
func (p Page) Normalize() Page {
	switch {
	case p.Limit <= 0:
		p.Limit = 50
	case p.Limit > 500:
		p.Limit = 500
	}
	return p
}
