// Package server assembles Carnet's HTTP handler: the GraphQL endpoint
// (gqlgen with entgql's per-mutation transactions), bearer-token
// authentication, per-request page loaders, GraphiQL, health checks, and
// the error presenter that turns every error into a code of the API.
package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"github.com/99designs/gqlgen/graphql"
	"github.com/felixge/httpsnoop"
	"github.com/vektah/gqlparser/v2/ast"
	"go.opentelemetry.io/otel/attribute"
	otelcodes "go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"carnet/ent"
	"carnet/graph"
	"carnet/graph/pageload"
	"carnet/internal/auth"
	"carnet/internal/config"
	"carnet/internal/db"
	"carnet/internal/documents"
	"carnet/internal/errs"
	"carnet/internal/exports"
	"carnet/internal/gid"
	"carnet/internal/lang"
	"carnet/internal/metrics"
	"carnet/internal/server/graphiql"
	"carnet/internal/sirene"
	"carnet/internal/tracing"
	"carnet/internal/viewer"
)

// Config configures the handler.
type Config struct {
	// Client is the database's ent client.
	Client *ent.Client
	// Ping checks that the database answers (readiness).
	Ping func(context.Context) error
	// Logger receives request and error logs.
	Logger *slog.Logger
	// Production turns introspection and field suggestions off, and
	// GraphiQL unless GraphiQL says otherwise.
	Production bool
	// GraphiQL says whether / serves GraphiQL (config reads
	// CARNET_GRAPHIQL): GraphiQLDefault, the zero value, serves it
	// unless Production.
	GraphiQL GraphiQLMode
	// Documents stores uploaded files (required for uploads) and exports.
	Documents *documents.Store
	// Exports writes bulk exports in the background (startExport). When
	// nil and Documents is set, New makes one with the default bounds;
	// whoever makes it closes it (Runner.Close) when the server stops.
	Exports *exports.Runner
	// Sirene gives each organisation its SIRENE client (nil: SIRENE is off
	// everywhere, look-ups answer FEATURE_DISABLED).
	Sirene *sirene.Provider
	// CORSOrigins are the browser origins allowed to call the API.
	CORSOrigins []string
	// CORSHeaders are the request headers those origins may send
	// (config.DefaultCORSHeaders when nil).
	CORSHeaders []string
	// RateLimit bounds each token's requests (zero: no limit).
	RateLimit RateLimit
	// Tracing traces each request, GraphQL operation, SQL statement and
	// SIRENE call (nil: tracing is off and costs nothing).
	Tracing trace.TracerProvider
	// Admission bounds the GraphQL requests served at once (zero: no
	// bound).
	Admission Admission
	// Deadlines are the time limits of GraphQL requests (zero: the
	// defaults, 10 s and 30 s for uploads).
	Deadlines Deadlines
	// AuthCache keeps tokens' viewers between requests (nil: every
	// request reads its token). Build it with NewAuthCache, which makes
	// it listen for other processes' changes on PostgreSQL.
	AuthCache *auth.Cache
	// MetricsElsewhere leaves /metrics out of this handler (404): another
	// listener serves it (CARNET_METRICS_ADDR).
	MetricsElsewhere bool
}

// authCacheSize is the number of tokens the cache holds.
const authCacheSize = 10_000

// NewAuthCache returns the token cache for a server on d, whose entries
// last ttl at most (nil when ttl is zero: no cache). On SQLite (one
// process) the ent hooks keep it exact; on PostgreSQL it also listens for
// the changes of other processes until ctx ends (auth.Cache.Listen) and
// serves from its entries only while it listens.
func NewAuthCache(ctx context.Context, d *db.DB, ttl time.Duration, log *slog.Logger) (*auth.Cache, error) {
	c := auth.NewCache(authCacheSize, ttl)
	if c == nil || d.Dialect != dialect.Postgres {
		return c, nil
	}
	if log == nil {
		log = slog.Default()
	}
	if err := c.Listen(ctx, d.URL, log); err != nil {
		return nil, err
	}
	return c, nil
}

// MaxBodyBytes bounds a GraphQL request body.
const MaxBodyBytes = 1 << 20

// multipartOverhead is what an upload's body may hold beyond its file:
// the operations, the map and the parts' headers.
const multipartOverhead = 1 << 20

// parserTokenLimit bounds the tokens of a GraphQL document.
const parserTokenLimit = 15000

