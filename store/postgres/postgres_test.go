package postgres_test

import (
	"testing"

	"github.com/avisera/avisera/store"
	"github.com/avisera/avisera/store/storetest"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	storetest.PostgresURL(t) // skips with a message when PostgreSQL is not configured
	storetest.Run(t, func(t testing.TB) store.Store { return storetest.OpenPostgres(t).Store() })
}
