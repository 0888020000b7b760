package faults

import (
	"database/sql"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"carnet/internal/server"
)

// recoveryBound is the product's bound: Carnet serves again within 5 s of
// PostgreSQL accepting connections.
const recoveryBound = 5 * time.Second

// leaks are fragments of driver, network or SQL text that must never
// reach a client.
var leaks = []string{"pq:", "dial tcp", "connection refused", "sql:", "driver", "eof", "sqlstate",
	"terminating connection", "127.0.0.1", "postgres", "shutdown", "starting up", "broken pipe", "reset by peer"}

// cleanFailure says what is wrong with a failed response, or "" when it
// is a well-formed error of the API: a JSON body whose errors all carry
// code INTERNAL (or TIMEOUT, a request that reached its deadline) and a
// message free of driver text, within the request timeout.
func cleanFailure(r *response) string {
	switch {
	case r.Err != nil:
		return r.String()
	case r.Status != http.StatusOK && r.Status != http.StatusServiceUnavailable:
		return fmt.Sprintf("status %d: %s", r.Status, r.Body)
	case len(r.Errors) == 0:
		return "a failure without errors: " + r.Body
	case r.End.Sub(r.Start) > server.DefaultRequestTimeout+2*time.Second:
		return fmt.Sprintf("took %s, past the request timeout %s", r.End.Sub(r.Start), server.DefaultRequestTimeout)
	}
	for _, e := range r.Errors {
		if c, _ := e.Extensions["code"].(string); c != "INTERNAL" && c != "TIMEOUT" {
			return "code " + c + ": " + r.Body
		}
		msg := strings.ToLower(e.Message)
		for _, l := range leaks {
			if strings.Contains(msg, l) {
				return fmt.Sprintf("the message leaks %q: %s", l, e.Message)
			}
		}
	}
	return ""
}

// requestIDs matches the request ids quoted in messages.
var requestIDs = regexp.MustCompile(`[0-9a-f]{16}`)

// call is one request of the load.
type call struct {
	worker int
	write  bool
	name   string // of the prospect a write creates
	r      *response
}

const (
	readList   = `{ thirdParties(first: 5, orderBy: {field: UPDATED_AT, direction: DESC}) { totalCount edges { node { id name version } } } }`
	readSearch = `{ search(query: "panne") { kind label } }`
	write      = `mutation($n: String!) { createProspect(input: {name: $n}) { id name version } }`
)