// New returns Carnet's HTTP handler.
func New(cfg Config) http.Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	gql := handler.New(graph.NewSchema(cfg.Client))
	persisted := newPersistedQueries()
	gql.AddTransport(getQueries{persisted: persisted})
	gql.AddTransport(jsonPOST{})
	var maxUpload int64 = documents.DefaultMaxSize
	if cfg.Documents != nil {
		maxUpload = cfg.Documents.MaxSize()
	}
	// Files past 1 MiB spill to temporary files: memory stays bounded.
	gql.AddTransport(uploads{MultipartForm: transport.MultipartForm{MaxUploadSize: maxUpload + multipartOverhead, MaxMemory: 1 << 20}, maxFile: maxUpload})
	present := presentError(cfg.Logger)
	gql.SetErrorPresenter(present)
	gql.SetRecoverFunc(func(ctx context.Context, p any) error {
		cfg.Logger.ErrorContext(ctx, "panic", "request_id", RequestID(ctx), "panic", p, "stack", string(debug.Stack()))
		return errs.E(errs.Internal, "internal error; quote request id %s to support", RequestID(ctx))
	})
	gql.SetParserTokenLimit(parserTokenLimit)
	// Parsed and validated documents are kept by their text: a search
	// field sends one text per keystroke, and parsing and validating it
	// cost a quarter of the server's CPU around a search. pageLimits
	// edits a copy, never a cached document.
	gql.SetQueryCache(newQueryCache())
	// Automatic persisted queries (Apollo's PersistedQueryLink): a hash
	// stands for a document sent once before. The document is set before
	// parsing, so the query cache, page limits and the other checks see
	// it as if it had been sent.
	gql.Use(extension.AutomaticPersistedQuery{Cache: persisted})
	if cfg.Production {
		gql.SetDisableSuggestion(true)
		gql.Use(noIntrospection{})
	} else {
		gql.Use(extension.Introspection{})
	}
	gql.Use(&inputChecks{})
	gql.Use(pageLimits{})
	gql.Use(costLimits{})
	gql.Use(costReport{})
	// Before the transaction: an operation's span and duration cover its
	// BEGIN and COMMIT.
	gql.Use(newObserver(cfg.Logger, cfg.Tracing))
	gql.Use(transactioner{Transactioner: entgql.Transactioner{TxOpener: cfg.Client, SkipTxFunc: ownTransaction}, present: present})
	gql.AroundFields(splitLists)

	if cfg.Exports == nil && cfg.Documents != nil {
		cfg.Exports = exports.NewRunner(cfg.Client, cfg.Documents, exports.Options{Logger: cfg.Logger})
	}
	tokens := cfg.AuthCache
	mux := http.NewServeMux()
	// The deadline runs from arrival: the wait for a place counts. Health
	// checks and /metrics are not behind admission.
	mux.Handle("/graphql", graphqlAnswers(withDeadline(cfg.Deadlines, admit(cfg.Admission,
		authenticate(cfg.Client, tokens, rateLimit(cfg.RateLimit,
			pageload.Middleware(cfg.Client, limitBody(gql, maxUpload))))))))
	mux.Handle("GET /documents/{id}", authenticate(cfg.Client, tokens, rateLimit(cfg.RateLimit,
		documents.Download(cfg.Client, cfg.Documents, gid.Decode))))
	mux.Handle("GET /exports/{id}", authenticate(cfg.Client, tokens, rateLimit(cfg.RateLimit,
		exports.Download(cfg.Client, cfg.Exports, gid.Decode))))
	getOnly := []string{"/documents/{id}", "/exports/{id}", "/healthz", "/readyz"}
	if !cfg.MetricsElsewhere {
		mux.Handle("GET /metrics", metrics.Handler())
		getOnly = append(getOnly, "/metrics")
	}
	if cfg.GraphiQL.on(cfg.Production) {
		page, err := graphiql.New("/graphql")
		if err != nil {
			panic(err) // the embedded files are the binary's own: a test loads them
		}
		mux.Handle("GET /{$}", page)
		mux.Handle("GET "+graphiql.Prefix, page)
		getOnly = append(getOnly, "/{$}", graphiql.Prefix)
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if cfg.Ping != nil {
			if err := cfg.Ping(ctx); err != nil {
				writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "database unreachable"})
				return
			}
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
	// Other methods and paths answer GraphQL-shaped errors too.
	for _, p := range getOnly {
		mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", "GET")
			writeError(w, r, http.StatusMethodNotAllowed, errs.E(errs.BadUserInput, "method %s is not allowed here: use GET", r.Method))
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, http.StatusNotFound, errs.E(errs.NotFound, "no such path: the API is at /graphql"))
	})
	return traced(cfg.Tracing, withRequestID(cfg.Logger, securityHeaders(withCORS(cfg.CORSOrigins, corsHeaders(cfg), withContext(cfg, mux)))))
}

// corsHeaders are the request headers of cfg that browsers may send.
func corsHeaders(cfg Config) []string {
	if cfg.CORSHeaders != nil {
		return cfg.CORSHeaders
	}
	return config.Defaults().CORSHeaders
}

