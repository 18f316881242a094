package email

import (
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// TLS modes of Config.TLS.
const (
	TLSStartTLS = "starttls" // plain connect, then mandatory STARTTLS (submission, port 587)
	TLSImplicit = "implicit" // TLS from the first byte (smtps, port 465)
	TLSNone     = "none"     // no encryption at all (local relays and tests, port 25)
	// TLSOpportunistic uses STARTTLS when the server offers it and goes on
	// in plain text when it does not: what an smtp:// URL without tls= and
	// without credentials means (a local relay or a test server).
	TLSOpportunistic = "opportunistic"
)

// Defaults applied by NewSender to zero Config fields.
const (
	DefaultPoolSize = 4
	DefaultTimeout  = 30 * time.Second
)

// Config says how to reach the SMTP server. The zero values of TLS, Port,
// PoolSize and Timeout mean the defaults.
type Config struct {
	Host     string
	Port     int    // default: 587 for starttls, 465 for implicit, 25 for none
	TLS      string // TLSStartTLS (default), TLSImplicit or TLSNone
	Username string // AUTH is used when set
	Password string
	From     string // the sender address when a Message has none
	// MessageIDDomain is the right-hand side of generated Message-IDs;
	// default: the domain of From.
	MessageIDDomain string
	PoolSize        int           // persistent connections; default 4
	Timeout         time.Duration // per connect and per message; default 30s
	// InsecureSkipVerify accepts any server certificate (tests only).
	InsecureSkipVerify bool
	// NoFlights sends every message a command at a time, as go-mail does,
	// even to a server that announces PIPELINING and CHUNKING (flight.go).
	NoFlights bool
}

// withDefaults returns c with the zero fields filled in.
func (c Config) withDefaults() Config {
	if c.TLS == "" {
		c.TLS = TLSStartTLS
	}
	if c.Port == 0 {
		c.Port = defaultPort(c.TLS)
	}
	if c.PoolSize == 0 {
		c.PoolSize = DefaultPoolSize
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.MessageIDDomain == "" {
		c.MessageIDDomain = domainOf(c.From)
	}
	return c
}

// validate reports the first field that cannot work.
func (c Config) validate() error {
	switch {
	case c.Host == "":
		return errors.New("email: config: host is empty")
	case c.Port < 1 || c.Port > 65535:
		return fmt.Errorf("email: config: port %d out of range", c.Port)
	case c.TLS != TLSStartTLS && c.TLS != TLSImplicit && c.TLS != TLSNone && c.TLS != TLSOpportunistic:
		return fmt.Errorf("email: config: tls %q: want starttls, implicit or none", c.TLS)
	case c.PoolSize < 1:
		return fmt.Errorf("email: config: pool size %d: want at least 1", c.PoolSize)
	case c.Timeout < 0:
		return fmt.Errorf("email: config: negative timeout %v", c.Timeout)
	}
	if c.From != "" {
		if _, err := parseAddress(c.From, ""); err != nil {
			return fmt.Errorf("email: config: from: %w", err)
		}
	}
	if !validMessageID("x@" + c.MessageIDDomain) {
		return fmt.Errorf("email: config: message id domain %q is invalid", c.MessageIDDomain)
	}
	return nil
}

func defaultPort(mode string) int {
	switch mode {
	case TLSImplicit:
		return 465
	case TLSNone:
		return 25
	}
	return 587
}

// domainOf returns the domain of an address for Message-IDs, or
// "localhost" when there is none or it is not ASCII (an IDN would need
// punycode).
func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		if d := strings.Trim(addr[i+1:], "> "); validMessageID("x@" + d) {
			return d
		}
	}
	return "localhost"
}

