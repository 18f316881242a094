package email

import (
	"strings"
	"testing"
	"time"
)

func TestParseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw  string
		want Config
	}{
		{"smtp://mail.example.com", Config{Host: "mail.example.com", Port: 587, TLS: TLSOpportunistic}},
		{"smtps://mail.example.com", Config{Host: "mail.example.com", Port: 465, TLS: TLSImplicit}},
		{"smtp://mail.example.com?tls=implicit", Config{Host: "mail.example.com", Port: 465, TLS: TLSImplicit}},
		{"smtp://relay?tls=none", Config{Host: "relay", Port: 25, TLS: TLSNone}},
		{"smtp://relay:2525?tls=NONE", Config{Host: "relay", Port: 2525, TLS: TLSNone}},
		{"SMTP://[::1]:1025/", Config{Host: "::1", Port: 1025, TLS: TLSOpportunistic}},
		{"smtp://127.0.0.1:2525?tls=starttls", Config{Host: "127.0.0.1", Port: 2525, TLS: TLSStartTLS}},
		{"smtp://user%40example.com:p%40ss%3Aw%2Fd@mail.example.com:587?pool=8&insecure=1&timeout=10s",
			Config{Host: "mail.example.com", Port: 587, TLS: TLSStartTLS, Username: "user@example.com",
				Password: "p@ss:w/d", PoolSize: 8, InsecureSkipVerify: true, Timeout: 10 * time.Second}},
		{"smtps://apikey:@smtp.example.com?insecure=false",
			Config{Host: "smtp.example.com", Port: 465, TLS: TLSImplicit, Username: "apikey"}},
	}
	for _, tt := range tests {
		got, err := ParseURL(tt.raw)
		if err != nil {
			t.Errorf("ParseURL(%q): %v", tt.raw, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseURL(%q)\n got %+v\nwant %+v", tt.raw, got, tt.want)
		}
	}
}

func TestParseURLErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw  string
		want string // the part the error must name
	}{
		{"http://mail.example.com", `scheme "http"`},
		{"mail.example.com:587", `scheme "mail.example.com"`},
		{"smtp://", "host is missing"},
		{"smtp://:secret@:25", "host is missing"},
		{"smtp://mail.example.com:0", `port "0"`},
		{"smtp://mail.example.com:70000", `port "70000"`},
		{"smtp://mail.example.com?tls=ssl", `tls "ssl"`},
		{"smtps://mail.example.com?tls=starttls", "contradicts scheme smtps"},
		{"smtp://mail.example.com?pool=0", `pool "0"`},
		{"smtp://mail.example.com?pool=many", `pool "many"`},
		{"smtp://mail.example.com?insecure=yes", `insecure "yes"`},
		{"smtp://mail.example.com?timeout=soon", `timeout "soon"`},
		{"smtp://mail.example.com?tsl=none", `unknown parameter "tsl"`},
		{"smtp://mail.example.com?tls=none;x", "query"},
		{"smtp://mail.example.com/inbox", `path "/inbox"`},
		{"smtp://user:s3cret@mail.example.com:port", "malformed"},
	}
	for _, tt := range tests {
		_, err := ParseURL(tt.raw)
		if err == nil {
			t.Errorf("ParseURL(%q): got nil error, want one naming %s", tt.raw, tt.want)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseURL(%q) = %q, want it to name %s", tt.raw, err, tt.want)
		}
		if strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "secret") {
			t.Errorf("ParseURL(%q) = %q: leaks the password", tt.raw, err)
		}
	}
}

func TestNewSenderConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  Config
		want string // "" for valid
	}{
		{"defaults", Config{Host: "h"}, ""},
		{"no host", Config{}, "host is empty"},
		{"bad tls", Config{Host: "h", TLS: "ssl"}, `tls "ssl"`},
		{"bad port", Config{Host: "h", Port: 99999}, "port 99999"},
		{"bad pool", Config{Host: "h", PoolSize: -1}, "pool size -1"},
		{"bad from", Config{Host: "h", From: "avisera"}, "from"},
		{"bad message id domain", Config{Host: "h", MessageIDDomain: "a b"}, "message id domain"},
	}
	for _, tt := range tests {
		_, err := NewSender(tt.cfg, nil)
		if (err == nil) != (tt.want == "") || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s: NewSender(%+v) = %v, want error naming %q", tt.name, tt.cfg, err, tt.want)
		}
	}
}

func TestConfigDefaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   Config
		want Config
	}{
		{Config{Host: "h", From: "Avisera <avisera@stad.example>"},
			Config{Host: "h", From: "Avisera <avisera@stad.example>", Port: 587, TLS: TLSStartTLS,
				PoolSize: 4, Timeout: 30 * time.Second, MessageIDDomain: "stad.example"}},
		{Config{Host: "h", TLS: TLSNone, From: "avisera@städ.example", PoolSize: 1},
			Config{Host: "h", From: "avisera@städ.example", Port: 25, TLS: TLSNone,
				PoolSize: 1, Timeout: 30 * time.Second, MessageIDDomain: "localhost"}},
	}
	for _, tt := range tests {
		if got := tt.in.withDefaults(); got != tt.want {
			t.Errorf("%+v.withDefaults()\n got %+v\nwant %+v", tt.in, got, tt.want)
		}
	}
}
