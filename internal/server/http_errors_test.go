package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/server"
	"carnet/internal/sirene"
	"carnet/internal/testdb"
)

// logBuffer collects a server's logs (written from its goroutines).
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// logged is a Carnet beside e's, on e's database, whose logs are kept.
type logged struct {
	t    *testing.T
	url  string
	logs *logBuffer
}

func newLogged(t *testing.T, d *db.DB, rate server.RateLimit) *logged {
	t.Helper()
	l := &logged{t: t, logs: &logBuffer{}}
	srv := httptest.NewServer(server.New(server.Config{
		Client: d.Client, Ping: d.SQL.PingContext, Logger: slog.New(slog.NewTextHandler(l.logs, nil)),
		Sirene: sirene.NewProvider(sirene.Config{}), RateLimit: rate,
	}))
	t.Cleanup(srv.Close)
	l.url = srv.URL
	return l
}

// answer is a raw HTTP answer of the API.
type answer struct {
	status         int
	header         http.Header
	body           string
	apitest.Result // decoded when the body is GraphQL-shaped JSON
}

// send makes a request with token ("" for none) and header pairs.
func (l *logged) send(method, path, contentType, token string, body io.Reader, hdr ...string) *answer {
	l.t.Helper()
	req, err := http.NewRequest(method, l.url+path, body)
	if err != nil {
		l.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	// The tests read English messages (French ones: language_test.go).
	req.Header.Set("Accept-Language", "en")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		l.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	a := &answer{status: resp.StatusCode, header: resp.Header, body: string(b)}
	_ = json.Unmarshal(b, &a.Result)
	return a
}

// refused checks that a is a GraphQL-shaped error answer of status and
// code, and that the server logged no panic.
func (l *logged) refused(what string, a *answer, status int, code string) {
	l.t.Helper()
	if a.status != status || a.Code() != code {
		l.t.Fatalf("%s: want %d %s, got %d %s", what, status, code, a.status, a.body)
	}
	if a.Errors[0].Message == "" {
		l.t.Fatalf("%s: no message: %s", what, a.body)
	}
	if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		l.t.Fatalf("%s: Content-Type %q", what, ct)
	}
	if strings.Contains(l.logs.String(), "panic") {
		l.t.Fatalf("%s: the server panicked:\n%s", what, l.logs.String())
	}
}

