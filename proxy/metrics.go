package proxy

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/sony/gobreaker/v2"
)

// metrics are the proxy's Prometheus metrics, in a registry of its own so
// that several proxies can run in one process.
type metrics struct {
	registry     *prometheus.Registry
	requests     *prometheus.CounterVec
	duration     *prometheus.HistogramVec
	pageCache    *prometheus.CounterVec
	upstreamErrs *prometheus.CounterVec
	breaker      *prometheus.GaugeVec
	serviceUp    *prometheus.GaugeVec
	deployments  *prometheus.CounterVec
}

func newMetrics() *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "plugit_requests_total",
			Help: "Browser requests by service, action and status class.",
		}, []string{"service", "action", "status_class"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "plugit_request_duration_seconds",
			Help:    "Time to serve browser requests, by service and action.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"service", "action"}),
		pageCache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "plugit_page_cache_total",
			Help: "Page cache lookups by service and result (hit, miss, stale).",
		}, []string{"service", "result"}),
		upstreamErrs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "plugit_upstream_errors_total",
			Help: "Failed calls to services by service, deployment and kind.",
		}, []string{"service", "deployment", "kind"}),
		breaker: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "plugit_breaker_state",
			Help: "Circuit breaker state per deployment: 0 closed, 1 half-open, 2 open.",
		}, []string{"service", "deployment"}),
		serviceUp: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "plugit_service_up",
			Help: "1 when the last health check (ping and version) of a deployment passed.",
		}, []string{"service", "deployment"}),
		deployments: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "plugit_deployment_requests_total",
			Help: "Requests routed to each deployment of a service, primary or shadow.",
		}, []string{"service", "deployment"}),
	}
	m.registry.MustRegister(m.requests, m.duration, m.pageCache, m.upstreamErrs, m.breaker,
		m.serviceUp, m.deployments, collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// handler serves the metrics in the Prometheus text format.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}

// observeRequest records a finished request.
func (m *metrics) observeRequest(st *requestState, r *http.Request, status int, d time.Duration) {
	service, action := "", "proxy"
	if st != nil && st.service != nil {
		service = st.service.key
		action = actionLabel(st.service.actionPath(r))
	}
	class := strconv.Itoa(status/100) + "xx"
	m.requests.WithLabelValues(service, action, class).Inc()
	m.duration.WithLabelValues(service, action).Observe(d.Seconds())
}

// actionLabel keeps the first segment of an action path, so that ids in
// paths such as /show/42 don't create a series per id.
func actionLabel(path string) string {
	first, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	if first == "" {
		return "/"
	}
	return "/" + first
}

// observeCache counts a page cache lookup.
func (m *metrics) observeCache(st *requestState, found, fresh bool) {
	result := "miss"
	switch {
	case fresh:
		result = "hit"
	case found:
		result = "stale"
	}
	m.pageCache.WithLabelValues(st.service.key, result).Inc()
}

// observeUpstreamError counts a failed call by kind.
func (m *metrics) observeUpstreamError(st *requestState, err error) {
	if st == nil || st.service == nil || st.upstream == nil {
		return
	}
	kind := ""
	switch {
	case errors.Is(err, errServiceTimeout):
		kind = "timeout"
	case errors.Is(err, errCircuitOpen):
		kind = "circuit_open"
	case errors.Is(err, errServiceBusy):
		kind = "busy"
	case errors.Is(err, errServiceUnavailable):
		kind = "unavailable"
	default:
		return
	}
	m.upstreamErrs.WithLabelValues(st.service.key, st.upstream.name, kind).Inc()
}

// breakerValue maps a breaker state to the plugit_breaker_state value.
func breakerValue(s gobreaker.State) float64 {
	switch s {
	case gobreaker.StateHalfOpen:
		return 1
	case gobreaker.StateOpen:
		return 2
	}
	return 0
}
