package server_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"carnet/internal/apitest"
	"carnet/internal/server"
	"carnet/internal/testdb"
)

func TestHTTP_SecurityHeadersCORSAndRateLimit(t *testing.T) {
	d := testdb.Open(t, testdb.Dialects()[0])
	e := apitest.New(t, d)
	srv := httptest.NewServer(server.New(server.Config{
		Client: d.Client, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		CORSOrigins: []string{"https://app.example.fr"}, RateLimit: server.RateLimit{Rate: 1, Burst: 3},
	}))
	defer srv.Close()
	call := func(method, origin string, hdr ...string) *http.Response {
		var body io.Reader
		if method == http.MethodPost {
			body = strings.NewReader(`{"query":"{ me { name } }"}`)
		}
		req, _ := http.NewRequest(method, srv.URL+"/graphql", body)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+e.TokenA)
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	// Preflights: the allowed origin gets the API's methods and headers, another none.
	pre := call(http.MethodOptions, "https://app.example.fr", "Access-Control-Request-Method", "POST",
		"Access-Control-Request-Headers", "authorization,content-type")
	if pre.StatusCode != http.StatusNoContent || pre.Header.Get("Access-Control-Allow-Origin") != "https://app.example.fr" ||
		!strings.Contains(pre.Header.Get("Access-Control-Allow-Headers"), "authorization") {
		t.Fatalf("allowed preflight: %d %v", pre.StatusCode, pre.Header)
	}
	if evil := call(http.MethodOptions, "https://evil.example", "Access-Control-Request-Method", "POST"); evil.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("a foreign origin was allowed: %v", evil.Header)
	}
	// Security headers on every answer.
	r := call(http.MethodPost, "")
	for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'"} {
		if got := r.Header.Get(h); got != want {
			t.Fatalf("%s = %q, want %q", h, got, want)
		}
	}
	// The burst (3, one spent above) then 429 RATE_LIMITED with Retry-After.
	call(http.MethodPost, "")
	call(http.MethodPost, "")
	over := call(http.MethodPost, "")
	if over.StatusCode != http.StatusTooManyRequests || over.Header.Get("Retry-After") == "" {
		t.Fatalf("past the limit: %d, Retry-After %q", over.StatusCode, over.Header.Get("Retry-After"))
	}
	// Another token has its own bucket.
	other := e.TokenB
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query":"{ me { name } }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+other)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("another token was limited: %d", resp.StatusCode)
	}
}

func TestHTTP_MetricsCountOperationsErrorsAndStatements(t *testing.T) {
	d := testdb.Open(t, testdb.Dialects()[0])
	e := apitest.New(t, d)
	e.OK(e.TokenA, `query Moi { me { name } }`, nil)
	e.Fail(e.TokenA, `{ node(id: "bm9wZQ") { id } }`, nil, "BAD_USER_INPUT")
	resp, err := http.Get(e.Server.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	text := string(b)
	for _, want := range []string{
		`carnet_graphql_requests_total{operation="Moi"}`,
		`carnet_graphql_errors_total{code="BAD_USER_INPUT"}`,
		`carnet_sql_statements_per_request_count`,
		`carnet_graphql_request_duration_seconds_bucket{operation="Moi"`,
	} {
		if !strings.Contains(text, want) {
			t.Fatalf("/metrics lacks %s:\n%s", want, grepLines(text, "carnet_"))
		}
	}
}

func grepLines(text, prefix string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestHTTP_BodiesThatAreNotRequests: a body that is not JSON or is too
// large is the client's fault (BAD_USER_INPUT), not an internal error,
// and is not echoed back.
func TestHTTP_BodiesThatAreNotRequests(t *testing.T) {
	d := testdb.Open(t, testdb.Dialects()[0])
	e := apitest.New(t, d)
	for _, tc := range []struct {
		name, body, want string
	}{
		{"not JSON", `{"query": "{ me { name } }"`, "not a GraphQL request"},
		{"truncated", `{bad`, "not a GraphQL request"},
		{"too large", `{"query": "{ me { name } }", "variables": {"x": "` + strings.Repeat("a", server.MaxBodyBytes) + `"}}`, "larger than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, e.Server.URL+"/graphql", strings.NewReader(tc.body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+e.TokenA)
			req.Header.Set("Accept-Language", "en")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var r struct {
				Errors []struct {
					Message    string         `json:"message"`
					Extensions map[string]any `json:"extensions"`
				} `json:"errors"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
				t.Fatalf("status %d: %v", resp.StatusCode, err)
			}
			if resp.StatusCode >= 500 || len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "BAD_USER_INPUT" ||
				!strings.Contains(r.Errors[0].Message, tc.want) || strings.Contains(r.Errors[0].Message, "me { name }") {
				t.Fatalf("status %d, errors %+v; want BAD_USER_INPUT %q", resp.StatusCode, r.Errors, tc.want)
			}
		})
	}
}
