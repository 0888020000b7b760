package server_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/server"
	"carnet/internal/testdb"
)

const (
	acceptJSON    = "application/json"
	acceptGraphQL = "application/graphql-response+json"
	// acceptApollo is what Apollo Client 4 sends.
	acceptApollo = "application/graphql-response+json,application/json;q=0.9"
)

// TestHTTP_RefusalsTakeTheStatusAndMediaTypeOfTheAccept checks every kind
// of refusal against the GraphQL-over-HTTP specification: with
// application/graphql-response+json a 4xx and no data entry; with
// application/json (or no Accept) 200 for documents and variables that
// fail, 4xx for what is not a GraphQL request; 401 and 429 keep their
// status and headers either way.
func TestHTTP_RefusalsTakeTheStatusAndMediaTypeOfTheAccept(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		l := newLogged(t, d, server.RateLimit{})
		slow := newLogged(t, d, server.RateLimit{Rate: 0.001, Burst: 1})
		slow.send(http.MethodPost, "/graphql", "application/json", e.TokenA, strings.NewReader(`{"query":"{ me { name } }"}`))
		type request struct {
			srv         *logged
			method, ct  string
			token, body string
			hdr         []string
		}
		post := func(body string) request {
			return request{srv: l, method: http.MethodPost, ct: "application/json", token: e.TokenA, body: body}
		}
		cases := []struct {
			what              string
			req               request
			jsonStatus, gqlSt int
			code, header      string
		}{
			{"a document that does not parse", post(`{"query":"{ me { "}`), 200, 400, "BAD_USER_INPUT", ""},
			{"a document that does not validate", post(`{"query":"{ nope }"}`), 200, 400, "BAD_USER_INPUT", ""},
			{"a variable that does not coerce", post(`{"query":"query($n: Int) { thirdParties(first: $n) { totalCount } }","variables":{"n":"x"}}`), 200, 400, "BAD_USER_INPUT", ""},
			{"a page past the limit", post(`{"query":"{ thirdParties(first: 1000) { totalCount } }"}`), 200, 400, "BAD_USER_INPUT", ""},
			{"no document", post(`{"variables":{}}`), 200, 400, "BAD_USER_INPUT", ""},
			{"a body that is not JSON", post(`{"query": `), 400, 400, "BAD_USER_INPUT", ""},
			{"a batch", post(`[{"query":"{ me { name } }"}]`), 400, 400, "BAD_USER_INPUT", ""},
			{"a body past 1 MiB", post(`{"query":"{ me { name } }","variables":{"x":"` + strings.Repeat("a", server.MaxBodyBytes) + `"}}`), 413, 413, "BAD_USER_INPUT", ""},
			{"a text body", request{srv: l, method: http.MethodPost, ct: "text/plain", token: e.TokenA, body: `{"query":"{ me { name } }"}`}, 415, 415, "BAD_USER_INPUT", ""},
			{"PUT", request{srv: l, method: http.MethodPut, ct: "application/json", token: e.TokenA, body: `{"query":"{ me { name } }"}`}, 405, 405, "BAD_USER_INPUT", "Allow"},
			{"a mutation by GET", request{srv: l, method: http.MethodGet, token: e.TokenA, body: "?" + url.Values{"query": {`mutation { createProspect(input: {name: "x"}) { id } }`}}.Encode()}, 405, 405, "BAD_USER_INPUT", "Allow"},
			{"no token", request{srv: l, method: http.MethodPost, ct: "application/json", body: `{"query":"{ me { name } }"}`}, 401, 401, "UNAUTHENTICATED", "WWW-Authenticate"},
			{"past the rate", request{srv: slow, method: http.MethodPost, ct: "application/json", token: e.TokenA, body: `{"query":"{ me { name } }"}`}, 429, 429, "RATE_LIMITED", "Retry-After"},
		}
		for _, c := range cases {
			for _, accept := range []string{"", acceptJSON, "*/*", acceptGraphQL, acceptApollo} {
				media, status := acceptJSON, c.jsonStatus
				if strings.HasPrefix(accept, acceptGraphQL) {
					media, status = acceptGraphQL, c.gqlSt
				}
				what := fmt.Sprintf("%s, Accept %q", c.what, accept)
				path, body := "/graphql", io.Reader(strings.NewReader(c.req.body))
				if c.req.method == http.MethodGet {
					path, body = "/graphql"+c.req.body, nil
				}
				a := c.req.srv.send(c.req.method, path, c.req.ct, c.req.token, body, append([]string{"Accept", accept}, c.req.hdr...)...)
				if a.status != status || a.Code() != c.code || a.Errors[0].Message == "" {
					t.Fatalf("%s: want %d %s, got %d %.300s", what, status, c.code, a.status, a.body)
				}
				if ct := a.header.Get("Content-Type"); ct != media+"; charset=utf-8" {
					t.Fatalf("%s: Content-Type %q, want %s", what, ct, media)
				}
				var raw map[string]json.RawMessage
				if err := json.Unmarshal([]byte(a.body), &raw); err != nil {
					t.Fatalf("%s: not JSON: %v", what, err)
				}
				if _, ok := raw["data"]; ok {
					t.Fatalf("%s: a request that never ran has a data entry: %.300s", what, a.body)
				}
				if c.header != "" && a.header.Get(c.header) == "" {
					t.Fatalf("%s: no %s header", what, c.header)
				}
			}
		}
		// An operation that runs is 200 with its data, in the media type asked for.
		for _, accept := range []string{"", acceptJSON, acceptApollo} {
			a := l.send(http.MethodPost, "/graphql", "application/json", e.TokenA, strings.NewReader(`{"query":"{ me { name } }"}`), "Accept", accept)
			if a.status != http.StatusOK || apitest.Str(a.Data, "me.name") == "" || !strings.HasPrefix(a.header.Get("Content-Type"), map[bool]string{true: acceptGraphQL, false: acceptJSON}[accept == acceptApollo]) {
				t.Fatalf("Accept %q: %d %s %.300s", accept, a.status, a.header.Get("Content-Type"), a.body)
			}
		}
		// A field that fails while the operation runs keeps 200 and data.
		a := l.send(http.MethodPost, "/graphql", "application/json", e.TokenA, strings.NewReader(`{"query":"{ node(id: \"Y2FybmV0Ojk5OTk5OTk5\") { id } }"}`), "Accept", acceptApollo)
		if a.status != http.StatusOK || !strings.Contains(a.body, `"data"`) {
			t.Fatalf("an executed operation: %d %.300s", a.status, a.body)
		}
	})
}

