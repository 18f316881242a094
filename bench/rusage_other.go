//go:build !unix

package bench

import "time"

// maxRSS is unknown on this system.
func maxRSS() uint64 { return 0 }

// cpuTime is unknown on this system.
func cpuTime() time.Duration { return 0 }

// machineCPU is unknown on this system.
func machineCPU() time.Duration { return 0 }

// loadAverage is unknown on this system.
func loadAverage() string { return "" }
