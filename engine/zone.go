package engine

import (
	"sync"
	"time"
)

// zones caches time zones by name: time.LoadLocation reads and parses the
// zone's file on every call, and every event needs its zone for the texts.
var zones sync.Map // name → *time.Location

// loadLocation is time.LoadLocation, remembered.
func loadLocation(name string) (*time.Location, error) {
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
