package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/server"
	"carnet/internal/sirene"
	"carnet/internal/testdb"
	"carnet/internal/tracing"
)

// tracedServer is a Carnet server whose requests end (spans ended, log
// written) before post returns.
type tracedServer struct {
	t    *testing.T
	srv  *httptest.Server
	done chan struct{}
	mu   sync.Mutex
	logs bytes.Buffer
}

func (s *tracedServer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logs.Write(p)
}

// lines returns the JSON log lines whose msg is msg, and forgets them all.
func (s *tracedServer) lines(msg string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(s.logs.String()), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) == nil && m["msg"] == msg {
			out = append(out, m)
		}
	}
	s.logs.Reset()
	return out
}

func newTracedServer(t *testing.T, d *db.DB, tp trace.TracerProvider) *tracedServer {
	s := &tracedServer{t: t, done: make(chan struct{}, 1)}
	h := server.New(server.Config{
		Client: d.Client, Logger: slog.New(slog.NewJSONHandler(s, nil)),
		Sirene: sirene.NewProvider(sirene.Config{}), Tracing: tp,
	})
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		s.done <- struct{}{}
	}))
	t.Cleanup(s.srv.Close)
	return s
}

// post sends a GraphQL document with headers and returns the decoded
// answer once the server has finished with the request.
func (s *tracedServer) post(token, query string, vars map[string]any, header http.Header) *apitest.Result {
	s.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, s.srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	r := &apitest.Result{Status: resp.StatusCode}
	if err := json.NewDecoder(resp.Body).Decode(r); err != nil {
		s.t.Fatal(err)
	}
	<-s.done
	return r
}

func attr(s sdktrace.ReadOnlySpan, key string) (attribute.Value, bool) {
	for _, kv := range s.Attributes() {
		if string(kv.Key) == key {
			return kv.Value, true
		}
	}
	return attribute.Value{}, false
}

func byName(spans []sdktrace.ReadOnlySpan, name string) []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, s := range spans {
		if s.Name() == name {
			out = append(out, s)
		}
	}
	return out
}

// TestTracing_RequestOperationAndStatements: one GraphQL request gives an
// HTTP server span that continues the caller's trace (traceparent), an
// operation span named after the operation with its type and
// organisation, and SQL spans in the same trace without bound values; the
// request log line carries the trace id.
func TestTracing_RequestOperationAndStatements(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		rec := tracetest.NewSpanRecorder()
		tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
		s := newTracedServer(t, d, tp)

		const traceID, parentID = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
		r := s.post(e.TokenA, `mutation NewProspect($in: CreateProspectInput!) { createProspect(input: $in) { id } }`,
			map[string]any{"in": map[string]any{"name": "Société Tracée Secrète", "email": "contact@tracee.example"}},
			http.Header{"Traceparent": {"00-" + traceID + "-" + parentID + "-01"}})
		if len(r.Errors) > 0 {
			t.Fatalf("errors: %+v", r.Errors)
		}
		spans := rec.Ended()

		httpSpans := byName(spans, "POST /graphql")
		if len(httpSpans) != 1 {
			t.Fatalf("%d HTTP spans among %d", len(httpSpans), len(spans))
		}
		hs := httpSpans[0]
		if hs.SpanKind() != trace.SpanKindServer || hs.SpanContext().TraceID().String() != traceID ||
			hs.Parent().SpanID().String() != parentID || !hs.Parent().IsRemote() {
			t.Fatalf("HTTP span: kind %v trace %s parent %s (remote %v)", hs.SpanKind(), hs.SpanContext().TraceID(), hs.Parent().SpanID(), hs.Parent().IsRemote())
		}
		if v, _ := attr(hs, "http.response.status_code"); v.AsInt64() != 200 {
			t.Errorf("HTTP span status code %v", v.String())
		}

		ops := byName(spans, "NewProspect")
		if len(ops) != 1 {
			t.Fatalf("%d operation spans", len(ops))
		}
		op := ops[0]
		if op.Parent().SpanID() != hs.SpanContext().SpanID() || op.SpanContext().TraceID() != hs.SpanContext().TraceID() {
			t.Errorf("operation span is not the HTTP span's child")
		}
		for k, want := range map[string]string{"graphql.operation.name": "NewProspect", "graphql.operation.type": "mutation"} {
			if v, _ := attr(op, k); v.AsString() != want {
				t.Errorf("operation span %s = %q, want %q", k, v.AsString(), want)
			}
		}
		if v, _ := attr(op, "carnet.organisation_id"); v.AsInt64() != int64(e.A.Organisation.ID) {
			t.Errorf("operation span organisation %v, want %d", v.String(), e.A.Organisation.ID)
		}
		if op.Status().Code == codes.Error {
			t.Errorf("operation span status %v", op.Status())
		}

		// SQL: authentication under the HTTP span, the mutation's
		// statements (BEGIN … INSERT … COMMIT) under the operation span.
		underOp, underHTTP := map[string]int{}, 0
		for _, sp := range spans {
			if _, ok := attr(sp, "db.query.text"); !ok {
				continue
			}
			if sp.SpanContext().TraceID().String() != traceID || sp.SpanKind() != trace.SpanKindClient {
				t.Errorf("SQL span %s: trace %s kind %v", sp.Name(), sp.SpanContext().TraceID(), sp.SpanKind())
			}
			switch sp.Parent().SpanID() {
			case op.SpanContext().SpanID():
				underOp[sp.Name()]++
			case hs.SpanContext().SpanID():
				underHTTP++
			}
			if v, _ := attr(sp, "db.system.name"); v.AsString() != map[string]string{"sqlite3": "sqlite", "postgres": "postgresql"}[d.Dialect] {
				t.Errorf("SQL span db.system.name %q on %s", v.AsString(), d.Dialect)
			}
		}
		if underOp["BEGIN"] != 1 || underOp["COMMIT"] != 1 || underOp["INSERT"] == 0 || underHTTP == 0 {
			t.Errorf("SQL spans under the operation %v, under the HTTP span %d", underOp, underHTTP)
		}
		// No bound value on any span.
		for _, sp := range spans {
			for _, kv := range sp.Attributes() {
				if v := kv.Value.String(); strings.Contains(v, "Tracée") || strings.Contains(v, "tracee.example") || strings.Contains(v, e.TokenA) {
					t.Errorf("span %s attribute %s carries a value: %s", sp.Name(), kv.Key, v)
				}
			}
		}

		logs := s.lines("request")
		if len(logs) != 1 || logs[0]["trace_id"] != traceID {
			t.Errorf("request log lines %v, want one with trace_id %s", logs, traceID)
		}

		// Without traceparent, a new trace; an error's code on the operation span.
		rec.Reset()
		r = s.post(e.TokenA, `query Lookup { sireneLookup(identifier: "20000982700037") { name } }`, nil, nil)
		if r.Code() != "FEATURE_DISABLED" {
			t.Fatalf("lookup without SIRENE: %+v", r.Errors)
		}
		spans = rec.Ended()
		ops = byName(spans, "Lookup")
		if len(ops) != 1 {
			t.Fatalf("%d operation spans", len(ops))
		}
		if id := ops[0].SpanContext().TraceID().String(); id == traceID || ops[0].Parent().IsRemote() {
			t.Errorf("a request without traceparent continued trace %s", id)
		}
		if v, _ := attr(ops[0], "carnet.error_codes"); len(v.AsStringSlice()) != 1 || v.AsStringSlice()[0] != "FEATURE_DISABLED" || ops[0].Status().Code != codes.Error {
			t.Errorf("operation span error codes %v, status %v", v.String(), ops[0].Status())
		}
		if v, _ := attr(ops[0], "graphql.operation.type"); v.AsString() != "query" {
			t.Errorf("operation type %q", v.AsString())
		}
		if logs := s.lines("graphql"); len(logs) != 1 || logs[0]["trace_id"] != ops[0].SpanContext().TraceID().String() {
			t.Errorf("graphql log lines %v, want the trace id", logs)
		}
	})
}