// TestHTTP_AnUploadFarPastTheLimitIs413WithTheFilesMessage sends bodies
// far above the upload limit, with and without a length: each is 413 with
// the documented message of a file past the limit.
func TestHTTP_AnUploadFarPastTheLimitIs413WithTheFilesMessage(t *testing.T) {
	d := testdb.Open(t, testdb.Dialects()[0])
	e := apitest.New(t, d)
	l := newLogged(t, d, server.RateLimit{})
	const size = 30 << 20
	upload := func() (*bytes.Buffer, string) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		_ = mw.WriteField("operations", `{"query":"mutation($f: Upload!) { uploadDocument(ownerId: \"x\", file: $f) { id } }","variables":{"f":null}}`)
		_ = mw.WriteField("map", `{"0":["variables.f"]}`)
		fw, _ := mw.CreateFormFile("0", "big.bin")
		_, _ = fw.Write(bytes.Repeat([]byte("x"), size))
		_ = mw.Close()
		return &b, mw.FormDataContentType()
	}
	body, ct := upload()
	raw := body.Bytes()
	for _, chunked := range []bool{false, true} {
		var r io.Reader = bytes.NewReader(raw)
		if chunked {
			r = io.MultiReader(r) // no length: sent chunked
		}
		a := l.send(http.MethodPost, "/graphql", ct, e.TokenA, r, "GraphQL-Require-Preflight", "1", "Accept", acceptApollo)
		want := "the file is larger than the limit of 26214400 bytes (25 MB)"
		if a.status != http.StatusRequestEntityTooLarge || a.Code() != "BAD_USER_INPUT" || a.Errors[0].Message != want ||
			a.Errors[0].Extensions["field"] != "file" {
			t.Fatalf("chunked %v: want 413 BAD_USER_INPUT %q, got %d %.300s", chunked, want, a.status, a.body)
		}
	}
}

