package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"carnet/ent"
	"carnet/internal/admin"
	"carnet/internal/db"
	"carnet/internal/documents"
	"carnet/internal/server"
	"carnet/internal/sirene"
)

// env is a running Carnet with two organisations, A and B.
type env struct {
	t      *testing.T
	db     *db.DB
	srv    *httptest.Server
	a, b   *admin.Bootstrap
	tokenA string           // administrator of A: every right
	tokenB string           // administrator of B: every right
	store  *documents.Store // documents, limited to 1 MiB
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{t: t, db: d}
	err := db.WithTx(ctx, d.Client, func(tx *ent.Client) error {
		var err error
		if e.a, err = admin.CreateOrganisation(ctx, tx, "Alpha", "admin@alpha.example"); err != nil {
			return err
		}
		e.b, err = admin.CreateOrganisation(ctx, tx, "Bêta", "admin@beta.example")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	e.tokenA, e.tokenB = e.a.Token, e.b.Token
	store, err := documents.Open(ctx, "file://"+filepath.ToSlash(t.TempDir())+"?create_dir=true&no_tmp_dir=true", 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	e.store = store
	e.srv = httptest.NewServer(server.New(server.Config{
		Client: d.Client, Ping: d.SQL.PingContext, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Documents: store,
		Sirene: sirene.NewProvider(sirene.Config{}),
	}))
	t.Cleanup(e.srv.Close)
	return e
}

// gqlError is one error of a GraphQL response.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// result is a GraphQL response.
type result struct {
	Status int
	Data   map[string]any `json:"data"`
	Errors []gqlError     `json:"errors"`
}

// code returns the extensions.code of the first error, or "".
func (r *result) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// field returns the extensions.field of the first error, or "".
func (r *result) field() string {
	if len(r.Errors) == 0 {
		return ""
	}
	f, _ := r.Errors[0].Extensions["field"].(string)
	return f
}

// do posts a GraphQL document with a bearer token.
func (e *env) do(token, query string, vars map[string]any) *result {
	e.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	r := &result{Status: resp.StatusCode}
	if err := json.NewDecoder(resp.Body).Decode(r); err != nil {
		e.t.Fatalf("decode response (status %d): %v", resp.StatusCode, err)
	}
	return r
}

// ok posts a document and fails the test on any error.
func (e *env) ok(token, query string, vars map[string]any) map[string]any {
	e.t.Helper()
	r := e.do(token, query, vars)
	if len(r.Errors) > 0 {
		e.t.Fatalf("unexpected errors: %+v", r.Errors)
	}
	return r.Data
}

// fail posts a document and checks that it fails with code (and field
// when given).
func (e *env) fail(token, query string, vars map[string]any, code string, field ...string) *result {
	e.t.Helper()
	r := e.do(token, query, vars)
	if r.code() != code {
		e.t.Fatalf("want error %s, got %+v (data %v)", code, r.Errors, r.Data)
	}
	if len(field) > 0 && r.field() != field[0] {
		e.t.Fatalf("want field %q, got %q (%s)", field[0], r.field(), r.Errors[0].Message)
	}
	return r
}

// get walks a decoded JSON value by keys and indexes ("a.b.0.c").
func get(v any, path string) any {
	for _, k := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			i := 0
			for _, c := range k {
				i = i*10 + int(c-'0')
			}
			if i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// str is get as a string.
func str(v any, path string) string {
	s, _ := get(v, path).(string)
	return s
}

// user creates a user of A with rights and returns its token.
func (e *env) user(token, email string, rights ...int) string {
	e.t.Helper()
	me := e.ok(token, `{ me { company { id } } }`, nil)
	u := e.ok(token, `mutation($in: CreateUserInput!) { createUser(input: $in) { id } }`, map[string]any{
		"in": map[string]any{"email": email, "name": email, "companyId": str(me, "me.company.id"), "rights": rights},
	})
	t := e.ok(token, `mutation($id: ID!) { createToken(userId: $id, name: "test") { token } }`, map[string]any{"id": str(u, "createUser.id")})
	return str(t, "createToken.token")
}

const createProspect = `mutation($in: CreateProspectInput!) { createProspect(input: $in) { id kind status version name siren siret vatNumber phone email address { line1 postalCode city country } } }`

// prospect creates a prospect named name in the organisation of token.
func (e *env) prospect(token, name string) string {
	e.t.Helper()
	d := e.ok(token, createProspect, map[string]any{"in": map[string]any{"name": name}})
	return str(d, "createProspect.id")
}
