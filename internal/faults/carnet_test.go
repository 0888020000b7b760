package faults

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"carnet/internal/testdb"
)

// binary is the carnet command built for this run (TestMain).
var binary string

func TestMain(m *testing.M) {
	os.Exit(func() int {
		dir, err := os.MkdirTemp("", "carnet-faults-bin-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		binary = filepath.Join(dir, "carnet")
		goCmd, err := exec.LookPath("go")
		if err != nil {
			goCmd = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
		}
		build := exec.Command(goCmd, "build", "-o", binary, "carnet/cmd/carnet")
		if out, err := build.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "go build ./cmd/carnet: %v\n%s", err, out)
			return 1
		}
		return m.Run()
	}())
}

// databaseURLs gives a fresh database URL of each dialect under test.
func databaseURLs(t *testing.T) map[string]string {
	urls := map[string]string{"sqlite": "sqlite:" + filepath.Join(t.TempDir(), "carnet.db")}
	if os.Getenv(testdb.PostgresEnv) != "" {
		urls["postgres"] = testdb.PostgresSchemaURL(t)
	}
	return urls
}

// carnetEnv is the environment of a carnet command on dbURL.
func carnetEnv(dbURL string, extra ...string) []string {
	env := append(os.Environ(), "DATABASE_URL="+dbURL, "CARNET_RATE_LIMIT=0",
		"CARNET_SIRENE_API_KEY=", "CARNET_SIRENE_BASE_URL=", "CARNET_ENV=development")
	return append(env, extra...)
}

var tokenLine = regexp.MustCompile(`(?m)^CARNET_TOKEN=(carnet_[A-Za-z0-9_-]+)$`)

// initOrg runs carnet init on dbURL and returns the administrator's token.
func initOrg(t *testing.T, dbURL, org string) string {
	t.Helper()
	cmd := exec.Command(binary, "init", "--org", org, "--admin-email", "admin@"+strings.ToLower(strings.ReplaceAll(org, " ", ""))+".example")
	cmd.Env = carnetEnv(dbURL, "CARNET_DATA_DIR="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("carnet init: %v\n%s", err, out)
	}
	m := tokenLine.FindSubmatch(out)
	if m == nil {
		t.Fatalf("carnet init printed no token:\n%s", out)
	}
	return string(m[1])
}

// syncBuffer is a buffer safe for a process writing and a test reading.
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

// proc is a running `carnet serve`.
type proc struct {
	t      *testing.T
	name   string
	addr   string // host:port
	cmd    *exec.Cmd
	stderr *syncBuffer
	done   chan struct{} // closed when the process has exited
}

// startCarnet runs `carnet serve` on dbURL and returns once /healthz
// answers. The process is killed after t if still running.
func startCarnet(t *testing.T, name, dbURL string, extraEnv ...string) *proc {
	t.Helper()
	p := &proc{t: t, name: name, addr: "127.0.0.1:" + strconv.Itoa(freePort(t)), stderr: &syncBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(binary, "serve")
	p.cmd.Env = carnetEnv(dbURL, append([]string{"CARNET_ADDR=" + p.addr, "CARNET_DATA_DIR=" + t.TempDir()}, extraEnv...)...)
	p.cmd.Stdout = io.Discard
	p.cmd.Stderr = p.stderr
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = p.cmd.Process.Kill()
			<-p.done
		}
		if strings.Contains(p.stderr.String(), `"msg":"panic"`) {
			t.Errorf("carnet %s logged a panic:\n%s", name, p.logTail())
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get("http://" + p.addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		select {
		case <-p.done:
			t.Fatalf("carnet %s exited while starting (%s):\n%s", name, p.cmd.ProcessState, p.logTail())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("carnet %s does not answer /healthz after 60 s:\n%s", name, p.logTail())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// logTail returns the end of the process's log.
func (p *proc) logTail() string {
	s := p.stderr.String()
	if i := len(s) - 4000; i > 0 {
		s = s[i:]
	}
	return s
}

// gqlError is one error of a GraphQL response.
type gqlError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

// response is the outcome of one HTTP request to Carnet.
type response struct {
	Err        error // transport error (no HTTP response)
	Status     int
	Body       string
	Data       map[string]any `json:"data"`
	Errors     []gqlError     `json:"errors"`
	Start, End time.Time
}

// ok says whether the request got data and no error.
func (r *response) ok() bool { return r.Err == nil && r.Status == http.StatusOK && len(r.Errors) == 0 }

// code is the extensions.code of the first error, or "".
func (r *response) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

func (r *response) String() string {
	if r.Err != nil {
		return "transport error: " + r.Err.Error()
	}
	return fmt.Sprintf("HTTP %d %s", r.Status, r.Body)
}

// client bounds every request well past the server's own bounds, so that
// a hang shows as a long duration rather than a stuck test.
var client = &http.Client{Timeout: 30 * time.Second}

// gql posts a GraphQL request with token.
func (p *proc) gql(token, query string, vars map[string]any) *response {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, "http://"+p.addr+"/graphql", bytes.NewReader(body))
	if err != nil {
		p.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	r := &response{Start: time.Now()}
	resp, err := client.Do(req)
	if err != nil {
		r.Err, r.End = err, time.Now()
		return r
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	r.End = time.Now()
	r.Status, r.Body = resp.StatusCode, string(b)
	if err != nil {
		r.Err = err
		return r
	}
	if err := json.Unmarshal(b, r); err != nil {
		r.Err = fmt.Errorf("not JSON (%v): %q", err, b)
	}
	return r
}

// ok runs a request that must succeed and returns its data.
func (p *proc) ok(token, query string, vars map[string]any) map[string]any {
	p.t.Helper()
	r := p.gql(token, query, vars)
	if !r.ok() {
		p.t.Fatalf("carnet %s: %s\n→ %s", p.name, query, r)
	}
	return r.Data
}

// fail runs a request that must fail with code.
func (p *proc) fail(token, query string, vars map[string]any, code string) {
	p.t.Helper()
	r := p.gql(token, query, vars)
	if r.Err != nil || r.code() != code {
		p.t.Fatalf("carnet %s: %s\n→ %s, want code %s", p.name, query, r, code)
	}
}

// get follows a dotted path through decoded JSON.
func get(v any, path string) any {
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// str is get as a string.
func str(v any, path string) string {
	s, _ := get(v, path).(string)
	return s
}

// num is get as an int.
func num(v any, path string) int {
	f, _ := get(v, path).(float64)
	return int(f)
}

// status returns the HTTP status of GET path, or 0 when unreachable.
func (p *proc) status(path string) int {
	resp, err := client.Get("http://" + p.addr + path)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}
