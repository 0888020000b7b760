package addressbook_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/testdb"
)

// errorsOf gathers a response's errors into one error.
func errorsOf(r *apitest.Result) error {
	var out []error
	for _, e := range r.Errors {
		out = append(out, fmt.Errorf("%s %v", e.Message, e.Extensions))
	}
	return errors.Join(out...)
}

// wantFields checks that r failed with one BAD_USER_INPUT error per field,
// in that order.
func wantFields(t *testing.T, r *apitest.Result, fields ...string) {
	t.Helper()
	var got []string
	for _, e := range r.Errors {
		if e.Extensions["code"] != "BAD_USER_INPUT" {
			t.Fatalf("want BAD_USER_INPUT errors, got %+v", r.Errors)
		}
		f, _ := e.Extensions["field"].(string)
		got = append(got, f)
	}
	if !slices.Equal(got, fields) {
		t.Fatalf("errors on %v, want %v (%+v)", got, fields, r.Errors)
	}
}

// Every invalid field of an input is reported at once, one error each,
// before SIRENE is asked anything, and nothing is written.
func TestEveryInvalidFieldIsReportedAtOnce(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		f := apitest.NewFakeSirene(t)
		e.ConfigureSirene(e.TokenA, f)
		e.OK(e.TokenA, `mutation { defineCustomField(input: {target: PROSPECT, key: "secteur", label: "Secteur", type: TEXT, required: true}) { id } }`, nil)
		before := e.Snapshot()

		r := e.Do(e.TokenA, `mutation($in: CreateProspectInput!) { createProspect(input: $in) { id } }`, map[string]any{"in": map[string]any{
			"name": "", "siret": "20000982700037", "email": "pas une adresse", "phone": "12", "website": "ftp://x"}})
		wantFields(t, r, "email", "phone", "website", "customFields.secteur")
		if n := f.Calls.Load(); n != 0 {
			t.Fatalf("SIRENE called %d times for an invalid input", n)
		}
		// Without an identifier to look up, a blank name is one more.
		r = e.Do(e.TokenA, `mutation($in: CreateProspectInput!) { createProspect(input: $in) { id } }`, map[string]any{"in": map[string]any{
			"name": " ", "siren": "123", "customFields": []any{map[string]any{"key": "secteur", "value": "BTP"}, map[string]any{"key": "inconnu", "value": "x"}}}})
		wantFields(t, r, "name", "siren", "customFields.inconnu")
		if after := e.Snapshot(); after != before {
			t.Fatal("an invalid createProspect wrote something")
		}

		tp := apitest.Str(e.OK(e.TokenA, `mutation { createProspect(input: {name: "Valide", customFields: [{key: "secteur", value: "BTP"}]}) { id } }`, nil), "createProspect.id")
		contact := e.Contact(e.TokenA, tp, "Martin")
		before = e.Snapshot()
		r = e.Do(e.TokenA, `mutation($id: ID!, $in: UpdateThirdPartyInput!) { updateThirdParty(id: $id, expectedVersion: 1, input: $in) { id } }`, map[string]any{"id": tp, "in": map[string]any{
			"name": "", "vatNumber": "XX", "address": map[string]any{"country": "ZZ"}, "customFields": []any{map[string]any{"key": "secteur", "value": nil}}}})
		wantFields(t, r, "name", "vatNumber", "address.country", "customFields.secteur")
		r = e.Do(e.TokenA, `mutation($in: CreateContactInput!) { createContact(input: $in) { id } }`, map[string]any{"in": map[string]any{
			"thirdPartyId": tp, "lastName": "Durand", "email": "@", "directLine": "abc", "mobile": "0"}})
		wantFields(t, r, "directLine", "mobile", "email")
		r = e.Do(e.TokenA, `mutation($id: ID!, $in: UpdateContactInput!) { updateContact(id: $id, expectedVersion: 1, input: $in) { id } }`, map[string]any{"id": contact, "in": map[string]any{
			"lastName": nil, "mobile": "abc", "email": "x@"}})
		wantFields(t, r, "lastName", "mobile", "email")
		if after := e.Snapshot(); after != before {
			t.Fatal("an invalid update wrote something")
		}
		if n := f.Calls.Load(); n != 0 {
			t.Fatalf("SIRENE called %d times", n)
		}
	})
}
