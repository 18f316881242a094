package api

import (
	"slices"
	"testing"
)

func TestMeantParam(t *testing.T) {
	t.Parallel()
	known := slices.Concat(filterParams, pageParams)
	for name, want := range map[string]string{
		"customer":    "customer_id", // as events name it
		"org_unit":    "org_unit_id",
		"type":        "event_type",
		"Status":      "status",
		"customer-id": "customer_id",
		"customerId":  "customer_id",
		"costumer_id": "customer_id",
		"triger":      "trigger",
		"chanel":      "channel",
		"form":        "from",
		"per_page":    "", // another API's paging is left alone
		"offset":      "",
		"_":           "", // a cache buster
		"id":          "",
		"sort":        "",
	} {
		if got := meantParam(name, known); got != want {
			t.Errorf("meantParam(%q) = %q, want %q", name, got, want)
		}
	}
}
