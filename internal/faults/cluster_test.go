package faults

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/lib/pq"

	"carnet/internal/testdb"
)

// requirePostgres skips t unless CARNET_TEST_POSTGRES_URL is set. When it
// is set, anything that then goes wrong fails the test.
func requirePostgres(t *testing.T) {
	t.Helper()
	if os.Getenv(testdb.PostgresEnv) == "" {
		t.Skipf("set %s to run the PostgreSQL fault tests", testdb.PostgresEnv)
	}
}

// cluster is a throwaway PostgreSQL server of one test: its own data
// directory, port and socket directory, so that stopping it disturbs no
// one. The postmaster runs as a child of the test (as the postgres user
// when the test runs as root, since PostgreSQL refuses to run as root)
// and dies with it.
type cluster struct {
	t       *testing.T
	bin     string // directory holding initdb and postgres
	data    string
	sock    string
	logPath string
	port    int
	cred    *syscall.Credential

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
}

// pgBinDir finds the directory of the PostgreSQL server binaries:
// pg_config --bindir, else the newest /usr/lib/postgresql/<version>/bin.
func pgBinDir() (string, error) {
	has := func(dir string) bool {
		for _, name := range []string{"initdb", "postgres"} {
			if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
				return false
			}
		}
		return true
	}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		if dir := strings.TrimSpace(string(out)); has(dir) {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int {
		va, _ := strconv.Atoi(filepath.Base(filepath.Dir(a)))
		vb, _ := strconv.Atoi(filepath.Base(filepath.Dir(b)))
		return vb - va
	})
	for _, dir := range dirs {
		if has(dir) {
			return dir, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if dir := filepath.Dir(p); has(dir) {
			return dir, nil
		}
	}
	return "", errors.New("no PostgreSQL server binaries (initdb, postgres): install postgresql")
}

// freePort returns a TCP port of 127.0.0.1 that nothing listens on now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startCluster creates and starts a private PostgreSQL cluster, removed
// after t. Any failure fails t.
func startCluster(t *testing.T) *cluster {
	t.Helper()
	requirePostgres(t)
	bin, err := pgBinDir()
	if err != nil {
		t.Fatal(err)
	}
	// Not t.TempDir: its parents are private to root, and the postgres
	// user must reach the data directory.
	root, err := os.MkdirTemp("", "carnet-faults-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	c := &cluster{t: t, bin: bin, data: filepath.Join(root, "data"), sock: filepath.Join(root, "sock"),
		logPath: filepath.Join(root, "postgres.log"), port: freePort(t)}
	if err := os.Mkdir(c.sock, 0o700); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root: PostgreSQL needs the postgres user to run as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		for _, p := range []string{root, c.sock} {
			if err := os.Chown(p, uid, gid); err != nil {
				t.Fatal(err)
			}
		}
	}
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", c.data, "-U", "postgres",
		"--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred, Pdeathsig: syscall.SIGKILL}
	if out, err := initdb.CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	t.Cleanup(func() { c.stop(syscall.SIGQUIT) })
	c.start()
	return c
}

// URL is the connection URL of the cluster's postgres database.
func (c *cluster) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.port)
}

// start starts the postmaster and returns when it accepts connections (a
// query answers), which is the moment returned.
func (c *cluster) start() time.Time {
	c.t.Helper()
	logf, err := os.OpenFile(c.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		c.t.Fatal(err)
	}
	defer logf.Close()
	// fsync=off: the operating system does not crash in these tests, so
	// what PostgreSQL wrote survives its immediate shutdown anyway.
	cmd := exec.Command(filepath.Join(c.bin, "postgres"), "-D", c.data, "-p", strconv.Itoa(c.port),
		"-k", c.sock, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=100")
	cmd.Stdout, cmd.Stderr = logf, logf
	// The postmaster dies with the test process, even when it is killed.
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred, Pdeathsig: syscall.SIGQUIT}
	if err := cmd.Start(); err != nil {
		c.t.Fatalf("postgres: %v", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	c.mu.Lock()
	c.cmd, c.done = cmd, done
	c.mu.Unlock()

	pool, err := sql.Open("postgres", c.URL()+"&connect_timeout=2")
	if err != nil {
		c.t.Fatal(err)
	}
	defer pool.Close()
	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		var one int
		err := pool.QueryRowContext(ctx, "SELECT 1").Scan(&one)
		cancel()
		if err == nil {
			return time.Now()
		}
		select {
		case <-done:
			c.t.Fatalf("postgres exited while starting: %s\n%s", cmd.ProcessState, c.logTail())
		default:
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("postgres does not accept connections after 60 s: %v\n%s", err, c.logTail())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop stops the postmaster with sig (SIGQUIT: immediate shutdown, as
// pg_ctl stop -m immediate; SIGINT: fast) and waits for it to exit.
func (c *cluster) stop(sig syscall.Signal) {
	c.mu.Lock()
	cmd, done := c.cmd, c.done
	c.cmd = nil
	c.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(sig)
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

// logTail returns the end of the server's log.
func (c *cluster) logTail() string {
	b, _ := os.ReadFile(c.logPath)
	if i := len(b) - 4000; i > 0 {
		b = b[i:]
	}
	return string(bytes.TrimSpace(b))
}

// signal sends sig to the postmaster (SIGSTOP freezes it: the kernel
// still accepts connections into its backlog, nothing answers them;
// SIGCONT thaws it).
func (c *cluster) signal(sig syscall.Signal) {
	c.t.Helper()
	c.mu.Lock()
	cmd := c.cmd
	c.mu.Unlock()
	if cmd == nil {
		c.t.Fatal("postgres is not running")
	}
	if err := cmd.Process.Signal(sig); err != nil {
		c.t.Fatal(err)
	}
}