// TestPostgresRestartUnderLoad stops PostgreSQL (immediate shutdown, as a
// crash) under a load of reads and writes, keeps the load on for 2 s,
// then starts it again. Every request in the gap gets a clean INTERNAL
// error, /readyz says not ready, and reads and writes succeed again
// within 5 s of PostgreSQL accepting connections, and keep succeeding.
// Every acknowledged write survives.
func TestPostgresRestartUnderLoad(t *testing.T) {
	pg := startCluster(t)
	token := initOrg(t, pg.URL(), "Panne SA")
	p := startCarnet(t, "A", pg.URL())

	const workers = 6
	var (
		mu    sync.Mutex
		calls []call
		stop  = make(chan struct{})
		wg    sync.WaitGroup
	)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				c := call{worker: w, write: i%2 == 1}
				switch {
				case c.write:
					c.name = fmt.Sprintf("Panne w%d n%d", w, i)
					c.r = p.gql(token, write, map[string]any{"n": c.name})
				case i%4 == 0:
					c.r = p.gql(token, readList, nil)
				default:
					c.r = p.gql(token, readSearch, nil)
				}
				mu.Lock()
				calls = append(calls, c)
				mu.Unlock()
				if !c.r.ok() {
					time.Sleep(10 * time.Millisecond) // as a client would, briefly
				}
			}
		}()
	}
	snapshot := func() []call {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(calls)
	}
	finish := func() []call {
		close(stop)
		wg.Wait()
		return snapshot()
	}

	time.Sleep(time.Second) // steady load
	stopAt := time.Now()
	pg.stop(syscall.SIGQUIT)
	stoppedAt := time.Now()

	time.Sleep(500 * time.Millisecond)
	readyDuringGap := p.status("/readyz")
	time.Sleep(1500 * time.Millisecond)

	restartAt := time.Now()
	readyAt := pg.start()
	t.Logf("PostgreSQL down for %s (stop %s, start until accepting connections %s)",
		readyAt.Sub(stopAt).Round(time.Millisecond), stoppedAt.Sub(stopAt).Round(time.Millisecond),
		readyAt.Sub(restartAt).Round(time.Millisecond))

	// Let every worker get through again (or give up well past the bound).
	for deadline := readyAt.Add(3 * recoveryBound); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		back := map[int]bool{}
		for _, c := range snapshot() {
			if c.r.ok() && c.r.Start.After(readyAt) {
				back[c.worker] = true
			}
		}
		if len(back) == workers {
			break
		}
	}
	time.Sleep(time.Second) // and keep the load on a little longer
	readyAfter := p.status("/readyz")
	all := finish()

	// Before the fault, everything succeeds.
	var before, gap, failed int
	for _, c := range all {
		if c.r.Start.Before(stopAt) && c.r.End.Before(stopAt) {
			before++
			if !c.r.ok() {
				t.Errorf("worker %d before the fault: %s", c.worker, c.r)
			}
		}
	}
	// Every failure is clean; while PostgreSQL is down, everything fails.
	var slowest time.Duration
	messages := map[string]int{}
	for _, c := range all {
		slowest = max(slowest, c.r.End.Sub(c.r.Start))
		if c.r.Start.After(stoppedAt) && c.r.End.Before(restartAt) {
			gap++
			if c.r.ok() {
				t.Errorf("worker %d succeeded while PostgreSQL was down: %s", c.worker, c.r)
			}
		}
		if c.r.ok() {
			continue
		}
		failed++
		if why := cleanFailure(c.r); why != "" {
			t.Errorf("worker %d, unclean failure: %s", c.worker, why)
			continue
		}
		messages[fmt.Sprintf("HTTP %d %s: %s", c.r.Status, c.r.code(), requestIDs.ReplaceAllString(c.r.Errors[0].Message, "…"))]++
	}
	if gap == 0 {
		t.Errorf("no request ran while PostgreSQL was down")
	}
	if readyDuringGap != http.StatusServiceUnavailable {
		t.Errorf("/readyz while PostgreSQL is down: %d, want 503", readyDuringGap)
	}

	// Reads and writes succeed again within 5 s of PostgreSQL accepting
	// connections, and every worker keeps succeeding once it got through.
	for _, isWrite := range []bool{false, true} {
		kind := map[bool]string{false: "reads", true: "writes"}[isWrite]
		var first *response
		for _, c := range all {
			if c.write == isWrite && c.r.ok() && c.r.Start.After(stoppedAt) && (first == nil || c.r.End.Before(first.End)) {
				first = c.r
			}
		}
		if first == nil {
			t.Errorf("%s never succeeded after PostgreSQL came back", kind)
			continue
		}
		recovery := max(first.End.Sub(readyAt), 0)
		t.Logf("%s: first success %s after PostgreSQL accepted connections", kind, recovery.Round(time.Millisecond))
		if recovery > recoveryBound {
			t.Errorf("%s recovered %s after PostgreSQL was back, want within %s", kind, recovery, recoveryBound)
		}
	}
	for w := range workers {
		back := false
		for _, c := range all {
			if c.worker != w || !c.r.Start.After(readyAt) {
				continue
			}
			if c.r.ok() {
				back = true
			} else if back {
				t.Errorf("worker %d failed again after recovering: %s", w, c.r)
			}
		}
		if !back {
			t.Errorf("worker %d never got through after PostgreSQL came back", w)
		}
	}
	if readyAfter != http.StatusOK {
		t.Errorf("/readyz after recovery: %d, want 200", readyAfter)
	}

	// Acknowledged writes survived the crash.
	acked := map[string]bool{}
	for _, c := range all {
		if c.write && c.r.ok() {
			acked[c.name] = true
		}
	}
	stored := storedNames(t, pg.URL())
	lost := 0
	for name := range acked {
		if !stored[name] {
			lost++
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d acknowledged prospects are missing after the restart", lost, len(acked))
	}

	t.Logf("%d requests (%d before the fault, %d entirely while PostgreSQL was down, %d failed), slowest %s, %d writes acknowledged",
		len(all), before, gap, failed, slowest.Round(time.Millisecond), len(acked))
	for m, n := range messages {
		t.Logf("  %4d × %s", n, m)
	}
}

