package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/otel/trace"

	"carnet/ent"
	"carnet/internal/admin"
	"carnet/internal/bench"
	"carnet/internal/config"
	"carnet/internal/db"
	"carnet/internal/demo"
	"carnet/internal/documents"
	"carnet/internal/exports"
	"carnet/internal/gen"
	"carnet/internal/importer"
	"carnet/internal/metrics"
	"carnet/internal/server"
	"carnet/internal/sirene"
	"carnet/internal/tracing"
)

func serveFlags(fs *flag.FlagSet) runFunc {
	withDemo := fs.Bool("demo", false, "load the demo organisation into an empty database")
	return func(ctx context.Context, cfg config.Config, _ []string, out io.Writer) error {
		return runServe(ctx, cfg, *withDemo, out, os.Stderr)
	}
}

func migrateFlags(*flag.FlagSet) runFunc { return runMigrate }

func initFlags(fs *flag.FlagSet) runFunc {
	org := fs.String("org", "", "organisation `name`")
	email := fs.String("admin-email", "", "administrator's e-mail")
	return func(ctx context.Context, cfg config.Config, _ []string, out io.Writer) error {
		return runInit(ctx, cfg, *org, *email, out)
	}
}

func importFlags(fs *flag.FlagSet) runFunc {
	org := fs.String("org", "", "organisation `name` (needed when the database holds several)")
	return func(ctx context.Context, cfg config.Config, args []string, out io.Writer) error {
		if len(args) != 1 {
			return errors.New("usage: carnet import clients [--org NAME] FILE.csv")
		}
		return runImport(ctx, cfg, *org, args[0], out)
	}
}

func genFlags(fs *flag.FlagSet) runFunc {
	n := fs.Int("third-parties", 0, "number of third parties to generate")
	org := fs.String("org", "", "organisation to fill (needed when the database holds several)")
	seed := fs.Int64("seed", 1, "random seed (the same seed gives the same data)")
	return func(ctx context.Context, cfg config.Config, _ []string, out io.Writer) error {
		if *n <= 0 {
			return errors.New("usage: carnet gen --third-parties N [--org NAME] [--seed S]")
		}
		return runGen(ctx, cfg, *org, *n, *seed, out)
	}
}

func benchSearchFlags(fs *flag.FlagSet) runFunc {
	org := fs.String("org", "", "organisation whose data is searched")
	conc := fs.Int("concurrency", 8, "concurrent clients")
	dur := fs.Duration("duration", 20*time.Second, "how long each query class runs, end to end and direct")
	classes := fs.String("class", "", "comma-separated classes to run (default all): "+strings.Join(bench.ClassNames, ", "))
	profile := fs.String("cpuprofile", "", "write a CPU profile of the run (server and clients) to this `file`")
	return func(ctx context.Context, cfg config.Config, _ []string, out io.Writer) error {
		bc := bench.Config{Concurrency: *conc, Duration: *dur, AuthCacheTTL: cfg.AuthCacheTTL}
		if *classes != "" {
			bc.Classes = strings.Split(*classes, ",")
		}
		return runBenchSearch(ctx, cfg, *org, bc, *profile, out)
	}
}

func benchLoadFlags(fs *flag.FlagSet) runFunc {
	org := fs.String("org", "", "organisation whose data is used (in-process server)")
	rate := fs.Int("rate", 50, "requests per second")
	dur := fs.Duration("duration", 30*time.Second, "how long the load runs")
	target := fs.String("url", "", "base URL of a running server (default: an in-process server on the database)")
	mix := fs.String("mix", "", "weights replacing the default ones, e.g. search=60,createProspect=0")
	seed := fs.Uint64("seed", 1, "random seed of the sampled data and of the choices")
	recovery := fs.Duration("recovery", 0, "then run this long at --recovery-rate, reported second by second (how soon latency is back)")
	recoveryRate := fs.Int("recovery-rate", 0, "requests per second after the load drops (default a tenth of --rate)")
	return func(ctx context.Context, cfg config.Config, _ []string, out io.Writer) error {
		lc := bench.LoadConfig{Rate: *rate, Duration: *dur, Seed: *seed, AuthCacheTTL: cfg.AuthCacheTTL,
			Recovery: *recovery, RecoveryRate: *recoveryRate,
			Admission: server.Admission{MaxInflight: cfg.MaxInflight, QueueWait: cfg.QueueWait},
			Deadlines: server.Deadlines{Request: cfg.RequestTimeout}}
		var err error
		if lc.Mix, err = parseMix(*mix); err != nil {
			return err
		}
		return runBenchLoad(ctx, cfg, *org, *target, lc, out)
	}
}

