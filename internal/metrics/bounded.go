package metrics

import (
	"database/sql"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// MaxOperationNames bounds the values of the operation label: the first
// names seen, up to this many, keep their own series; later ones are
// counted as OtherOperation. Any client chooses its operations' names, so
// without a bound each new name would add series until Prometheus (or
// this process) runs out of memory.
const MaxOperationNames = 200

// OtherOperation is the operation label of the names past
// MaxOperationNames and of names that are not GraphQL names.
const OtherOperation = "other"

// maxNameLength bounds a name that gets its own series.
const maxNameLength = 64

var (
	httpRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "carnet_http_requests_total", Help: "HTTP requests answered, by method and status code (401 and 429 included).",
	}, []string{"method", "code"})
	buildInfo = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "carnet_build_info", Help: "Always 1: the version of the running binary and the Go release that built it.",
	}, []string{"version", "goversion"})
)

func init() { registry.MustRegister(httpRequests, buildInfo) }

// operationNames are the operation names that have a series of their own.
var operationNames = struct {
	sync.Mutex
	seen map[string]bool
}{seen: map[string]bool{}}

// operationLabel returns the label of the operation name: the name itself
// when it already has a series or there is room for one more, "anonymous"
// for no name, else OtherOperation.
func operationLabel(name string) string {
	if name == "" {
		return "anonymous"
	}
	if !isName(name) {
		return OtherOperation
	}
	operationNames.Lock()
	defer operationNames.Unlock()
	if operationNames.seen[name] {
		return name
	}
	if len(operationNames.seen) >= MaxOperationNames {
		return OtherOperation
	}
	operationNames.seen[name] = true
	return name
}

// isName reports whether s is a GraphQL name of at most maxNameLength
// bytes.
func isName(s string) bool {
	if len(s) > maxNameLength {
		return false
	}
	for i, c := range []byte(s) {
		switch {
		case c == '_', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// HTTPRequest records one HTTP request and its status code.
func HTTPRequest(method string, code int) {
	switch method {
	case http.MethodGet, http.MethodPost, http.MethodOptions, http.MethodHead:
	default:
		method = "other"
	}
	httpRequests.WithLabelValues(method, strconv.Itoa(code)).Inc()
}

// SetBuildInfo sets carnet_build_info to the version of the binary.
func SetBuildInfo(version string) {
	buildInfo.Reset()
	buildInfo.WithLabelValues(version, runtime.Version()).Set(1)
}

// WatchDB exports the connection pool statistics of db (go_sql_* with
// db_name="carnet": open, in use and idle connections, waits) until the
// returned function is called. One database at a time per process.
func WatchDB(db *sql.DB) (unwatch func(), err error) {
	c := collectors.NewDBStatsCollector(db, "carnet")
	if err := registry.Register(c); err != nil {
		return nil, fmt.Errorf("metrics: database pool statistics: %w", err)
	}
	return func() { registry.Unregister(c) }, nil
}
