package apitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// Helpers about third parties, contacts and users.

// Rights codes, spelled out as the API sees them (internal/rights).
const (
	RightRead      = 100001
	RightWrite     = 100002
	RightDelete    = 100003
	RightIntegrate = 100005
	RightAdmin     = 100009
	RightValidate  = 191515
	RightClosed    = 191516
)

// Post is Do without testing.TB: safe to call from other goroutines.
func (e *Env) Post(token, query string, vars map[string]any) (*Result, error) {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest(http.MethodPost, e.Server.URL+"/graphql", bytes.NewReader(body))
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
	r := &Result{Status: resp.StatusCode}
	if err := json.NewDecoder(resp.Body).Decode(r); err != nil {
		return nil, fmt.Errorf("decode response (status %d): %w", resp.StatusCode, err)
	}
	return r, nil
}

// Num is get as a number (JSON numbers decode as float64).
func Num(v any, path string) float64 {
	f, _ := Get(v, path).(float64)
	return f
}

// Codes lists the extensions.code of every error of r.
func (r *Result) Codes() []string {
	var out []string
	for _, e := range r.Errors {
		c, _ := e.Extensions["code"].(string)
		out = append(out, c)
	}
	return out
}

// Messages joins the messages of every error of r.
func (r *Result) Messages() string {
	var out []string
	for _, e := range r.Errors {
		out = append(out, e.Message)
	}
	return strings.Join(out, " | ")
}

// FailOneOf checks that a document fails with one of codes.
func (e *Env) FailOneOf(token, query string, vars map[string]any, codes ...string) *Result {
	e.T.Helper()
	r := e.Do(token, query, vars)
	if !slices.Contains(codes, r.Code()) {
		e.T.Fatalf("want an error among %v, got %+v (data %v)", codes, r.Errors, r.Data)
	}
	return r
}

// UserWithID creates a user of the organisation of token (an
// administrator's) and returns its ID and a bearer token of its own.
func (e *Env) UserWithID(token, email string, rights ...int) (id, secret string) {
	e.T.Helper()
	me := e.OK(token, `{ me { company { id } } }`, nil)
	u := e.OK(token, `mutation($in: CreateUserInput!) { createUser(input: $in) { id } }`, map[string]any{
		"in": map[string]any{"email": email, "name": email, "companyId": Str(me, "me.company.id"), "rights": rights},
	})
	id = Str(u, "createUser.id")
	t := e.OK(token, `mutation($id: ID!) { createToken(userId: $id, name: "test") { token } }`, map[string]any{"id": id})
	return id, Str(t, "createToken.token")
}

// MeID returns the ID of the user of token.
func (e *Env) MeID(token string) string {
	e.T.Helper()
	return Str(e.OK(token, `{ me { id } }`, nil), "me.id")
}

// Contact creates a contact on third party tp and returns its ID.
func (e *Env) Contact(token, tp, lastName string) string {
	e.T.Helper()
	d := e.OK(token, `mutation($in: CreateContactInput!) { createContact(input: $in) { id } }`, map[string]any{
		"in": map[string]any{"thirdPartyId": tp, "lastName": lastName},
	})
	return Str(d, "createContact.id")
}

// UpsertClient upserts a client by code (the integration path) and
// selects its fields.
const UpsertClient = `mutation($in: UpsertClientInput!) { upsertClient(input: $in) { id kind status code name version } }`

// Client upserts a client of code through the integration path and
// returns its ID.
func (e *Env) Client(token, code, name string, closed bool) string {
	e.T.Helper()
	d := e.OK(token, UpsertClient, map[string]any{"in": map[string]any{"code": code, "name": name, "closed": closed}})
	return Str(d, "upsertClient.id")
}

// CountThirdParties returns how many third parties the token sees.
func (e *Env) CountThirdParties(token string) int {
	e.T.Helper()
	return int(Num(e.OK(token, `{ thirdParties { totalCount } }`, nil), "thirdParties.totalCount"))
}

// CountContacts returns how many contacts the token sees.
func (e *Env) CountContacts(token string) int {
	e.T.Helper()
	return int(Num(e.OK(token, `{ contacts { totalCount } }`, nil), "contacts.totalCount"))
}

const nodeThirdParty = `query($id: ID!) { node(id: $id) { id ... on ThirdParty { name version status kind email phone website legalName siren siret vatNumber apeCode address { line1 postalCode city country } } } }`

// ThirdParty reads a third party by ID with token.
func (e *Env) ThirdParty(token, id string) map[string]any {
	e.T.Helper()
	n, _ := e.OK(token, nodeThirdParty, map[string]any{"id": id})["node"].(map[string]any)
	if n == nil {
		e.T.Fatalf("third party %s not found", id)
	}
	return n
}

const nodeContact = `query($id: ID!) { node(id: $id) { id ... on Contact { lastName firstName civility jobTitle directLine mobile email version thirdParty { id } } } }`

// ContactNode reads a contact by ID with token.
func (e *Env) ContactNode(token, id string) map[string]any {
	e.T.Helper()
	n, _ := e.OK(token, nodeContact, map[string]any{"id": id})["node"].(map[string]any)
	if n == nil {
		e.T.Fatalf("contact %s not found", id)
	}
	return n
}

// With returns the Env reporting to t: subtests use it so that a
// failure stops the subtest, not its parent.
func (e *Env) With(t testing.TB) *Env {
	c := *e
	c.T = t
	return &c
}
