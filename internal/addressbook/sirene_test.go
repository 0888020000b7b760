package addressbook_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/testdb"
)

func TestSirene_LookupSendsTheKeyAndMapsTheAnswer(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		f := apitest.NewFakeSirene(t)
		e.Fail(e.TokenA, `{ sireneLookup(identifier: "20000982700037") { name } }`, nil, "FEATURE_DISABLED")
		e.ConfigureSirene(e.TokenA, f)
		got := e.OK(e.TokenA, `{ sireneLookup(identifier: "200 009 827 00037") { siren siret name legalName apeCode active address { line1 postalCode city country } } }`, nil)
		c := apitest.Get(got, "sireneLookup")
		if apitest.Str(c, "siren") != "200009827" || apitest.Str(c, "siret") != "20000982700037" || apitest.Str(c, "apeCode") != "38.21Z" ||
			!strings.Contains(apitest.Str(c, "name"), "DECHETS DE CORSE") || apitest.Get(c, "active") != true ||
			apitest.Str(c, "address.postalCode") != "20250" || apitest.Str(c, "address.city") != "CORTE" || apitest.Str(c, "address.country") != "FR" {
			t.Fatalf("lookup: %v", c)
		}
		if f.Paths[0] != "/siret/20000982700037" || f.Keys[0] != apitest.SireneKey {
			t.Fatalf("request: path %s key %q", f.Paths[0], f.Keys[0])
		}
		// A wrong checksum costs no request.
		before := f.Calls.Load()
		e.Fail(e.TokenA, `{ sireneLookup(identifier: "20000982700038") { name } }`, nil, "BAD_USER_INPUT")
		e.Fail(e.TokenA, `{ sireneLookup(identifier: "73282932000074") { name } }`, nil, "SIRENE_NOT_FOUND")
		e.Fail(e.TokenA, `{ sireneLookup(identifier: "44306184100047") { name } }`, nil, "FORBIDDEN")
		if f.Calls.Load() != before+2 {
			t.Fatalf("calls: %d, want %d", f.Calls.Load(), before+2)
		}
		// The key is never readable back, and another organisation is not configured.
		r := e.Do(e.TokenA, `{ me { organisation { sireneConfigured apiKey } } }`, nil)
		if r.Code() != "BAD_USER_INPUT" {
			t.Fatalf("apiKey should not exist in the schema: %+v", r)
		}
		e.Fail(e.TokenB, `{ sireneLookup(identifier: "20000982700037") { name } }`, nil, "FEATURE_DISABLED")
	})
}

func TestSirene_CreateProspectFillsOnlyWhatTheUserLeftEmpty(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		f := apitest.NewFakeSirene(t)
		e.ConfigureSirene(e.TokenA, f)
		const q = `mutation($in: CreateProspectInput!) { createProspect(input: $in) { name legalName siren siret apeCode vatNumber address { line1 postalCode city } } }`
		r := e.Do(e.TokenA, q, map[string]any{"in": map[string]any{"name": "Mon nom à moi", "siret": "20000982700037", "address": map[string]any{"city": "Bastia"}}})
		if len(r.Errors) > 0 {
			t.Fatal(r.Errors)
		}
		p := apitest.Get(r.Data, "createProspect")
		if apitest.Str(p, "name") != "Mon nom à moi" || apitest.Str(p, "address.city") != "Bastia" {
			t.Fatalf("the user's values must win: %v", p)
		}
		if apitest.Str(p, "apeCode") != "38.21Z" || apitest.Str(p, "siren") != "200009827" ||
			apitest.Str(p, "vatNumber") == "" || !strings.Contains(apitest.Str(p, "legalName"), "CORSE") {
			t.Fatalf("empty fields not filled: %v", p)
		}
		// The address is one field: a typed city keeps the register's
		// street and postal code out.
		if apitest.Get(p, "address.postalCode") != nil || apitest.Get(p, "address.line1") != nil {
			t.Fatalf("a register address mixed with a typed city: %v", p)
		}
		// A blank name is filled too.
		p = e.OK(e.TokenA, q, map[string]any{"in": map[string]any{"name": " ", "siren": "200009827"}})
		if apitest.Str(p, "createProspect.name") != "ELLISPHERE" || apitest.Str(p, "createProspect.apeCode") != "82.91Z" || apitest.Get(p, "createProspect.address") != nil {
			t.Fatalf("name from SIREN: %v", p)
		}
	})
}