// withContext puts in each request's context what hooks and resolvers
// need beyond the viewer: the document store, the export runner, the
// SIRENE provider and the server's base URL.
func withContext(cfg Config, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if cfg.Documents != nil {
			ctx = documents.WithStore(ctx, cfg.Documents)
		}
		if cfg.Exports != nil {
			ctx = exports.WithRunner(ctx, cfg.Exports)
		}
		ctx = sirene.WithProvider(ctx, cfg.Sirene)
		scheme := "http"
		if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
			scheme = "https"
		}
		ctx = documents.WithBaseURL(ctx, scheme+"://"+r.Host)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// limitBody refuses what gqlgen has no transport for, with the API's
// codes (gqlgen answers "transport not supported" without one): methods
// other than GET and POST (405), connection upgrades (no subscriptions),
// POST bodies other than JSON and multipart uploads (415: a form or
// text/plain body is also what a cross-site form can send). It bounds
// bodies: MaxBodyBytes for GraphQL documents, maxFile and
// multipartOverhead for uploads (past it, 413 and the message of a file
// past the limit, before reading a body that says its length),
// which must also carry a non-simple header so that a cross-site form
// cannot post one (CSRF): GraphQL-Require-Preflight (or
// Apollo-Require-Preflight, which Apollo clients send).
func limitBody(next http.Handler, maxFile int64) http.Handler {
	maxMultipart := maxFile + multipartOverhead
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodPost {
			w.Header().Set("Allow", "GET, POST")
			writeError(w, r, http.StatusMethodNotAllowed, errs.E(errs.BadUserInput,
				"method %s is not allowed: send GraphQL requests by POST (or GET for queries)", r.Method))
			return
		}
		if r.Header.Get("Upgrade") != "" {
			writeError(w, r, http.StatusBadRequest, errs.E(errs.BadUserInput, "connection upgrades are not supported (no subscriptions): send GraphQL requests by POST"))
			return
		}
		if r.Method == http.MethodGet {
			next.ServeHTTP(w, r)
			return
		}
		mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		limit := int64(MaxBodyBytes)
		switch {
		case err == nil && mediaType == "application/json":
		case err == nil && mediaType == "multipart/form-data":
			if r.Header.Get("GraphQL-Require-Preflight") == "" && r.Header.Get("Apollo-Require-Preflight") == "" {
				writeError(w, r, http.StatusBadRequest, errs.E(errs.BadUserInput, "uploads need the header GraphQL-Require-Preflight: 1"))
				return
			}
			limit = maxMultipart
			if r.ContentLength > maxMultipart {
				drain(r.Body)
				writeError(w, r, http.StatusRequestEntityTooLarge, fileTooLarge(maxFile))
				return
			}
		default:
			writeError(w, r, http.StatusUnsupportedMediaType, errs.E(errs.BadUserInput,
				"send GraphQL requests as application/json (uploads as multipart/form-data)"))
			return
		}
		body := r.Body
		bounded := &tripReader{ReadCloser: http.MaxBytesReader(w, body, limit)}
		r.Body = bounded
		next.ServeHTTP(w, r)
		if bounded.tooLarge {
			drain(body)
		}
	})
}

// maxDrain bounds what is read of a body refused for its size.
const maxDrain = 1 << 30

// drain reads what is left of a body refused for its size (up to
// maxDrain, within the server's read timeout) before the refusal is sent
// (graphqlAnswers sends it when the handler returns): a client that is
// still sending when the server answers and closes the connection sees a
// reset, not the answer (Node's fetch, curl).
func drain(body io.Reader) {
	_, _ = io.CopyN(io.Discard, body, maxDrain)
}

