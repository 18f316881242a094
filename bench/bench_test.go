package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/avisera/avisera/store/storetest"
)

// TestRunSmoke runs every part with tiny numbers and checks that the
// results are complete and sane. It asserts no timing (STYLE rule 9): the
// numbers only have to exist.
func TestRunSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("starts servers; skipped with -short")
	}
	cfg := Config{Emails: 200, Conns: 4, Events: 20, Recipients: 3, Concurrency: 4, Rate: 20,
		Duration: time.Second, Timeout: 2 * time.Minute, PostgresURL: os.Getenv(storetest.PostgresEnv)}
	rep, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if r := rep.Raw; r == nil || r.Emails != 200 || r.MsgsPerSec <= 0 || r.FlightMsgsPerSec <= 0 ||
		r.SmtptestMsgsPerSec <= 0 || r.AvgBytes < 1000 {
		t.Errorf("raw = %+v, want 200 emails of over 1000 bytes at positive rates", r)
	}
	wantDBs := 1
	if cfg.PostgresURL != "" {
		wantDBs = 2
	}
	if len(rep.Databases) != wantDBs {
		t.Fatalf("got %d database results, want %d", len(rep.Databases), wantDBs)
	}
	for _, d := range rep.Databases {
		checkBurst(t, d.Database, d.Burst)
		checkPaced(t, d.Database, d.Paced)
	}
	var table bytes.Buffer
	if err := rep.WriteTable(&table); err != nil || !strings.Contains(table.String(), "sqlite") {
		t.Errorf("WriteTable = %v, %q; want a table naming sqlite", err, table.String())
	}
	t.Logf("\n%s", table.String())
	if _, err := json.Marshal(rep); err != nil {
		t.Errorf("json.Marshal(report): %v", err)
	}
}

func checkBurst(t *testing.T, db string, b *BurstResult) {
	t.Helper()
	switch {
	case b == nil:
		t.Fatalf("%s: no burst result", db)
	case b.Events != 20 || b.Deliveries != 60:
		t.Errorf("%s: burst of %d events, %d deliveries; want 20 and 60", db, b.Events, b.Deliveries)
	case b.DeliveriesPerSec <= 0 || b.Seconds <= 0 || b.RawMsgsPerSec <= 0 || b.Ratio <= 0 || b.CPURatio <= 0 ||
		b.FlightRatio <= 0:
		t.Errorf("%s: burst %.1f deliveries/s in %.3fs, raw %.1f msgs/s, ratio %.3f, CPU ratio %.3f, flight ratio %.3f; "+
			"want all positive", db, b.DeliveriesPerSec, b.Seconds, b.RawMsgsPerSec, b.Ratio, b.CPURatio, b.FlightRatio)
	case b.Latency.P50Ms > b.Latency.P99Ms || b.Latency.P99Ms > b.Latency.MaxMs:
		t.Errorf("%s: burst latency %+v is not ordered p50 ≤ p99 ≤ max", db, b.Latency)
	case b.Memory.PeakHeapInuse == 0 || b.Memory.PeakSys < b.Memory.PeakHeapInuse:
		t.Errorf("%s: burst memory %+v, want a heap peak within the sys peak", db, b.Memory)
	case b.AvgBytes < 1000:
		t.Errorf("%s: burst mails of %d bytes on average, want a rendered notification", db, b.AvgBytes)
	}
}

func checkPaced(t *testing.T, db string, p *PacedResult) {
	t.Helper()
	switch {
	case p == nil:
		t.Fatalf("%s: no paced result", db)
	case p.Events != 20 || p.Deliveries != 60:
		t.Errorf("%s: paced %d events, %d deliveries; want 20 and 60", db, p.Events, p.Deliveries)
	case p.AchievedRate <= 0:
		t.Errorf("%s: paced achieved rate %g, want positive", db, p.AchievedRate)
	case p.Latency.P50Ms > p.Latency.P99Ms || p.Latency.P99Ms > p.Latency.MaxMs || p.Latency.MaxMs <= 0:
		t.Errorf("%s: paced latency %+v is not ordered 0 < p50 ≤ p99 ≤ max", db, p.Latency)
	}
}

func TestLatencyOf(t *testing.T) {
	t.Parallel()
	ms := func(n ...int) []time.Duration {
		out := make([]time.Duration, len(n))
		for i, v := range n {
			out[i] = time.Duration(v) * time.Millisecond
		}
		return out
	}
	tests := []struct {
		in   []time.Duration
		want Latency
	}{
		{nil, Latency{}},
		{ms(7), Latency{7, 7, 7}},
		{ms(5, 1, 4, 2, 3), Latency{3, 5, 5}},
		{ms(100, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
			29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56,
			57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84,
			85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99), Latency{50, 99, 100}},
	}
	for _, tt := range tests {
		if got := latencyOf(tt.in); got != tt.want {
			t.Errorf("latencyOf(%v) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestEventOf(t *testing.T) {
	t.Parallel()
	tests := []struct{ subject, want string }{
		{"burst-000001 · Order 2026-00001 utförd hos Kund AB", "burst-000001"},
		{"=?UTF-8?q?paced-000042_=C2=B7_Order_2026-00042_utf=C3=B6rd?= =?UTF-8?q?_hos_Kund_AB?=", "paced-000042"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := eventOf(tt.subject); got != tt.want {
			t.Errorf("eventOf(%q) = %q, want %q", tt.subject, got, tt.want)
		}
	}
}

func TestMachineCPU(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/proc/stat"); err != nil {
		t.Skip("no /proc/stat here")
	}
	before := machineCPU()
	for deadline := time.Now().Add(50 * time.Millisecond); time.Now().Before(deadline); {
	}
	if after := machineCPU(); before <= 0 || after <= before { // 50 ms busy are five ticks of /proc/stat
		t.Errorf("machineCPU = %v, then %v; want a positive, growing count", before, after)
	}
}
