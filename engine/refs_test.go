package engine

import (
	"errors"
	"testing"

	"github.com/avisera/avisera"
)

// Of several bad refs the first in the documented order is named, every
// time.
func TestCheckRefsNamesTheFirstBadRef(t *testing.T) {
	refs := avisera.Refs{Customer: "k1", Contract: "a/b", OrgUnit: "o/1", Place: "p/1", Users: []string{"u/1"}}
	for range 20 {
		var e *avisera.Error
		if err := checkRefs(refs); !errors.As(err, &e) || e.Field != "refs.contract" {
			t.Fatalf("checkRefs = %v, want the error of refs.contract", err)
		}
	}
	refs.Contract, refs.OrgUnit, refs.Place, refs.Users = "", "", "", []string{"u1", ""}
	var e *avisera.Error
	if err := checkRefs(refs); !errors.As(err, &e) || e.Field != "refs.users[1]" {
		t.Errorf("checkRefs = %v, want the error of refs.users[1]", err)
	}
}
