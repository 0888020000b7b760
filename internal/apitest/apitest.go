// Package apitest is the harness of Carnet's end-to-end tests: a real
// server (internal/server) over a test database (internal/testdb) with two
// organisations, GraphQL documents posted to it over HTTP as a client
// would, and helpers to create records and read the answers. Each
// domain's tests import it from their external test package
// (package links_test beside internal/links, for example).
package apitest

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
	"time"

	"carnet/ent"
	"carnet/internal/admin"
	"carnet/internal/db"
	"carnet/internal/documents"
	"carnet/internal/server"
	"carnet/internal/sirene"
)

// Env is a running Carnet with two organisations, A and B, and the
// test it reports to.
type Env struct {
	T      testing.TB
	DB     *db.DB
	Server *httptest.Server
	A, B   *admin.Bootstrap
	TokenA string           // administrator of A: every right
	TokenB string           // administrator of B: every right
	Store  *documents.Store // documents, limited to 1 MiB
	// Header is sent with every request of Do (e.g. Accept-Language: en;
	// without it, labels and messages are in the organisation's
	// language, French by default).
	Header http.Header
}

// New starts a server on d for the duration of the test, with the
// organisations A and B and a document store of 1 MiB per file.
func New(t testing.TB, d *db.DB) *Env {
	t.Helper()
	return NewWith(t, d, nil)
}

// NewWithAuthCache is New with the token cache on, entries kept for ttl at
// most, as `carnet serve` runs by default (on PostgreSQL it listens until
// the test ends).
func NewWithAuthCache(t testing.TB, d *db.DB, ttl time.Duration) *Env {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	cache, err := server.NewAuthCache(ctx, d, ttl, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return NewWith(t, d, func(c *server.Config) { c.AuthCache = cache })
}

// NewWith is New with the server's configuration changed by configure
// (limits, deadlines) before it starts.
func NewWith(t testing.TB, d *db.DB, configure func(*server.Config)) *Env {
	t.Helper()
	ctx := context.Background()
	e := withOrganisations(t, d)
	store, err := documents.Open(ctx, "file://"+filepath.ToSlash(t.TempDir())+"?create_dir=true&no_tmp_dir=true", 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	e.Store = store
	cfg := server.Config{
		Client: d.Client, Ping: d.SQL.PingContext, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Documents: store,
		Sirene: sirene.NewProvider(sirene.Config{}),
	}
	if configure != nil {
		configure(&cfg)
	}
	e.Server = httptest.NewServer(server.New(cfg))
	t.Cleanup(e.Server.Close)
	return e
}

// withOrganisations creates the organisations A and B in d, with their
// administrators' tokens, for an Env that has no server yet.
func withOrganisations(t testing.TB, d *db.DB) *Env {
	t.Helper()
	ctx := context.Background()
	e := &Env{T: t, DB: d, Header: http.Header{}}
	err := db.WithTx(ctx, d.Client, func(tx *ent.Client) error {
		var err error
		if e.A, err = admin.CreateOrganisation(ctx, tx, "Alpha", "admin@alpha.example"); err != nil {
			return err
		}
		e.B, err = admin.CreateOrganisation(ctx, tx, "Bêta", "admin@beta.example")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	e.TokenA, e.TokenB = e.A.Token, e.B.Token
	return e
}

// Error is one error of a GraphQL response.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Result is a GraphQL response and its HTTP status.
type Result struct {
	Status     int
	Data       map[string]any `json:"data"`
	Errors     []Error        `json:"errors"`
	Extensions map[string]any `json:"extensions"`
}

// Code returns the extensions.code of the first error, or "".
func (r *Result) Code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// Field returns the extensions.field of the first error, or "".
func (r *Result) Field() string {
	if len(r.Errors) == 0 {
		return ""
	}
	f, _ := r.Errors[0].Extensions["field"].(string)
	return f
}

// Do posts a GraphQL document with a bearer token.
func (e *Env) Do(token, query string, vars map[string]any) *Result {
	e.T.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, e.Server.URL+"/graphql", bytes.NewReader(body))
	for k, vs := range e.Header {
		req.Header[k] = vs
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.T.Fatal(err)
	}
	defer resp.Body.Close()
	r := &Result{Status: resp.StatusCode}
	if err := json.NewDecoder(resp.Body).Decode(r); err != nil {
		e.T.Fatalf("decode response (status %d): %v", resp.StatusCode, err)
	}
	return r
}

// OK posts a document and fails the test on any error.
func (e *Env) OK(token, query string, vars map[string]any) map[string]any {
	e.T.Helper()
	r := e.Do(token, query, vars)
	if len(r.Errors) > 0 {
		e.T.Fatalf("unexpected errors: %+v", r.Errors)
	}
	return r.Data
}

// Fail posts a document and checks that it fails with code (and field
// when given).
func (e *Env) Fail(token, query string, vars map[string]any, code string, field ...string) *Result {
	e.T.Helper()
	r := e.Do(token, query, vars)
	if r.Code() != code {
		e.T.Fatalf("want error %s, got %+v (data %v)", code, r.Errors, r.Data)
	}
	if len(field) > 0 && r.Field() != field[0] {
		e.T.Fatalf("want field %q, got %q (%s)", field[0], r.Field(), r.Errors[0].Message)
	}
	return r
}

// Get walks a decoded JSON value by keys and indexes ("a.b.0.c").
func Get(v any, path string) any {
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

// Str is get as a string.
func Str(v any, path string) string {
	s, _ := Get(v, path).(string)
	return s
}

// User creates a user of A with rights and returns its token.
func (e *Env) User(token, email string, rights ...int) string {
	e.T.Helper()
	me := e.OK(token, `{ me { company { id } } }`, nil)
	u := e.OK(token, `mutation($in: CreateUserInput!) { createUser(input: $in) { id } }`, map[string]any{
		"in": map[string]any{"email": email, "name": email, "companyId": Str(me, "me.company.id"), "rights": rights},
	})
	t := e.OK(token, `mutation($id: ID!) { createToken(userId: $id, name: "test") { token } }`, map[string]any{"id": Str(u, "createUser.id")})
	return Str(t, "createToken.token")
}

// CreateProspect creates a prospect and selects its fields.
const CreateProspect = `mutation($in: CreateProspectInput!) { createProspect(input: $in) { id kind status version name siren siret vatNumber phone email address { line1 postalCode city country } } }`

// Prospect creates a prospect named name in the organisation of token.
func (e *Env) Prospect(token, name string) string {
	e.T.Helper()
	d := e.OK(token, CreateProspect, map[string]any{"in": map[string]any{"name": name}})
	return Str(d, "createProspect.id")
}
