package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"carnet/internal/db"
	"carnet/internal/sirene"
	"carnet/internal/testdb"
)

// fakeSirene serves the SIRENE fixtures with the real statuses; down
// makes every answer a 503.
type fakeSirene struct {
	*httptest.Server
	calls atomic.Int64
	mu    sync.Mutex
	paths []string
	keys  []string
	// traceparents are the W3C traceparent headers received, when any.
	traceparents []string
	down         atomic.Bool
	// foreign serves the company's establishment in a country INSEE
	// names without a code Carnet knows (Peru).
	foreign atomic.Bool
}

const sireneKey = "test-key-123"

func newFakeSirene(t *testing.T) *fakeSirene {
	t.Helper()
	sirene.SetRateLimit(6000, 100)
	f := &fakeSirene{}
	fixture := func(name string) []byte {
		b, err := os.ReadFile("../sirene/testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.calls.Add(1)
		f.mu.Lock()
		f.paths = append(f.paths, r.URL.Path)
		f.keys = append(f.keys, r.Header.Get("X-INSEE-Api-Key-Integration"))
		if tp := r.Header.Get("Traceparent"); tp != "" {
			f.traceparents = append(f.traceparents, tp)
		}
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if f.down.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		switch r.URL.Path {
		case "/siret/20000982700037":
			b := fixture("siret_company.json")
			if f.foreign.Load() {
				b = bytes.Replace(b, []byte(`"codePaysEtrangerEtablissement": null`), []byte(`"codePaysEtrangerEtablissement": "99420"`), 1)
				b = bytes.Replace(b, []byte(`"libellePaysEtrangerEtablissement": null`), []byte(`"libellePaysEtrangerEtablissement": "PEROU"`), 1)
				b = bytes.Replace(b, []byte(`"libelleCommuneEtrangerEtablissement": null`), []byte(`"libelleCommuneEtrangerEtablissement": "LIMA"`), 1)
			}
			_, _ = w.Write(b)
		case "/siren/200009827":
			_, _ = w.Write(fixture("siren_company_periodes.json"))
		case "/siret/44306184100047":
			w.WriteHeader(http.StatusForbidden)
		default:
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write(fixture("error_404.json"))
		}
	}))
	t.Cleanup(f.Close)
	return f
}

func (e *env) configureSirene(token string, f *fakeSirene) {
	e.t.Helper()
	e.ok(token, `mutation($u: String!, $k: String!) { configureSirene(input: {enabled: true, baseUrl: $u, apiKey: $k}) { sireneConfigured } }`,
		map[string]any{"u": f.URL, "k": sireneKey})
}

func TestSirene_LookupSendsTheKeyAndMapsTheAnswer(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		f := newFakeSirene(t)
		e.fail(e.tokenA, `{ sireneLookup(identifier: "20000982700037") { name } }`, nil, "FEATURE_DISABLED")
		e.configureSirene(e.tokenA, f)
		got := e.ok(e.tokenA, `{ sireneLookup(identifier: "200 009 827 00037") { siren siret name legalName apeCode active address { line1 postalCode city country } } }`, nil)
		c := get(got, "sireneLookup")
		if str(c, "siren") != "200009827" || str(c, "siret") != "20000982700037" || str(c, "apeCode") != "38.21Z" ||
			!strings.Contains(str(c, "name"), "DECHETS DE CORSE") || get(c, "active") != true ||
			str(c, "address.postalCode") != "20250" || str(c, "address.city") != "CORTE" || str(c, "address.country") != "FR" {
			t.Fatalf("lookup: %v", c)
		}
		if f.paths[0] != "/siret/20000982700037" || f.keys[0] != sireneKey {
			t.Fatalf("request: path %s key %q", f.paths[0], f.keys[0])
		}
		// A wrong checksum costs no request.
		before := f.calls.Load()
		e.fail(e.tokenA, `{ sireneLookup(identifier: "20000982700038") { name } }`, nil, "BAD_USER_INPUT")
		e.fail(e.tokenA, `{ sireneLookup(identifier: "73282932000074") { name } }`, nil, "SIRENE_NOT_FOUND")
		e.fail(e.tokenA, `{ sireneLookup(identifier: "44306184100047") { name } }`, nil, "FORBIDDEN")
		if f.calls.Load() != before+2 {
			t.Fatalf("calls: %d, want %d", f.calls.Load(), before+2)
		}
		// The key is never readable back, and another organisation is not configured.
		r := e.do(e.tokenA, `{ me { organisation { sireneConfigured apiKey } } }`, nil)
		if r.code() != "BAD_USER_INPUT" {
			t.Fatalf("apiKey should not exist in the schema: %+v", r)
		}
		e.fail(e.tokenB, `{ sireneLookup(identifier: "20000982700037") { name } }`, nil, "FEATURE_DISABLED")
	})
}

func TestSirene_CreateProspectFillsOnlyWhatTheUserLeftEmpty(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		f := newFakeSirene(t)
		e.configureSirene(e.tokenA, f)
		const q = `mutation($in: CreateProspectInput!) { createProspect(input: $in) { name legalName siren siret apeCode vatNumber address { line1 postalCode city } } }`
		r := e.do(e.tokenA, q, map[string]any{"in": map[string]any{"name": "Mon nom à moi", "siret": "20000982700037", "address": map[string]any{"city": "Bastia"}}})
		if len(r.Errors) > 0 {
			t.Fatal(r.Errors)
		}
		p := get(r.Data, "createProspect")
		if str(p, "name") != "Mon nom à moi" || str(p, "address.city") != "Bastia" {
			t.Fatalf("the user's values must win: %v", p)
		}
		if str(p, "apeCode") != "38.21Z" || str(p, "siren") != "200009827" || str(p, "address.postalCode") != "20250" ||
			str(p, "vatNumber") == "" || !strings.Contains(str(p, "legalName"), "CORSE") {
			t.Fatalf("empty fields not filled: %v", p)
		}
		// A blank name is filled too.
		p = e.ok(e.tokenA, q, map[string]any{"in": map[string]any{"name": " ", "siren": "200009827"}})
		if str(p, "createProspect.name") != "ELLISPHERE" || str(p, "createProspect.apeCode") != "82.91Z" || get(p, "createProspect.address") != nil {
			t.Fatalf("name from SIREN: %v", p)
		}
	})
}

