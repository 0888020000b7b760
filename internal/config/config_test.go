package config

import (
	"flag"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"
)

// load binds every setting to a new flag set, parses args and loads the
// configuration from env.
func load(t *testing.T, env map[string]string, args ...string) (Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("carnet test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	b := Bind(fs, Settings...)
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	return b.Load(func(name string) string { return env[name] })
}

func TestDefaultsAreTheREADMEs(t *testing.T) {
	want := Config{
		Addr: ":8080", DatabaseURL: "sqlite:carnet.db", DataDir: "data", Env: Development,
		MaxUploadBytes: 25 << 20, RateLimit: 20, RateBurst: 40, GCPercent: 400, AuthCacheTTL: time.Minute,
		MaxInflight: 64, RequestTimeout: 10 * time.Second, UploadTimeout: 30 * time.Second,
		CORSHeaders: []string{"Authorization", "Content-Type", "GraphQL-Require-Preflight", "Apollo-Require-Preflight",
			"traceparent", "tracestate", "apollographql-client-name", "apollographql-client-version", "X-Apollo-Operation-Name", "X-Carnet-Cost"},
	}
	if got := Defaults(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Defaults() = %+v, want %+v", got, want)
	}
	// An empty variable is unset (a compose file passes "${X:-}" as "").
	got, err := load(t, map[string]string{"CARNET_MAX_UPLOAD_BYTES": "", "CARNET_RATE_LIMIT": "", "CARNET_ENV": ""})
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("empty variables: %+v, %v; want the defaults", got, err)
	}
}

