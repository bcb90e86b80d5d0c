package proxy

import (
	"net/http"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/propagation"
)

// traceTransport wraps the service transport with a client span per
// service call, whose W3C traceparent header goes to the service so that
// its spans join the trace. Without a tracer provider it changes nothing.
func (p *Proxy) traceTransport(transport http.RoundTripper) http.RoundTripper {
	if p.cfg.TracerProvider == nil {
		return transport
	}
	return otelhttp.NewTransport(transport,
		otelhttp.WithTracerProvider(p.cfg.TracerProvider),
		otelhttp.WithPropagators(propagation.TraceContext{}))
}

// traceHandler wraps the proxy's handler with a server span per browser
// request. A traceparent sent by a browser is ignored, like every other
// browser header: each request starts its own trace.
func (p *Proxy) traceHandler(handler http.Handler) http.Handler {
	if p.cfg.TracerProvider == nil {
		return handler
	}
	return otelhttp.NewHandler(handler, "plugit proxy",
		otelhttp.WithTracerProvider(p.cfg.TracerProvider),
		otelhttp.WithPropagators(propagation.NewCompositeTextMapPropagator()))
}
