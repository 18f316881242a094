package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/avisera/avisera/bench"
)

// benchCmd measures the hot path against the raw SMTP limit of this machine
// in one run (package bench) and prints a table, or JSON with --json.
func benchCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench", "bench [flags]", stderr)
	var cfg bench.Config
	fs.IntVar(&cfg.Emails, "emails", 20000, "raw part: pre-rendered emails to blast at the sink")
	fs.IntVar(&cfg.Conns, "conns", 16, "SMTP connections of the raw client and of the server's pool")
	fs.IntVar(&cfg.Events, "events", 2000, "burst part: events to post")
	fs.IntVar(&cfg.Recipients, "recipients", 10, "recipients (customer contacts) per event")
	fs.IntVar(&cfg.Concurrency, "concurrency", 32, "burst part: requests in flight")
	fs.Float64Var(&cfg.Rate, "rate", 100, "paced part: events per second")
	fs.DurationVar(&cfg.Duration, "duration", bench.DefaultDuration, "paced part: how long to post")
	fs.IntVar(&cfg.Workers, "workers", 32, "the server's concurrent send jobs (as AVISERA_WORKERS)")
	fs.DurationVar(&cfg.Timeout, "timeout", bench.DefaultTimeout, "bound on each part, from its first request to its last mail")
	fs.StringVar(&cfg.PostgresURL, "postgres-url", getenv("AVISERA_TEST_POSTGRES_URL"),
		"also run on PostgreSQL, in a fresh schema dropped afterwards (env AVISERA_TEST_POSTGRES_URL)")
	fs.BoolVar(&cfg.SkipRaw, "skip-raw", false, "skip the raw SMTP part (no ratio then)")
	asJSON := fs.Bool("json", false, "print the results as JSON")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file (labels: db=sqlite|postgres)")
	blockProfile := fs.String("blockprofile", "", "write a profile of where goroutines waited (channels, locks, I/O pools) to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("bench: unexpected argument %q", fs.Arg(0))
	}
	cfg.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	cfg.Progress = stderr
	stop, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	if *blockProfile != "" {
		runtime.SetBlockProfileRate(int((10 * time.Microsecond).Nanoseconds()))
	}
	rep, err := bench.Run(ctx, cfg)
	err = errors.Join(err, stop(), writeProfile("block", *blockProfile))
	if rep != nil {
		if *asJSON {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			err = errors.Join(err, enc.Encode(rep))
		} else {
			err = errors.Join(err, rep.WriteTable(stdout))
		}
	}
	return err
}

// writeProfile writes the named runtime profile to path (nothing when
// empty).
func writeProfile(name, path string) error {
	if path == "" {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("%sprofile: %w", name, err)
	}
	return errors.Join(pprof.Lookup(name).WriteTo(f, 0), f.Close())
}

// startCPUProfile starts profiling into path (nothing when empty) and
// returns the function that stops and writes it.
func startCPUProfile(path string) (func() error, error) {
	if path == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpuprofile: %w", err)
	}
	return func() error {
		pprof.StopCPUProfile()
		return f.Close()
	}, nil
}