func versionFlags(*flag.FlagSet) runFunc {
	return func(_ context.Context, _ config.Config, _ []string, out io.Writer) error {
		fmt.Fprintln(out, "carnet", version)
		return nil
	}
}

// openMigrated opens the database of cfg and applies the migrations.
func openMigrated(ctx context.Context, cfg config.Config) (*db.DB, error) {
	d, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	if err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	// The planner's statistics, gathered where missing or stale (SQLite).
	if err := d.Optimize(ctx); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// keepOptimizing runs d.Optimize every db.OptimizeEvery until ctx ends,
// logging failures: statistics that stay stale only slow searches down.
func keepOptimizing(ctx context.Context, d *db.DB, log *slog.Logger) {
	t := time.NewTicker(db.OptimizeEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := d.Optimize(ctx); err != nil && ctx.Err() == nil {
				log.Warn("database statistics", "err", err.Error())
			}
		}
	}
}

// openDocuments opens the document store of cfg.
func openDocuments(ctx context.Context, cfg config.Config) (*documents.Store, error) {
	u := cfg.BlobURL
	if u == "" {
		var err error
		if u, err = documents.LocalURL(filepath.Join(cfg.DataDir, "documents")); err != nil {
			return nil, err
		}
	}
	return documents.Open(ctx, u, cfg.MaxUploadBytes)
}

// runServe serves the API until ctx ends, after loading the demo data
// into an empty database when withDemo. Its events (starting, listening,
// stopping, stopped) are JSON lines on logs, like its request logs; out
// gets the demo tokens only.
func runServe(ctx context.Context, cfg config.Config, withDemo bool, out, logs io.Writer) error {
	log := slog.New(slog.NewJSONHandler(logs, nil))
	log.Info("starting", "version", version, "goversion", runtime.Version(), "env", cfg.Env)
	err := serve(ctx, cfg, withDemo, out, log)
	if err != nil {
		log.Error("stopped", "err", err.Error())
		return err
	}
	log.Info("stopped")
	return nil
}

// serve runs the server of runServe.
func serve(ctx context.Context, cfg config.Config, withDemo bool, out io.Writer, log *slog.Logger) error {
	d, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	metrics.SetBuildInfo(version)
	if unwatch, err := metrics.WatchDB(d.SQL); err != nil {
		log.Warn("no database pool metrics", "err", err.Error())
	} else {
		defer unwatch()
	}
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
		log.Info("tracing on (OpenTelemetry)")
	}
	if withDemo {
		if err := loadDemo(ctx, d, store, out, log); err != nil {
			return err
		}
	}
	// Exports in progress at SIGTERM end FAILED ("interrupted"), files
	// removed, once the HTTP servers have stopped.
	runner := exports.NewRunner(d.Client, store, exports.Options{Logger: log})
	tokens, err := server.NewAuthCache(ctx, d, cfg.AuthCacheTTL, log)
	if err != nil {
		return err
	}
	optimizing, stopOptimizing := context.WithCancel(ctx)
	defer stopOptimizing()
	go keepOptimizing(optimizing, d, log)
	servers := []*http.Server{{
		Addr: cfg.Addr,
		Handler: server.New(server.Config{
			Client: d.Client, Ping: d.SQL.PingContext, Logger: log,
			Production: cfg.Production(), Documents: store, Exports: runner,
			CORSOrigins:      cfg.CORSOrigins,
			CORSHeaders:      cfg.CORSHeaders,
			GraphiQL:         graphiQLMode(cfg),
			RateLimit:        server.RateLimit{Rate: cfg.RateLimit, Burst: cfg.RateBurst},
			Admission:        server.Admission{MaxInflight: cfg.MaxInflight, QueueWait: cfg.QueueWait},
			Deadlines:        server.Deadlines{Request: cfg.RequestTimeout, Upload: cfg.UploadTimeout},
			AuthCache:        tokens,
			Tracing:          tracer,
			Sirene:           sirene.NewProvider(sirene.Config{BaseURL: cfg.SireneBaseURL, APIKey: cfg.SireneAPIKey}),
			MetricsElsewhere: cfg.MetricsAddr != "",
		}),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}}
	if cfg.MetricsAddr != "" {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", metrics.Handler())
		servers = append(servers, &http.Server{Addr: cfg.MetricsAddr, Handler: mux, ReadHeaderTimeout: 5 * time.Second})
	}
	// Listening before serving: the logged address is the one bound
	// (":0" gets a free port).
	listeners := make([]net.Listener, len(servers))
	for i, srv := range servers {
		if listeners[i], err = net.Listen("tcp", srv.Addr); err != nil {
			for _, l := range listeners[:i] {
				l.Close()
			}
			return err
		}
	}
	errc := make(chan error, len(servers))
	for i, srv := range servers {
		go func() { errc <- srv.Serve(listeners[i]) }()
	}
	attrs := []any{"addr", listeners[0].Addr().String(), "version", version, "graphiql", cfg.GraphiQLOn()}
	if len(listeners) > 1 {
		attrs = append(attrs, "metrics_addr", listeners[1].Addr().String())
	}
	log.Info("listening", attrs...)
	select {
	case err = <-errc:
	case <-ctx.Done():
		log.Info("stopping", "reason", context.Cause(ctx).Error())
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, srv := range servers {
		if e := srv.Shutdown(shutdown); err == nil {
			err = e
		}
	}
	if e := runner.Close(shutdown); err == nil {
		err = e
	}
	return err
}

