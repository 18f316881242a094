package avisera

import (
	"sync"
	"time"
)

// zones caches time zones by name: time.LoadLocation reads and parses the
// zone's file on every call, and every event, export and admin page needs
// one.
var zones sync.Map // name → *time.Location

// LoadLocation is time.LoadLocation, remembered.
func LoadLocation(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, loc)
	return loc, nil
}

// Location returns the tenant's time zone, UTC when it names none that is
// known.
func (t Tenant) Location() *time.Location {
	if loc, err := LoadLocation(t.TimeZone); err == nil {
		return loc
	}
	return time.UTC
}
