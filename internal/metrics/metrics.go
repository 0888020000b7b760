// Package metrics holds Carnet's Prometheus metrics (served at /metrics):
// HTTP requests by status, GraphQL requests, latency and errors per
// operation (a bounded set of names) and code, SQL statements per request,
// dataloader batch sizes, SIRENE calls, the database pool and the build. Its
// database driver wrapper (Instrument) also traces SQL statements when
// tracing is on.
//
// The collectors live in one registry of this package, the usual
// Prometheus pattern: every package that measures something reaches it
// without wiring, and each process exports its own figures.
package metrics

import (
	"context"
	"database/sql"
	sqldriver "database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"entgo.io/ent/dialect"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"carnet/internal/tracing"
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
		Name: "carnet_dataloader_batch_size", Help: "Keys per batch of the per-request page loaders, by loader.",
		Buckets: []float64{1, 2, 5, 10, 20, 50, 100, 200},
	}, []string{"loader"})
	sireneCalls = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "carnet_sirene_calls_total", Help: "HTTP calls to the SIRENE API, by status (or \"error\").",
	}, []string{"status"})
	shed = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "carnet_requests_shed_total", Help: "GraphQL requests refused by admission control (503 OVERLOADED).",
	})
	admission     atomic.Pointer[admissionGauges]
	authListening = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "carnet_auth_cache_listening", Help: "1 while the token cache listens for changes and serves from its entries; 0 while every token is read (PostgreSQL; always 0 on SQLite, which needs no listener).",
	})
	authListenerEvents = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "carnet_auth_listener_events_total", Help: "Events of the token cache's listening connection (connected, disconnected, reconnected, connectionAttemptFailed).",
	}, []string{"event"})
)

// admissionGauges read the admission limiter of the latest handler.
type admissionGauges struct{ limit, inflight, queued func() int }

// admissionGauge reads one of the admission figures (0 without a limiter).
func admissionGauge(name, help string, read func(*admissionGauges) func() int) prometheus.GaugeFunc {
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 {
		if g := admission.Load(); g != nil {
			return float64(read(g)())
		}
		return 0
	})
}

func init() {
	registry.MustRegister(requests, latency, errorsByCode, statements, batches, sireneCalls, shed, authListening, authListenerEvents,
		admissionGauge("carnet_admission_limit", "GraphQL requests admitted at once (the adaptive limit).",
			func(g *admissionGauges) func() int { return g.limit }),
		admissionGauge("carnet_admission_inflight", "GraphQL requests being served under admission control.",
			func(g *admissionGauges) func() int { return g.inflight }),
		admissionGauge("carnet_admission_queued", "GraphQL requests waiting for a place.",
			func(g *admissionGauges) func() int { return g.queued }),
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
}

// Handler serves the metrics in Prometheus' text format.
func Handler() http.Handler { return promhttp.HandlerFor(registry, promhttp.HandlerOpts{}) }

// Operation records one GraphQL operation and the codes of its errors.
func Operation(name string, seconds float64, codes []string) {
	name = operationLabel(name)
	requests.WithLabelValues(name).Inc()
	latency.WithLabelValues(name).Observe(seconds)
	for _, c := range codes {
		errorsByCode.WithLabelValues(c).Inc()
	}
}

// Batch records the size of a batch of a per-request page loader.
func Batch(loader string, keys int) { batches.WithLabelValues(loader).Observe(float64(keys)) }

// Shed records a request refused by admission control.
func Shed() { shed.Inc() }

// SetAdmission makes the admission gauges read limit, inflight and queued
// (the process's handler; the latest one set when tests build several).
func SetAdmission(limit, inflight, queued func() int) {
	admission.Store(&admissionGauges{limit: limit, inflight: inflight, queued: queued})
}

// SireneCall records a call to SIRENE.
func SireneCall(status string) { sireneCalls.WithLabelValues(status).Inc() }

// AuthCacheListening records whether the token cache serves from its
// entries (listening) or reads every token.
func AuthCacheListening(on bool) {
	if on {
		authListening.Set(1)
	} else {
		authListening.Set(0)
	}
}

// AuthListenerEvent counts an event of the token cache's listening
// connection.
func AuthListenerEvent(event string) { authListenerEvents.WithLabelValues(event).Inc() }

type counterKey struct{}

// WithStatementCounter returns ctx counting the SQL statements run under
// it, and a function that records the count when the request ends.
func WithStatementCounter(ctx context.Context) (context.Context, func()) {
	var n atomic.Int64
	return context.WithValue(ctx, counterKey{}, &n), func() { statements.Observe(float64(n.Load())) }
}

// Instrument wraps a driver so that each statement (BEGIN, COMMIT and
// ROLLBACK included) counts for the request of its context and, when that
// context's span is recording (tracing on), runs in a child span of its
// own: the statement's text (truncated; values are bound, never in it),
// the database system, and the error's SQLSTATE or code — no bound value,
// no error message (it may quote data).
//
// On PostgreSQL it also passes byte slices as text (see textArgs).
func Instrument(drv dialect.Driver) dialect.Driver {
	system := semconv.DBSystemNameSQLite
	args := func(a any) any { return a }
	if drv.Dialect() == dialect.Postgres {
		system = semconv.DBSystemNamePostgreSQL
		args = textArgs
	}
	return &driver{Driver: drv, system: system, args: args}
}

// driver counts and traces the statements of a dialect.Driver.
type driver struct {
	dialect.Driver
	system attribute.KeyValue
	args   func(any) any
}

// textArgs turns the []byte arguments of a statement (ent's JSON values)
// into strings. Carnet opens PostgreSQL with lib/pq's binary_parameters,
// which sends a statement in one round trip instead of two (no separate
// prepare), but sends []byte in binary format, which jsonb does not read
// as JSON text. Carnet has no bytea column, so every []byte is text.
func textArgs(args any) any {
	list, ok := args.([]any)
	if !ok {
		return args
	}
	var out []any
	for i, a := range list {
		if v, ok := a.(sqldriver.Valuer); ok {
			if val, err := v.Value(); err == nil {
				a = val
			}
		}
		var b []byte
		switch v := a.(type) {
		case []byte:
			b = v
		case json.RawMessage: // ent's JSON fields
			b = v
		default:
			continue
		}
		if out == nil {
			out = slices.Clone(list)
		}
		if b == nil {
			out[i] = nil
		} else {
			out[i] = string(b)
		}
	}
	if out == nil {
		return args
	}
	return out
}

// maxQueryText bounds the statement text put on a span.
const maxQueryText = 2000

// start counts one statement of ctx's request and starts its span.
func (d *driver) start(ctx context.Context, query string) (context.Context, func(error)) {
	if n, ok := ctx.Value(counterKey{}).(*atomic.Int64); ok {
		n.Add(1)
	}
	if !trace.SpanFromContext(ctx).IsRecording() {
		return ctx, func(error) {}
	}
	op := query
	if i := strings.IndexAny(op, " \t\n("); i > 0 {
		op = op[:i]
	}
	op = strings.ToUpper(op)
	ctx, span := tracing.Child(ctx, op, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(
		d.system, semconv.DBOperationName(op), semconv.DBQueryText(truncate(query, maxQueryText))))
	return ctx, func(err error) {
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			span.SetStatus(codes.Error, "")
			span.SetAttributes(semconv.ErrorTypeKey.String(fmt.Sprintf("%T", err)))
			var pg interface{ SQLState() string }
			var lite interface{ Code() int }
			switch {
			case errors.As(err, &pg):
				span.SetAttributes(semconv.DBResponseStatusCode(pg.SQLState()))
			case errors.As(err, &lite):
				span.SetAttributes(semconv.DBResponseStatusCode(strconv.Itoa(lite.Code())))
			}
		}
		span.End()
	}
}

