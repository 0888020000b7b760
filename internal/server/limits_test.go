package server_test

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
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

// introspection is GraphiQL's introspection query (graphql-js), which the
// limits must let through.
const introspection = `query IntrospectionQuery { __schema { queryType { name } mutationType { name } subscriptionType { name }
  types { ...FullType } directives { name description locations args { ...InputValue } } } }
fragment FullType on __Type { kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue } interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason } possibleTypes { ...TypeRef } }
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name
  ofType { kind name ofType { kind name ofType { kind name } } } } } } } }`

// TestLimits_AbusiveOperationsAreRefusedBeforeAnythingRuns replays
// graphql-cop's probes: each is refused with QUERY_TOO_COMPLEX (or as a
// bad request) and the limit is named.
func TestLimits_AbusiveOperationsAreRefusedBeforeAnythingRuns(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		repeat := func(n int, f func(i int) string) string {
			var b strings.Builder
			for i := 0; i < n; i++ {
				b.WriteString(f(i) + " ")
			}
			return b.String()
		}
		circular := "{ __schema { types { " + strings.Repeat("fields { type { ", 6) + "name" + strings.Repeat(" } }", 6) + " } } }"
		for _, tc := range []struct{ name, query, mention string }{
			{"101 aliases", "{ " + repeat(101, func(i int) string { return fmt.Sprintf("a%d: me { name }", i) }) + "}", "30 aliases"},
			{"500 duplicated fields", "{ me { " + repeat(500, func(int) string { return "name" }) + "} }", "400 fields"},
			{"directive overloading", "{ me { " + repeat(25, func(int) string { return "name @include(if: true)" }) + "} }", "20 directives"},
			{"circular introspection", circular, "introspection depth"},
			{"nested pages multiply", `{ thirdParties(first: 100) { edges { node { name contacts(first: 100) { edges { node { lastName firstName email } } } } } } }`, "10000"},
			{"deep relay nesting", `{ contacts(first: 1) { edges { node { thirdParty { contacts(first: 1) { edges { node { thirdParty { contacts(first: 1) { edges { node { thirdParty { name } } } } } } } } } } } } }`, "12 levels"},
		} {
			r := e.Fail(e.TokenA, tc.query, nil, "QUERY_TOO_COMPLEX")
			if !strings.Contains(r.Errors[0].Message, tc.mention) || len(r.Data) > 0 {
				t.Errorf("%s: %q (data %v)", tc.name, r.Errors[0].Message, r.Data)
			}
		}
		// GraphiQL's introspection and ordinary pages pass.
		if got := e.OK(e.TokenA, introspection, nil); apitest.Get(got, "__schema.queryType.name") != "Query" {
			t.Fatalf("introspection: %v", got)
		}
		e.OK(e.TokenA, `{ thirdParties(first: 100) { totalCount edges { node { name contacts(first: 5) { totalCount edges { node { lastName firstName email } } } } } } }`, nil)
	})
}

func TestLimits_BatchesGetMutationsAndFormPostsAreRefused(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		post := func(ct string, body string) (int, string) {
			req, _ := http.NewRequest(http.MethodPost, e.Server.URL+"/graphql", strings.NewReader(body))
			req.Header.Set("Content-Type", ct)
			req.Header.Set("Authorization", "Bearer "+e.TokenA)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}
		status, body := post("application/json", `[{"query":"{ me { name } }"},{"query":"{ me { name } }"}]`)
		if status < 400 || strings.Contains(body, `"name"`) {
			t.Fatalf("array batch: %d %s", status, body)
		}
		status, body = post("application/x-www-form-urlencoded", "query="+url.QueryEscape(`mutation { createProspect(input: {name: "CSRF"}) { id } }`))
		if status != http.StatusUnsupportedMediaType || !strings.Contains(body, "BAD_USER_INPUT") {
			t.Fatalf("url-encoded POST: %d %s", status, body)
		}
		req, _ := http.NewRequest(http.MethodGet, e.Server.URL+"/graphql?query="+url.QueryEscape(`mutation { createProspect(input: {name: "GET"}) { id } }`), nil)
		req.Header.Set("Authorization", "Bearer "+e.TokenA)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode < 400 || strings.Contains(string(b), `"createProspect":{`) {
			t.Fatalf("GET mutation: %d %s", resp.StatusCode, b)
		}
		if n := apitest.Get(e.OK(e.TokenA, `{ thirdParties { totalCount } }`, nil), "thirdParties.totalCount"); n != 0.0 {
			t.Fatalf("a refused request wrote %v third parties", n)
		}
	})
}

func TestLimits_ProductionHidesIntrospectionAndSuggestions(t *testing.T) {
	d := testdb.Open(t, testdb.Dialects()[0])
	e := apitest.New(t, d)
	prod := httptest.NewServer(server.New(server.Config{Client: d.Client, Production: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	defer prod.Close()
	ask := func(query string) string {
		body := fmt.Sprintf(`{"query":%q}`, query)
		req, _ := http.NewRequest(http.MethodPost, prod.URL+"/graphql", bytes.NewBufferString(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+e.TokenA)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	if got := ask(`{ __schema { types { name } } }`); !strings.Contains(got, "errors") || strings.Contains(got, `"types"`) {
		t.Fatalf("introspection in production: %s", got)
	}
	if got := ask(`{ mee { name } }`); strings.Contains(got, "Did you mean") {
		t.Fatalf("suggestions in production: %s", got)
	}
	if got := e.Do(e.TokenA, `{ mee { name } }`, nil); !strings.Contains(got.Errors[0].Message, "Did you mean") {
		t.Fatalf("development should suggest: %v", got.Errors)
	}
}
