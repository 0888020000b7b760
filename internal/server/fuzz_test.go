package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"carnet/ent"
	"carnet/internal/admin"
	"carnet/internal/db"
	"carnet/internal/server"
	"carnet/internal/testdb"
)

// FuzzRequestBody sends arbitrary bodies to /graphql as JSON POSTs with a
// valid token: whatever the body, the answer is never a server error, is
// JSON, and each error carries a code of the API.
//
//	go test -run=^$ -fuzz=FuzzRequestBody ./internal/server/
func FuzzRequestBody(f *testing.F) {
	d := testdb.Open(f, "sqlite3")
	ctx := context.Background()
	var boot *admin.Bootstrap
	if err := db.WithTx(ctx, d.Client, func(tx *ent.Client) error {
		var err error
		boot, err = admin.CreateOrganisation(ctx, tx, "Fuzz", "admin@fuzz.example")
		return err
	}); err != nil {
		f.Fatal(err)
	}
	h := server.New(server.Config{Client: d.Client, Ping: d.SQL.PingContext, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	codes := map[string]bool{}
	for _, c := range []string{"BAD_USER_INPUT", "UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "CONFLICT",
		"QUERY_TOO_COMPLEX", "RATE_LIMITED", "FEATURE_DISABLED", "INTERNAL", "GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED",
		"SIRENE_UNAVAILABLE", "SIRENE_NOT_FOUND", "SIRENE_NOT_CONFIGURED"} {
		codes[c] = true
	}
	for _, seed := range []string{
		`{"query": "{ me { name } }"}`,
		`{"query": "{ me { name } }"`,
		`{bad`,
		`[{"query": "{ me { name } }"}]`,
		`{"query": "query($q: String!) { search(query: $q) { label } }", "variables": {"q": "%_\\'\u0000"}}`,
		`{"query": "{ thirdParties(first: 1000) { totalCount } }"}`,
		`{"query": 12}`,
		`{"query": "mutation { createProspect(input: {name: \"\"}) { id } }"}`,
		`null`,
		``,
		`{"query": "{ __schema { types { name } } }", "operationName": "x"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+boot.Token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
		var resp struct {
			Errors []struct {
				Message    string         `json:"message"`
				Extensions map[string]any `json:"extensions"`
			} `json:"errors"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
			t.Fatalf("status %d, answer is not JSON for %q: %v: %s", rec.Code, body, err, rec.Body)
		}
		for _, e := range resp.Errors {
			if c, _ := e.Extensions["code"].(string); !codes[c] {
				t.Fatalf("error without an API code for %q: %+v", body, e)
			}
		}
	})
}