// loadDemo loads the demo organisations into an empty database, their
// documents into store, and prints their tokens.
func loadDemo(ctx context.Context, d *db.DB, store *documents.Store, out io.Writer, log *slog.Logger) error {
	tokens, err := demo.Load(ctx, d.Client, store)
	switch {
	case errors.Is(err, demo.ErrNotEmpty):
		log.Info("demo: the database is not empty; demo data not loaded (the tokens printed when it was loaded still work)")
	case err != nil:
		return err
	default:
		if err := d.Analyze(ctx); err != nil {
			return err
		}
		fmt.Fprintln(out, "demo organisation loaded; tokens (shown once):")
		for _, t := range tokens {
			fmt.Fprintf(out, "  %-40s %s\n", t.Who, t.Token)
		}
	}
	return nil
}

// runMigrate applies the migrations.
func runMigrate(ctx context.Context, cfg config.Config, _ []string, out io.Writer) error {
	d, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	fmt.Fprintln(out, "migrations applied")
	return nil
}

// runInit creates an organisation and its administrator, and prints the
// administrator's token.
func runInit(ctx context.Context, cfg config.Config, org, email string, out io.Writer) error {
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

// runImport imports the clients of the CSV file at path into the
// organisation orgName.
func runImport(ctx context.Context, cfg config.Config, orgName, path string, out io.Writer) error {
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
	if err := d.Analyze(ctx); err != nil {
		return err
	}
	fmt.Fprintf(out, "created %d, updated %d, rejected %d\n", report.Created, report.Updated, len(report.Rejected))
	for _, r := range report.Rejected {
		fmt.Fprintf(out, "line %d: %s\n", r.Line, r.Reason)
	}
	for _, w := range report.Warnings {
		fmt.Fprintf(out, "line %d: warning: %s\n", w.Line, w.Message)
	}
	return nil
}

// runGen generates n third parties into the organisation orgName.
func runGen(ctx context.Context, cfg config.Config, orgName string, n int, seed int64, out io.Writer) error {
	d, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	_, err = gen.Run(ctx, d, orgName, n, seed, out)
	return err
}

// runBenchSearch runs the search benchmark on the data of orgName,
// writing a CPU profile to profile unless it is empty.
func runBenchSearch(ctx context.Context, cfg config.Config, orgName string, bc bench.Config, profile string, out io.Writer) error {
	d, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	if profile != "" {
		f, err := os.Create(profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	_, err = bench.SearchBench(ctx, d, orgName, bc, out)
	return err
}

// runBenchLoad runs the load benchmark: against a running server at
// target with cfg.Token, or against an in-process server on the database
// (as the first user of orgName) when target is empty.
func runBenchLoad(ctx context.Context, cfg config.Config, orgName, target string, lc bench.LoadConfig, out io.Writer) error {
	if target != "" {
		if cfg.Token == "" {
			return errors.New("bench load --url needs --token (or CARNET_TOKEN)")
		}
		_, err := bench.Load(ctx, target, cfg.Token, lc, out)
		return err
	}
	d, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	_, err = bench.LoadBench(ctx, d, orgName, lc, out)
	return err
}

// parseMix reads --mix: "op=weight" pairs, comma-separated.
func parseMix(s string) (map[string]int, error) {
	mix := map[string]int{}
	for _, kv := range strings.Split(s, ",") {
		if kv = strings.TrimSpace(kv); kv == "" {
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		w, err := strconv.Atoi(strings.TrimSpace(v))
		if !ok || err != nil {
			return nil, fmt.Errorf("--mix: %q is not op=weight", kv)
		}
		mix[strings.TrimSpace(k)] = w
	}
	return mix, nil
}

// graphiQLMode turns the CARNET_GRAPHIQL setting into the server's mode.
func graphiQLMode(cfg config.Config) server.GraphiQLMode {
	if cfg.GraphiQLOn() {
		return server.GraphiQLOn
	}
	return server.GraphiQLOff
}
