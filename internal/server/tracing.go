package server

import (
	"net/http"
	"strings"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/trace"

	"carnet/internal/tracing"
)

// traced runs each request of h in a server span of tp, child of the
// caller's span when the request carries a W3C traceparent. Probes and
// metrics scrapes are not traced. Without tp, h is returned as it is:
// tracing off costs nothing.
func traced(tp trace.TracerProvider, h http.Handler) http.Handler {
	if tp == nil {
		return h
	}
	return otelhttp.NewHandler(h, "carnet",
		otelhttp.WithTracerProvider(tp),
		otelhttp.WithPropagators(tracing.Propagator),
		otelhttp.WithMeterProvider(metricnoop.NewMeterProvider()), // metrics are Prometheus'
		otelhttp.WithFilter(func(r *http.Request) bool {
			switch r.URL.Path {
			case "/healthz", "/readyz", "/metrics":
				return false
			}
			return true
		}),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string {
			switch p := r.URL.Path; {
			case p == "/graphql", p == "/":
				return r.Method + " " + p
			case strings.HasPrefix(p, "/documents/"):
				return r.Method + " /documents/{id}"
			}
			return r.Method // any other path: a 404, whose path is not a route
		}),
	)
}
