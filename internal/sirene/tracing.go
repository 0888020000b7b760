package sirene

import (
	"net/http"
	"strings"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"carnet/internal/tracing"
)

// tracedTransport sends a call through otelhttp's transport — a client
// span, and the W3C traceparent header sent along — when the caller's span
// is recording (tracing on); otherwise straight through base.
type tracedTransport struct {
	base, traced http.RoundTripper
}

func newTracedTransport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return tracedTransport{base: base, traced: otelhttp.NewTransport(templateURL{base},
		otelhttp.WithPropagators(tracing.Propagator),
		otelhttp.WithMeterProvider(metricnoop.NewMeterProvider()), // metrics are Prometheus'
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return "SIRENE " + r.Method }),
	)}
}

func (t tracedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if trace.SpanFromContext(r.Context()).IsRecording() {
		return t.traced.RoundTrip(r)
	}
	return t.base.RoundTrip(r)
}

// templateURL replaces the span's url.full by the URL with the looked-up
// identifier replaced by its kind ("…/siret/{siret}"): a trace names no
// company nor sole trader.
type templateURL struct{ base http.RoundTripper }

func (t templateURL) RoundTrip(r *http.Request) (*http.Response, error) {
	if span := trace.SpanFromContext(r.Context()); span.IsRecording() {
		path := r.URL.Path
		if i := strings.LastIndexByte(path, '/'); i > 0 {
			if j := strings.LastIndexByte(path[:i], '/'); j >= 0 {
				kind := path[j+1 : i]
				path = path[:i+1] + "{" + kind + "}"
				span.SetAttributes(semconv.URLTemplate("/" + kind + "/{" + kind + "}"))
			}
		}
		span.SetAttributes(semconv.URLFull(r.URL.Scheme + "://" + r.URL.Host + path))
	}
	return t.base.RoundTrip(r)
}
