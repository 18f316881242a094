// Package bench measures Avisera's hot path (event → deliveries → SMTP)
// against the raw SMTP limit of the same machine, in one run, so that the
// ratio between the two is meaningful (DESIGN §8). Everything runs in one
// process on the loopback interface: an SMTP sink that counts messages and
// notes when each delivery arrived, a minimal go-smtp client that blasts
// pre-rendered mail at it (the raw limit), and a real Avisera server — the
// pieces cmd/avisera serve wires — on a fresh database, driven through its
// HTTP API in a burst and at a fixed rate.
//
// It is the library behind "avisera bench"; it asserts nothing about time.
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

// Config says how much work each part of the benchmark does. Zero fields
// take the defaults listed.
type Config struct {
	Emails      int           // raw part: pre-rendered emails blasted (20000)
	Conns       int           // SMTP connections of the raw client and of the server's pool (16)
	Events      int           // burst part: events posted (2000)
	Recipients  int           // contacts per event, so deliveries = Events × Recipients (10)
	Concurrency int           // burst part: requests in flight (32)
	Rate        float64       // paced part: events per second (100)
	Duration    time.Duration // paced part: how long events are posted (10s)
	Workers     int           // the server's concurrent send jobs, as AVISERA_WORKERS (32)
	Timeout     time.Duration // bound on each part, from its first request to its last mail (5m)
	PostgresURL string        // also run on PostgreSQL, in a fresh schema of this database
	SkipRaw     bool          // skip the raw part (no ratio is reported then)
	// Logger receives the server's warnings and errors; nil discards them.
	Logger *slog.Logger
	// Progress receives one line per part as it starts; nil discards.
	Progress io.Writer
}

// Defaults of the paced part's length and of the bound on each part.
const (
	DefaultDuration = 10 * time.Second
	DefaultTimeout  = 5 * time.Minute
)

// Targets of the issue: the pipeline's share of the raw limit per database
// and the paced run's p99 latency.
const (
	TargetRatioSQLite   = 0.5
	TargetRatioPostgres = 0.7
	TargetPacedP99      = 2 * time.Second
)

func (c Config) withDefaults() Config {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&c.Emails, 20000)
	def(&c.Conns, 16)
	def(&c.Events, 2000)
	def(&c.Recipients, 10)
	def(&c.Concurrency, 32)
	def(&c.Workers, 32)
	if c.Rate <= 0 {
		c.Rate = 100
	}
	if c.Duration <= 0 {
		c.Duration = DefaultDuration
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Progress == nil {
		c.Progress = io.Discard
	}
	return c
}

func (c Config) validate() error {
	switch {
	case c.Recipients > 1000:
		return fmt.Errorf("bench: %d recipients: at most 1000", c.Recipients)
	case c.Conns > 1000:
		return fmt.Errorf("bench: %d connections: at most 1000", c.Conns)
	case c.Rate*c.Duration.Seconds() < 1:
		return fmt.Errorf("bench: rate %g for %v posts no event", c.Rate, c.Duration)
	case c.Rate > 10000:
		return fmt.Errorf("bench: rate %g: at most 10000 events/s", c.Rate)
	}
	return nil
}

// Run runs the raw part (unless skipped), then the burst and paced parts on
// SQLite and, when a PostgreSQL URL is given, on PostgreSQL. Each database
// run is labelled db=<name> for CPU profiles (go tool pprof -tagfocus).
func Run(ctx context.Context, cfg Config) (*Report, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	sink, err := newSink()
	if err != nil {
		return nil, err
	}
	defer sink.Close()
	rep := newReport(cfg)
	defer func() { rep.LoadEnd = loadAverage() }()
	var msgs *rawMessages
	if !cfg.SkipRaw {
		if msgs, err = newRawMessages(cfg.Emails); err != nil {
			return nil, err
		}
		fmt.Fprintf(cfg.Progress, "raw: %d emails over %d connections\n", cfg.Emails, cfg.Conns)
		if rep.Raw, err = runRaw(ctx, cfg, sink, msgs); err != nil {
			return rep, err
		}
	}
	dbs := []database{sqliteDB()}
	if cfg.PostgresURL != "" {
		dbs = append(dbs, postgresDB(cfg.PostgresURL))
	}
	for _, db := range dbs {
		var res DatabaseResult
		pprof.Do(ctx, pprof.Labels("db", db.name), func(ctx context.Context) {
			res, err = runDatabase(ctx, cfg, sink, db, msgs)
		})
		rep.Databases = append(rep.Databases, res)
		if err != nil {
			return rep, fmt.Errorf("bench: %s: %w", db.name, err)
		}
	}
	return rep, nil
}