// TestTracing_SireneCall: a SIRENE look-up is a client span of the
// operation, sends the trace along, and names no identifier.
func TestTracing_SireneCall(t *testing.T) {
	d := testdb.Open(t, testdb.Dialects()[0])
	e := apitest.New(t, d)
	f := apitest.NewFakeSirene(t)
	e.ConfigureSirene(e.TokenA, f)
	rec := tracetest.NewSpanRecorder()
	s := newTracedServer(t, d, sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec)))
	if r := s.post(e.TokenA, `query Look { sireneLookup(identifier: "20000982700037") { siret } }`, nil, nil); len(r.Errors) > 0 {
		t.Fatalf("errors: %+v", r.Errors)
	}
	spans := rec.Ended()
	op, calls := byName(spans, "Look"), byName(spans, "SIRENE GET")
	if len(op) != 1 || len(calls) != 1 {
		t.Fatalf("%d operation spans, %d SIRENE spans", len(op), len(calls))
	}
	c := calls[0]
	if c.SpanKind() != trace.SpanKindClient || c.Parent().SpanID() != op[0].SpanContext().SpanID() {
		t.Errorf("SIRENE span: kind %v, parent %s, want %s", c.SpanKind(), c.Parent().SpanID(), op[0].SpanContext().SpanID())
	}
	if v, _ := attr(c, "url.full"); v.AsString() != f.URL+"/siret/{siret}" {
		t.Errorf("url.full %q", v.AsString())
	}
	if v, _ := attr(c, "http.response.status_code"); v.AsInt64() != 200 {
		t.Errorf("status %v", v.String())
	}
	for _, kv := range c.Attributes() {
		if strings.Contains(kv.Value.String(), "20000982700037") {
			t.Errorf("SIRENE span attribute %s names the SIRET: %s", kv.Key, kv.Value.String())
		}
	}
	got := f.Traceparents()
	want := "00-" + c.SpanContext().TraceID().String() + "-" + c.SpanContext().SpanID().String() + "-01"
	if len(got) != 1 || got[0] != want {
		t.Errorf("SIRENE received traceparent %q, want %q", got, want)
	}
}

// TestTracing_Off: without configuration no tracer provider is installed,
// a traceparent is ignored and logs carry no trace id.
func TestTracing_Off(t *testing.T) {
	for _, k := range []string{"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_TRACES_EXPORTER", "OTEL_SDK_DISABLED"} {
		t.Setenv(k, "")
	}
	tp, err := tracing.Setup(context.Background(), "test", nil)
	if err != nil || tp != nil {
		t.Fatalf("Setup without configuration: %v, %v", tp, err)
	}
	if _, ok := otel.GetTracerProvider().(*sdktrace.TracerProvider); ok {
		t.Fatal("a tracer provider was installed")
	}

	d := testdb.Open(t, testdb.Dialects()[0])
	e := apitest.New(t, d)
	s := newTracedServer(t, d, nil)
	r := s.post(e.TokenA, `query Me { me { id } }`, nil,
		http.Header{"Traceparent": {"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}})
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %+v", r.Errors)
	}
	s.mu.Lock()
	logs := s.logs.String()
	s.mu.Unlock()
	if !strings.Contains(logs, `"msg":"request"`) || strings.Contains(logs, "trace_id") {
		t.Errorf("logs with tracing off:\n%s", logs)
	}
}