func TestHTTP_MalformedJSONAndBatchesAreBadUserInputWithoutAPanic(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		l := newLogged(t, d, server.RateLimit{})
		post := func(body string) *answer {
			return l.send(http.MethodPost, "/graphql", "application/json", e.TokenA, strings.NewReader(body))
		}
		a := post(`{"query": `)
		l.refused("truncated JSON", a, http.StatusBadRequest, "BAD_USER_INPUT")
		if !strings.Contains(a.Errors[0].Message, "JSON") {
			t.Fatalf("truncated JSON: the message does not say what is wrong: %s", a.body)
		}
		a = post(`[{"query":"{ me { name } }"}]`)
		l.refused("array batch", a, http.StatusBadRequest, "BAD_USER_INPUT")
		if !strings.Contains(a.Errors[0].Message, "batching is not supported") {
			t.Fatalf("array batch: %s", a.body)
		}
		l.refused("query of the wrong type", post(`{"query": 5}`), http.StatusBadRequest, "BAD_USER_INPUT")
		l.refused("empty body", post(``), http.StatusBadRequest, "BAD_USER_INPUT")
		l.refused("a JSON string", post(`"{ me { name } }"`), http.StatusBadRequest, "BAD_USER_INPUT")
		// The message does not echo the body back.
		a = post(`{"query": "{ me { name } }", "variables": {"x": "` + strings.Repeat("z", 10_000) + `"`)
		l.refused("long malformed body", a, http.StatusBadRequest, "BAD_USER_INPUT")
		if strings.Contains(a.body, "zzzzzzzzzz") {
			t.Fatalf("the answer echoes the body: %.300s…", a.body)
		}
		// A request that decodes still runs.
		if a := post(`{"query":"{ me { name } }"}`); a.status != http.StatusOK || len(a.Errors) > 0 {
			t.Fatalf("a good request after the bad ones: %d %s", a.status, a.body)
		}
	})
}
func TestHTTP_ABodyOverOneMebibyteIs413BadUserInputNamingTheLimit(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		l := newLogged(t, d, server.RateLimit{})
		body := func(size int) string {
			head, tail := `{"query":"{ me { name } }","variables":{"x":"`, `"}}`
			return head + strings.Repeat("a", size-len(head)-len(tail)) + tail
		}
		a := l.send(http.MethodPost, "/graphql", "application/json", e.TokenA, strings.NewReader(body(server.MaxBodyBytes+1)))
		l.refused("a body of 1 MiB + 1 byte", a, http.StatusRequestEntityTooLarge, "BAD_USER_INPUT")
		if !strings.Contains(a.Errors[0].Message, "1 MiB") {
			t.Fatalf("the message does not name the limit: %s", a.Errors[0].Message)
		}
		a = l.send(http.MethodPost, "/graphql", "application/json", e.TokenA, strings.NewReader(body(server.MaxBodyBytes)))
		if a.status != http.StatusOK || len(a.Errors) > 0 || apitest.Str(a.Data, "me.name") == "" {
			t.Fatalf("a body of exactly 1 MiB: %d %.300s", a.status, a.body)
		}
	})
}
func TestHTTP_EveryRefusalOfTheHTTPLayerCarriesACode(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		l := newLogged(t, d, server.RateLimit{})
		get := func(params url.Values, hdr ...string) *answer {
			return l.send(http.MethodGet, "/graphql?"+params.Encode(), "", e.TokenA, nil, hdr...)
		}
		// A mutation by GET is refused (a link or an image could send it:
		// CSRF), with a code, and nothing is written.
		a := get(url.Values{"query": {`mutation { createProspect(input: {name: "GET"}) { id } }`}})
		l.refused("GET mutation", a, http.StatusMethodNotAllowed, "BAD_USER_INPUT")
		if a.header.Get("Allow") != "POST" || !strings.Contains(a.Errors[0].Message, "POST") {
			t.Fatalf("GET mutation: Allow %q, %s", a.header.Get("Allow"), a.body)
		}
		a = get(url.Values{"query": {`query Q { me { name } } mutation M { createProspect(input: {name: "GET"}) { id } }`}, "operationName": {"M"}})
		l.refused("GET of a document's mutation", a, http.StatusMethodNotAllowed, "BAD_USER_INPUT")
		if n := e.CountThirdParties(e.TokenA); n != 0 {
			t.Fatalf("a GET mutation wrote %d third parties", n)
		}
		// Queries by GET run; their malformed parameters are refused with a code.
		a = get(url.Values{"query": {`query Q { me { name } } mutation M { createProspect(input: {name: "GET"}) { id } }`}, "operationName": {"Q"}})
		if a.status != http.StatusOK || apitest.Str(a.Data, "me.name") == "" {
			t.Fatalf("GET query: %d %s", a.status, a.body)
		}
		l.refused("GET with variables that are not JSON", get(url.Values{"query": {`query($n: Int) { thirdParties(first: $n) { totalCount } }`}, "variables": {"{n: 1"}}),
			http.StatusBadRequest, "BAD_USER_INPUT")
		l.refused("GET with extensions that are not JSON", get(url.Values{"query": {`{ me { name } }`}, "extensions": {"["}}),
			http.StatusBadRequest, "BAD_USER_INPUT")
		l.refused("GET asking for a websocket", get(url.Values{"query": {`{ me { name } }`}}, "Upgrade", "websocket", "Connection", "Upgrade"),
			http.StatusBadRequest, "BAD_USER_INPUT")

		// Other methods and content types.
		for _, m := range []string{http.MethodPut, http.MethodPatch, http.MethodDelete} {
			a := l.send(m, "/graphql", "application/json", e.TokenA, strings.NewReader(`{"query":"{ me { name } }"}`))
			l.refused(m, a, http.StatusMethodNotAllowed, "BAD_USER_INPUT")
			if a.header.Get("Allow") != "GET, POST" {
				t.Fatalf("%s: Allow %q", m, a.header.Get("Allow"))
			}
		}
		for _, ct := range []string{"application/xml", "", "text/plain", "application/x-www-form-urlencoded", "application/json; charset=utf-8; x"} {
			a := l.send(http.MethodPost, "/graphql", ct, e.TokenA, strings.NewReader(`{"query":"{ me { name } }"}`))
			l.refused("Content-Type "+ct, a, http.StatusUnsupportedMediaType, "BAD_USER_INPUT")
		}
		if a := l.send(http.MethodPost, "/graphql", "application/json; charset=utf-8", e.TokenA, strings.NewReader(`{"query":"{ me { name } }"}`)); a.status != http.StatusOK || len(a.Errors) > 0 {
			t.Fatalf("application/json with a charset: %d %s", a.status, a.body)
		}

		// Tokens.
		l.refused("no token", l.send(http.MethodPost, "/graphql", "application/json", "", strings.NewReader(`{"query":"{ me { name } }"}`)),
			http.StatusUnauthorized, "UNAUTHENTICATED")
		l.refused("unknown token", l.send(http.MethodPost, "/graphql", "application/json", "carnet_nope", strings.NewReader(`{"query":"{ me { name } }"}`)),
			http.StatusUnauthorized, "UNAUTHENTICATED")
		l.refused("download without a token", l.send(http.MethodGet, "/documents/x", "", "", nil), http.StatusUnauthorized, "UNAUTHENTICATED")
		// The scheme is case-insensitive.
		for _, scheme := range []string{"bearer", "BEARER", "Bearer"} {
			a := l.send(http.MethodPost, "/graphql", "application/json", "", strings.NewReader(`{"query":"{ me { name } }"}`), "Authorization", scheme+" "+e.TokenA)
			if a.status != http.StatusOK || len(a.Errors) > 0 {
				t.Fatalf("scheme %q: %d %s", scheme, a.status, a.body)
			}
		}
		l.refused("Basic scheme", l.send(http.MethodPost, "/graphql", "application/json", "", strings.NewReader(`{"query":"{ me { name } }"}`), "Authorization", "Basic "+e.TokenA),
			http.StatusUnauthorized, "UNAUTHENTICATED")
		// One JSON object per body.
		for _, body := range []string{`{"query":"{ me { name } }"} garbage`, `{"query":"{ me { name } }"}{"query":"{ me { id } }"}`} {
			l.refused("trailing data "+body, l.send(http.MethodPost, "/graphql", "application/json", e.TokenA, strings.NewReader(body)), http.StatusBadRequest, "BAD_USER_INPUT")
		}
		if a := l.send(http.MethodPost, "/graphql", "application/json", e.TokenA, strings.NewReader("{\"query\":\"{ me { name } }\"}\n  \n")); a.status != http.StatusOK {
			t.Fatalf("a body ending with spaces: %d %s", a.status, a.body)
		}
		l.refused("download of no document", l.send(http.MethodGet, "/documents/x", "", e.TokenA, nil), http.StatusNotFound, "NOT_FOUND")

		// Other paths and methods.
		l.refused("POST to a document", l.send(http.MethodPost, "/documents/x", "application/json", e.TokenA, strings.NewReader(`{}`)),
			http.StatusMethodNotAllowed, "BAD_USER_INPUT")
		l.refused("an unknown path", l.send(http.MethodGet, "/nope", "", e.TokenA, nil), http.StatusNotFound, "NOT_FOUND")

		// The rate limit.
		slow := newLogged(t, d, server.RateLimit{Rate: 0.001, Burst: 1})
		first := slow.send(http.MethodPost, "/graphql", "application/json", e.TokenA, strings.NewReader(`{"query":"{ me { name } }"}`))
		if first.status != http.StatusOK {
			t.Fatalf("first request: %d %s", first.status, first.body)
		}
		slow.refused("past the rate", slow.send(http.MethodPost, "/graphql", "application/json", e.TokenA, strings.NewReader(`{"query":"{ me { name } }"}`)),
			http.StatusTooManyRequests, "RATE_LIMITED")
	})
}