// TestHTTP_AutomaticPersistedQueriesRunByHashWithTheSameChecks follows
// Apollo's PersistedQueryLink: the hash alone, PERSISTED_QUERY_NOT_FOUND,
// then hash and document, then the hash alone by POST and GET. Page
// limits and the GET-runs-queries-only rule apply to persisted documents.
func TestHTTP_AutomaticPersistedQueriesRunByHashWithTheSameChecks(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		l := newLogged(t, d, server.RateLimit{})
		ext := func(query string) string {
			sum := sha256.Sum256([]byte(query))
			return `{"persistedQuery":{"version":1,"sha256Hash":"` + hex.EncodeToString(sum[:]) + `"}}`
		}
		post := func(query string, withDocument bool) *answer {
			body := map[string]any{"extensions": json.RawMessage(ext(query))}
			if withDocument {
				body["query"] = query
			}
			b, _ := json.Marshal(body)
			return l.send(http.MethodPost, "/graphql", "application/json", e.TokenA, bytes.NewReader(b), "Accept", acceptApollo)
		}
		get := func(query string) *answer {
			return l.send(http.MethodGet, "/graphql?"+url.Values{"extensions": {ext(query)}}.Encode(), "", e.TokenA, nil, "Accept", acceptApollo)
		}
		const me = `query Me { me { name } }`
		if a := post(me, false); a.Code() != "PERSISTED_QUERY_NOT_FOUND" || a.status != http.StatusBadRequest {
			t.Fatalf("an unknown hash: %d %s", a.status, a.body)
		}
		if a := get(me); a.Code() != "PERSISTED_QUERY_NOT_FOUND" {
			t.Fatalf("an unknown hash by GET: %d %s", a.status, a.body)
		}
		if a := post(me, true); a.status != http.StatusOK || apitest.Str(a.Data, "me.name") == "" {
			t.Fatalf("hash and document: %d %s", a.status, a.body)
		}
		for what, a := range map[string]*answer{"POST": post(me, false), "GET": get(me)} {
			if a.status != http.StatusOK || apitest.Str(a.Data, "me.name") == "" {
				t.Fatalf("the hash alone by %s: %d %s", what, a.status, a.body)
			}
		}
		// A document whose hash is wrong is refused.
		b := `{"query":"{ me { name } }","extensions":` + ext("{ me { id } }") + `}`
		if a := l.send(http.MethodPost, "/graphql", "application/json", e.TokenA, strings.NewReader(b)); len(a.Errors) == 0 || a.Data != nil {
			t.Fatalf("a wrong hash: %d %s", a.status, a.body)
		}
		// Page limits: a page past the limit, and the default page size.
		const big = `{ thirdParties(first: 1000) { totalCount } }`
		post(big, true)
		if a := post(big, false); a.Code() != "BAD_USER_INPUT" || a.Errors[0].Extensions["field"] != "first" {
			t.Fatalf("a persisted page past the limit: %d %s", a.status, a.body)
		}
		for range 25 {
			e.Prospect(e.TokenA, "APQ")
		}
		const page = `{ thirdParties { edges { node { id } } } }`
		post(page, true)
		for what, a := range map[string]*answer{"POST": post(page, false), "GET": get(page)} {
			if n := len(edges(a)); n != server.DefaultPageSize {
				t.Fatalf("a persisted page without first by %s: %d edges, want %d: %.300s", what, n, server.DefaultPageSize, a.body)
			}
		}
		// A mutation persisted by POST is not run by its hash over GET.
		const create = `mutation { createProspect(input: {name: "APQ GET"}) { id } }`
		post(create, true)
		before := e.CountThirdParties(e.TokenA)
		if a := get(create); a.status != http.StatusMethodNotAllowed || a.Code() != "BAD_USER_INPUT" {
			t.Fatalf("a persisted mutation by GET: %d %s", a.status, a.body)
		}
		if n := e.CountThirdParties(e.TokenA); n != before {
			t.Fatalf("a persisted mutation by GET wrote: %d third parties, %d before", n, before)
		}
	})
}