func TestLoadReadsGoodValues(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		args []string
		get  func(Config) any
		want any
	}{
		{"addr", map[string]string{"CARNET_ADDR": "127.0.0.1:9000"}, nil, func(c Config) any { return c.Addr }, "127.0.0.1:9000"},
		{"metrics addr", map[string]string{"CARNET_METRICS_ADDR": ":9090"}, nil, func(c Config) any { return c.MetricsAddr }, ":9090"},
		{"metrics addr flag", nil, []string{"--metrics-addr", "127.0.0.1:9091"}, func(c Config) any { return c.MetricsAddr }, "127.0.0.1:9091"},
		{"postgres URL", map[string]string{"DATABASE_URL": "postgres://u:p@db:5432/carnet?sslmode=disable"}, nil,
			func(c Config) any { return c.DatabaseURL }, "postgres://u:p@db:5432/carnet?sslmode=disable"},
		{"postgresql URL", map[string]string{"DATABASE_URL": "postgresql://db/carnet"}, nil, func(c Config) any { return c.DatabaseURL }, "postgresql://db/carnet"},
		{"data dir", map[string]string{"CARNET_DATA_DIR": "/var/lib/carnet"}, nil, func(c Config) any { return c.DataDir }, "/var/lib/carnet"},
		{"production", map[string]string{"CARNET_ENV": "production"}, nil, func(c Config) any { return c.Production() }, true},
		{"s3 bucket", map[string]string{"CARNET_BLOB_URL": "s3://docs?region=eu-west-3"}, nil, func(c Config) any { return c.BlobURL }, "s3://docs?region=eu-west-3"},
		{"file bucket", map[string]string{"CARNET_BLOB_URL": "file:///srv/docs"}, nil, func(c Config) any { return c.BlobURL }, "file:///srv/docs"},
		{"size in bytes", map[string]string{"CARNET_MAX_UPLOAD_BYTES": "26214400"}, nil, func(c Config) any { return c.MaxUploadBytes }, int64(25 << 20)},
		{"size in MB", map[string]string{"CARNET_MAX_UPLOAD_BYTES": "10MB"}, nil, func(c Config) any { return c.MaxUploadBytes }, int64(10 << 20)},
		{"size in KiB", map[string]string{"CARNET_MAX_UPLOAD_BYTES": "512 KiB"}, nil, func(c Config) any { return c.MaxUploadBytes }, int64(512 << 10)},
		{"size in gb", map[string]string{"CARNET_MAX_UPLOAD_BYTES": "1gb"}, nil, func(c Config) any { return c.MaxUploadBytes }, int64(1 << 30)},
		{"sirene", map[string]string{"CARNET_SIRENE_BASE_URL": "http://127.0.0.1:9999/sirene", "CARNET_SIRENE_API_KEY": "k"}, nil,
			func(c Config) any { return c.SireneBaseURL + " " + c.SireneAPIKey }, "http://127.0.0.1:9999/sirene k"},
		{"CORS origins", map[string]string{"CARNET_CORS_ORIGINS": " https://crm.example.com/, http://localhost:5173 ,"}, nil,
			func(c Config) any { return c.CORSOrigins }, []string{"https://crm.example.com", "http://localhost:5173"}},
		{"CORS any", map[string]string{"CARNET_CORS_ORIGINS": "*"}, nil, func(c Config) any { return c.CORSOrigins }, []string{"*"}},
		{"CORS headers by default", nil, nil, func(c Config) any { return c.CORSHeaders }, []string{"Authorization", "Content-Type",
			"GraphQL-Require-Preflight", "Apollo-Require-Preflight", "traceparent", "tracestate",
			"apollographql-client-name", "apollographql-client-version", "X-Apollo-Operation-Name", "X-Carnet-Cost"}},
		{"CORS headers", map[string]string{"CARNET_CORS_HEADERS": " Authorization, X-Custom ,"}, nil, func(c Config) any { return c.CORSHeaders }, []string{"Authorization", "X-Custom"}},
		{"GraphiQL in development by default", nil, nil, func(c Config) any { return c.GraphiQLOn() }, true},
		{"no GraphiQL in production by default", map[string]string{"CARNET_ENV": "production"}, nil, func(c Config) any { return c.GraphiQLOn() }, false},
		{"GraphiQL in production when asked", map[string]string{"CARNET_ENV": "production", "CARNET_GRAPHIQL": "on"}, nil, func(c Config) any { return c.GraphiQLOn() }, true},
		{"no GraphiQL in development when off", map[string]string{"CARNET_GRAPHIQL": "off"}, nil, func(c Config) any { return c.GraphiQLOn() }, false},
		{"auth cache on by default", nil, nil, func(c Config) any { return c.AuthCacheTTL }, time.Minute},
		{"auth cache", map[string]string{"CARNET_AUTH_CACHE_TTL": "30s"}, nil, func(c Config) any { return c.AuthCacheTTL }, 30 * time.Second},
		{"auth cache 0", map[string]string{"CARNET_AUTH_CACHE_TTL": "0"}, nil, func(c Config) any { return c.AuthCacheTTL }, time.Duration(0)},
		{"auth cache 0s", map[string]string{"CARNET_AUTH_CACHE_TTL": "0s"}, nil, func(c Config) any { return c.AuthCacheTTL }, time.Duration(0)},
		{"rate: burst twice", map[string]string{"CARNET_RATE_LIMIT": "5"}, nil, func(c Config) any { return [2]float64{c.RateLimit, float64(c.RateBurst)} }, [2]float64{5, 10}},
		{"rate off", map[string]string{"CARNET_RATE_LIMIT": "0"}, nil, func(c Config) any { return [2]float64{c.RateLimit, float64(c.RateBurst)} }, [2]float64{0, 0}},
		{"rate and burst", map[string]string{"CARNET_RATE_LIMIT": "0.5", "CARNET_RATE_BURST": "3"}, nil,
			func(c Config) any { return [2]float64{c.RateLimit, float64(c.RateBurst)} }, [2]float64{0.5, 3}},
		{"admission", map[string]string{"CARNET_MAX_INFLIGHT": "8", "CARNET_QUEUE_WAIT": "50ms"}, nil,
			func(c Config) any { return fmt.Sprint(c.MaxInflight, c.QueueWait) }, "8 50ms"},
		{"admission off, no queue", map[string]string{"CARNET_MAX_INFLIGHT": "0", "CARNET_QUEUE_WAIT": "0"}, nil,
			func(c Config) any { return fmt.Sprint(c.MaxInflight, c.QueueWait) }, "0 0s"},
		{"deadlines", map[string]string{"CARNET_REQUEST_TIMEOUT": "2s", "CARNET_UPLOAD_TIMEOUT": "1m"}, nil,
			func(c Config) any { return fmt.Sprint(c.RequestTimeout, c.UploadTimeout) }, "2s 1m0s"},
		{"GOGC", map[string]string{"GOGC": "50"}, nil, func(c Config) any { return c.GCPercent }, 50},
		{"GOGC off", map[string]string{"GOGC": "off"}, nil, func(c Config) any { return c.GCPercent }, -1},
		{"token", map[string]string{"CARNET_TOKEN": "carnet_x"}, nil, func(c Config) any { return c.Token }, "carnet_x"},

		{"flag", nil, []string{"--max-upload-bytes", "1MB"}, func(c Config) any { return c.MaxUploadBytes }, int64(1 << 20)},
		{"flag over variable", map[string]string{"CARNET_ADDR": ":1", "CARNET_ENV": "production"}, []string{"--addr", ":2", "--env=development"},
			func(c Config) any { return c.Addr + " " + c.Env }, ":2 development"},
		{"flag over a bad variable", map[string]string{"CARNET_MAX_UPLOAD_BYTES": "12X"}, []string{"--max-upload-bytes", "100"},
			func(c Config) any { return c.MaxUploadBytes }, int64(100)},
		{"token flag over variable", map[string]string{"CARNET_TOKEN": "a"}, []string{"--token", "b"}, func(c Config) any { return c.Token }, "b"},
		{"blob URL flag back to the default", map[string]string{"CARNET_BLOB_URL": "mem://"}, []string{"--blob-url", ""}, func(c Config) any { return c.BlobURL }, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := load(t, c.env, c.args...)
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if got := c.get(cfg); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestLoadRefusesBadValuesNamingTheVariableAndTheForm(t *testing.T) {
	cases := []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{"CARNET_MAX_UPLOAD_BYTES": "12X"}, nil, `CARNET_MAX_UPLOAD_BYTES: "12X" is not a size (bytes, e.g. 26214400 or 25MB)`},
		{map[string]string{"CARNET_MAX_UPLOAD_BYTES": "-1"}, nil, `CARNET_MAX_UPLOAD_BYTES: "-1" is not a size`},
		{map[string]string{"CARNET_MAX_UPLOAD_BYTES": "0"}, nil, `CARNET_MAX_UPLOAD_BYTES: "0" is not a size`},
		{map[string]string{"CARNET_MAX_UPLOAD_BYTES": "99999999999GB"}, nil, `CARNET_MAX_UPLOAD_BYTES: "99999999999GB" is not a size`},
		{nil, []string{"--max-upload-bytes", "12X"}, `--max-upload-bytes: "12X" is not a size (bytes, e.g. 26214400 or 25MB)`},
		{map[string]string{"CARNET_RATE_LIMIT": "fast"}, nil, `CARNET_RATE_LIMIT: "fast" is not a rate (requests per second`},
		{map[string]string{"CARNET_RATE_LIMIT": "-2"}, nil, `CARNET_RATE_LIMIT: "-2" is not a rate`},
		{map[string]string{"CARNET_RATE_LIMIT": "NaN"}, nil, `CARNET_RATE_LIMIT: "NaN" is not a rate`},
		{map[string]string{"CARNET_RATE_BURST": "0"}, nil, `CARNET_RATE_BURST: "0" is not a burst (a whole number of requests, at least 1`},
		{map[string]string{"CARNET_RATE_BURST": "2.5"}, nil, `CARNET_RATE_BURST: "2.5" is not a burst`},
		{map[string]string{"CARNET_AUTH_CACHE_TTL": "soon"}, nil, `CARNET_AUTH_CACHE_TTL: "soon" is not a duration (e.g. 5s; 0 for no cache)`},
		{map[string]string{"CARNET_AUTH_CACHE_TTL": "-5s"}, nil, `CARNET_AUTH_CACHE_TTL: "-5s" is not a duration`},
		{map[string]string{"CARNET_MAX_INFLIGHT": "-1"}, nil, `CARNET_MAX_INFLIGHT: "-1" is not a number of requests (a whole number, e.g. 32; 0 for no limit)`},
		{map[string]string{"CARNET_QUEUE_WAIT": "20"}, nil, `CARNET_QUEUE_WAIT: "20" is not a duration (e.g. 20ms; 0 to refuse at once)`},
		{map[string]string{"CARNET_REQUEST_TIMEOUT": "0"}, nil, `CARNET_REQUEST_TIMEOUT: "0" is not a duration (e.g. 10s)`},
		{map[string]string{"CARNET_UPLOAD_TIMEOUT": "-3s"}, nil, `CARNET_UPLOAD_TIMEOUT: "-3s" is not a duration (e.g. 30s)`},
		{map[string]string{"CARNET_ENV": "staging"}, nil, `CARNET_ENV: "staging" is not an environment (development or production)`},
		{nil, []string{"--env", "Production"}, `--env: "Production" is not an environment (development or production)`},
		{map[string]string{"CARNET_ADDR": "8080"}, nil, `CARNET_ADDR: "8080" is not a listen address (host:port`},
		{map[string]string{"CARNET_METRICS_ADDR": "9090"}, nil, `CARNET_METRICS_ADDR: "9090" is not a listen address (host:port`},
		{map[string]string{"DATABASE_URL": "mysql://localhost/carnet"}, nil, `DATABASE_URL: "mysql://localhost/carnet" is not a database URL (sqlite:PATH or postgres://…)`},
		{map[string]string{"DATABASE_URL": "sqlite:"}, nil, `DATABASE_URL: "sqlite:" is not a database URL`},
		{map[string]string{"DATABASE_URL": "postgres://u:secret@db:bad/carnet"}, nil, `DATABASE_URL: "…@db:bad/carnet" is not a database URL`},
		{map[string]string{"CARNET_BLOB_URL": "/srv/docs"}, nil, `CARNET_BLOB_URL: "/srv/docs" is not a bucket URL (file:///dir, s3://bucket?region=…)`},
		{map[string]string{"CARNET_SIRENE_BASE_URL": "api.insee.fr"}, nil, `CARNET_SIRENE_BASE_URL: "api.insee.fr" is not an http(s) URL`},
		{map[string]string{"CARNET_CORS_ORIGINS": "https://ok.example, crm.example.com"}, nil, `CARNET_CORS_ORIGINS: "https://ok.example, crm.example.com" is not a list of origins`},
		{map[string]string{"CARNET_CORS_ORIGINS": "https://crm.example.com/app"}, nil, `is not a list of origins`},
		{map[string]string{"CARNET_CORS_HEADERS": "Authorization, X Custom"}, nil, `CARNET_CORS_HEADERS: "Authorization, X Custom" is not a list of header names`},
		{map[string]string{"CARNET_GRAPHIQL": "yes"}, nil, `CARNET_GRAPHIQL: "yes" is not on or off`},
		{map[string]string{"GOGC": "lots"}, nil, `GOGC: "lots" is not a GC target (a percentage, e.g. 400, or off)`},
	}
	for _, c := range cases {
		t.Run(c.want, func(t *testing.T) {
			_, err := load(t, c.env, c.args...)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("the error shows a password: %v", err)
			}
		})
	}
}

