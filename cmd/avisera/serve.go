package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/avisera/avisera/admin"
	"github.com/avisera/avisera/api"
	"github.com/avisera/avisera/email"
	"github.com/avisera/avisera/engine"
	"github.com/avisera/avisera/metrics"
	"github.com/avisera/avisera/queue"
	"github.com/avisera/avisera/sms"
	"github.com/avisera/avisera/store/postgres"
	"github.com/avisera/avisera/store/sqlite"
	"github.com/avisera/avisera/store/sqlstore"
)

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", "serve [flags]", stderr)
	cfg := bindConfig(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	logger, err := newLogger(cfg, stderr)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.OpenConns(ctx); err != nil { // the pool opens the rest when it needs them
		logger.Warn("could not open every database connection at start", "err", err)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	defer ln.Close()
	cfg.PublicURL = cfg.publicURL(ln.Addr())
	return runServer(ctx, cfg, db, ln, stdout, logger)
}

// runServer wires the engine, its queue and senders, and serves on ln
// until ctx ends.
func runServer(ctx context.Context, cfg *Config, db *sqlstore.DB, ln net.Listener, stdout io.Writer, logger *slog.Logger) error {
	m := metrics.New()
	q, err := queue.New(db, queue.Config{Workers: atoi(cfg.Workers), JobTimeout: duration(cfg.JobTimeout),
		RescueAfter: duration(cfg.RescueAfter)}, logger)
	if err != nil {
		return err
	}
	eng, closeSenders, err := newEngine(cfg, db, q, m, logger)
	if err != nil {
		return err
	}
	defer closeSenders()
	if err := announceTenant(ctx, eng, cfg, stdout, logger); err != nil {
		return err
	}
	if err := announceAdmin(ctx, eng, cfg, stdout); err != nil {
		return err
	}
	if err := q.Start(context.WithoutCancel(ctx), eng); err != nil {
		return fmt.Errorf("start queue: %w", err)
	}
	go eng.RunTimers(ctx, duration(cfg.TimerInterval))
	srv := &http.Server{Handler: m.Middleware(newMux(cfg, eng, db, m, logger)), ReadHeaderTimeout: 10 * time.Second}
	logger.Info("listening", "addr", ln.Addr().String(), "database", dbKind(cfg), "public_url", cfg.PublicURL,
		"email", emailKind(cfg), "sms", cfg.SMSProvider)
	err = serveUntilDone(ctx, srv, ln, logger)
	stopCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return errors.Join(err, q.Stop(stopCtx))
}

// newEngine builds the engine with the configured senders and settings.
func newEngine(cfg *Config, db *sqlstore.DB, q *queue.Queue, m *metrics.Metrics, logger *slog.Logger) (*engine.Engine, func(), error) {
	opts, closeSenders, err := senders(cfg, logger)
	if err != nil {
		return nil, nil, err
	}
	policy := engine.RetryPolicy{Base: duration(cfg.RetryBase), Cap: duration(cfg.RetryCap), MaxAge: duration(cfg.MaxAge)}
	eng := engine.New(db.Store(), append(opts, engine.WithLogger(logger), engine.WithQueue(q),
		engine.WithMetrics(m), engine.WithRetryPolicy(policy), engine.WithPublicURL(cfg.PublicURL),
		engine.WithFiles(duration(cfg.LinkTTL), size(cfg.AttachMax)),
		engine.WithSMSDefaults(engine.SMSDefaults{Provider: cfg.SMSProvider, URL: cfg.SMSURL, User: cfg.SMSUser,
			Password: cfg.SMSPassword, From: cfg.SMSFrom}))...)
	return eng, closeSenders, nil
}

// senders builds the email and SMS senders the configuration names; with
// none configured the engine uses the dev mailbox.
func senders(cfg *Config, logger *slog.Logger) ([]engine.Option, func(), error) {
	opts := []engine.Option{engine.WithEmailFrom(cfg.SMTPFrom)}
	closeFn := func() {}
	if cfg.SMTPURL != "" {
		ec, err := email.ParseURL(cfg.SMTPURL)
		if err != nil {
			return nil, nil, fmt.Errorf("AVISERA_SMTP_URL: %w", err)
		}
		if ec.From == "" {
			ec.From = cfg.SMTPFrom
		}
		s, err := email.NewSender(ec, logger.With("component", "smtp"))
		if err != nil {
			return nil, nil, fmt.Errorf("AVISERA_SMTP_URL: %w", err)
		}
		opts, closeFn = append(opts, engine.WithEmail(engine.SMTP{Sender: s})), func() { s.Close() }
	}
	if cfg.SMSProvider != "dev" {
		p, err := sms.New(cfg.SMSProvider, sms.Config{BaseURL: cfg.SMSURL, User: cfg.SMSUser, Password: cfg.SMSPassword})
		if err != nil {
			return nil, nil, fmt.Errorf("AVISERA_SMS_PROVIDER: %w", err)
		}
		opts = append(opts, engine.WithSMS(engine.SMSProvider{Provider: p, From: cfg.SMSFrom}))
	}
	return opts, closeFn, nil
}

func emailKind(cfg *Config) string {
	if cfg.SMTPURL == "" {
		return "dev mailbox"
	}
	return "smtp"
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// newMux wires the server's routes.
func newMux(cfg *Config, eng *engine.Engine, db *sqlstore.DB, m *metrics.Metrics, logger *slog.Logger) *http.ServeMux {
	mux := http.NewServeMux()
	apiHandler := api.NewHandler(eng, api.Options{Logger: logger, MaxFileSize: size(cfg.MaxFileSize), PublicURL: cfg.PublicURL})
	mux.Handle("/api/", apiHandler)
	mux.Handle("/d/", apiHandler)
	mux.Handle("/", admin.NewHandler(eng, db.Store(), admin.Options{Logger: logger,
		SecureCookies: strings.HasPrefix(cfg.PublicURL, "https://")}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := db.Store().Ping(ctx); err != nil {
			logger.Warn("not ready", "err", err)
			http.Error(w, "database unreachable", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	mux.Handle("GET /metrics", m.Handler())
	return mux
}

// serveUntilDone serves until ctx ends, then drains requests for up to 20s.
func serveUntilDone(ctx context.Context, srv *http.Server, ln net.Listener, logger *slog.Logger) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	logger.Info("stopped")
	return nil
}

// openDB opens SQLite in the data folder or PostgreSQL, migrated.
func openDB(ctx context.Context, cfg *Config) (*sqlstore.DB, error) {
	if cfg.usesPostgres() {
		return postgres.Open(ctx, cfg.DatabaseURL)
	}
	return sqlite.Open(ctx, cfg.sqlitePath())
}

func dbKind(cfg *Config) string {
	if cfg.usesPostgres() {
		return "postgres"
	}
	return "sqlite:" + cfg.sqlitePath()
}

// announceTenant creates the default tenant on first start and prints its
// API key once, also writing it to DATA_DIR/api-key (mode 0600).
func announceTenant(ctx context.Context, eng *engine.Engine, cfg *Config, stdout io.Writer, logger *slog.Logger) error {
	t, secret, err := eng.EnsureDefaultTenant(ctx, cfg.TenantName)
	if err != nil {
		return fmt.Errorf("default tenant: %w", err)
	}
	if secret == "" {
		keyFile := filepath.Join(cfg.DataDir, "api-key")
		if _, err := os.Stat(keyFile); err != nil {
			keyFile = "(none: create a key with avisera tenant create or POST /api/v1/api-keys)"
		}
		logger.Info("tenant ready", "tenant", t.Name, "api_key_file", keyFile)
		return nil
	}
	path := filepath.Join(cfg.DataDir, "api-key")
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return err
	}
	if err := os.WriteFile(path, []byte(secret+"\n"), 0o600); err != nil {
		return fmt.Errorf("write api key: %w", err)
	}
	fmt.Fprintf(stdout, "Created tenant %q. Its API key (shown once, also in %s):\n\n    %s\n\n", t.Name, path, secret)
	return nil
}

func newLogger(cfg *Config, w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		return nil, fmt.Errorf("AVISERA_LOG_LEVEL: %w", err)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(cfg.LogFormat) {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text", "":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("AVISERA_LOG_FORMAT must be text or json, got %q", cfg.LogFormat)
}
