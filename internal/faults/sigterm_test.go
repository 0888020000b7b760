package faults

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"carnet/ent/thirdparty"
	"carnet/internal/auth"
	"carnet/internal/db"
)

// drainBound is how long serve lets in-flight requests finish after
// SIGTERM (its http.Server.Shutdown timeout is 20 s), plus slack to exit.
const drainBound = 25 * time.Second

// TestSIGTERMDrainsInFlightRequests sends SIGTERM while a mutation is in
// flight — its body half sent, the handler already reading it — and
// checks that new connections are refused at once, that the process
// waits for the request, which completes and commits, and that it then
// exits with status 0.
func TestSIGTERMDrainsInFlightRequests(t *testing.T) {
	urls := databaseURLs(t)
	dialects := make([]string, 0, len(urls))
	for d := range urls {
		dialects = append(dialects, d)
	}
	slices.Sort(dialects)
	for _, dia := range dialects {
		t.Run(dia, func(t *testing.T) {
			dbURL := urls[dia]
			token := initOrg(t, dbURL, "Arrêt SA")
			p := startCarnet(t, "A", dbURL)

			const name = "Arrêt en vol"
			body, _ := json.Marshal(map[string]any{
				"query":     `mutation($n: String!) { createProspect(input: {name: $n}) { id name version } }`,
				"variables": map[string]any{"n": name},
			})
			conn, err := net.Dial("tcp", p.addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(60 * time.Second))
			// Expect: 100-continue makes the server say when the handler
			// starts reading the body: from then on the request is in
			// flight, past authentication.
			fmt.Fprintf(conn, "POST /graphql HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"+
				"Content-Type: application/json\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", p.addr, token, len(body))
			br := bufio.NewReader(conn)
			interim, err := br.ReadString('\n')
			if err != nil || !strings.HasPrefix(interim, "HTTP/1.1 100 ") {
				t.Fatalf("want 100 Continue, got %q (%v)", interim, err)
			}
			if blank, err := br.ReadString('\n'); err != nil || blank != "\r\n" {
				t.Fatalf("after 100 Continue: %q (%v)", blank, err)
			}
			half := len(body) / 2
			if _, err := conn.Write(body[:half]); err != nil {
				t.Fatal(err)
			}

			signalled := time.Now()
			if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			// New connections are refused while the request is in flight.
			refusedAfter := time.Duration(-1)
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
				c, err := net.DialTimeout("tcp", p.addr, time.Second)
				if err == nil || errors.Is(err, syscall.ECONNRESET) {
					// Accepted before the listener closed (a reset: it
					// was in the backlog when it did): try again.
					if c != nil {
						c.Close()
					}
					continue
				}
				if !errors.Is(err, syscall.ECONNREFUSED) {
					t.Fatalf("dialling after SIGTERM: %v, want connection refused", err)
				}
				refusedAfter = time.Since(signalled)
				break
			}
			if refusedAfter < 0 {
				t.Fatal("new connections are still accepted 10 s after SIGTERM")
			}
			// Hold the request a while: the process must wait for it.
			select {
			case <-p.done:
				t.Fatalf("the process exited (%s) with a request in flight:\n%s", p.cmd.ProcessState, p.logTail())
			case <-time.After(500 * time.Millisecond):
			}

			// The request completes.
			if _, err := conn.Write(body[half:]); err != nil {
				t.Fatal(err)
			}
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				t.Fatalf("the in-flight request got no response: %v\n%s", err, p.logTail())
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			var r response
			if err := json.Unmarshal(b, &r); err != nil || resp.StatusCode != http.StatusOK || len(r.Errors) > 0 ||
				str(r.Data, "createProspect.name") != name {
				t.Fatalf("the in-flight request: HTTP %d %s", resp.StatusCode, b)
			}

			// Then the process exits, with status 0.
			select {
			case <-p.done:
			case <-time.After(drainBound):
				t.Fatalf("still running %s after SIGTERM with nothing in flight", drainBound)
			}
			exitedAfter := time.Since(signalled)
			if code := p.cmd.ProcessState.ExitCode(); code != 0 {
				t.Fatalf("exit status %d after SIGTERM, want 0:\n%s", code, p.logTail())
			}
			t.Logf("SIGTERM: connections refused after %s, exit %s after the signal (the request held it open)",
				refusedAfter.Round(time.Millisecond), exitedAfter.Round(time.Millisecond))

			// And what the drained request wrote is committed.
			ctx := context.Background()
			d, err := db.Open(ctx, dbURL)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if ok, err := d.Client.ThirdParty.Query().Where(thirdparty.Name(name)).Exist(auth.System(ctx)); err != nil || !ok {
				t.Fatalf("the drained request's prospect is not stored: %v %v", ok, err)
			}
		})
	}
}
