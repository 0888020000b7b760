package metrics

import (
	"database/sql"
	"fmt"
	"io"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// scrape returns what /metrics answers.
func scrape(t *testing.T) string {
	t.Helper()
	rec := httptest.NewRecorder()
	Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	b, _ := io.ReadAll(rec.Body)
	return string(b)
}

var operationSeries = regexp.MustCompile(`(?m)^carnet_graphql_requests_total\{operation="([^"]*)"\}`)

func TestOperationLabelKeepsAtMostMaxOperationNamesThenSaysOther(t *testing.T) {
	for i := range MaxOperationNames + 50 {
		Operation(fmt.Sprintf("Op%d", i), 0.001, nil)
	}
	Operation("not a name {", 0.001, nil)
	Operation(strings.Repeat("Long", 40), 0.001, nil)
	Operation("", 0.001, nil)
	Operation("Op0", 0.001, nil) // a known name keeps its series
	labels := map[string]bool{}
	for _, m := range operationSeries.FindAllStringSubmatch(scrape(t), -1) {
		labels[m[1]] = true
	}
	if n := len(labels); n > MaxOperationNames+2 {
		t.Fatalf("%d operation labels, want at most %d names + anonymous + other", n, MaxOperationNames)
	}
	for _, want := range []string{"Op0", OtherOperation, "anonymous"} {
		if !labels[want] {
			t.Fatalf("no series for operation %q", want)
		}
	}
	if labels["not a name {"] || labels[fmt.Sprintf("Op%d", MaxOperationNames+10)] {
		t.Fatal("a name past the bound or not a GraphQL name has a series of its own")
	}
}

func TestHTTPRequestsAreCountedByMethodAndStatus(t *testing.T) {
	HTTPRequest("POST", 401)
	HTTPRequest("POST", 429)
	HTTPRequest("BREW", 405)
	text := scrape(t)
	for _, want := range []string{
		`carnet_http_requests_total{code="401",method="POST"} 1`,
		`carnet_http_requests_total{code="429",method="POST"} 1`,
		`carnet_http_requests_total{code="405",method="other"} 1`,
	} {
		if !strings.Contains(text, want) {
			t.Fatalf("/metrics lacks %s", want)
		}
	}
}

func TestBuildInfoNamesTheVersionAndGoRelease(t *testing.T) {
	SetBuildInfo("v1.2.3")
	want := fmt.Sprintf(`carnet_build_info{goversion=%q,version="v1.2.3"} 1`, runtime.Version())
	if text := scrape(t); !strings.Contains(text, want) {
		t.Fatalf("/metrics lacks %s", want)
	}
}

func TestWatchDBExportsThePoolUntilUnwatched(t *testing.T) {
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Ping(); err != nil {
		t.Fatal(err)
	}
	unwatch, err := WatchDB(db)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`go_sql_open_connections{db_name="carnet"} 1`, `go_sql_max_open_connections{db_name="carnet"}`, `go_sql_wait_count_total{db_name="carnet"}`} {
		if text := scrape(t); !strings.Contains(text, want) {
			t.Fatalf("/metrics lacks %s:\n%s", want, text)
		}
	}
	if _, err := WatchDB(db); err == nil {
		t.Fatal("a second database was watched under the same name")
	}
	unwatch()
	if strings.Contains(scrape(t), "go_sql_open_connections") {
		t.Fatal("the pool is still exported after unwatch")
	}
}
