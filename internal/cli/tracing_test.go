package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

func TestTracerProviderOffWithoutEndpoint(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "")
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "")
	tp, stop, err := tracerProvider(context.Background())
	if err != nil || tp != nil {
		t.Fatalf("tracerProvider = %v, %v; want no provider without an endpoint", tp, err)
	}
	stop()
}

func TestTracerProviderExportsToOTLP(t *testing.T) {
	var received atomic.Int64
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/v1/traces" &&
			r.Header.Get("Content-Type") == "application/x-protobuf" {
			received.Add(1)
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer collector.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.URL)

	tp, stop, err := tracerProvider(context.Background())
	if err != nil || tp == nil {
		t.Fatalf("tracerProvider = %v, %v", tp, err)
	}
	_, span := tp.Tracer("test").Start(context.Background(), "page")
	span.End()
	stop()

	if received.Load() == 0 {
		t.Error("the OTLP collector received no spans")
	}
}