// TestHTTP_CORSPreflightsAllowTheConfiguredHeaders checks preflights: the
// allowed origin may send the default headers (trace context, Apollo's);
// other headers, other origins and a server without origins get nothing;
// scripts may read the request id and Retry-After.
func TestHTTP_CORSPreflightsAllowTheConfiguredHeaders(t *testing.T) {
	d := testdb.Open(t, testdb.Dialects()[0])
	e := apitest.New(t, d)
	const origin = "https://app.example.fr"
	preflight := func(cfg server.Config, origin, headers string) http.Header {
		t.Helper()
		cfg.Client = d.Client
		return httptestRecorder(server.New(cfg), http.MethodOptions, origin, "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", headers)
	}
	withOrigin := server.Config{CORSOrigins: []string{origin}}
	// Browsers send the names in lower case, sorted (Fetch standard).
	h := preflight(withOrigin, origin, "apollo-require-preflight,apollographql-client-name,apollographql-client-version,authorization,content-type,traceparent,tracestate,x-apollo-operation-name")
	if h.Get("Access-Control-Allow-Origin") != origin || !strings.Contains(h.Get("Access-Control-Allow-Headers"), "traceparent") ||
		!strings.Contains(h.Get("Access-Control-Allow-Headers"), "apollographql-client-name") || !strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") {
		t.Fatalf("the default headers from the allowed origin: %v", h)
	}
	if h := preflight(withOrigin, origin, "authorization,x-unknown"); h.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("a header not allowed was allowed: %v", h)
	}
	if h := preflight(withOrigin, "https://evil.example", "authorization"); h.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("another origin was allowed: %v", h)
	}
	if h := preflight(server.Config{}, origin, "authorization"); h.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("a server without origins allowed one: %v", h)
	}
	custom := server.Config{CORSOrigins: []string{"*"}, CORSHeaders: []string{"Authorization", "X-Custom"}}
	if h := preflight(custom, origin, "x-custom"); h.Get("Access-Control-Allow-Origin") == "" {
		t.Fatalf("a configured header was refused: %v", h)
	}
	if h := preflight(custom, origin, "traceparent"); h.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("a header left out of the configured list was allowed: %v", h)
	}
	// The answer itself exposes the request id and Retry-After.
	h = httptestRecorder(server.New(server.Config{Client: d.Client, CORSOrigins: []string{origin}}), http.MethodPost, origin,
		"Authorization", "Bearer "+e.TokenA, "Content-Type", "application/json")
	if exposed := h.Get("Access-Control-Expose-Headers"); h.Get("Access-Control-Allow-Origin") != origin ||
		!strings.Contains(exposed, "X-Request-Id") || !strings.Contains(exposed, "Retry-After") {
		t.Fatalf("a request from the allowed origin: %v", h)
	}
}

// httptestRecorder makes one request to /graphql through h and returns
// the answer's header.
func httptestRecorder(h http.Handler, method, origin string, hdr ...string) http.Header {
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader(`{"query":"{ me { name } }"}`)
	}
	req, _ := http.NewRequest(method, "http://carnet.test/graphql", body)
	req.Header.Set("Origin", origin)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result().Header
}

// edges are the edges of a's thirdParties.
func edges(a *answer) []any {
	l, _ := apitest.Get(a.Data, "thirdParties.edges").([]any)
	return l
}