// An establishment abroad in a country without a known ISO code: the
// prospect is created and filled, without the address (neither French
// nor a country the API refuses).
func TestSirene_AForeignAddressWithoutAnISOCodeIsLeftOut(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		f := apitest.NewFakeSirene(t)
		f.Foreign.Store(true)
		e.ConfigureSirene(e.TokenA, f)
		if c := e.OK(e.TokenA, `{ sireneLookup(identifier: "20000982700037") { address { country } } }`, nil); apitest.Str(c, "sireneLookup.address.country") != "PEROU" {
			t.Fatalf("the fake does not serve Peru: %v", c)
		}
		const q = `mutation($in: CreateProspectInput!) { createProspect(input: $in) { id name apeCode address { city country } } }`
		p := e.OK(e.TokenA, q, map[string]any{"in": map[string]any{"name": "", "siret": "20000982700037"}})
		if apitest.Str(p, "createProspect.apeCode") != "38.21Z" || apitest.Get(p, "createProspect.address") != nil {
			t.Fatalf("prospect from a foreign SIRET: %v", p)
		}
		e.OK(e.TokenA, `mutation($id: ID!) { updateThirdPartyFromSirene(id: $id) { id } }`, map[string]any{"id": apitest.Str(p, "createProspect.id")})
		got := e.OK(e.TokenA, `query($id: ID!) { node(id: $id) { ... on ThirdParty { address { country } } } }`, map[string]any{"id": apitest.Str(p, "createProspect.id")})
		if apitest.Get(got, "node.address") != nil {
			t.Fatalf("update from SIRENE stored a foreign address: %v", got)
		}
	})
}

func TestSirene_CreateProspectSucceedsWithAWarningWhenSireneIsDown(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		f := apitest.NewFakeSirene(t)
		e.ConfigureSirene(e.TokenA, f)
		f.Down.Store(true)
		body := rawBody(e, e.TokenA, `mutation { createProspect(input: {name: "Sans SIRENE", siret: "20000982700037"}) { name apeCode } }`, nil)
		if !strings.Contains(body, `"name":"Sans SIRENE"`) || !strings.Contains(body, `"apeCode":null`) ||
			!strings.Contains(body, `"warnings":[{"code":"SIRENE_UNAVAILABLE"`) {
			t.Fatalf("want the prospect created with a warning, got %s", body)
		}
		// Without a name and without SIRENE, the name is missing.
		e.Fail(e.TokenA, `mutation { createProspect(input: {name: "", siret: "20000982700037"}) { name } }`, nil, "BAD_USER_INPUT", "name")
	})
}

func TestSirene_UpdateFromSireneFillsEmptyFieldsOnlyAndReportsThem(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		f := apitest.NewFakeSirene(t)
		id := apitest.Str(e.OK(e.TokenA, apitest.CreateProspect, map[string]any{"in": map[string]any{
			"name": "Déchets Corses", "siret": "20000982700037", "address": map[string]any{"line1": "  "}}}), "createProspect.id")
		const upd = `mutation($id: ID!) { updateThirdPartyFromSirene(id: $id) { name legalName apeCode version address { postalCode city } } }`
		e.Fail(e.TokenA, upd, map[string]any{"id": id}, "FEATURE_DISABLED")
		e.ConfigureSirene(e.TokenA, f)
		body := rawBody(e, e.TokenA, upd, map[string]any{"id": id})
		if !strings.Contains(body, `"name":"Déchets Corses"`) || !strings.Contains(body, `"apeCode":"38.21Z"`) ||
			!strings.Contains(body, `"city":"CORTE"`) {
			t.Fatalf("update from SIRENE: %s", body)
		}
		if !strings.Contains(body, `"sireneFilled":[`) || !strings.Contains(body, `"apeCode"`) || strings.Contains(body, `"sireneFilled":["name"`) {
			t.Fatalf("filled fields not reported (or name overwritten): %s", body)
		}
		// Nothing left to fill: nothing changes.
		body = rawBody(e, e.TokenA, upd, map[string]any{"id": id})
		if !strings.Contains(body, `"sireneFilled":[]`) {
			t.Fatalf("second update: %s", body)
		}
		// Errors write nothing (a SIRET never looked up: answers are cached).
		f.Down.Store(true)
		other := apitest.Str(e.OK(e.TokenA, apitest.CreateProspect, map[string]any{"in": map[string]any{"name": "X", "siret": "73282932000074"}}), "createProspect.id")
		e.Fail(e.TokenA, upd, map[string]any{"id": other}, "SIRENE_UNAVAILABLE")
		n := e.OK(e.TokenA, `query($id: ID!) { node(id: $id) { ... on ThirdParty { apeCode version } } }`, map[string]any{"id": other})
		if apitest.Get(n, "node.apeCode") != nil {
			t.Fatalf("written despite the error: %v", n)
		}
		noIdentifier := e.Prospect(e.TokenA, "Sans identifiant")
		e.Fail(e.TokenA, upd, map[string]any{"id": noIdentifier}, "BAD_USER_INPUT")
	})
}

// rawBody posts a document and returns the response body as text (to see
// extensions).
func rawBody(e *apitest.Env, token, query string, vars map[string]any) string {
	e.T.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, e.Server.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.T.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