// runDatabase starts a server on a fresh database and runs the burst and
// paced parts against it. With msgs, the raw limit is measured again right
// before the burst, so that the ratio compares two measurements taken under
// the same load from the rest of the machine.
func runDatabase(ctx context.Context, cfg Config, sink *sink, db database, msgs *rawMessages) (res DatabaseResult, err error) {
	res.Database = db.name
	fmt.Fprintf(cfg.Progress, "%s: starting a server on a fresh database\n", db.name)
	setupCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	srv, err := startServer(setupCtx, ctx, cfg, db, sink)
	if err != nil {
		return res, err
	}
	defer func() { err = errors.Join(err, srv.close()) }()
	if err := setupFixtures(setupCtx, srv.api, cfg.Recipients); err != nil {
		return res, fmt.Errorf("set up: %w", err)
	}
	var raw *RawResult
	if msgs != nil {
		fmt.Fprintf(cfg.Progress, "%s: raw limit again, right before the burst\n", db.name)
		rawCtx, cancel := context.WithTimeout(ctx, cfg.Timeout)
		raw, err = rawLimit(rawCtx, cfg, sink, msgs)
		cancel()
		if err != nil {
			return res, fmt.Errorf("raw: %w", err)
		}
	}
	fmt.Fprintf(cfg.Progress, "%s: burst of %d events × %d recipients, %d in flight\n",
		db.name, cfg.Events, cfg.Recipients, cfg.Concurrency)
	burst, err := runBurst(ctx, cfg, srv.api, sink)
	if err != nil {
		return res, fmt.Errorf("burst: %w", err)
	}
	if raw != nil {
		burst.RawMsgsPerSec, burst.RawCPUMicrosPerMsg = raw.MsgsPerSec, raw.CPUMicrosPerMsg
		burst.Ratio = burst.DeliveriesPerSec / raw.MsgsPerSec
		burst.RawFlightMsgsPerSec, burst.FlightRatio = raw.FlightMsgsPerSec, burst.DeliveriesPerSec/raw.FlightMsgsPerSec
		burst.CPURatio = raw.CPUMicrosPerMsg / burst.CPUMicrosPerDelivery
		burst.TargetRatio = db.targetRatio
		burst.MeetsTarget = burst.Ratio >= db.targetRatio
	}
	res.Burst = burst
	fmt.Fprintf(cfg.Progress, "%s: paced, %g events/s for %v\n", db.name, cfg.Rate, cfg.Duration)
	paced, err := runPaced(ctx, cfg, srv.api, sink)
	if err != nil {
		return res, fmt.Errorf("paced: %w", err)
	}
	res.Paced = paced
	return res, nil
}

// database is a kind of database the benchmark can start a server on.
type database struct {
	name        string
	targetRatio float64
	// open returns a fresh database and a function that removes it.
	open func(ctx context.Context) (opened, error)
}

func sqliteDB() database {
	return database{name: "sqlite", targetRatio: TargetRatioSQLite, open: openSQLite}
}

func postgresDB(url string) database {
	return database{name: "postgres", targetRatio: TargetRatioPostgres, open: func(ctx context.Context) (opened, error) {
		return openPostgres(ctx, url)
	}}
}

// tempDir makes a temporary folder for a SQLite database.
func tempDir() (string, func() error, error) {
	dir, err := os.MkdirTemp("", "avisera-bench-")
	if err != nil {
		return "", nil, fmt.Errorf("temporary folder: %w", err)
	}
	return dir, func() error { return os.RemoveAll(dir) }, nil
}

// hostInfo describes the machine the numbers belong to.
type hostInfo struct {
	GoVersion  string `json:"go_version"`
	OS         string `json:"os"`
	Arch       string `json:"arch"`
	NumCPU     int    `json:"num_cpu"`
	GOMAXPROCS int    `json:"gomaxprocs"`
}

func host() hostInfo {
	return hostInfo{GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH,
		NumCPU: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0)}
}
