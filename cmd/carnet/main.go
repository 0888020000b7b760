// Command carnet is Carnet's server and administration tool.
//
//	carnet serve [--demo]         start the GraphQL server (migrates first)
//	carnet migrate                apply the database migrations
//	carnet init --org NAME --admin-email EMAIL
//	carnet import clients FILE.csv
//	carnet gen --third-parties N [--org NAME]
//	carnet bench search [--org NAME]
//	carnet bench load [--org NAME] [--rate R] [--duration D] [--url URL --token T]
//	carnet version
//
// Every sub-command reads the same configuration: CARNET_ADDR,
// DATABASE_URL, CARNET_DATA_DIR and CARNET_ENV, each also a flag.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"go.opentelemetry.io/otel/trace"

	"carnet/ent"
	"carnet/internal/admin"
	"carnet/internal/bench"
	"carnet/internal/db"
	"carnet/internal/demo"
	"carnet/internal/documents"
	"carnet/internal/gen"
	"carnet/internal/importer"
	"carnet/internal/server"
	"carnet/internal/sirene"
	"carnet/internal/tracing"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `usage: carnet <command> [flags]

commands:
  serve [--demo]                          start the GraphQL server
  migrate                                 apply the database migrations
  init --org NAME --admin-email EMAIL     create an organisation and its administrator
  import clients FILE.csv                 import clients (back-office integration)
  gen --third-parties N [--org NAME]      fill a database with realistic generated data
  bench search [--org NAME]               search benchmark: end to end and direct, p50/p95/p99
  bench load [--org NAME] [--rate 50] [--duration 30s] [--url URL --token T] [--mix op=w,…]
                                          load benchmark: a realistic mix at a fixed rate
  version                                 print the version

configuration (environment variable, or the flag of the same name):
  CARNET_ADDR      --addr       listen address (default :8080)
  DATABASE_URL     --database   sqlite:PATH or postgres://… (default sqlite:carnet.db)
  CARNET_DATA_DIR  --data-dir   where documents are stored (default ./data)
  CARNET_ENV       --env        development or production (default development)
  CARNET_BLOB_URL  --blob-url   document storage: file:///dir, s3://bucket?region=… (default DATA_DIR/documents)
  CARNET_MAX_UPLOAD_BYTES --max-upload-bytes   largest document (default 25 MB)
  CARNET_SIRENE_BASE_URL, CARNET_SIRENE_API_KEY   default SIRENE connection of every organisation
  CARNET_CORS_ORIGINS   browser origins allowed (comma-separated; none by default)
  CARNET_RATE_LIMIT, CARNET_RATE_BURST   requests per second and burst per token (20, 40; 0 = off)
  OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_TRACES_EXPORTER=console)   turns OpenTelemetry tracing on (off by default)
`

// config is the configuration shared by every sub-command.
type config struct {
	addr, databaseURL, dataDir, env, blobURL string
	maxUpload                                int64
}

// flags registers the shared configuration on fs, defaulting to the
// environment.
func (c *config) flags(fs *flag.FlagSet) {
	fs.StringVar(&c.addr, "addr", envOr("CARNET_ADDR", ":8080"), "listen address")
	fs.StringVar(&c.databaseURL, "database", envOr("DATABASE_URL", db.DefaultURL), "database URL")
	fs.StringVar(&c.dataDir, "data-dir", envOr("CARNET_DATA_DIR", "data"), "data directory")
	fs.StringVar(&c.env, "env", envOr("CARNET_ENV", "development"), "development or production")
	fs.StringVar(&c.blobURL, "blob-url", envOr("CARNET_BLOB_URL", ""), "document storage bucket URL (default: DATA_DIR/documents)")
	maxUpload, _ := strconv.ParseInt(envOr("CARNET_MAX_UPLOAD_BYTES", "0"), 10, 64)
	fs.Int64Var(&c.maxUpload, "max-upload-bytes", maxUpload, "largest document accepted (default 25 MB)")
}

// rateLimitFromEnv reads CARNET_RATE_LIMIT ("20" requests per second,
// default; "0" turns the limit off) and CARNET_RATE_BURST (default twice
// the rate).
func rateLimitFromEnv() server.RateLimit {
	rate, err := strconv.ParseFloat(envOr("CARNET_RATE_LIMIT", "20"), 64)
	if err != nil || rate < 0 {
		rate = 20
	}
	burst, err := strconv.Atoi(envOr("CARNET_RATE_BURST", strconv.Itoa(int(2*rate))))
	if err != nil || burst < 1 {
		burst = int(2 * rate)
	}
	return server.RateLimit{Rate: rate, Burst: burst}
}

// authCacheTTLFromEnv reads CARNET_AUTH_CACHE_TTL, a duration ("5s"; unset
// or "0": no token cache, every request reads its token).
func authCacheTTLFromEnv() time.Duration {
	v := os.Getenv("CARNET_AUTH_CACHE_TTL")
	if v == "" || v == "0" {
		return 0
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		slog.Warn("CARNET_AUTH_CACHE_TTL is not a duration: no token cache", "value", v)
		return 0
	}
	return d
}

