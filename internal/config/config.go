// Package config is Carnet's configuration: every setting read from the
// environment or the command line, with its default and its parser, in
// one table (Settings). A sub-command binds the settings it reads to its
// flag set, then loads them once at start: a flag wins over its variable,
// a variable over the default, and a bad value stops the start with an
// error naming the variable (or flag) and the form it accepts.
//
// An empty variable counts as unset (a compose file passes
// "${CARNET_RATE_LIMIT:-}" through as ""). OTEL_* stay with the
// OpenTelemetry SDK (internal/tracing); they are listed here for help
// only, like GOMEMLIMIT, which the Go runtime reads.
package config

import (
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// Environments of CARNET_ENV.
const (
	Development = "development"
	Production  = "production"
)

// Config is every setting Carnet reads, parsed.
type Config struct {
	// Addr is the server's listen address.
	Addr string
	// MetricsAddr is where /metrics is served instead of Addr ("": on
	// Addr, with the API).
	MetricsAddr string
	// DatabaseURL is "sqlite:PATH" or "postgres://…".
	DatabaseURL string
	// DataDir holds the documents unless BlobURL says otherwise.
	DataDir string
	// Env is Development or Production.
	Env string
	// BlobURL is the document bucket ("": a folder documents in DataDir).
	BlobURL string
	// MaxUploadBytes is the largest document accepted.
	MaxUploadBytes int64
	// SireneBaseURL ("": INSEE's) and SireneAPIKey are the default SIRENE
	// connection of every organisation.
	SireneBaseURL, SireneAPIKey string
	// CORSOrigins are the browser origins allowed to call the API ("*": any).
	CORSOrigins []string
	// CORSHeaders are the request headers browsers may send from those
	// origins.
	CORSHeaders []string
	// AuthCacheTTL bounds how long a token's viewer is reused (0: no
	// cache); changes apply at once regardless (auth.Cache).
	AuthCacheTTL time.Duration
	// RateLimit is the requests per second allowed per token (0: no
	// limit), RateBurst the burst (twice the rate unless set).
	RateLimit float64
	RateBurst int
	// MaxInflight bounds the GraphQL requests served at once (the
	// adaptive limit's ceiling; 0: no admission control), QueueWait how
	// long a request past the limit may wait for a place before 503
	// OVERLOADED.
	MaxInflight int
	QueueWait   time.Duration
	// RequestTimeout is the deadline of a GraphQL request,
	// UploadTimeout that of a multipart upload.
	RequestTimeout, UploadTimeout time.Duration
	// GCPercent is the garbage collector's target to set at start (-1:
	// off): GOGC when the environment sets it, else DefaultGCPercent.
	GCPercent int
	// Token is the bearer token a client sub-command sends (bench load).
	Token string
	// GraphiQL is "on", "off" or "" (on in development, off in production).
	GraphiQL string
}

// GraphiQLOn reports whether the server serves GraphiQL's page at /.
func (c Config) GraphiQLOn() bool {
	return c.GraphiQL == "on" || c.GraphiQL == "" && !c.Production()
}

// Production reports whether Env is Production.
func (c Config) Production() bool { return c.Env == Production }

// DefaultGCPercent is Go's GOGC for Carnet unless the environment sets
// one. The server's live heap is small (tens of MB) and it allocates
// quickly, so at Go's default (100) it collects several times a second,
// and on a 2-core machine those collections make the latency tail: at a
// million third parties, search e2e p99 went from 7.4–7.9 ms to 5.8–6.2 ms
// with 400 (carnet bench search, 2 clients). The heap peaks at about five
// times the live heap instead of two; GOMEMLIMIT still bounds it.
const DefaultGCPercent = 400

// DefaultCORSHeaders are the request headers browsers may send: the
// token, the body's type, uploads' CSRF guard, W3C trace context and
// Apollo Client's own headers, and X-Carnet-Cost (asks for extensions.cost).
const DefaultCORSHeaders = "Authorization, Content-Type, GraphQL-Require-Preflight, Apollo-Require-Preflight, " +
	"traceparent, tracestate, apollographql-client-name, apollographql-client-version, X-Apollo-Operation-Name, X-Carnet-Cost"

// A Setting is one variable of the environment, perhaps also a flag.
type Setting struct {
	// Env is the variable's name.
	Env string
	// Flag is the flag's name, without dashes ("": no flag).
	Flag string
	// Default is the value used when neither is set, in the same form.
	Default string
	// Shown is the default as help shows it when Default does not say it.
	Shown string
	// Help says what it is for.
	Help string
	// Arg names the flag's value in help ("value" when empty).
	Arg string
	// parse stores v into c, or says what form v should have; nil: the
	// setting is read by someone else (the runtime, the OpenTelemetry
	// SDK) and listed for help only.
	parse func(c *Config, v string) error
}

// DefaultText is the default as help shows it.
func (s *Setting) DefaultText() string {
	if s.Shown != "" {
		return s.Shown
	}
	if s.Default == "" {
		return "none"
	}
	return s.Default
}

// The settings. Their defaults are Carnet's; the README's configuration
// table documents the same names.
var (
	Addr = &Setting{Env: "CARNET_ADDR", Flag: "addr", Default: ":8080",
		Help: "listen address", Arg: "host:port", parse: parseAddr}
	MetricsAddr = &Setting{Env: "CARNET_METRICS_ADDR", Flag: "metrics-addr", Shown: "none: /metrics on the listen address",
		Help: "a listen address of its own for /metrics (then absent from the API's)", Arg: "host:port", parse: parseMetricsAddr}
	DatabaseURL = &Setting{Env: "DATABASE_URL", Flag: "database", Default: "sqlite:carnet.db",
		Help: "sqlite:PATH (embedded) or postgres://…", Arg: "url", parse: parseDatabaseURL}
	DataDir = &Setting{Env: "CARNET_DATA_DIR", Flag: "data-dir", Default: "data",
		Help: "where documents are stored by default", Arg: "dir", parse: parseDataDir}
	Env = &Setting{Env: "CARNET_ENV", Flag: "env", Default: Development,
		Help: "development or production (production: no introspection, no suggestions)", Arg: "env", parse: parseEnv}
	BlobURL = &Setting{Env: "CARNET_BLOB_URL", Flag: "blob-url", Shown: "DATA_DIR/documents",
		Help: "document storage bucket (file:///dir, s3://bucket?region=…)", Arg: "url", parse: parseBlobURL}
	MaxUploadBytes = &Setting{Env: "CARNET_MAX_UPLOAD_BYTES", Flag: "max-upload-bytes", Default: "25MB",
		Help: "largest document accepted (bytes, or 25MB, 512KB…)", Arg: "size", parse: parseMaxUpload}
	SireneBaseURL = &Setting{Env: "CARNET_SIRENE_BASE_URL", Shown: "INSEE's",
		Help: "default SIRENE API URL of every organisation", parse: parseSireneBaseURL}
	SireneAPIKey = &Setting{Env: "CARNET_SIRENE_API_KEY",
		Help: "default SIRENE API key of every organisation", parse: func(c *Config, v string) error { c.SireneAPIKey = v; return nil }}
	CORSOrigins = &Setting{Env: "CARNET_CORS_ORIGINS",
		Help: "browser origins allowed to call the API (comma-separated, * for any)", parse: parseCORSOrigins}
	CORSHeaders = &Setting{Env: "CARNET_CORS_HEADERS", Default: DefaultCORSHeaders,
		Help: "request headers those origins may send (comma-separated)", parse: parseCORSHeaders}
	AuthCacheTTL = &Setting{Env: "CARNET_AUTH_CACHE_TTL", Default: "60s",
		Help: "longest reuse of a token's user, rights and flags without reading them (changes apply at once on every replica; 0: no cache)", parse: parseAuthCacheTTL}
	RateLimit = &Setting{Env: "CARNET_RATE_LIMIT", Default: "20",
		Help: "requests per second per token (0: no limit)", parse: parseRateLimit}
	RateBurst = &Setting{Env: "CARNET_RATE_BURST", Shown: "twice the rate",
		Help: "burst of requests per token", parse: parseRateBurst}
	MaxInflight = &Setting{Env: "CARNET_MAX_INFLIGHT", Default: "64",
		Help: "GraphQL requests served at once, at most (adaptive below it; past it 503 OVERLOADED; 0: no limit)", parse: parseMaxInflight}
	QueueWait = &Setting{Env: "CARNET_QUEUE_WAIT", Default: "0",
		Help: "how long a request past the in-flight limit may wait for a place (0: refused at once)", parse: parseQueueWait}
	RequestTimeout = &Setting{Env: "CARNET_REQUEST_TIMEOUT", Default: "10s",
		Help: "deadline of a GraphQL query or mutation (its SQL is cancelled past it: TIMEOUT)", parse: parseRequestTimeout}
	UploadTimeout = &Setting{Env: "CARNET_UPLOAD_TIMEOUT", Default: "30s",
		Help: "deadline of a multipart upload", parse: parseUploadTimeout}
	GOGC = &Setting{Env: "GOGC", Default: "400",
		Help: "Go's garbage collector target (Carnet's default; off or a percentage)", parse: parseGOGC}
	GOMEMLIMIT = &Setting{Env: "GOMEMLIMIT",
		Help: "bounds the heap (read by the Go runtime)"}
	OTel = &Setting{Env: "OTEL_EXPORTER_OTLP_ENDPOINT", Shown: "none: tracing off",
		Help: "turns OpenTelemetry tracing on, with the other OTEL_* (OTEL_TRACES_EXPORTER=console: spans on stderr)"}
	GraphiQL = &Setting{Env: "CARNET_GRAPHIQL", Shown: "on in development, off in production",
		Help: "serve GraphiQL's page at / (on or off)", parse: parseGraphiQL}
	Token = &Setting{Env: "CARNET_TOKEN", Flag: "token",
		Help: "bearer token sent to the server at --url", Arg: "token", parse: func(c *Config, v string) error { c.Token = v; return nil }}
)

// Settings lists every setting, in the order help shows them.
var Settings = []*Setting{
	Addr, MetricsAddr, DatabaseURL, DataDir, Env, BlobURL, MaxUploadBytes,
	SireneBaseURL, SireneAPIKey, CORSOrigins, CORSHeaders, GraphiQL, AuthCacheTTL, RateLimit, RateBurst,
	MaxInflight, QueueWait, RequestTimeout, UploadTimeout, GOGC, GOMEMLIMIT, OTel, Token,
}

// Defaults is the configuration of no variable and no flag.
func Defaults() Config {
	c, err := Load(func(string) string { return "" })
	if err != nil {
		panic(err) // a default that does not parse is a bug of this file
	}
	return c
}

// Load reads every setting from getenv (os.Getenv), without flags.
func Load(getenv func(string) string) (Config, error) {
	return Bind(flag.NewFlagSet("", flag.ContinueOnError), Settings...).Load(getenv)
}

// A Binding is a set of settings bound to the flags of a sub-command.
type Binding struct {
	settings []*Setting
	flags    map[*Setting]*flagValue
}

// Bind registers on fs the flags of settings and returns the binding that
// loads them once fs is parsed.
func Bind(fs *flag.FlagSet, settings ...*Setting) *Binding {
	b := &Binding{settings: settings, flags: map[*Setting]*flagValue{}}
	for _, s := range settings {
		if s.Flag == "" {
			continue
		}
		v := &flagValue{setting: s, value: s.Default}
		b.flags[s] = v
		fs.Var(v, s.Flag, s.Help)
	}
	return b
}

// Settings are the settings of b, in the order they were bound.
func (b *Binding) Settings() []*Setting { return b.settings }

// Load resolves the settings of b: its flag when given, else its variable
// from getenv when not empty, else its default. Settings not bound keep
// their defaults. Call it after fs.Parse.
func (b *Binding) Load(getenv func(string) string) (Config, error) {
	var c Config
	given := map[*Setting]bool{}
	bound := map[*Setting]bool{}
	for _, s := range b.settings {
		bound[s] = true
	}
	for _, s := range Settings {
		if s.parse == nil {
			continue
		}
		if !bound[s] {
			if err := s.parse(&c, s.Default); err != nil {
				return Config{}, fmt.Errorf("%s: default %q is %w", s.Env, s.Default, err)
			}
			continue
		}
		if f := b.flags[s]; f != nil && f.set {
			given[s] = true
			if err := s.parse(&c, f.value); err != nil {
				return Config{}, fmt.Errorf("--%s: %s is %w", s.Flag, quote(s, f.value), err)
			}
			continue
		}
		v := getenv(s.Env)
		if v == "" {
			v = s.Default
		} else {
			given[s] = true
		}
		if err := s.parse(&c, v); err != nil {
			return Config{}, fmt.Errorf("%s: %s is %w", s.Env, quote(s, v), err)
		}
	}
	if !given[RateBurst] {
		c.RateBurst = int(2 * c.RateLimit)
	}
	return c, nil
}

// quote quotes v for an error message, without the password of a URL.
func quote(s *Setting, v string) string {
	if s == DatabaseURL || s == BlobURL {
		v = redact(v)
	}
	return fmt.Sprintf("%q", v)
}

// flagValue is a setting's flag: the text given.
type flagValue struct {
	setting *Setting
	value   string
	set     bool
}

// Setting is the setting of the flag, for help.
func (f *flagValue) Setting() *Setting { return f.setting }

func (f *flagValue) String() string {
	if f == nil || f.setting == nil {
		return ""
	}
	return f.value
}

// Set keeps v; Load checks it, so that a flag's error has the same form
// as its variable's and shows no password.
func (f *flagValue) Set(v string) error {
	f.value, f.set = v, true
	return nil
}

// WriteEnvironment writes the variables of settings, one a line: name,
// flag, default and meaning.
func WriteEnvironment(w io.Writer, settings []*Setting) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, s := range settings {
		flagName := ""
		if s.Flag != "" {
			flagName = "--" + s.Flag
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s (default %s)\n", s.Env, flagName, s.Help, s.DefaultText())
	}
	return tw.Flush()
}

// WriteFlags writes the flags of fs, one a line: name, value and
// meaning, with the variable of a setting's flag and the default.
func WriteFlags(w io.Writer, fs *flag.FlagSet) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fs.VisitAll(func(f *flag.Flag) {
		arg, usage := flag.UnquoteUsage(f)
		def := f.DefValue
		if v, ok := f.Value.(interface{ Setting() *Setting }); ok {
			s := v.Setting()
			arg, def = s.Arg, s.DefaultText()
			usage += " (or " + s.Env + ")"
		}
		if arg != "" {
			arg = " " + arg
		}
		if def != "" && def != "0" && def != "false" {
			usage += " (default " + def + ")"
		}
		fmt.Fprintf(tw, "  --%s%s\t%s\n", f.Name, arg, usage)
	})
	return tw.Flush()
}
