package bench

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/avisera/avisera/api"
	"github.com/avisera/avisera/email"
	"github.com/avisera/avisera/engine"
	"github.com/avisera/avisera/metrics"
	"github.com/avisera/avisera/queue"
	"github.com/avisera/avisera/store/sqlite"
	"github.com/avisera/avisera/store/sqlstore"
)

// opened is a fresh database and how to remove it once closed.
type opened struct {
	db     *sqlstore.DB
	remove func() error
}

func openSQLite(ctx context.Context) (opened, error) {
	dir, remove, err := tempDir()
	if err != nil {
		return opened{}, err
	}
	db, err := sqlite.Open(ctx, filepath.Join(dir, "avisera.db"))
	if err != nil {
		return opened{}, errors.Join(err, remove())
	}
	return opened{db: db, remove: remove}, nil
}

// server is an Avisera server running in this process, wired as
// cmd/avisera serve wires it, with its email going to the sink.
type server struct {
	db     opened
	sender *email.Sender
	queue  *queue.Queue
	http   *http.Server
	served chan error
	api    *apiClient
	// stopTimers ends the timer loop.
	stopTimers context.CancelFunc
}

// startServer opens a fresh database and serves the API on a loopback
// port. setupCtx bounds the start; runCtx is the life of the workers.
func startServer(setupCtx, runCtx context.Context, cfg Config, kind database, s *sink) (*server, error) {
	db, err := kind.open(setupCtx)
	if err != nil {
		return nil, err
	}
	srv := &server{db: db}
	if err := db.db.OpenConns(setupCtx); err != nil { // as serve does
		return nil, errors.Join(err, srv.close())
	}
	if err := srv.start(setupCtx, runCtx, cfg, s); err != nil {
		return nil, errors.Join(err, srv.close())
	}
	return srv, nil
}

func (srv *server) start(setupCtx, runCtx context.Context, cfg Config, s *sink) error {
	logger := cfg.Logger
	q, err := queue.New(srv.db.db, queue.Config{Workers: cfg.Workers, JobTimeout: time.Minute,
		RescueAfter: 2 * time.Minute}, logger)
	if err != nil {
		return err
	}
	ec, err := email.ParseURL(s.URL(cfg.Conns))
	if err != nil {
		return err
	}
	ec.From = mailFrom
	if srv.sender, err = email.NewSender(ec, logger.With("component", "smtp")); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	publicURL := "http://" + ln.Addr().String()
	m := metrics.New()
	// serve's defaults: retries for 24h, download links for 30 days, no
	// attachments.
	eng := engine.New(srv.db.db.Store(), engine.WithEmail(engine.SMTP{Sender: srv.sender}),
		engine.WithLogger(logger), engine.WithQueue(q), engine.WithMetrics(m),
		engine.WithRetryPolicy(engine.DefaultRetryPolicy), engine.WithPublicURL(publicURL),
		engine.WithFiles(30*24*time.Hour, 0))
	_, key, err := eng.CreateTenant(setupCtx, tenantName)
	if err != nil {
		ln.Close()
		return fmt.Errorf("create tenant: %w", err)
	}
	if err := q.Start(context.WithoutCancel(runCtx), eng); err != nil {
		ln.Close()
		return fmt.Errorf("start queue: %w", err)
	}
	srv.queue = q
	timersCtx, stopTimers := context.WithCancel(runCtx)
	srv.stopTimers = stopTimers
	go eng.RunTimers(timersCtx, time.Second) // as serve does, for its background load
	apiHandler := api.NewHandler(eng, api.Options{Logger: logger, PublicURL: publicURL})
	mux := http.NewServeMux()
	mux.Handle("/api/", apiHandler)
	mux.Handle("/d/", apiHandler)
	srv.http = &http.Server{Handler: m.Middleware(mux), ReadHeaderTimeout: 10 * time.Second}
	srv.served = make(chan error, 1)
	go func() { srv.served <- srv.http.Serve(ln) }()
	srv.api = newAPIClient(publicURL, key)
	return nil
}

// close stops the server as serve does (requests, then jobs), closes the
// SMTP pool and the database, and removes the database.
func (srv *server) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var errs []error
	if srv.stopTimers != nil {
		srv.stopTimers()
	}
	if srv.http != nil {
		errs = append(errs, srv.http.Shutdown(ctx))
		if err := <-srv.served; !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, err)
		}
		srv.api.close()
	}
	if srv.queue != nil {
		errs = append(errs, srv.queue.Stop(ctx))
	}
	if srv.sender != nil {
		errs = append(errs, srv.sender.Close())
	}
	errs = append(errs, srv.db.db.Close())
	return errors.Join(append(errs, srv.db.remove())...)
}
