package postgres_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
	"github.com/avisera/avisera/store/sqlstore"
	"github.com/avisera/avisera/store/storetest"
)

// BenchmarkInsertEvents writes what one group commit of the pipeline
// writes: 7 events of 10 deliveries each and their shared contents, in one
// transaction, with COPY (the store as it is) and with INSERT … SELECT
// FROM unnest(…) (the same store without Dialect.Copy), one after the
// other in each round so that both meet the same table and the same load.
// It reports, for each, the CPU per delivery of the PostgreSQL server's
// processes (from /proc, Linux only) and of this process while the call
// runs (with its garbage collection and the statistics keeper: noisy; a
// CPU profile tells the two ways' own work apart better: -cpuprofile, then
// pprof's -tagfocus way=copy or way=insert).
func BenchmarkInsertEvents(b *testing.B) {
	db := storetest.OpenPostgres(b)
	withoutCopy := db.Dialect()
	withoutCopy.Copy = nil
	ctx := context.Background()
	tid := uuid.NewString()
	if err := db.Store().CreateTenant(ctx, avisera.Tenant{ID: tid, Name: "Bench", CreatedAt: time.Now()}); err != nil {
		b.Fatal(err)
	}
	ways := []struct {
		name           string
		s              store.Store
		client, server time.Duration
	}{{name: "copy", s: db.Store()}, {name: "insert", s: sqlstore.New(db.WriteDB(), db.WriteDB(), withoutCopy).Store()}}
	const events, recipients = 7, 10
	var group int
	newGroup := func() []store.NewEvent {
		group++
		es := make([]store.NewEvent, events)
		for j := range es {
			es[j] = newBenchEvent(tid, strconv.Itoa(group)+"-"+strconv.Itoa(j), recipients)
		}
		return es
	}
	insert := func(s store.Store, es []store.NewEvent) {
		if err := s.Tx(ctx, func(tx store.Store) error { return tx.InsertEvents(ctx, es) }); err != nil {
			b.Fatal(err)
		}
	}
	for _, w := range ways {
		insert(w.s, newGroup()) // the connection is open and the statement prepared before measuring
	}
	server := newServerCPU()
	for b.Loop() {
		for i := range ways {
			w, es := &ways[i], newGroup()
			s0 := server.read() // reading /proc is left out of the client's time
			c0 := processCPU()
			pprof.Do(ctx, pprof.Labels("way", w.name), func(context.Context) { insert(w.s, es) })
			w.client += processCPU() - c0
			w.server += server.read() - s0
		}
	}
	n := float64(b.N * events * recipients)
	for _, w := range ways {
		b.ReportMetric(w.client.Seconds()*1e6/n, w.name+"-client-µs/delivery")
		b.ReportMetric(w.server.Seconds()*1e6/n, w.name+"-server-µs/delivery")
	}
}

// newBenchEvent is an event like the pipeline benchmark's: one shared
// content of ordinary size, and n deliveries to customer contacts.
func newBenchEvent(tid, id string, n int) store.NewEvent {
	now := time.Now()
	content := avisera.Rendered{ID: uuid.NewString(), Subject: id + " · Order 2026-00001 utförd hos Kund AB",
		HTML: strings.Repeat("<p>Dammsugning kontorsytor: Utförd</p>\n", 60), Text: strings.Repeat("- Dammsugning kontorsytor: Utförd\n", 35)}
	e := store.NewEvent{TenantID: tid, Contents: []avisera.Rendered{content}, Event: avisera.Event{ID: id,
		EventType: "order", Trigger: "completed", OccurredAt: now, Subject: avisera.Target{Type: "order", ID: "o-" + id},
		Data: []byte(`{"number":"2026-00001","name":"Kontorsstädning vecka 48"}`), Planned: n, AcceptedAt: now}}
	for i := range n {
		name := "Kontakt " + strconv.Itoa(i+1)
		e.Deliveries = append(e.Deliveries, avisera.Delivery{ID: uuid.Must(uuid.NewV7()).String(), EventID: id,
			EventType: "order", Trigger: "completed", OccurredAt: now, Object: avisera.Target{Type: "order", ID: "o-" + id},
			MessageID: "m-order", MessageVersion: 1, LinkIDs: []string{"l-order"}, Channel: avisera.ChannelEmail,
			RecipientName: name, Address: "kontakt-" + strconv.Itoa(i+1) + "@example.com", Language: "sv",
			ReachedVia: "via customer contacts (Kund AB)", OrgUnitID: "ou-bench", OrgUnitName: "Städ Norr",
			CustomerID: "cust-bench", Status: avisera.StatusQueued, StatusAt: now, CreatedAt: now,
			ContentID: content.ID, Subject: content.Subject, ProviderID: "<" + uuid.NewString() + "@avisera.localhost>"})
	}
	return e
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// serverCPU reads the CPU time of the processes named postgres that ran
// when it was made (the pool's connections are open by then).
type serverCPU []string

func newServerCPU() serverCPU {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var ours serverCPU
	for _, p := range stats {
		if b, err := os.ReadFile(p); err == nil && strings.Contains(string(b), " (postgres) ") {
			ours = append(ours, p)
		}
	}
	return ours
}

func (c serverCPU) read() time.Duration {
	var ticks float64
	for _, p := range c {
		b, err := os.ReadFile(p)
		if err != nil {
			continue // a process that has ended
		}
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) < 13 {
			continue
		}
		u, _ := strconv.ParseFloat(f[11], 64)
		k, _ := strconv.ParseFloat(f[12], 64)
		ticks += u + k
	}
	return time.Duration(ticks * float64(time.Second) / 100) // USER_HZ
}