// truncate cuts s to at most n bytes, on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func (d *driver) Exec(ctx context.Context, query string, args, v any) error {
	ctx, end := d.start(ctx, query)
	err := d.Driver.Exec(ctx, query, d.args(args), v)
	end(err)
	return err
}

func (d *driver) Query(ctx context.Context, query string, args, v any) error {
	ctx, end := d.start(ctx, query)
	err := d.Driver.Query(ctx, query, d.args(args), v)
	end(err)
	return err
}

func (d *driver) Tx(ctx context.Context) (dialect.Tx, error) {
	return d.BeginTx(ctx, nil)
}

// BeginTx is what ent's client calls when the driver has it (with
// options); Tx calls it with none.
func (d *driver) BeginTx(ctx context.Context, opts *sql.TxOptions) (dialect.Tx, error) {
	_, end := d.start(ctx, "BEGIN")
	var (
		tx  dialect.Tx
		err error
	)
	if b, ok := d.Driver.(interface {
		BeginTx(context.Context, *sql.TxOptions) (dialect.Tx, error)
	}); ok {
		tx, err = b.BeginTx(ctx, opts)
	} else {
		tx, err = d.Driver.Tx(ctx)
	}
	end(err)
	if err != nil {
		return nil, err
	}
	return &txn{Tx: tx, d: d, ctx: ctx}, nil
}

// txn counts and traces the statements of a transaction; COMMIT and
// ROLLBACK belong to the context the transaction began with.
type txn struct {
	dialect.Tx
	d   *driver
	ctx context.Context
}

func (t *txn) Exec(ctx context.Context, query string, args, v any) error {
	ctx, end := t.d.start(ctx, query)
	err := t.Tx.Exec(ctx, query, t.d.args(args), v)
	end(err)
	return err
}

func (t *txn) Query(ctx context.Context, query string, args, v any) error {
	ctx, end := t.d.start(ctx, query)
	err := t.Tx.Query(ctx, query, t.d.args(args), v)
	end(err)
	return err
}

func (t *txn) Commit() error {
	_, end := t.d.start(t.ctx, "COMMIT")
	err := t.Tx.Commit()
	end(err)
	return err
}

func (t *txn) Rollback() error {
	_, end := t.d.start(t.ctx, "ROLLBACK")
	err := t.Tx.Rollback()
	end(err)
	return err
}
