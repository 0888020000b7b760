// Package tracing sets up OpenTelemetry tracing from the standard OTEL_*
// environment variables. It is off unless they name where spans go: then
// no tracer provider is installed, the HTTP handler is not wrapped, and
// the SQL and SIRENE instrumentation, which only starts a span under a
// recording one, costs one context look-up.
//
// What is traced (when on): one server span per HTTP request (otelhttp,
// W3C traceparent honoured), one span per GraphQL operation
// (internal/server), one client span per SQL statement, BEGIN, COMMIT
// and ROLLBACK (internal/metrics' driver; the statement's text, never its
// bound values) and one per HTTP call to SIRENE (internal/sirene).
package tracing

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// Scope is the instrumentation scope of Carnet's own spans.
const Scope = "carnet"

// Propagator reads and writes W3C trace context (traceparent,
// tracestate): the one format Carnet honours and sends.
var Propagator propagation.TextMapPropagator = propagation.TraceContext{}

// Setup reads the environment and, when it configures tracing, installs a
// tracer provider (also as OpenTelemetry's global one) and returns it;
// otherwise it installs nothing and returns nil. Call Shutdown on the
// provider at exit: it flushes the spans still buffered.
//
// Tracing is on when OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or
// OTEL_EXPORTER_OTLP_ENDPOINT is set (OTLP over HTTP, protobuf or JSON;
// the exporter reads its other OTEL_EXPORTER_OTLP_* variables itself), or
// when OTEL_TRACES_EXPORTER=console (spans as JSON on stderr, for
// development). OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none turn it
// off whatever else is set. OTEL_SERVICE_NAME (default "carnet"),
// OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_SAMPLER and
// OTEL_TRACES_SAMPLER_ARG (default parentbased_always_on) apply as the
// OpenTelemetry specification says.
func Setup(ctx context.Context, version string, log *slog.Logger) (*sdktrace.TracerProvider, error) {
	exp, err := exporter(ctx, os.Getenv, os.Stderr)
	if err != nil || exp == nil {
		return nil, err
	}
	// Later options win: OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES
	// override the defaults.
	res, err := resource.New(ctx,
		resource.WithSchemaURL(semconv.SchemaURL),
		resource.WithTelemetrySDK(),
		resource.WithAttributes(semconv.ServiceName("carnet"), semconv.ServiceVersion(version)),
		resource.WithFromEnv(),
	)
	if err != nil {
		return nil, fmt.Errorf("tracing: resource: %w", err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(Propagator)
	if log != nil {
		otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) {
			log.Warn("opentelemetry", "err", err.Error())
		}))
	}
	return tp, nil
}

// exporter returns the span exporter that the environment configures, or
// nil when tracing is off.
//
// It is not go.opentelemetry.io/contrib/exporters/autoexport: that one
// refuses http/json, writes console spans to stdout (and "console" cannot
// be registered again), exports "otlp" to localhost when no endpoint is
// set, ignores OTEL_SDK_DISABLED and would build a gRPC exporter for grpc,
// so each documented case would still need this code in front of it; and
// it links the gRPC, metric, log and Prometheus exporters too (+2.1 MB).
func exporter(ctx context.Context, getenv func(string) string, console io.Writer) (sdktrace.SpanExporter, error) {
	if strings.EqualFold(strings.TrimSpace(getenv("OTEL_SDK_DISABLED")), "true") {
		return nil, nil
	}
	kind := strings.ToLower(strings.TrimSpace(getenv("OTEL_TRACES_EXPORTER")))
	switch kind {
	case "none":
		return nil, nil
	case "console":
		return stdouttrace.New(stdouttrace.WithWriter(console))
	case "", "otlp":
	default:
		return nil, fmt.Errorf("tracing: OTEL_TRACES_EXPORTER=%s is not supported (otlp, console or none)", kind)
	}
	if getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") == "" && getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == "" {
		return nil, nil // no destination: off rather than a default address
	}
	protocol := getenv("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
	if protocol == "" {
		protocol = getenv("OTEL_EXPORTER_OTLP_PROTOCOL")
	}
	if p := strings.TrimSpace(protocol); p != "" && p != "http/protobuf" && p != "http/json" {
		return nil, fmt.Errorf("tracing: OTLP protocol %q is not supported (http/protobuf or http/json)", p)
	}
	exp, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("tracing: OTLP exporter: %w", err)
	}
	return exp, nil
}

// TraceID returns the trace id of ctx's span, or "" when there is none.
func TraceID(ctx context.Context) string {
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		return sc.TraceID().String()
	}
	return ""
}

// Child starts a span under ctx's span when that one is recording, from
// the same provider; otherwise it returns ctx and a span that does
// nothing, at the cost of one context look-up. Instrumentation below the
// server (SQL, SIRENE) uses it, so it needs no wiring and costs nothing
// when tracing is off.
func Child(ctx context.Context, name string, opts ...trace.SpanStartOption) (context.Context, trace.Span) {
	parent := trace.SpanFromContext(ctx)
	if !parent.IsRecording() {
		return ctx, noop.Span{}
	}
	return parent.TracerProvider().Tracer(Scope).Start(ctx, name, opts...)
}
