// Package metrics defines Avisera's Prometheus metrics on a registry the
// caller owns (no package globals), and the HTTP middleware that records
// requests.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the collectors.
type Metrics struct {
	registry   *prometheus.Registry
	requests   *prometheus.CounterVec
	duration   *prometheus.HistogramVec
	events     *prometheus.CounterVec
	deliveries *prometheus.CounterVec
	latency    *prometheus.HistogramVec
}

// New registers Avisera's collectors, and the Go and process collectors, on
// a new registry.
func New() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		registry: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "avisera_http_requests_total", Help: "HTTP requests by route pattern and status.",
		}, []string{"route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "avisera_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
	}
	m.events = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "avisera_events_accepted_total", Help: "Events accepted, by event type and trigger.",
	}, []string{"event_type", "trigger"})
	m.deliveries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "avisera_deliveries_total", Help: "Delivery attempts' outcomes, by channel and status.",
	}, []string{"channel", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "avisera_send_latency_seconds", Help: "Time from event accepted to the delivery sent or failed.",
		Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2, 5, 10, 30, 60, 300, 3600},
	}, []string{"channel"})
	reg.MustRegister(m.requests, m.duration, m.events, m.deliveries, m.latency, collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry returns the registry, for subsystems that add collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.registry }

// Handler serves /metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}

// Middleware records each request under the mux pattern that served it,
// so that ids in paths do not explode the label set.
func (m *Metrics) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		m.requests.WithLabelValues(route, strconv.Itoa(rec.status)).Inc()
		m.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// EventAccepted counts an accepted event.
func (m *Metrics) EventAccepted(eventType, trigger string) {
	m.events.WithLabelValues(eventType, trigger).Inc()
}

// DeliveryStatus counts a delivery reaching a status.
func (m *Metrics) DeliveryStatus(channel, status string) {
	m.deliveries.WithLabelValues(channel, status).Inc()
}

// SendLatency observes the time from acceptance to the send's outcome.
func (m *Metrics) SendLatency(channel string, seconds float64) {
	m.latency.WithLabelValues(channel).Observe(seconds)
}
