package cli

import (
	"context"
	"fmt"
	"os"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.37.0"
)

// tracerProvider returns an OpenTelemetry tracer provider exporting over
// OTLP/HTTP when the standard OTEL_EXPORTER_OTLP_ENDPOINT or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT variable is set, and nil otherwise.
// The exporter reads the other OTEL_EXPORTER_OTLP_* variables itself.
// shutdown flushes the spans still buffered.
func tracerProvider(ctx context.Context) (tp *sdktrace.TracerProvider, shutdown func(), err error) {
	if os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == "" && os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") == "" {
		return nil, func() {}, nil
	}

	exporter, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("cli: starting the OTLP trace exporter: %w", err)
	}
	tp = sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(exporter),
		sdktrace.WithResource(resource.NewSchemaless(semconv.ServiceName("plugit"))),
	)
	return tp, func() { _ = tp.Shutdown(context.Background()) }, nil
}
