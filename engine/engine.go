// Package engine holds Avisera's business rules, written once over the
// storage seam: validation of master data and contacts, the contact book's
// address ownership and search, tenants and API keys. Handlers (api, admin)
// call it; it never speaks HTTP or SQL.
package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/google/uuid"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

// Engine is the application service. Build it with New.
type Engine struct {
	store   store.Store
	now     func() time.Time
	logger  *slog.Logger
	queue   Queue
	metrics Recorder
	email   EmailSender
	sms     SMSSender
	policy  RetryPolicy

	publicURL   string
	linkTTL     time.Duration
	attachMax   int64
	smsDefaults SMSDefaults
	emailFrom   string // the dev mailbox's sender address
	smsRoutes   smsRoutes
	keys        keyCache
	versions    sync.Map // tenant/message/version → avisera.MessageVersion
	group       groupCommit
	master      masterCache
	revisions   revisions
	handoff     *handoff // deliveries of jobs just committed, for their first run
}

// WithPublicURL sets the base URL of download links and callback URLs.
func WithPublicURL(u string) Option {
	return func(e *Engine) { e.publicURL = strings.TrimSuffix(u, "/") }
}

// WithFiles sets how long download links work and the total size of
// reports attached to an email instead of linked (0: links only).
func WithFiles(linkTTL time.Duration, attachMax int64) Option {
	return func(e *Engine) { e.linkTTL, e.attachMax = linkTTL, attachMax }
}

// WithSMSDefaults records the installation's SMS settings: the sender id
// of every SMS whose tenant names none, and the provider for callbacks.
func WithSMSDefaults(d SMSDefaults) Option { return func(e *Engine) { e.smsDefaults = d } }

// WithEmailFrom sets the sender address the dev mailbox records for an
// email whose tenant names none (default avisera@localhost); an SMTP
// sender has its own (email.Config.From).
func WithEmailFrom(addr string) Option { return func(e *Engine) { e.emailFrom = addr } }

// Queue inserts send jobs in the caller's transaction (package queue) and
// says their ids.
type Queue interface {
	EnqueueSend(ctx context.Context, s store.Store, tenantID string, ids []string, at time.Time) (int64, error)
}

// Recorder receives the engine's measurements (package metrics).
type Recorder interface {
	EventAccepted(eventType, trigger string)
	DeliveryStatus(channel, status string)
	SendLatency(channel string, seconds float64)
}

type noRecorder struct{}

func (noRecorder) EventAccepted(string, string)  {}
func (noRecorder) DeliveryStatus(string, string) {}
func (noRecorder) SendLatency(string, float64)   {}

// WithQueue sets the queue deliveries are sent through.
func WithQueue(q Queue) Option { return func(e *Engine) { e.queue = q } }

// WithMetrics sets the recorder of measurements.
func WithMetrics(r Recorder) Option { return func(e *Engine) { e.metrics = r } }

// WithEmail sets the email sender; without one, mail goes to the dev mailbox.
func WithEmail(s EmailSender) Option { return func(e *Engine) { e.email = s } }

// WithSMS sets the SMS sender; without one, SMS go to the dev mailbox.
func WithSMS(s SMSSender) Option { return func(e *Engine) { e.sms = s } }

// WithRetryPolicy sets how temporary failures are retried.
func WithRetryPolicy(p RetryPolicy) Option { return func(e *Engine) { e.policy = p } }

// Option configures an Engine.
type Option func(*Engine)

// WithClock makes the engine read time from now (tests move time).
func WithClock(now func() time.Time) Option { return func(e *Engine) { e.now = now } }

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(e *Engine) { e.logger = l } }

// New returns an Engine over s.
func New(s store.Store, opts ...Option) *Engine {
	e := &Engine{store: s, now: time.Now, logger: slog.New(slog.DiscardHandler), metrics: noRecorder{},
		policy: DefaultRetryPolicy, publicURL: "http://127.0.0.1:8080", linkTTL: 30 * 24 * time.Hour,
		emailFrom: "avisera@localhost", handoff: newHandoff()}
	for _, o := range opts {
		o(e)
	}
	if e.email == nil {
		e.email = &devEmail{store: s, now: e.Now, from: e.emailFrom}
	}
	if e.sms == nil {
		e.sms = &devSMS{store: s, now: e.Now}
	}
	return e
}

// Store returns the engine's store.
func (e *Engine) Store() store.Store { return e.store }

// Now returns the engine's current time in UTC.
func (e *Engine) Now() time.Time { return e.now().UTC() }

// newID returns a new time-ordered identifier for objects Avisera creates.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// notFound maps store.ErrNotFound to an ENOTFOUND error for kind and id.
func notFound(err error, kind, id string) error {
	if errors.Is(err, store.ErrNotFound) {
		return avisera.NotFound(kind, id)
	}
	return err
}

// checkID validates an identifier given by the host system.
func checkID(field, id string) error {
	switch {
	case id == "":
		return avisera.Invalid(field, "is required")
	case len(id) > 200:
		return avisera.Invalid(field, "is longer than 200 characters")
	case strings.ContainsFunc(id, func(r rune) bool { return unicode.IsControl(r) || r == '/' }):
		return avisera.Invalid(field, "must not contain control characters or /")
	}
	return nil
}

// required validates a required text value.
func required(field, v string, max int) error {
	switch {
	case strings.TrimSpace(v) == "":
		return avisera.Invalid(field, "is required")
	case len(v) > max:
		return avisera.Invalid(field, "is longer than %d characters", max)
	}
	return nil
}

// checkPeriod validates that a validity period does not end before it starts.
func checkPeriod(from, to *time.Time) error {
	if from != nil && to != nil && !to.After(*from) {
		return avisera.Invalid("valid_to", "must be after valid_from")
	}
	return nil
}

// checkLanguage accepts the message languages Avisera has.
func checkLanguage(field, lang string) error {
	if lang == "" || lang == "sv" || lang == "en" {
		return nil
	}
	return avisera.Invalid(field, "must be sv or en, not %q", lang)
}

// checkTimeZone accepts IANA zone names.
func checkTimeZone(field, tz string) error {
	if tz == "" {
		return nil
	}
	if _, err := avisera.LoadLocation(tz); err != nil || tz == "Local" {
		return avisera.Invalid(field, "%q is not a known time zone", tz)
	}
	return nil
}

// first returns the first non-nil error.
func first(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// mustExist returns a 422 naming field when the referenced object is absent.
func mustExist(ctx context.Context, field, kind, id string, get func(context.Context) error) error {
	if id == "" {
		return nil
	}
	err := get(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return avisera.Invalid(field, "%s %q does not exist", kind, id)
	}
	if err != nil {
		return fmt.Errorf("check %s: %w", field, err)
	}
	return nil
}
