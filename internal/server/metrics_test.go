package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"testing"

	"carnet/internal/server"
	"carnet/internal/testdb"
)

// scrapeMetrics returns the text of url's /metrics.
func scrapeMetrics(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: %d", resp.StatusCode)
	}
	return string(b)
}

// httpCount reads carnet_http_requests_total for method and code (0 when
// absent).
func httpCount(t *testing.T, text, method string, code int) int {
	t.Helper()
	re := regexp.MustCompile(`(?m)^carnet_http_requests_total\{code="` + strconv.Itoa(code) + `",method="` + method + `"\} (\d+)$`)
	m := re.FindStringSubmatch(text)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func TestMetricsCountHTTPRequestsByStatusRefusalsIncluded(t *testing.T) {
	e, srv := rateServer(t, server.RateLimit{Rate: 1, Burst: 1})
	before := scrapeMetrics(t, srv.URL)
	const query = `{"query":"{ me { name } }"}`
	post(t, srv.URL, "", query)                   // 401
	post(t, srv.URL, "carnet_not_a_token", query) // 401
	post(t, srv.URL, e.TokenA, query)             // 200
	if resp, _ := post(t, srv.URL, e.TokenA, query); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("second request of a burst of 1: %d", resp.StatusCode)
	}
	after := scrapeMetrics(t, srv.URL)
	// Other tests of the package count in the same registry: at least.
	for _, tc := range []struct{ code, want int }{{401, 2}, {429, 1}, {200, 1}} {
		if got := httpCount(t, after, "POST", tc.code) - httpCount(t, before, "POST", tc.code); got < tc.want {
			t.Fatalf("POST %d counted %d more times, want %d", tc.code, got, tc.want)
		}
	}
}

func TestMetricsElsewhereLeavesMetricsOutOfTheAPI(t *testing.T) {
	d := testdb.Open(t, testdb.Dialects()[0])
	srv := httptest.NewServer(server.New(server.Config{
		Client: d.Client, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), MetricsElsewhere: true,
	}))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("/metrics with MetricsElsewhere: %d, want 404", resp.StatusCode)
	}
}