func TestABindingChecksOnlyItsSettings(t *testing.T) {
	fs := flag.NewFlagSet("carnet migrate", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	b := Bind(fs, DatabaseURL)
	if err := fs.Parse([]string{"--addr", ":1"}); err == nil {
		t.Error("a flag of a setting not bound is accepted")
	}
	cfg, err := b.Load(func(name string) string {
		return map[string]string{"DATABASE_URL": "sqlite:x.db", "CARNET_RATE_LIMIT": "fast", "CARNET_ADDR": ":1"}[name]
	})
	if err != nil {
		t.Fatalf("a bad variable of a setting not bound stops the load: %v", err)
	}
	if cfg.DatabaseURL != "sqlite:x.db" || cfg.Addr != ":8080" || cfg.RateLimit != 20 {
		t.Errorf("cfg = %+v, want the bound variable and the defaults of the others", cfg)
	}
}

func TestHelpListsEachSettingWithItsFlagAndDefault(t *testing.T) {
	var env, flags strings.Builder
	fs := flag.NewFlagSet("carnet test", flag.ContinueOnError)
	Bind(fs, MaxUploadBytes, RateBurst)
	fs.Bool("demo", false, "load the demo")
	if err := WriteEnvironment(&env, []*Setting{MaxUploadBytes, RateBurst}); err != nil {
		t.Fatal(err)
	}
	if err := WriteFlags(&flags, fs); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"CARNET_MAX_UPLOAD_BYTES", "--max-upload-bytes", "default 25MB", "CARNET_RATE_BURST", "default twice the rate"} {
		if !strings.Contains(env.String(), want) {
			t.Errorf("environment help without %q:\n%s", want, env.String())
		}
	}
	for _, want := range []string{"--max-upload-bytes size", "(or CARNET_MAX_UPLOAD_BYTES)", "--demo ", "load the demo"} {
		if !strings.Contains(flags.String(), want) {
			t.Errorf("flag help without %q:\n%s", want, flags.String())
		}
	}
	if strings.Contains(flags.String(), "RATE_BURST") {
		t.Errorf("flag help lists a setting without a flag:\n%s", flags.String())
	}
}
