package main

import (
	"flag"
	"fmt"
	"net"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/avisera/avisera/sms"
)

// Config is the installation's configuration. Every field has a flag of
// serve and an AVISERA_* environment variable; flags win over variables,
// variables over the defaults shown here.
type Config struct {
	Addr          string // AVISERA_ADDR, listen address
	DataDir       string // AVISERA_DATA_DIR, SQLite database, API key file, local files
	DatabaseURL   string // AVISERA_DATABASE_URL, postgres://… switches to PostgreSQL
	SMTPURL       string // AVISERA_SMTP_URL, empty = dev mailbox
	SMTPFrom      string // AVISERA_SMTP_FROM
	PublicURL     string // AVISERA_PUBLIC_URL, base of download and callback URLs
	SMSProvider   string // AVISERA_SMS_PROVIDER: dev, 46elks, twilio, http
	SMSURL        string // AVISERA_SMS_URL, the provider's base URL
	SMSUser       string // AVISERA_SMS_USER
	SMSPassword   string // AVISERA_SMS_PASSWORD
	SMSFrom       string // AVISERA_SMS_FROM
	LogLevel      string // AVISERA_LOG_LEVEL: debug, info, warn, error
	LogFormat     string // AVISERA_LOG_FORMAT: text or json
	TenantName    string // AVISERA_TENANT_NAME, the default tenant created on first start
	Workers       string // AVISERA_WORKERS, concurrent send jobs per process
	JobTimeout    string // AVISERA_JOB_TIMEOUT, a send job running longer is cancelled
	RescueAfter   string // AVISERA_RESCUE_AFTER, a job left running this long (its process died) runs again
	MaxAge        string // AVISERA_MAX_AGE, temporary failures are retried until a delivery is this old
	RetryBase     string // AVISERA_RETRY_BASE, the wait before the first retry, doubled per retry
	RetryCap      string // AVISERA_RETRY_CAP, the longest wait between retries
	MaxFileSize   string // AVISERA_MAX_FILE_SIZE, upload limit of reports in bytes
	LinkTTL       string // AVISERA_LINK_TTL, how long download links work
	AttachMax     string // AVISERA_ATTACH_MAX, attach reports while their total stays within this many bytes (0: links only)
	TimerInterval string // AVISERA_TIMER_INTERVAL, how often due timers are looked for
}

// setting describes one configuration value.
type setting struct {
	name, env, def, usage string
	field                 func(*Config) *string
}

// settings lists every configuration value in one table (README mirrors it).
var settings = []setting{
	{"addr", "AVISERA_ADDR", "127.0.0.1:8080", "listen address", func(c *Config) *string { return &c.Addr }},
	{"data-dir", "AVISERA_DATA_DIR", "./data", "folder of the SQLite database, API key file and local files", func(c *Config) *string { return &c.DataDir }},
	{"database-url", "AVISERA_DATABASE_URL", "", "postgres://… to use PostgreSQL instead of SQLite", func(c *Config) *string { return &c.DatabaseURL }},
	{"smtp-url", "AVISERA_SMTP_URL", "", "smtp://user:pass@host:port?tls=starttls|implicit|none; empty = dev mailbox", func(c *Config) *string { return &c.SMTPURL }},
	{"smtp-from", "AVISERA_SMTP_FROM", "avisera@localhost", "sender address of emails", func(c *Config) *string { return &c.SMTPFrom }},
	{"public-url", "AVISERA_PUBLIC_URL", "", "base URL of download links and callback URLs (default http://ADDR)", func(c *Config) *string { return &c.PublicURL }},
	{"sms-provider", "AVISERA_SMS_PROVIDER", "dev", "SMS provider: dev, 46elks, twilio or http", func(c *Config) *string { return &c.SMSProvider }},
	{"sms-url", "AVISERA_SMS_URL", "", "the SMS provider's base URL (default: the provider's own)", func(c *Config) *string { return &c.SMSURL }},
	{"sms-user", "AVISERA_SMS_USER", "", "SMS provider API user or account SID", func(c *Config) *string { return &c.SMSUser }},
	{"sms-password", "AVISERA_SMS_PASSWORD", "", "SMS provider secret or auth token", func(c *Config) *string { return &c.SMSPassword }},
	{"sms-from", "AVISERA_SMS_FROM", "Avisera", "SMS sender id (up to 11 letters, digits and inner spaces, at least one letter) or number", func(c *Config) *string { return &c.SMSFrom }},
	{"log-level", "AVISERA_LOG_LEVEL", "info", "log level: debug, info, warn or error", func(c *Config) *string { return &c.LogLevel }},
	{"log-format", "AVISERA_LOG_FORMAT", "text", "log format: text or json", func(c *Config) *string { return &c.LogFormat }},
	{"tenant-name", "AVISERA_TENANT_NAME", "Default", "name of the tenant created on first start", func(c *Config) *string { return &c.TenantName }},
	{"workers", "AVISERA_WORKERS", "32", "concurrent send jobs per process", func(c *Config) *string { return &c.Workers }},
	{"job-timeout", "AVISERA_JOB_TIMEOUT", "1m", "a send job running longer is cancelled and retried", func(c *Config) *string { return &c.JobTimeout }},
	{"rescue-after", "AVISERA_RESCUE_AFTER", "2m", "a job left running this long runs again, whoever holds it (must exceed job-timeout; a dead process's jobs run again after 15 s)", func(c *Config) *string { return &c.RescueAfter }},
	{"max-age", "AVISERA_MAX_AGE", "24h", "temporary failures are retried until a delivery is this old (the last try at that age), then it expires", func(c *Config) *string { return &c.MaxAge }},
	{"retry-base", "AVISERA_RETRY_BASE", "30s", "wait before the first retry of a temporary failure, doubled for each next one (±20 %)", func(c *Config) *string { return &c.RetryBase }},
	{"retry-cap", "AVISERA_RETRY_CAP", "1h", "longest wait between two retries, before jitter", func(c *Config) *string { return &c.RetryCap }},
	{"max-file-size", "AVISERA_MAX_FILE_SIZE", "52428800", "upload limit of a report in bytes (50 MB)", func(c *Config) *string { return &c.MaxFileSize }},
	{"link-ttl", "AVISERA_LINK_TTL", "720h", "how long download links in emails work (30 days)", func(c *Config) *string { return &c.LinkTTL }},
	{"timer-interval", "AVISERA_TIMER_INTERVAL", "1s", "how often due reminders, watchdogs and summaries are looked for", func(c *Config) *string { return &c.TimerInterval }},
	{"attach-max", "AVISERA_ATTACH_MAX", "0", "attach reports while their total stays within this many bytes; 0 = links only", func(c *Config) *string { return &c.AttachMax }},
}