// storedNames reads the names of the third parties in the database.
func storedNames(t *testing.T, dbURL string) map[string]bool {
	t.Helper()
	pool, err := sql.Open("postgres", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	rows, err := pool.Query("SELECT name FROM third_parties")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	names := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names[n] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return names
}

// TestPostgresRestartWhileIdle restarts PostgreSQL while Carnet is idle
// with a pool of open connections, all broken by the restart — by a fast
// shutdown (maintenance), then by an immediate one (crash): the requests
// that follow must not fail on them.
func TestPostgresRestartWhileIdle(t *testing.T) {
	pg := startCluster(t)
	token := initOrg(t, pg.URL(), "Maintenance SA")
	p := startCarnet(t, "A", pg.URL())

	for _, mode := range []struct {
		name string
		sig  syscall.Signal
	}{{"fast", syscall.SIGINT}, {"immediate", syscall.SIGQUIT}} {
		t.Run(mode.name, func(t *testing.T) {
			// Fill the pool: concurrent requests open several connections,
			// which stay idle afterwards.
			var wg sync.WaitGroup
			for range 12 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range 5 {
						if r := p.gql(token, readList, nil); !r.ok() {
							t.Errorf("before the restart: %s", r)
						}
					}
				}()
			}
			wg.Wait()
			if n := clientConnections(t, pg.URL()); n < 2 {
				t.Fatalf("Carnet holds %d connections before the restart; the test needs several", n)
			} else {
				t.Logf("Carnet holds %d connections before the restart", n)
			}

			pg.stop(mode.sig)
			readyAt := pg.start()

			var failed int
			var firstOK time.Duration
			for i := range 40 {
				q, vars := readList, map[string]any(nil)
				if i%2 == 1 {
					q, vars = write, map[string]any{"n": fmt.Sprintf("Maintenance %s %d", mode.name, i)}
				}
				r := p.gql(token, q, vars)
				if r.ok() {
					if firstOK == 0 {
						firstOK = max(r.End.Sub(readyAt), time.Nanosecond)
					}
					continue
				}
				failed++
				if why := cleanFailure(r); why != "" {
					t.Errorf("request %d, unclean failure: %s", i, why)
				}
				if firstOK != 0 {
					t.Errorf("request %d failed after a success: %s", i, r)
				}
			}
			t.Logf("after the restart: %d of 40 sequential requests failed, first success %s after PostgreSQL accepted connections",
				failed, firstOK.Round(time.Millisecond))
			if firstOK == 0 || firstOK > recoveryBound {
				t.Errorf("first success %s after PostgreSQL was back, want within %s", firstOK, recoveryBound)
			}
		})
	}
}

// clientConnections counts the connections to the cluster other than
// the one asking.
func clientConnections(t *testing.T, dbURL string) int {
	t.Helper()
	pool, err := sql.Open("postgres", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var n int
	err = pool.QueryRow("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()").Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPostgresFrozen freezes the postmaster (SIGSTOP, as a hung host
// would): connections already open keep working, new ones are accepted by
// the kernel and never answered. Requests that need a new connection must
// fail cleanly within the request timeout rather than hang, and Carnet
// serves again within 5 s of the postmaster thawing.
func TestPostgresFrozen(t *testing.T) {
	pg := startCluster(t)
	token := initOrg(t, pg.URL(), "Gel SA")
	p := startCarnet(t, "A", pg.URL())

	pg.signal(syscall.SIGSTOP)
	thawed := false
	defer func() {
		if !thawed {
			pg.signal(syscall.SIGCONT)
		}
	}()
	// More requests at once than the pool holds connections: some need
	// new ones.
	const n = 8
	res := make([]*response, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res[i] = p.gql(token, readList, nil)
		}()
	}
	wg.Wait()
	var failed int
	var slowest time.Duration
	for i, r := range res {
		slowest = max(slowest, r.End.Sub(r.Start))
		if r.ok() {
			continue
		}
		failed++
		if why := cleanFailure(r); why != "" {
			t.Errorf("request %d with the postmaster frozen: %s", i, why)
		}
	}
	t.Logf("postmaster frozen: %d of %d concurrent requests failed, slowest %s", failed, n, slowest.Round(time.Millisecond))
	if failed == 0 {
		t.Errorf("every request succeeded with the postmaster frozen: the test did not need new connections")
	}
	// /readyz answers (its ping may use a connection opened before).
	if s := p.status("/readyz"); s != http.StatusServiceUnavailable && s != http.StatusOK {
		t.Errorf("/readyz with the postmaster frozen: %d, want an answer", s)
	}

	pg.signal(syscall.SIGCONT)
	thawed = true
	thawedAt := time.Now()
	for {
		r := p.gql(token, write, map[string]any{"n": "Dégel"})
		if r.ok() {
			t.Logf("first success %s after the postmaster thawed", time.Since(thawedAt).Round(time.Millisecond))
			break
		}
		if why := cleanFailure(r); why != "" {
			t.Fatalf("after the thaw: %s", why)
		}
		if time.Since(thawedAt) > recoveryBound {
			t.Fatalf("no success %s after the postmaster thawed: %s", recoveryBound, r)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
