package bench

import (
	"math"
	"runtime/metrics"
	"slices"
	"sync"
	"time"
)

// Latency summarises durations, in milliseconds.
type Latency struct {
	P50Ms float64 `json:"p50_ms"`
	P99Ms float64 `json:"p99_ms"`
	MaxMs float64 `json:"max_ms"`
}

// latencyOf takes nearest-rank percentiles of ds (which it sorts).
func latencyOf(ds []time.Duration) Latency {
	if len(ds) == 0 {
		return Latency{}
	}
	slices.Sort(ds)
	rank := func(q float64) time.Duration {
		i := int(math.Ceil(q*float64(len(ds)))) - 1
		return ds[max(i, 0)]
	}
	return Latency{P50Ms: millis(rank(0.50)), P99Ms: millis(rank(0.99)), MaxMs: millis(ds[len(ds)-1])}
}

func millis(d time.Duration) float64 { return math.Round(float64(d)/float64(time.Microsecond)) / 1000 }

func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// Memory is the peak memory of the whole process (server, client and sink)
// during a part, sampled every 100 ms from runtime/metrics, and the
// process's peak resident set so far (getrusage; it covers earlier parts).
type Memory struct {
	PeakHeapInuse uint64 `json:"peak_heap_inuse_bytes"` // as runtime.MemStats.HeapInuse
	PeakSys       uint64 `json:"peak_sys_bytes"`        // as runtime.MemStats.Sys
	MaxRSS        uint64 `json:"max_rss_bytes"`
}

// sampler records the peak of the heap in use and of the memory obtained
// from the OS. runtime/metrics reads them without stopping the world.
type sampler struct {
	done    chan struct{}
	wg      sync.WaitGroup
	samples []metrics.Sample
	peak    Memory
}

const (
	heapObjects = "/memory/classes/heap/objects:bytes"
	heapUnused  = "/memory/classes/heap/unused:bytes"
	totalMemory = "/memory/classes/total:bytes"
)

func startSampler() *sampler {
	s := &sampler{done: make(chan struct{}), samples: []metrics.Sample{
		{Name: heapObjects}, {Name: heapUnused}, {Name: totalMemory}}}
	s.sample()
	s.wg.Go(func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				s.sample()
			case <-s.done:
				return
			}
		}
	})
	return s
}

func (s *sampler) sample() {
	metrics.Read(s.samples)
	value := func(i int) uint64 {
		if s.samples[i].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return s.samples[i].Value.Uint64()
	}
	s.peak.PeakHeapInuse = max(s.peak.PeakHeapInuse, value(0)+value(1))
	s.peak.PeakSys = max(s.peak.PeakSys, value(2))
}

// stop ends sampling and returns the peaks.
func (s *sampler) stop() Memory {
	close(s.done)
	s.wg.Wait()
	s.sample()
	s.peak.MaxRSS = maxRSS()
	return s.peak
}
