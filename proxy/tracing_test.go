package proxy

import (
	"net/http"
	"strings"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

func TestTracingReachesTheService(t *testing.T) {
	exporter := tracetest.NewInMemoryExporter()
	provider := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exporter))
	ts := newTestService(t)
	tp := newTestProxy(t, ts, func(c *Config) { c.TracerProvider = provider })

	forged := "00-11111111111111111111111111111111-2222222222222222-01"
	resp, _ := tp.request(http.MethodGet, "/plugIt/", nil, http.Header{"Traceparent": {forged}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}

	sent := ts.lastReq.Header.Get("Traceparent")
	if sent == "" || sent == forged {
		t.Fatalf("service received traceparent %q, want the proxy's own", sent)
	}
	traceID := strings.Split(sent, "-")[1]
	if traceID == "11111111111111111111111111111111" {
		t.Error("the browser's trace id reached the service")
	}

	spans := exporter.GetSpans()
	var server, client int
	for _, s := range spans {
		if s.SpanContext.TraceID().String() != traceID {
			t.Errorf("span %q is in trace %s, want %s", s.Name, s.SpanContext.TraceID(), traceID)
		}
		switch s.SpanKind.String() {
		case "server":
			server++
		case "client":
			client++
		}
	}
	if server != 1 || client < 2 {
		t.Errorf("spans: %d server and %d client, want 1 server and a client span per service call", server, client)
	}
}
