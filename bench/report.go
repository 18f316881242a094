package bench

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is the result of a Run; it encodes as the JSON of --json.
type Report struct {
	StartedAt time.Time        `json:"started_at"`
	Host      hostInfo         `json:"host"`
	LoadStart string           `json:"load_average_start"` // 1-minute load average; "" where unknown
	LoadEnd   string           `json:"load_average_end"`
	Config    ReportConfig     `json:"config"`
	Raw       *RawResult       `json:"raw,omitempty"`
	Databases []DatabaseResult `json:"databases"`
}

// ReportConfig is the configuration a report was made with.
type ReportConfig struct {
	Emails          int     `json:"emails"`
	Conns           int     `json:"conns"`
	Events          int     `json:"events"`
	Recipients      int     `json:"recipients"`
	Concurrency     int     `json:"concurrency"`
	Rate            float64 `json:"rate"`
	DurationSeconds float64 `json:"duration_s"`
	Workers         int     `json:"workers"`
	Postgres        bool    `json:"postgres"`
}

// DatabaseResult holds the pipeline parts run on one database.
type DatabaseResult struct {
	Database string       `json:"database"`
	Burst    *BurstResult `json:"burst,omitempty"`
	Paced    *PacedResult `json:"paced,omitempty"`
}

func newReport(cfg Config) *Report {
	return &Report{StartedAt: time.Now().UTC(), Host: host(), LoadStart: loadAverage(), Config: ReportConfig{Emails: cfg.Emails,
		Conns: cfg.Conns, Events: cfg.Events, Recipients: cfg.Recipients, Concurrency: cfg.Concurrency,
		Rate: cfg.Rate, DurationSeconds: cfg.Duration.Seconds(), Workers: cfg.Workers,
		Postgres: cfg.PostgresURL != ""}}
}

// WriteTable writes the report for people: the raw limit, a throughput
// table of the bursts and a latency and memory table of every part.
func (r *Report) WriteTable(w io.Writer) error {
	b := &strings.Builder{}
	fmt.Fprintf(b, "%s %s/%s, %d CPUs (GOMAXPROCS %d), load average %s → %s; server: %d send workers, SMTP pool %d\n\n",
		r.Host.GoVersion, r.Host.OS, r.Host.Arch, r.Host.NumCPU, r.Host.GOMAXPROCS, r.LoadStart, r.LoadEnd,
		r.Config.Workers, r.Config.Conns)
	if raw := r.Raw; raw != nil {
		fmt.Fprintf(b, "(a) raw SMTP limit: %d emails of %d B over %d connections (MAIL, RCPT, DATA) in %.2fs: %.0f msgs/s, %.0f µs CPU/msg\n",
			raw.Emails, raw.AvgBytes, raw.Conns, raw.Seconds, raw.MsgsPerSec, raw.CPUMicrosPerMsg)
		fmt.Fprintf(b, "    the same as flights (MAIL, RCPT, BDAT in one write, as Avisera sends to this sink): %.0f msgs/s, %.0f µs CPU/msg\n",
			raw.FlightMsgsPerSec, raw.FlightCPUMicrosPerMsg)
		fmt.Fprintf(b, "    against smtptest count-only %.0f msgs/s\n\n", raw.SmtptestMsgsPerSec)
	} else {
		b.WriteString("(a) raw SMTP limit: skipped, so no ratios\n\n")
	}
	b.WriteString("(b) burst, first POST → last mail at the sink; ratio = mails/s ÷ raw msgs/s measured just before " +
		"(MAIL, RCPT, DATA: the issue's plain blaster); flights = mails/s ÷ raw flights/s measured just before\n")
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "database\tevents\tmails\tseconds\tmails/s\traw msgs/s\tratio\ttarget\traw flights/s\tflights\tCPU µs/mail\trest µs/mail\traw CPU µs/msg\tCPU ratio\tload\t")
	for _, d := range r.Databases {
		if x := d.Burst; x != nil {
			target := "-"
			if x.TargetRatio > 0 {
				target = fmt.Sprintf("≥%.1f %s", x.TargetRatio, yesNo(x.MeetsTarget))
			}
			fmt.Fprintf(tw, "%s\t%d\t%d\t%.2f\t%.0f\t%.0f\t%.3f\t%s\t%.0f\t%.3f\t%.0f\t%.0f\t%.0f\t%.3f\t%s\t\n",
				d.Database, x.Events, x.Deliveries, x.Seconds, x.DeliveriesPerSec, x.RawMsgsPerSec, x.Ratio, target,
				x.RawFlightMsgsPerSec, x.FlightRatio,
				x.CPUMicrosPerDelivery, x.OtherCPUMicrosPerDelivery, x.RawCPUMicrosPerMsg, x.CPURatio, x.LoadAverage)
		}
	}
	tw.Flush()
	b.WriteString("\nlatency: event's 202 → each of its mails at the sink; 202: POST sent → 202 received (ms)\n")
	tw = tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "database\tpart\tevents\tmails\tp50\tp99\tmax\t202 p50\t202 p99\ttarget\tpeak heap\tpeak sys\tmax rss\t")
	for _, d := range r.Databases {
		if x := d.Burst; x != nil {
			fmt.Fprintf(tw, "%s\t(b) burst ×%d\t%d\t%d\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t-\t%s\t%s\t%s\t\n",
				d.Database, x.Concurrency, x.Events, x.Deliveries, x.Latency.P50Ms, x.Latency.P99Ms, x.Latency.MaxMs,
				x.AcceptLatency.P50Ms, x.AcceptLatency.P99Ms,
				mib(x.Memory.PeakHeapInuse), mib(x.Memory.PeakSys), mib(x.Memory.MaxRSS))
		}
		if x := d.Paced; x != nil {
			fmt.Fprintf(tw, "%s\t(c) %g/s for %gs\t%d\t%d\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\tp99<%.0fs %s\t%s\t%s\t%s\t\n",
				d.Database, x.Rate, x.DurationSeconds, x.Events, x.Deliveries, x.Latency.P50Ms, x.Latency.P99Ms,
				x.Latency.MaxMs, x.AcceptLatency.P50Ms, x.AcceptLatency.P99Ms, x.TargetP99Ms/1000, yesNo(x.MeetsTarget),
				mib(x.Memory.PeakHeapInuse), mib(x.Memory.PeakSys), mib(x.Memory.MaxRSS))
		}
	}
	tw.Flush()
	b.WriteString("\nmemory: the whole process (server, HTTP client, sink), sampled every 100 ms; max rss: the process's peak so far.\n" +
		"CPU ratio: raw CPU per message ÷ pipeline CPU per mail, the ratio an otherwise idle machine would allow.\n" +
		"rest: CPU the rest of the machine spent per mail meanwhile (PostgreSQL's server when it runs here; Linux only).\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func yesNo(ok bool) string {
	if ok {
		return "ok"
	}
	return "MISSED"
}

func mib(n uint64) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
}