// authenticate resolves the bearer token into a viewer, or answers 401.
func authenticate(client *ent.Client, tokens *auth.Cache, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The scheme is case-insensitive (RFC 9110, 11.1).
		scheme, secret, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
		if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(secret) == "" {
			writeError(w, r, http.StatusUnauthorized, errs.E(errs.Unauthenticated, "send a bearer token: Authorization: Bearer <token>"))
			return
		}
		v, err := tokens.Authenticate(r.Context(), client, strings.TrimSpace(secret))
		if err != nil {
			if e, ok := errs.As(err); ok {
				writeError(w, r, http.StatusUnauthorized, e)
				return
			}
			id := RequestID(r.Context())
			// A database that is down or restarting: 503, and a hint to
			// retry (load balancers and clients honour Retry-After).
			w.Header().Set("Retry-After", "1")
			if e := timedOut(r.Context(), err); e != nil {
				// The request's deadline passed while the token was looked
				// up (a saturated server without admission control).
				writeError(w, r, http.StatusServiceUnavailable, e)
				return
			}
			if db.Unavailable(err) {
				slog.WarnContext(r.Context(), "database unavailable", "request_id", id, "err", err.Error())
				writeError(w, r, http.StatusServiceUnavailable, unavailable(id))
				return
			}
			slog.ErrorContext(r.Context(), "authentication failed", "request_id", id, "err", err.Error())
			writeError(w, r, http.StatusServiceUnavailable, errs.E(errs.Internal, "authentication is unavailable; quote request id %s", id))
			return
		}
		// The request's language, once: what it asks for, else the
		// organisation's.
		ctx := lang.NewContext(viewer.NewContext(r.Context(), v), lang.Negotiate(r.Header.Get("Accept-Language"), v.Language.Or(lang.Default)))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// writeError answers with a GraphQL-shaped error outside gqlgen, in the
// request's language.
func writeError(w http.ResponseWriter, r *http.Request, status int, e *errs.Error) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="carnet"`)
	}
	errs.WriteHTTP(w, status, localized(r.Context(), r.Header, e))
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

type requestIDKey struct{}

// RequestID returns the id of the request of ctx.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// withRequestID gives each request an id (X-Request-Id) and logs it.
func withRequestID(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id := hex.EncodeToString(b)
		w.Header().Set("X-Request-Id", id)
		ctx, countStatements := metrics.WithStatementCounter(context.WithValue(r.Context(), requestIDKey{}, id))
		trace.SpanFromContext(ctx).SetAttributes(attribute.String("carnet.request_id", id))
		// httpsnoop keeps the writer's optional interfaces (Flusher,
		// Hijacker, ReaderFrom, ...) as they are.
		m := httpsnoop.CaptureMetrics(next, w, r.WithContext(ctx))
		countStatements()
		metrics.HTTPRequest(r.Method, m.Code)
		attrs := []any{"request_id", id, "method", r.Method, "path", r.URL.Path,
			"status", m.Code, "duration_ms", m.Duration.Milliseconds()}
		if tid := tracing.TraceID(ctx); tid != "" {
			attrs = append(attrs, "trace_id", tid)
		}
		log.Info("request", attrs...)
	})
}

// observer logs each GraphQL operation (request id, organisation and
// user, operation, duration, error codes), records its metrics and, when
// tracing is on, runs it in a span named after the operation.
type observer struct {
	log    *slog.Logger
	tracer trace.Tracer // nil: tracing is off
}

func newObserver(log *slog.Logger, tp trace.TracerProvider) observer {
	o := observer{log: log}
	if tp != nil {
		o.tracer = tp.Tracer(tracing.Scope)
	}
	return o
}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = observer{}

func (observer) ExtensionName() string                   { return "Observer" }
func (observer) Validate(graphql.ExecutableSchema) error { return nil }
func (o observer) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	start := time.Now()
	name, kind := "", ""
	if oc := operationContext(ctx); oc != nil && oc.Operation != nil {
		name, kind = oc.Operation.Name, string(oc.Operation.Operation)
		if name == "" && len(oc.Operation.SelectionSet) > 0 {
			if f, ok := oc.Operation.SelectionSet[0].(*ast.Field); ok {
				name = f.Name
			}
		}
	}
	v := viewer.FromContext(ctx)
	var span trace.Span
	if o.tracer != nil {
		attrs := []attribute.KeyValue{semconv.GraphQLOperationName(name), semconv.GraphQLOperationTypeKey.String(kind)}
		if v != nil {
			attrs = append(attrs, attribute.Int("carnet.organisation_id", v.OrgID), attribute.Int("carnet.user_id", v.UserID))
		}
		spanName := name
		if spanName == "" {
			spanName = "GraphQL " + kind
		}
		ctx, span = o.tracer.Start(ctx, spanName, trace.WithAttributes(attrs...))
	}
	resp := next(ctx)
	var codes []string
	if resp != nil {
		for _, e := range resp.Errors {
			if c, ok := e.Extensions["code"].(string); ok {
				codes = append(codes, c)
			}
		}
	}
	d := time.Since(start)
	metrics.Operation(name, d.Seconds(), codes)
	attrs := []any{"request_id", RequestID(ctx), "operation", name, "duration_ms", d.Milliseconds()}
	if v != nil {
		attrs = append(attrs, "organisation_id", v.OrgID, "user_id", v.UserID)
	}
	if len(codes) > 0 {
		attrs = append(attrs, "error_codes", codes)
	}
	if id := tracing.TraceID(ctx); id != "" {
		attrs = append(attrs, "trace_id", id)
	}
	if span != nil {
		if len(codes) > 0 {
			span.SetAttributes(attribute.StringSlice("carnet.error_codes", codes))
			span.SetStatus(otelcodes.Error, codes[0])
		}
		span.End()
	}
	o.log.InfoContext(ctx, "graphql", attrs...)
	return resp
}

// operationContext is the operation of ctx, or nil (gqlgen panics when
// asked for a missing one).
func operationContext(ctx context.Context) *graphql.OperationContext {
	if !graphql.HasOperationContext(ctx) {
		return nil
	}
	return graphql.GetOperationContext(ctx)
}