// openDocuments opens the document store of the configuration.
func openDocuments(ctx context.Context, cfg config) (*documents.Store, error) {
	u := cfg.blobURL
	if u == "" {
		var err error
		if u, err = documents.LocalURL(filepath.Join(cfg.dataDir, "documents")); err != nil {
			return nil, err
		}
	}
	return documents.Open(ctx, u, cfg.maxUpload)
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// gcPercent is Go's GOGC for Carnet unless the environment sets one. The
// server's live heap is small (tens of MB) and it allocates quickly, so
// at Go's default (100) it collects several times a second, and on a
// 2-core machine those collections make the latency tail: at a million
// third parties, search e2e p99 went from 7.4–7.9 ms to 5.8–6.2 ms with
// 400 (carnet bench search, 2 clients). The heap peaks at about five
// times the live heap instead of two; GOMEMLIMIT still bounds it.
const gcPercent = 400

// tuneGC sets gcPercent unless GOGC is set.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}

func main() {
	tuneGC()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "carnet:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(out, usage)
		return errors.New("missing command")
	}
	var cfg config
	fs := flag.NewFlagSet("carnet "+args[0], flag.ContinueOnError)
	cfg.flags(fs)
	switch args[0] {
	case "serve":
		withDemo := fs.Bool("demo", false, "load the demo organisation into an empty database")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		return serve(ctx, cfg, *withDemo, out)
	case "migrate":
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		d, err := openMigrated(ctx, cfg)
		if err != nil {
			return err
		}
		defer d.Close()
		fmt.Fprintln(out, "migrations applied")
		return nil
	case "init":
		org := fs.String("org", "", "organisation name")
		email := fs.String("admin-email", "", "administrator's e-mail")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		return initOrg(ctx, cfg, *org, *email, out)
	case "import":
		if len(args) < 2 || args[1] != "clients" {
			return errors.New("usage: carnet import clients FILE.csv")
		}
		orgName := fs.String("org", "", "organisation name (needed when the database holds several)")
		if err := fs.Parse(args[2:]); err != nil {
			return err
		}
		if fs.NArg() != 1 {
			return errors.New("usage: carnet import clients [--org NAME] FILE.csv")
		}
		return importClients(ctx, cfg, *orgName, fs.Arg(0), out)
	case "gen":
		n := fs.Int("third-parties", 0, "number of third parties to generate")
		orgName := fs.String("org", "", "organisation to fill (needed when the database holds several)")
		seed := fs.Int64("seed", 1, "random seed (the same seed gives the same data)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *n <= 0 {
			return errors.New("usage: carnet gen --third-parties N [--org NAME] [--seed S]")
		}
		d, err := openMigrated(ctx, cfg)
		if err != nil {
			return err
		}
		defer d.Close()
		_, err = gen.Run(ctx, d, *orgName, *n, *seed, out)
		return err
	case "bench":
		if len(args) >= 2 && args[1] == "load" {
			return benchLoad(ctx, &cfg, fs, args[2:], out)
		}
		if len(args) < 2 || args[1] != "search" {
			return errors.New("usage: carnet bench search [--org NAME] [--concurrency C] [--duration D]\n       carnet bench load [--org NAME | --url URL --token T] [--rate R] [--duration D] [--mix op=w,…]")
		}
		orgName := fs.String("org", "", "organisation whose data is searched")
		conc := fs.Int("concurrency", 8, "concurrent clients")
		dur := fs.Duration("duration", 20*time.Second, "how long each query class runs, end to end and direct")
		classes := fs.String("class", "", "comma-separated classes to run (default all): "+strings.Join(bench.ClassNames, ", "))
		profile := fs.String("cpuprofile", "", "write a CPU profile of the run (server and clients) to this file")
		if err := fs.Parse(args[2:]); err != nil {
			return err
		}
		d, err := openMigrated(ctx, cfg)
		if err != nil {
			return err
		}
		defer d.Close()
		bc := bench.Config{Concurrency: *conc, Duration: *dur, AuthCacheTTL: authCacheTTLFromEnv()}
		if *classes != "" {
			bc.Classes = strings.Split(*classes, ",")
		}
		if *profile != "" {
			f, err := os.Create(*profile)
			if err != nil {
				return err
			}
			defer f.Close()
			if err := pprof.StartCPUProfile(f); err != nil {
				return err
			}
			defer pprof.StopCPUProfile()
		}
		_, err = bench.SearchBench(ctx, d, *orgName, bc, out)
		return err
	case "version":
		fmt.Fprintln(out, "carnet", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(out, usage)
		return nil
	}
	fmt.Fprint(out, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// benchLoad runs the load benchmark (cfg is parsed from fs): against an in-process server on the
// database (as the organisation's first user), or against a running
// server at --url with --token.
func benchLoad(ctx context.Context, cfg *config, fs *flag.FlagSet, args []string, out io.Writer) error {
	orgName := fs.String("org", "", "organisation whose data is used (in-process server)")
	rate := fs.Int("rate", 50, "requests per second")
	dur := fs.Duration("duration", 30*time.Second, "how long the load runs")
	target := fs.String("url", "", "base URL of a running server (default: an in-process server on the database)")
	token := fs.String("token", envOr("CARNET_TOKEN", ""), "bearer token, with --url (default $CARNET_TOKEN)")
	mix := fs.String("mix", "", "weights replacing the default ones, e.g. search=60,createProspect=0")
	seed := fs.Uint64("seed", 1, "random seed of the sampled data and of the choices")
	if err := fs.Parse(args); err != nil {
		return err
	}
	lc := bench.LoadConfig{Rate: *rate, Duration: *dur, Seed: *seed, Mix: map[string]int{}, AuthCacheTTL: authCacheTTLFromEnv()}
	for _, kv := range strings.Split(*mix, ",") {
		if kv = strings.TrimSpace(kv); kv == "" {
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		w, err := strconv.Atoi(strings.TrimSpace(v))
		if !ok || err != nil {
			return fmt.Errorf("--mix: %q is not op=weight", kv)
		}
		lc.Mix[strings.TrimSpace(k)] = w
	}
	if *target != "" {
		if *token == "" {
			return errors.New("bench load --url needs --token (or CARNET_TOKEN)")
		}
		_, err := bench.Load(ctx, *target, *token, lc, out)
		return err
	}
	d, err := openMigrated(ctx, *cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	_, err = bench.LoadBench(ctx, d, *orgName, lc, out)
	return err
}

func openMigrated(ctx context.Context, cfg config) (*db.DB, error) {
	d, err := db.Open(ctx, cfg.databaseURL)
	if err != nil {
		return nil, err
	}
	if err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

func serve(ctx context.Context, cfg config, withDemo bool, out io.Writer) error {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	d, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	store, err := openDocuments(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	tp, err := tracing.Setup(ctx, version, log)
	if err != nil {
		return err
	}
	var tracer trace.TracerProvider // nil interface, not a nil pointer, when off
	if tp != nil {
		tracer = tp
		defer func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := tp.Shutdown(ctx); err != nil {
				log.Warn("tracing: flush at exit", "err", err.Error())
			}
		}()
		fmt.Fprintln(out, "tracing on (OpenTelemetry)")
	}
	if withDemo {
		tokens, err := demo.Load(ctx, d.Client)
		switch {
		case errors.Is(err, demo.ErrNotEmpty):
			fmt.Fprintln(out, "demo: the database is not empty; demo data not loaded (the tokens printed when it was loaded still work)")
		case err != nil:
			return err
		default:
			fmt.Fprintln(out, "demo organisation loaded; tokens (shown once):")
			for _, t := range tokens {
				fmt.Fprintf(out, "  %-40s %s\n", t.Who, t.Token)
			}
		}
	}
	graphiql, err := server.ParseGraphiQL(os.Getenv("CARNET_GRAPHIQL"))
	if err != nil {
		return err
	}
	srv := &http.Server{
		Addr: cfg.addr,
		Handler: server.New(server.Config{
			Client: d.Client, Ping: d.SQL.PingContext, Logger: log,
			Production: cfg.env == "production", Documents: store, GraphiQL: graphiql,
			CORSOrigins:  server.ParseOrigins(os.Getenv("CARNET_CORS_ORIGINS")),
			RateLimit:    rateLimitFromEnv(),
			AuthCacheTTL: authCacheTTLFromEnv(),
			Tracing:      tracer,
			Sirene: sirene.NewProvider(sirene.Config{
				BaseURL: os.Getenv("CARNET_SIRENE_BASE_URL"),
				APIKey:  os.Getenv("CARNET_SIRENE_API_KEY"),
			}),
		}),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	fmt.Fprintf(out, "carnet %s listening on %s (GraphiQL at /, API at /graphql)\n", version, cfg.addr)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

func initOrg(ctx context.Context, cfg config, org, email string, out io.Writer) error {
	if org == "" || email == "" {
		return errors.New("usage: carnet init --org NAME --admin-email EMAIL")
	}
	d, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	var b *admin.Bootstrap
	err = db.WithTx(ctx, d.Client, func(tx *ent.Client) error {
		b, err = admin.CreateOrganisation(ctx, tx, org, email)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "organisation %q created with companies %q (shared) and %q; administrator %s\n",
		b.Organisation.Name, b.SharedCompany.Name, b.LoginCompany.Name, b.Admin.Email)
	fmt.Fprintln(out, "the administrator's token, shown once:")
	fmt.Fprintf(out, "CARNET_TOKEN=%s\n", b.Token)
	return nil
}

func importClients(ctx context.Context, cfg config, orgName, path string, out io.Writer) error {
	d, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	report, err := importer.Clients(ctx, d.Client, orgName, f)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "created %d, updated %d, rejected %d\n", report.Created, report.Updated, len(report.Rejected))
	for _, r := range report.Rejected {
		fmt.Fprintf(out, "line %d: %s\n", r.Line, r.Reason)
	}
	return nil
}
