package server_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"carnet/internal/apitest"
	"carnet/internal/server"
	"carnet/internal/testdb"
)

// rateServer serves d with the rate limit of limit.
func rateServer(t *testing.T, limit server.RateLimit) (*apitest.Env, *httptest.Server) {
	t.Helper()
	d := testdb.Open(t, testdb.Dialects()[0])
	e := apitest.New(t, d)
	srv := httptest.NewServer(server.New(server.Config{
		Client: d.Client, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), RateLimit: limit,
	}))
	t.Cleanup(srv.Close)
	return e, srv
}

// post sends body to /graphql with token and the header pairs hdr.
func post(t *testing.T, url, token, body string, hdr ...string) (*http.Response, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url+"/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var answer map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
		t.Fatalf("status %d: %v", resp.StatusCode, err)
	}
	return resp, answer
}

var rateLimitField = regexp.MustCompile(`^"token";r=(\d+);t=(\d+)$`)

// budgetOf reads the RateLimit header: remaining and reset.
func budgetOf(t *testing.T, resp *http.Response) (int, int) {
	t.Helper()
	m := rateLimitField.FindStringSubmatch(resp.Header.Get("RateLimit"))
	if m == nil {
		t.Fatalf("RateLimit = %q, want \"token\";r=N;t=S (status %d)", resp.Header.Get("RateLimit"), resp.StatusCode)
	}
	r, _ := strconv.Atoi(m[1])
	s, _ := strconv.Atoi(m[2])
	return r, s
}

func TestRateLimitHeadersTellEachTokenItsPolicyAndWhatIsLeft(t *testing.T) {
	e, srv := rateServer(t, server.RateLimit{Rate: 2, Burst: 3})
	const query = `{"query":"{ me { name } }"}`
	for i, want := range []int{2, 1, 0} {
		resp, _ := post(t, srv.URL, e.TokenA, query)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("request %d: status %d", i+1, resp.StatusCode)
		}
		if got := resp.Header.Get("RateLimit-Policy"); got != `"token";q=3;w=2` {
			t.Fatalf("RateLimit-Policy = %q, want \"token\";q=3;w=2", got)
		}
		if r, reset := budgetOf(t, resp); r != want || reset < 1 || reset > 2 {
			t.Fatalf("request %d: r=%d t=%d, want r=%d and t in 1..2", i+1, r, reset, want)
		}
	}
	over, answer := post(t, srv.URL, e.TokenA, query)
	if r, reset := budgetOf(t, over); over.StatusCode != http.StatusTooManyRequests || r != 0 || reset < 1 {
		t.Fatalf("past the burst: status %d, r=%d t=%d, %v", over.StatusCode, r, reset, answer)
	}
	// Another token has its full budget; a request without a token has
	// no budget to tell.
	if other, _ := post(t, srv.URL, e.TokenB, query); other.StatusCode != http.StatusOK {
		t.Fatalf("another token: %d", other.StatusCode)
	} else if r, _ := budgetOf(t, other); r != 2 {
		t.Fatalf("another token: r=%d, want 2", r)
	}
	if anon, _ := post(t, srv.URL, "", query); anon.StatusCode != http.StatusUnauthorized || anon.Header.Get("RateLimit") != "" {
		t.Fatalf("no token: status %d, RateLimit %q", anon.StatusCode, anon.Header.Get("RateLimit"))
	}
}

func TestCostExtensionOnRequestByHeaderOrBody(t *testing.T) {
	e, srv := rateServer(t, server.RateLimit{Rate: 20, Burst: 40})
	const doc = `query Page { thirdParties(first: 10) { pageInfo { hasNextPage } edges { node { id name } } } }`
	body, _ := json.Marshal(map[string]any{"query": doc})
	withExt, _ := json.Marshal(map[string]any{"query": doc, "extensions": map[string]any{"cost": true}})
	// 1 (thirdParties) + 2 (pageInfo) + 10 × 4 (edges, node, id, name).
	const wantCost = 1 + 2 + 10*4
	for _, tc := range []struct {
		name string
		body []byte
		hdr  []string
	}{
		{"header", body, []string{server.CostHeader, "1"}},
		{"extensions", withExt, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, answer := post(t, srv.URL, e.TokenA, string(tc.body), tc.hdr...)
			ext, _ := answer["extensions"].(map[string]any)
			cost, _ := ext["cost"].(map[string]any)
			if resp.StatusCode != http.StatusOK || cost == nil {
				t.Fatalf("status %d, no extensions.cost: %v", resp.StatusCode, answer)
			}
			if cost["requested"] != float64(wantCost) || cost["maximum"] != float64(server.MaxComplexity) {
				t.Fatalf("cost = %v, want requested %d of %d", cost, wantCost, server.MaxComplexity)
			}
			rl, _ := cost["rateLimit"].(map[string]any)
			remaining, _ := budgetOf(t, resp)
			if rl["limit"] != float64(40) || rl["perSecond"] != float64(20) || rl["remaining"] != float64(remaining) {
				t.Fatalf("cost.rateLimit = %v, want limit 40, 20 per second, remaining %d as in RateLimit", rl, remaining)
			}
		})
	}
	_, answer := post(t, srv.URL, e.TokenA, string(body))
	if _, ok := answer["extensions"]; ok {
		t.Fatalf("extensions without asking: %v", answer["extensions"])
	}
}
