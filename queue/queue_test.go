package queue_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/avisera/avisera/queue"
)

// A send job's ids survive the trip through River's JSON, in the current
// form and in the array form of jobs queued by earlier versions.
func TestSendArgsCarryTheirIDs(t *testing.T) {
	ids := []string{"01a2-1", "01a2-2", "01a2-3"}
	raw, err := json.Marshal(queue.NewSendArgs("t1", ids))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"tenant_id":"t1","deliveries":"01a2-1 01a2-2 01a2-3"}`; string(raw) != want {
		t.Errorf("args = %s, want %s (one string: no GIN entry per id)", raw, want)
	}
	for _, body := range []string{string(raw), `{"tenant_id":"t1","delivery_ids":["01a2-1","01a2-2","01a2-3"]}`} {
		var a queue.SendArgs
		if err := json.Unmarshal([]byte(body), &a); err != nil {
			t.Fatal(err)
		}
		if got := a.IDs(); a.TenantID != "t1" || !slices.Equal(got, ids) {
			t.Errorf("%s: tenant %q, ids %q; want t1, %q", body, a.TenantID, got, ids)
		}
	}
}
