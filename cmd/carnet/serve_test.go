package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"carnet/internal/config"
)

// syncBuffer is a bytes.Buffer that a server goroutine writes while the
// test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// logLines decodes the JSON lines of logs; a line that is not JSON fails t.
func logLines(t *testing.T, logs string) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(logs), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("a log line is not JSON: %q", l)
		}
		lines = append(lines, m)
	}
	return lines
}

// event returns the first log line whose msg is msg, or nil.
func event(lines []map[string]any, msg string) map[string]any {
	for _, l := range lines {
		if l["msg"] == msg {
			return l
		}
	}
	return nil
}

// get answers url's status and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServeLogsItsEventsAsJSONAndServesMetricsOnItsOwnAddress(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, dbURL string) {
		env := map[string]string{
			"DATABASE_URL": dbURL, "CARNET_ADDR": "127.0.0.1:0", "CARNET_METRICS_ADDR": "127.0.0.1:0",
			"CARNET_DATA_DIR": t.TempDir(),
		}
		cfg, err := config.Load(func(k string) string { return env[k] })
		if err != nil {
			t.Fatal(err)
		}
		var out, logs syncBuffer
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- runServe(ctx, cfg, true, &out, &logs) }()
		var listening map[string]any
		for deadline := time.Now().Add(60 * time.Second); listening == nil; time.Sleep(20 * time.Millisecond) {
			select {
			case err := <-done:
				t.Fatalf("serve stopped: %v\n%s", err, logs.String())
			default:
			}
			if time.Now().After(deadline) {
				t.Fatalf("no listening event:\n%s", logs.String())
			}
			if strings.Contains(logs.String(), `"msg":"listening"`) {
				listening = event(logLines(t, logs.String()), "listening")
			}
		}
		api, _ := listening["addr"].(string)
		metricsAddr, _ := listening["metrics_addr"].(string)
		if code, _ := get(t, "http://"+api+"/healthz"); code != http.StatusOK {
			t.Fatalf("/healthz: %d", code)
		}
		if code, _ := get(t, "http://"+api+"/metrics"); code != http.StatusNotFound {
			t.Fatalf("/metrics on the API's address with CARNET_METRICS_ADDR: %d, want 404", code)
		}
		code, text := get(t, "http://"+metricsAddr+"/metrics")
		if code != http.StatusOK {
			t.Fatalf("/metrics on CARNET_METRICS_ADDR: %d", code)
		}
		for _, want := range []string{
			fmt.Sprintf(`carnet_build_info{goversion=%q,version="dev"} 1`, runtime.Version()),
			`go_sql_open_connections{db_name="carnet"}`,
			`carnet_http_requests_total{code="200",method="GET"}`,
			`carnet_http_requests_total{code="404",method="GET"}`,
		} {
			if !strings.Contains(text, want) {
				t.Fatalf("/metrics lacks %s", want)
			}
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("serve: %v", err)
		}
		lines := logLines(t, logs.String())
		for _, msg := range []string{"starting", "listening", "stopping", "stopped"} {
			if event(lines, msg) == nil {
				t.Fatalf("no %q event in the logs:\n%s", msg, logs.String())
			}
		}
		if s := out.String(); strings.Contains(s, "listening") || !strings.Contains(s, "tokens (shown once)") {
			t.Fatalf("stdout should hold the demo tokens only:\n%s", s)
		}
	})
}

// nobody is the uid and gid the binary runs as (65534, "nobody" on
// Debian; the image's user is distroless' nonroot, 65532).
const nobody = 65534

// TestServeRunsAsNobodyOnAFreshDataDirectory builds the binary and runs
// it as uid 65534 on a data directory of that user, as the image does:
// it starts, answers /healthz and writes its SQLite file and documents
// folder there.
func TestServeRunsAsNobodyOnAFreshDataDirectory(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("running the binary as uid 65534 needs root (CI runs as root)")
	}
	dir, err := os.MkdirTemp("", "carnet-nobody-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "carnet")
	if b, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(data, nobody, nobody); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve")
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "CARNET_ADDR=127.0.0.1:0", "CARNET_DATA_DIR=" + data,
		"DATABASE_URL=sqlite:" + filepath.Join(data, "carnet.db"), "CARNET_ENV=production"}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var seen []string
	var addr string
	timeout := time.After(60 * time.Second)
	for addr == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("carnet serve as uid %d exited: %v\n%s", nobody, cmd.Wait(), strings.Join(seen, "\n"))
			}
			seen = append(seen, l)
			var m map[string]any
			if json.Unmarshal([]byte(l), &m) == nil && m["msg"] == "listening" {
				addr, _ = m["addr"].(string)
			}
		case <-timeout:
			t.Fatalf("carnet serve as uid %d did not listen:\n%s", nobody, strings.Join(seen, "\n"))
		}
	}
	if code, body := get(t, "http://"+addr+"/healthz"); code != http.StatusOK {
		t.Fatalf("/healthz: %d %s", code, body)
	}
	for _, name := range []string{"carnet.db", "documents"} {
		fi, err := os.Stat(filepath.Join(data, name))
		if err != nil {
			t.Fatalf("%s in the data directory: %v", name, err)
		}
		if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Uid != nobody {
			t.Fatalf("%s belongs to uid %d, want %d", name, st.Uid, nobody)
		}
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for l := range lines {
		seen = append(seen, l)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("after SIGTERM: %v\n%s", err, strings.Join(seen, "\n"))
	}
	if !strings.Contains(strings.Join(seen, "\n"), `"msg":"stopped"`) {
		t.Fatalf("no stopped event:\n%s", strings.Join(seen, "\n"))
	}
}
