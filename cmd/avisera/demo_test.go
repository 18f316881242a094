package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/engine"
	"github.com/avisera/avisera/store"
	"github.com/avisera/avisera/store/sqlite"
)

// TestDemo seeds twice (the second run changes nothing) and finds the
// demo's events queued for sending.
func TestDemo(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := func(k string) string {
		if k == "AVISERA_DATA_DIR" {
			return dir
		}
		return ""
	}
	for i := range 2 {
		var out, errOut bytes.Buffer
		if err := run(context.Background(), []string{"demo"}, env, &out, &errOut); err != nil {
			t.Fatalf("demo run %d: %v\n%s", i+1, err, errOut.String())
		}
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "avisera.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	eng := engine.New(db.Store())
	tn, _, err := eng.EnsureDefaultTenant(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	l, err := eng.ListDeliveries(context.Background(), tn.ID, store.DeliveryFilter{Statuses: []string{avisera.StatusQueued}}, avisera.Page{})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Items) != 4 {
		t.Errorf("queued deliveries = %d, want 4 (2 orders × Åsa and Maria)", len(l.Items))
	}
	p, err := eng.GetPlan(context.Background(), tn.ID, "work_shift", "demo-pass-1")
	if err != nil || len(p.Timers) != 1 {
		t.Errorf("demo shift = %+v, %v; want one not_started timer", p, err)
	}
}
