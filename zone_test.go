package avisera

import (
	"testing"
	"time"
)

// A tenant's zone is loaded once and shared; an unknown one is UTC.
func TestTenantLocation(t *testing.T) {
	t.Parallel()
	loc := Tenant{TimeZone: "Europe/Stockholm"}.Location()
	if loc.String() != "Europe/Stockholm" {
		t.Errorf("Location = %v, want Europe/Stockholm", loc)
	}
	if again := (Tenant{TimeZone: "Europe/Stockholm"}).Location(); again != loc {
		t.Error("the zone was loaded again, want the remembered one")
	}
	if got := (Tenant{TimeZone: "Nowhere/Else"}).Location(); got != time.UTC {
		t.Errorf("unknown zone: Location = %v, want UTC", got)
	}
	if _, err := LoadLocation("Nowhere/Else"); err == nil {
		t.Error("LoadLocation took an unknown zone")
	}
}