// ParseURL parses an SMTP URL such as
//
//	smtp://user:pass@host:587?tls=starttls&pool=8&insecure=1&timeout=10s&pipelining=0
//
// smtps:// means tls=implicit. The user and password are URL-decoded. The
// port defaults to 587 (starttls), 465 (implicit) or 25 (none). Errors name
// the offending part and never contain the password.
func ParseURL(raw string) (Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the url.Error text would repeat the password
		}
		return Config{}, fmt.Errorf("email: smtp url: malformed: %w", err)
	}
	c, err := parseScheme(u)
	if err != nil {
		return Config{}, err
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return Config{}, fmt.Errorf("email: smtp url: query: %w", err)
	}
	if err := parseQuery(&c, q); err != nil {
		return Config{}, err
	}
	if err := parseHost(&c, u); err != nil {
		return Config{}, err
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	if c.TLS == "" {
		// Credentials never travel in plain text: with them STARTTLS is
		// mandatory; without them it is used when offered.
		c.TLS = TLSOpportunistic
		if c.Username != "" {
			c.TLS = TLSStartTLS
		}
	}
	c.Port = cmp.Or(c.Port, defaultPort(c.TLS))
	return c, nil
}

func parseScheme(u *url.URL) (Config, error) {
	switch strings.ToLower(u.Scheme) {
	case "smtp":
		return Config{}, nil // the TLS mode follows from tls= and the credentials
	case "smtps":
		return Config{TLS: TLSImplicit}, nil
	}
	return Config{}, fmt.Errorf("email: smtp url: scheme %q: want smtp or smtps", u.Scheme)
}

func parseHost(c *Config, u *url.URL) error {
	if u.Opaque != "" || (u.Path != "" && u.Path != "/") {
		return fmt.Errorf("email: smtp url: unexpected path %q", u.Path+u.Opaque)
	}
	c.Host = u.Hostname()
	if c.Host == "" {
		return errors.New("email: smtp url: host is missing")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("email: smtp url: port %q: want 1-65535", p)
		}
		c.Port = n
	}
	return nil
}

func parseQuery(c *Config, q url.Values) error {
	for key, vals := range q {
		if err := parseParam(c, key, vals[len(vals)-1]); err != nil {
			return err
		}
	}
	return nil
}

func parseParam(c *Config, key, val string) error {
	switch key {
	case "tls":
		return parseTLS(c, val)
	case "pool":
		n, err := strconv.Atoi(val)
		if err != nil || n < 1 {
			return fmt.Errorf("email: smtp url: pool %q: want a positive number", val)
		}
		c.PoolSize = n
	case "insecure":
		b, err := strconv.ParseBool(val)
		if err != nil {
			return fmt.Errorf("email: smtp url: insecure %q: want 1 or 0", val)
		}
		c.InsecureSkipVerify = b
	case "pipelining":
		b, err := strconv.ParseBool(val)
		if err != nil {
			return fmt.Errorf("email: smtp url: pipelining %q: want 1 or 0", val)
		}
		c.NoFlights = !b
	case "msgid_domain":
		if val == "" || strings.ContainsAny(val, "<>@ \t\r\n") {
			return fmt.Errorf("email: smtp url: msgid_domain %q: want a domain such as mail.example.se", val)
		}
		c.MessageIDDomain = val
	case "timeout":
		d, err := time.ParseDuration(val)
		if err != nil || d <= 0 {
			return fmt.Errorf("email: smtp url: timeout %q: want a duration such as 10s", val)
		}
		c.Timeout = d
	default:
		return fmt.Errorf("email: smtp url: unknown parameter %q", key)
	}
	return nil
}

func parseTLS(c *Config, val string) error {
	mode := strings.ToLower(val)
	switch {
	case mode != TLSStartTLS && mode != TLSImplicit && mode != TLSNone:
		return fmt.Errorf("email: smtp url: tls %q: want starttls, implicit or none", val)
	case c.TLS == TLSImplicit && mode != TLSImplicit:
		return fmt.Errorf("email: smtp url: tls %q contradicts scheme smtps", val)
	}
	c.TLS = mode
	return nil
}
