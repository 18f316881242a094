package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/avisera/avisera/store"
)

// testLock checks that a transaction locking a name held by another waits
// for it to end, and that Lock refuses to run outside a transaction.
func testLock(t *testing.T, s store.Store) {
	if err := s.Lock(ctx, "org_units:t1"); err == nil {
		t.Error("Lock outside a transaction: no error")
	}
	held, release := make(chan struct{}), make(chan struct{})
	var mu sync.Mutex
	var order []string
	note := func(who string) {
		mu.Lock()
		defer mu.Unlock()
		order = append(order, who)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		must(t, s.Tx(ctx, func(tx store.Store) error {
			if err := tx.Lock(ctx, "org_units:t1"); err != nil {
				return err
			}
			close(held)
			<-release
			note("first")
			return nil
		}))
	})
	<-held
	second := make(chan struct{})
	wg.Go(func() {
		defer close(second)
		must(t, s.Tx(ctx, func(tx store.Store) error {
			if err := tx.Lock(ctx, "org_units:t1"); err != nil {
				return err
			}
			note("second")
			return nil
		}))
	})
	select {
	case <-second:
		t.Error("the second transaction took the lock while the first held it")
	case <-time.After(150 * time.Millisecond): // it waits for the lock (PostgreSQL) or the writer (SQLite)
	}
	close(release)
	wg.Wait()
	if len(order) != 2 || order[0] != "first" {
		t.Errorf("order = %v, want first, second", order)
	}
}