// bindConfig registers the named settings as flags of fs, with defaults from
// the environment, and returns the config they fill.
func bindConfig(fs *flag.FlagSet, getenv func(string) string, names ...string) *Config {
	c := &Config{}
	for _, s := range settings {
		def := s.def
		if v := getenv(s.env); v != "" {
			def = v
		}
		*s.field(c) = def
		if len(names) == 0 || slices.Contains(names, s.name) {
			fs.StringVar(s.field(c), s.name, def, fmt.Sprintf("%s (env %s)", s.usage, s.env))
		}
	}
	return c
}

// usesPostgres reports whether the database URL selects PostgreSQL.
func (c *Config) usesPostgres() bool {
	return strings.HasPrefix(c.DatabaseURL, "postgres://") || strings.HasPrefix(c.DatabaseURL, "postgresql://")
}

// sqlitePath is the SQLite database file in the data folder.
func (c *Config) sqlitePath() string { return filepath.Join(c.DataDir, "avisera.db") }

// validate checks values that flags cannot.
func (c *Config) validate() error {
	if c.DatabaseURL != "" && !c.usesPostgres() {
		return fmt.Errorf("AVISERA_DATABASE_URL must start with postgres:// (or be empty for SQLite), got %q", c.DatabaseURL)
	}
	if !slices.Contains([]string{"dev", "46elks", "twilio", "http"}, c.SMSProvider) {
		return fmt.Errorf("AVISERA_SMS_PROVIDER must be dev, 46elks, twilio or http, got %q", c.SMSProvider)
	}
	for _, n := range []struct{ name, v string }{{"AVISERA_MAX_FILE_SIZE", c.MaxFileSize}, {"AVISERA_ATTACH_MAX", c.AttachMax}} {
		if v, err := strconv.ParseInt(n.v, 10, 64); err != nil || v < 0 {
			return fmt.Errorf("%s must be a number of bytes, got %q", n.name, n.v)
		}
	}
	// Durations; zero (or less) means the default for the job settings and
	// is refused for the rest, which would otherwise retry, expire or tick
	// without pause.
	for _, d := range []struct {
		name, v string
		zeroOK  bool
	}{{"AVISERA_JOB_TIMEOUT", c.JobTimeout, true}, {"AVISERA_RESCUE_AFTER", c.RescueAfter, true},
		{"AVISERA_MAX_AGE", c.MaxAge, false}, {"AVISERA_LINK_TTL", c.LinkTTL, false},
		{"AVISERA_TIMER_INTERVAL", c.TimerInterval, false}, {"AVISERA_RETRY_BASE", c.RetryBase, false},
		{"AVISERA_RETRY_CAP", c.RetryCap, false}} {
		v, err := time.ParseDuration(d.v)
		if err != nil {
			return fmt.Errorf("%s must be a duration such as 30s or 2m, got %q", d.name, d.v)
		}
		if v <= 0 && !d.zeroOK {
			return fmt.Errorf("%s must be a positive duration such as 30s or 2m, got %q", d.name, d.v)
		}
	}
	if err := sms.ValidSender(c.SMSFrom); err != nil {
		return fmt.Errorf("AVISERA_SMS_FROM: %v", err)
	}
	if n, err := strconv.Atoi(c.Workers); err != nil || n < 1 {
		return fmt.Errorf("AVISERA_WORKERS must be a positive number, got %q", c.Workers)
	}
	c.PublicURL = strings.TrimSuffix(c.PublicURL, "/")
	return nil
}

// publicURL is the configured public URL, else the listener's own address
// (a wildcard host becomes localhost).
func (c *Config) publicURL(ln net.Addr) string {
	if c.PublicURL != "" {
		return c.PublicURL
	}
	host, port, err := net.SplitHostPort(ln.String())
	if err != nil {
		return "http://" + ln.String()
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// duration reads a validated duration setting.
func duration(v string) time.Duration {
	d, _ := time.ParseDuration(v)
	return d
}

// size reads a validated byte count.
func size(v string) int64 {
	n, _ := strconv.ParseInt(v, 10, 64)
	return n
}
