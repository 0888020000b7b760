package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"carnet/ent"
	"carnet/internal/admin"
	"carnet/internal/db"
	"carnet/internal/server"
	"carnet/internal/testdb"
)

func TestProduction_IntrospectionIsRefusedWithForbidden(t *testing.T) {
	d := testdb.Open(t, testdb.Dialects()[0])
	ctx := context.Background()
	var org *admin.Bootstrap
	err := db.WithTx(ctx, d.Client, func(tx *ent.Client) (err error) {
		org, err = admin.CreateOrganisation(ctx, tx, "Alpha", "admin@alpha.example")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	srv := httptest.NewServer(server.New(server.Config{Client: d.Client, Production: true,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))}))
	defer srv.Close()
	ask := func(query string) (data map[string]any, codes []string, messages []string) {
		t.Helper()
		body, _ := json.Marshal(map[string]string{"query": query})
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+org.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var r struct {
			Data   map[string]any `json:"data"`
			Errors []struct {
				Message    string         `json:"message"`
				Extensions map[string]any `json:"extensions"`
			} `json:"errors"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
			t.Fatal(err)
		}
		for _, e := range r.Errors {
			c, _ := e.Extensions["code"].(string)
			codes, messages = append(codes, c), append(messages, e.Message)
		}
		return r.Data, codes, messages
	}
	for _, q := range []string{
		`{ __schema { types { name } } }`,
		`{ me { name } __type(name: "User") { name } }`,
		`query { ...Types } fragment Types on Query { __schema { queryType { name } } }`,
		`query { ... on Query { __type(name: "User") { fields { name } } } }`,
	} {
		data, codes, messages := ask(q)
		if len(codes) != 1 || codes[0] != "FORBIDDEN" || data != nil {
			t.Fatalf("%s: codes %v, data %v, want one FORBIDDEN and no data", q, codes, data)
		}
		if !strings.Contains(messages[0], "introspection") || !strings.Contains(messages[0], "production") {
			t.Fatalf("%s: message %q does not say introspection is off in production", q, messages[0])
		}
	}
	// __typename is no introspection: clients add it everywhere.
	if data, codes, _ := ask(`{ __typename me { __typename name } }`); len(codes) != 0 || data["__typename"] != "Query" {
		t.Fatalf("__typename in production: codes %v, data %v", codes, data)
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Fatalf("a refused introspection logged an error:\n%s", logs.String())
	}
}
