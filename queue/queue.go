// Package queue is Avisera's durable job queue: River
// (github.com/riverqueue/river) on the same database as the rest, SQLite or
// PostgreSQL. Jobs are inserted in the transaction that writes the rows
// they work on, so an accepted event is never without its send job.
package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"github.com/avisera/avisera/store"
	"github.com/avisera/avisera/store/sqlstore"
)

// SendArgs asks to send deliveries: those of accepted events, or those
// whose retry is due.
//
// The ids travel as one space-separated string, not a JSON array: River
// indexes every job's args with a GIN index, which holds an entry per
// array element, so an array of 200 ids costs 200 index entries each time
// the job is inserted and each time its state changes (on PostgreSQL,
// about a tenth of the database's work per delivery).
type SendArgs struct {
	TenantID   string `json:"tenant_id"`
	Deliveries string `json:"deliveries,omitempty"`
	// DeliveryIDs is the form jobs queued by earlier versions have.
	DeliveryIDs []string `json:"delivery_ids,omitempty"`
}

// NewSendArgs returns the args of a job that sends ids.
func NewSendArgs(tenantID string, ids []string) SendArgs {
	return SendArgs{TenantID: tenantID, Deliveries: strings.Join(ids, " ")}
}

// IDs returns the ids of the deliveries to send.
func (a SendArgs) IDs() []string {
	return append(strings.Fields(a.Deliveries), a.DeliveryIDs...)
}

// Kind implements river.JobArgs.
func (SendArgs) Kind() string { return "send_deliveries" }

// Sender does the work of a send job. It sends only deliveries still
// pending and records their outcome in one transaction, so a job that runs
// again (its process died before River marked it complete) re-sends at
// most what was in flight; again says it is such a run. job is the job's
// id, as EnqueueSend returned it.
type Sender interface {
	SendDeliveries(ctx context.Context, job int64, tenantID string, ids []string, again bool) error
}

// Config tunes the queue.
type Config struct {
	Workers      int           // concurrent jobs per process (default 32)
	JobTimeout   time.Duration // a job running longer is cancelled (default 1m)
	RescueAfter  time.Duration // a job left running this long runs again, whoever holds it (default 2m)
	PollInterval time.Duration // how often idle workers look for jobs (default 50ms)
	// Heartbeat is how often the queue says it is alive and looks for
	// silent processes (default 2s); a process unseen for SilentAfter
	// (default 15s) is taken for dead and its running jobs run again. A
	// process that could not say so for half of SilentAfter cancels its
	// own running jobs first (see process.go).
	Heartbeat, SilentAfter time.Duration
}

func (c Config) withDefaults() Config {
	if c.Workers <= 0 {
		c.Workers = 32
	}
	if c.JobTimeout <= 0 {
		c.JobTimeout = time.Minute
	}
	if c.RescueAfter <= c.JobTimeout {
		c.RescueAfter = 2 * c.JobTimeout
	}
	if c.PollInterval <= 0 {
		c.PollInterval = 50 * time.Millisecond
	}
	if c.Heartbeat <= 0 {
		c.Heartbeat = 2 * time.Second
	}
	if c.SilentAfter <= c.Heartbeat {
		c.SilentAfter = max(15*time.Second, 3*c.Heartbeat)
	}
	return c
}

// Queue wraps the River client.
type Queue struct {
	client *river.Client[*sql.Tx]
	exec   riverdriver.Executor // River's own statements, to run a dead process's jobs again
	db     *sqlstore.DB
	cfg    Config
	sender Sender
	logger *slog.Logger
	life   *life // the process's registration; nil until Start
}

// New builds the queue on db. Call Start to work jobs; a queue that is not
// started only inserts (for commands such as migrate).
func New(db *sqlstore.DB, cfg Config, logger *slog.Logger) (*Queue, error) {
	cfg = cfg.withDefaults()
	q := &Queue{logger: logger, db: db, cfg: cfg}
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &sendWorker{q: q, timeout: cfg.JobTimeout}); err != nil {
		return nil, err
	}
	var driver riverdriver.Driver[*sql.Tx]
	if db.Dialect().Name == "postgres" {
		driver = riverdatabasesql.New(db.WriteDB())
	} else {
		driver = riversqlite.New(db.WriteDB())
	}
	client, err := river.NewClient(driver, &river.Config{
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}},
		Workers:              workers,
		JobTimeout:           cfg.JobTimeout,
		RescueStuckJobsAfter: cfg.RescueAfter,
		FetchPollInterval:    cfg.PollInterval,
		FetchCooldown:        cfg.PollInterval / 2,
		PollOnly:             true,
		MaxAttempts:          25,
		Logger:               logger.With("component", "river"),
	})
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	q.client, q.exec = client, driver.GetExecutor()
	return q, nil
}

// Start works jobs with sender until Stop. The process is registered
// alive before it takes its first job.
func (q *Queue) Start(ctx context.Context, sender Sender) error {
	q.sender = sender
	l, err := q.register(ctx)
	if err != nil {
		return fmt.Errorf("queue: register process: %w", err)
	}
	if err := q.client.Start(ctx); err != nil {
		return err
	}
	q.life = l
	go q.keepAlive(ctx, l)
	return nil
}

// Stop lets running jobs finish (bounded by ctx), then stops and leaves
// the process registry.
func (q *Queue) Stop(ctx context.Context) error {
	err := q.client.Stop(ctx)
	if q.life == nil {
		return err
	}
	select {
	case <-q.life.done:
	case <-ctx.Done():
		return errors.Join(err, ctx.Err())
	}
	if err == nil {
		err = q.unregister(ctx)
	}
	return err
}

// EnqueueSend inserts a send job in s's transaction, to run at at (now when
// zero), and returns its id.
func (q *Queue) EnqueueSend(ctx context.Context, s store.Store, tenantID string, ids []string, at time.Time) (int64, error) {
	txer, ok := s.(interface{ SQLTx() *sql.Tx })
	if !ok || txer.SQLTx() == nil {
		return 0, errors.New("queue: EnqueueSend must run inside a store transaction")
	}
	opts := &river.InsertOpts{}
	if !at.IsZero() {
		opts.ScheduledAt = at
	}
	res, err := q.client.InsertTx(ctx, txer.SQLTx(), NewSendArgs(tenantID, ids), opts)
	if err != nil {
		return 0, fmt.Errorf("queue: insert send job: %w", err)
	}
	return res.Job.ID, nil
}

// sendWorker runs send jobs.
type sendWorker struct {
	river.WorkerDefaults[SendArgs]
	q       *Queue
	timeout time.Duration
}

// Timeout implements river.Worker.
func (w *sendWorker) Timeout(*river.Job[SendArgs]) time.Duration { return w.timeout }

// Work implements river.Worker.
func (w *sendWorker) Work(ctx context.Context, job *river.Job[SendArgs]) error {
	if w.q.sender == nil {
		return errors.New("queue: not started with a sender")
	}
	ctx, cancel, fenced := w.q.fenced(ctx)
	defer cancel()
	if fenced { // this process may be taken for dead: leave the job to another, or to later
		return river.JobSnooze(w.q.cfg.Heartbeat)
	}
	return w.q.sender.SendDeliveries(ctx, job.ID, job.Args.TenantID, job.Args.IDs(), job.Attempt > 1)
}
