// Package metrics holds Carnet's Prometheus metrics (served at /metrics):
// GraphQL requests, latency and errors per operation and code, SQL
// statements per request, dataloader batch sizes and SIRENE calls.
//
// The collectors live in one registry of this package, the usual
// Prometheus pattern: every package that measures something reaches it
// without wiring, and each process exports its own figures.
package metrics

import (
	"context"
	"net/http"
	"sync/atomic"

	"entgo.io/ent/dialect"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

var (
	registry = prometheus.NewRegistry()

	requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "carnet_graphql_requests_total", Help: "GraphQL operations served, by operation name.",
	}, []string{"operation"})
	latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "carnet_graphql_request_duration_seconds", Help: "Time to answer a GraphQL operation, by operation name.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"operation"})
	errorsByCode = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "carnet_graphql_errors_total", Help: "GraphQL errors answered, by extensions.code.",
	}, []string{"code"})
	statements = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "carnet_sql_statements_per_request", Help: "SQL statements run by one HTTP request.",
		Buckets: []float64{1, 2, 3, 5, 8, 13, 21, 34, 55, 89},
	})
	batches = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "carnet_dataloader_batch_size", Help: "Keys per dataloader batch, by loader.",
		Buckets: []float64{1, 2, 5, 10, 20, 50, 100, 200},
	}, []string{"loader"})
	sireneCalls = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "carnet_sirene_calls_total", Help: "HTTP calls to the SIRENE API, by status (or \"error\").",
	}, []string{"status"})
)

func init() {
	registry.MustRegister(requests, latency, errorsByCode, statements, batches, sireneCalls,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
}

// Handler serves the metrics in Prometheus' text format.
func Handler() http.Handler { return promhttp.HandlerFor(registry, promhttp.HandlerOpts{}) }

// Operation records one GraphQL operation and the codes of its errors.
func Operation(name string, seconds float64, codes []string) {
	if name == "" {
		name = "anonymous"
	}
	requests.WithLabelValues(name).Inc()
	latency.WithLabelValues(name).Observe(seconds)
	for _, c := range codes {
		errorsByCode.WithLabelValues(c).Inc()
	}
}

// Batch records the size of a dataloader batch.
func Batch(loader string, keys int) { batches.WithLabelValues(loader).Observe(float64(keys)) }

// SireneCall records a call to SIRENE.
func SireneCall(status string) { sireneCalls.WithLabelValues(status).Inc() }

type counterKey struct{}

// WithStatementCounter returns ctx counting the SQL statements run under
// it, and a function that records the count when the request ends.
func WithStatementCounter(ctx context.Context) (context.Context, func()) {
	var n atomic.Int64
	return context.WithValue(ctx, counterKey{}, &n), func() { statements.Observe(float64(n.Load())) }
}

// CountStatements wraps a driver so that each statement counts for the
// request of its context.
func CountStatements(drv dialect.Driver) dialect.Driver {
	return dialect.DebugWithContext(drv, func(ctx context.Context, _ ...any) {
		if n, ok := ctx.Value(counterKey{}).(*atomic.Int64); ok {
			n.Add(1)
		}
	})
}
