package smtptest

import "time"

// Option configures a Server.
type Option func(*options)

type options struct {
	startTLS    bool
	implicitTLS bool
	user, pass  string
	countOnly   bool
	idleTimeout time.Duration
}

// STARTTLS makes the server offer STARTTLS with a self-signed certificate
// generated at start, valid for 127.0.0.1 and localhost. Clients must skip
// verification (the certificate is trusted by nobody).
func STARTTLS() Option {
	return func(o *options) { o.startTLS = true }
}

// ImplicitTLS makes the server speak TLS from the first byte (smtps), with
// a self-signed certificate as for STARTTLS.
func ImplicitTLS() Option {
	return func(o *options) { o.implicitTLS = true }
}

// AuthPlain makes the server require AUTH PLAIN with these credentials
// before MAIL FROM. Combined with STARTTLS, AUTH is only offered after the
// TLS handshake, as real submission servers do; without TLS it is offered
// on the plain connection.
func AuthPlain(user, pass string) Option {
	return func(o *options) { o.user, o.pass = user, pass }
}

// CountOnly makes the server count messages without keeping them, so that
// benchmarks can push many messages through it cheaply. Messages then
// returns nothing.
func CountOnly() Option {
	return func(o *options) { o.countOnly = true }
}

// IdleTimeout makes the server answer 421 and close a connection that has
// been silent for d, as real servers do with idle clients.
func IdleTimeout(d time.Duration) Option {
	return func(o *options) { o.idleTimeout = d }
}
