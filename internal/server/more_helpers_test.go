package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// Helpers shared by the end-to-end tests beside addressbook_test.go.

// Rights codes, spelled out as the API sees them (internal/rights).
const (
	rRead      = 100001
	rWrite     = 100002
	rDelete    = 100003
	rIntegrate = 100005
	rAdmin     = 100009
	rValidate  = 191515
	rClosed    = 191516
)

// post is do without testing.T: safe to call from other goroutines.
func (e *env) post(token, query string, vars map[string]any) (*result, error) {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+"/graphql", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	r := &result{Status: resp.StatusCode}
	if err := json.NewDecoder(resp.Body).Decode(r); err != nil {
		return nil, fmt.Errorf("decode response (status %d): %w", resp.StatusCode, err)
	}
	return r, nil
}

// num is get as a number (JSON numbers decode as float64).
func num(v any, path string) float64 {
	f, _ := get(v, path).(float64)
	return f
}

// codes lists the extensions.code of every error of r.
func (r *result) codes() []string {
	var out []string
	for _, e := range r.Errors {
		c, _ := e.Extensions["code"].(string)
		out = append(out, c)
	}
	return out
}

// messages joins the messages of every error of r.
func (r *result) messages() string {
	var out []string
	for _, e := range r.Errors {
		out = append(out, e.Message)
	}
	return strings.Join(out, " | ")
}

// failOneOf checks that a document fails with one of codes.
func (e *env) failOneOf(token, query string, vars map[string]any, codes ...string) *result {
	e.t.Helper()
	r := e.do(token, query, vars)
	if !slices.Contains(codes, r.code()) {
		e.t.Fatalf("want an error among %v, got %+v (data %v)", codes, r.Errors, r.Data)
	}
	return r
}

// userWithID creates a user of the organisation of token (an
// administrator's) and returns its ID and a bearer token of its own.
func (e *env) userWithID(token, email string, rights ...int) (id, secret string) {
	e.t.Helper()
	me := e.ok(token, `{ me { company { id } } }`, nil)
	u := e.ok(token, `mutation($in: CreateUserInput!) { createUser(input: $in) { id } }`, map[string]any{
		"in": map[string]any{"email": email, "name": email, "companyId": str(me, "me.company.id"), "rights": rights},
	})
	id = str(u, "createUser.id")
	t := e.ok(token, `mutation($id: ID!) { createToken(userId: $id, name: "test") { token } }`, map[string]any{"id": id})
	return id, str(t, "createToken.token")
}

// meID returns the ID of the user of token.
func (e *env) meID(token string) string {
	e.t.Helper()
	return str(e.ok(token, `{ me { id } }`, nil), "me.id")
}

// contact creates a contact on third party tp and returns its ID.
func (e *env) contact(token, tp, lastName string) string {
	e.t.Helper()
	d := e.ok(token, `mutation($in: CreateContactInput!) { createContact(input: $in) { id } }`, map[string]any{
		"in": map[string]any{"thirdPartyId": tp, "lastName": lastName},
	})
	return str(d, "createContact.id")
}

const upsertClient = `mutation($in: UpsertClientInput!) { upsertClient(input: $in) { id kind status code name version } }`

// client upserts a client of code through the integration path and
// returns its ID.
func (e *env) client(token, code, name string, closed bool) string {
	e.t.Helper()
	d := e.ok(token, upsertClient, map[string]any{"in": map[string]any{"code": code, "name": name, "closed": closed}})
	return str(d, "upsertClient.id")
}

// countThirdParties returns how many third parties the token sees.
func (e *env) countThirdParties(token string) int {
	e.t.Helper()
	return int(num(e.ok(token, `{ thirdParties { totalCount } }`, nil), "thirdParties.totalCount"))
}

// countContacts returns how many contacts the token sees.
func (e *env) countContacts(token string) int {
	e.t.Helper()
	return int(num(e.ok(token, `{ contacts { totalCount } }`, nil), "contacts.totalCount"))
}

const nodeThirdParty = `query($id: ID!) { node(id: $id) { id ... on ThirdParty { name version status kind email phone website legalName siren siret vatNumber apeCode address { line1 postalCode city country } } } }`

// thirdParty reads a third party by ID with token.
func (e *env) thirdParty(token, id string) map[string]any {
	e.t.Helper()
	n, _ := e.ok(token, nodeThirdParty, map[string]any{"id": id})["node"].(map[string]any)
	if n == nil {
		e.t.Fatalf("third party %s not found", id)
	}
	return n
}

const nodeContact = `query($id: ID!) { node(id: $id) { id ... on Contact { lastName firstName civility jobTitle directLine mobile email version thirdParty { id } } } }`

// contactNode reads a contact by ID with token.
func (e *env) contactNode(token, id string) map[string]any {
	e.t.Helper()
	n, _ := e.ok(token, nodeContact, map[string]any{"id": id})["node"].(map[string]any)
	if n == nil {
		e.t.Fatalf("contact %s not found", id)
	}
	return n
}

// with returns the env reporting to t: subtests use it so that a
// failure stops the subtest, not its parent.
func (e *env) with(t *testing.T) *env {
	c := *e
	c.t = t
	return &c
}
