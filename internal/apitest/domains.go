package apitest

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"carnet/internal/gid"
	"carnet/internal/rights"
)

// Helpers that the tests of several domains share: records of one domain
// that another's tests need, and the JSON and rights utilities.

// Activity records an activity on subject with token and returns its ID.
func (e *Env) Activity(token, subject, title string) string {
	e.T.Helper()
	d := e.OK(token, CreateActivity, map[string]any{"in": map[string]any{"subjectId": subject, "type": "NOTE", "subject": title}})
	return Str(d, "createActivity.id")
}

// Opportunity creates an opportunity named name with third party tp.
func (e *Env) Opportunity(token, tp, name string) string {
	e.T.Helper()
	d := e.OK(token, `mutation($in: CreateOpportunityInput!) { createOpportunity(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"name": name, "thirdPartyId": tp}})
	return Str(d, "createOpportunity.id")
}

// Names lists the key field of each element of a JSON list.
func Names(v any, key string) []string {
	var out []string
	l, _ := v.([]any)
	for _, x := range l {
		out = append(out, Str(x, key))
	}
	return out
}

// NewOpportunity creates an opportunity from in and returns it.
func (e *Env) NewOpportunity(token string, in map[string]any) map[string]any {
	e.T.Helper()
	o, _ := e.OK(token, CreateOpportunity, map[string]any{"in": in})["createOpportunity"].(map[string]any)
	return o
}

// AllRightsExcept returns every right of the catalogue but rs.
func AllRightsExcept(rs ...int) []int {
	var out []int
	for _, c := range rights.AllCodes() {
		if !slices.Contains(rs, c) {
			out = append(out, c)
		}
	}
	return out
}

// Snapshot is everything of A an operation could write, as the
// administrator of A sees it (timestamps left out).
func (e *Env) Snapshot() string {
	e.T.Helper()
	d := e.OK(e.TokenA, `{
		thirdParties(first: 100, orderBy: {field: CREATED_AT}) { totalCount edges { node { id kind status version code name email
			customFields { key value } contacts(first: 100) { totalCount } } } }
		contacts(first: 100, orderBy: {field: CREATED_AT}) { totalCount edges { node { id lastName version } } }
		users { email rights tokens { id revokedAt } }
		me { organisation { features companies { name shared } } }
		customFieldDefinitions { key label type required choices }
	}`, nil)
	b, _ := json.Marshal(d)
	return string(b)
}

// MapValues lists the values of m.
func MapValues(m map[string]any) []any {
	var out []any
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// PrintSheet prints a third party with a template, in a format.
const PrintSheet = `mutation($id: ID!, $t: ID!, $f: PrintFormat!, $a: Boolean) {
  printThirdParty(id: $id, templateId: $t, format: $f, attach: $a) { url filename contentType document { id title } } }`

// alphaSecrets are the names of the data of A in the tenancy tests: no answer to B may contain them.
var alphaSecrets = []string{"Secret Alpha Corp", "Zorglub", "Client Alpha Confidentiel", "rep@alpha.example", "alpha_secret", "Alpha"}

// NoSecret fails when the errors of an answer to B mention any name of
// A's data (the tenancy tests' names).
func NoSecret(t testing.TB, r *Result) {
	t.Helper()
	for _, s := range alphaSecrets {
		if strings.Contains(r.Messages(), s) {
			t.Fatalf("error message leaks %q of organisation A: %s", s, r.Messages())
		}
	}
}

// UnknownID is a well-formed ID that names nothing.
func UnknownID(t testing.TB, like string) string {
	t.Helper()
	n, err := gid.Decode(like)
	if err != nil {
		t.Fatal(err)
	}
	return gid.Encode(n + 1000000)
}

// GraphQL documents that the tests of several domains send.
const (
	CreateActivity    = `mutation($in: CreateActivityInput!) { createActivity(input: $in) { id type subject notes date dueDate done author { id } } }`
	CreateCompany     = `mutation($in: CreateCompanyInput!) { createCompany(input: $in) { id name shared } }`
	OpportunityFields = `id name amount currency stage probability expectedSigningDate owner { id } thirdParty { id name } contacts { id lastName thirdParty { id } }`
	CreateOpportunity = `mutation($in: CreateOpportunityInput!) { createOpportunity(input: $in) { ` + OpportunityFields + ` } }`
	UpdateOpportunity = `mutation($id: ID!, $in: UpdateOpportunityInput!) { updateOpportunity(id: $id, input: $in) { ` + OpportunityFields + ` } }`
	DeleteThirdParty  = `mutation($id: ID!) { deleteThirdParty(id: $id) }`
	DeleteContact     = `mutation($id: ID!) { deleteContact(id: $id) }`
	NodeID            = `query($id: ID!) { node(id: $id) { id } }`
)
