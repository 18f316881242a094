package sqlite_test

import (
	"testing"

	"github.com/avisera/avisera/store"
	"github.com/avisera/avisera/store/storetest"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t testing.TB) store.Store { return storetest.OpenSQLite(t).Store() })
}