// An establishment abroad in a country without a known ISO code: the
// prospect is created and filled, without the address (neither French
// nor a country the API refuses).
func TestSirene_AForeignAddressWithoutAnISOCodeIsLeftOut(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		f := newFakeSirene(t)
		f.foreign.Store(true)
		e.configureSirene(e.tokenA, f)
		if c := e.ok(e.tokenA, `{ sireneLookup(identifier: "20000982700037") { address { country } } }`, nil); str(c, "sireneLookup.address.country") != "PEROU" {
			t.Fatalf("the fake does not serve Peru: %v", c)
		}
		const q = `mutation($in: CreateProspectInput!) { createProspect(input: $in) { id name apeCode address { city country } } }`
		p := e.ok(e.tokenA, q, map[string]any{"in": map[string]any{"name": "", "siret": "20000982700037"}})
		if str(p, "createProspect.apeCode") != "38.21Z" || get(p, "createProspect.address") != nil {
			t.Fatalf("prospect from a foreign SIRET: %v", p)
		}
		e.ok(e.tokenA, `mutation($id: ID!) { updateThirdPartyFromSirene(id: $id) { id } }`, map[string]any{"id": str(p, "createProspect.id")})
		got := e.ok(e.tokenA, `query($id: ID!) { node(id: $id) { ... on ThirdParty { address { country } } } }`, map[string]any{"id": str(p, "createProspect.id")})
		if get(got, "node.address") != nil {
			t.Fatalf("update from SIRENE stored a foreign address: %v", got)
		}
	})
}

func TestSirene_CreateProspectSucceedsWithAWarningWhenSireneIsDown(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		f := newFakeSirene(t)
		e.configureSirene(e.tokenA, f)
		f.down.Store(true)
		body := e.rawBody(e.tokenA, `mutation { createProspect(input: {name: "Sans SIRENE", siret: "20000982700037"}) { name apeCode } }`, nil)
		if !strings.Contains(body, `"name":"Sans SIRENE"`) || !strings.Contains(body, `"apeCode":null`) ||
			!strings.Contains(body, `"warnings":[{"code":"SIRENE_UNAVAILABLE"`) {
			t.Fatalf("want the prospect created with a warning, got %s", body)
		}
		// Without a name and without SIRENE, the name is missing.
		e.fail(e.tokenA, `mutation { createProspect(input: {name: "", siret: "20000982700037"}) { name } }`, nil, "BAD_USER_INPUT", "name")
	})
}

func TestSirene_UpdateFromSireneFillsEmptyFieldsOnlyAndReportsThem(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		f := newFakeSirene(t)
		id := str(e.ok(e.tokenA, createProspect, map[string]any{"in": map[string]any{
			"name": "Déchets Corses", "siret": "20000982700037", "address": map[string]any{"line1": "  "}}}), "createProspect.id")
		const upd = `mutation($id: ID!) { updateThirdPartyFromSirene(id: $id) { name legalName apeCode version address { postalCode city } } }`
		e.fail(e.tokenA, upd, map[string]any{"id": id}, "FEATURE_DISABLED")
		e.configureSirene(e.tokenA, f)
		body := e.rawBody(e.tokenA, upd, map[string]any{"id": id})
		if !strings.Contains(body, `"name":"Déchets Corses"`) || !strings.Contains(body, `"apeCode":"38.21Z"`) ||
			!strings.Contains(body, `"city":"CORTE"`) {
			t.Fatalf("update from SIRENE: %s", body)
		}
		if !strings.Contains(body, `"sireneFilled":[`) || !strings.Contains(body, `"apeCode"`) || strings.Contains(body, `"sireneFilled":["name"`) {
			t.Fatalf("filled fields not reported (or name overwritten): %s", body)
		}
		// Nothing left to fill: nothing changes.
		body = e.rawBody(e.tokenA, upd, map[string]any{"id": id})
		if !strings.Contains(body, `"sireneFilled":[]`) {
			t.Fatalf("second update: %s", body)
		}
		// Errors write nothing (a SIRET never looked up: answers are cached).
		f.down.Store(true)
		other := str(e.ok(e.tokenA, createProspect, map[string]any{"in": map[string]any{"name": "X", "siret": "73282932000074"}}), "createProspect.id")
		e.fail(e.tokenA, upd, map[string]any{"id": other}, "SIRENE_UNAVAILABLE")
		n := e.ok(e.tokenA, `query($id: ID!) { node(id: $id) { ... on ThirdParty { apeCode version } } }`, map[string]any{"id": other})
		if get(n, "node.apeCode") != nil {
			t.Fatalf("written despite the error: %v", n)
		}
		noIdentifier := e.prospect(e.tokenA, "Sans identifiant")
		e.fail(e.tokenA, upd, map[string]any{"id": noIdentifier}, "BAD_USER_INPUT")
	})
}

// rawBody posts a document and returns the response body as text (to see
// extensions).
func (e *env) rawBody(token, query string, vars map[string]any) string {
	e.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
