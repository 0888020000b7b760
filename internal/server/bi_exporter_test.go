package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"carnet/internal/config"
	"carnet/internal/demo"
	"carnet/internal/documents"
	"carnet/internal/server"
	"carnet/internal/testdb"
)

// exporterScript returns the Python exporter of docs/bi.md, as written.
func exporterScript(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../docs/bi.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)### A complete exporter.*?```python\n(.*?)```").FindSubmatch(b)
	if m == nil {
		t.Fatal("docs/bi.md has no Python block under \"### A complete exporter\"")
	}
	return string(m[1])
}

// TestBIExporterPacesItselfAndNeverMeetsA429 runs the exporter of
// docs/bi.md against a server with the default rate limit (20 per second,
// bursts of 40) over the demo data, with pages of 5 instead of 100 so that
// it reads 156 pages: it must read them all without a single 429.
func TestBIExporterPacesItselfAndNeverMeetsA429(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("python3 is needed to run docs/bi.md's exporter")
		}
		t.Skip("no python3: docs/bi.md's exporter not run")
	}
	script := exporterScript(t)
	if strings.Count(script, "first: 100") != 2 {
		t.Fatal("the exporter no longer reads its two lists by pages of 100: update this test")
	}
	script = strings.ReplaceAll(script, "first: 100", "first: 5")

	d := testdb.Open(t, testdb.Dialects()[0])
	store, err := documents.Open(context.Background(), "file://"+filepath.ToSlash(t.TempDir())+"?create_dir=true&no_tmp_dir=true", 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	tokens, err := demo.Load(context.Background(), d.Client, store)
	if err != nil {
		t.Fatal(err)
	}
	defaults := config.Defaults()
	var requests, refused atomic.Int64
	api := server.New(server.Config{
		Client: d.Client, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		RateLimit: server.RateLimit{Rate: defaults.RateLimit, Burst: defaults.RateBurst},
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		api.ServeHTTP(rec, r)
		requests.Add(1)
		if rec.status == http.StatusTooManyRequests {
			refused.Add(1)
		}
	}))
	defer srv.Close()

	dir := t.TempDir()
	path := filepath.Join(dir, "export.py")
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, path)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CARNET_URL="+srv.URL, "CARNET_TOKEN="+tokens[0].Token)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the exporter failed: %v\n%s", err, out)
	}
	if n := refused.Load(); n > 0 {
		t.Fatalf("the exporter met %d 429s in %d requests", n, requests.Load())
	}
	if n := requests.Load(); n < 120 {
		t.Fatalf("the exporter made %d requests, want at least 120 pages", n)
	}
	// The figures docs/bi.md gives for the demo database.
	if got := strings.TrimSpace(string(out)); got != "25 filiation links, 5 networks" {
		t.Fatalf("the exporter printed %q, want the documented \"25 filiation links, 5 networks\"", got)
	}
	for file, want := range map[string]int{"third_parties.jsonl": 300, "contacts.jsonl": 480} {
		b, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(b), "\n"); n != want {
			t.Fatalf("%s has %d lines, want %d", file, n, want)
		}
	}
}

// statusRecorder keeps the status of an answer.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}
