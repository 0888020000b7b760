package addressbook_test

import (
	"testing"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/testdb"
)

func TestProspectLifecycle_CreateFindValidateEditDelete(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		created := e.OK(e.TokenA, apitest.CreateProspect, map[string]any{"in": map[string]any{
			"name": "  Établissements Dupond ", "siret": "732 829 320 00074", "phone": "01 23 45 67 89",
			"email": "contact@dupond.fr", "address": map[string]any{"line1": "12 rue des Lilas", "postalCode": "75011", "city": "Paris"},
		}})
		p := apitest.Get(created, "createProspect")
		if apitest.Str(p, "name") != "Établissements Dupond" || apitest.Str(p, "kind") != "PROSPECT" || apitest.Str(p, "status") != "DRAFT" {
			t.Fatalf("created prospect: %v", p)
		}
		if apitest.Str(p, "siren") != "732829320" || apitest.Str(p, "siret") != "73282932000074" || apitest.Str(p, "vatNumber") != "FR44732829320" {
			t.Fatalf("identifiers not normalised and derived: %v", p)
		}
		if apitest.Str(p, "phone") != "+33123456789" || apitest.Str(p, "address.country") != "FR" {
			t.Fatalf("phone/address: %v", p)
		}
		id := apitest.Str(p, "id")

		found := e.OK(e.TokenA, `{ search(query: "dupond") { kind label node { id } } }`, nil)
		if apitest.Str(found, "search.0.node.id") != id {
			t.Fatalf("search did not find the prospect: %v", found)
		}

		v := e.OK(e.TokenA, `mutation($id: ID!) { validateProspect(id: $id) { status version } }`, map[string]any{"id": id})
		if apitest.Str(v, "validateProspect.status") != "VALIDATED" {
			t.Fatalf("validate: %v", v)
		}
		e.Fail(e.TokenA, `mutation($id: ID!) { validateProspect(id: $id) { status } }`, map[string]any{"id": id}, "BAD_USER_INPUT")

		version := apitest.Get(v, "validateProspect.version").(float64)
		upd := e.OK(e.TokenA, `mutation($id: ID!, $v: Int!) { updateThirdParty(id: $id, expectedVersion: $v, input: {website: "www.dupond.fr", email: null}) { version website email name } }`,
			map[string]any{"id": id, "v": version})
		if apitest.Str(upd, "updateThirdParty.website") != "https://www.dupond.fr" || apitest.Get(upd, "updateThirdParty.email") != nil ||
			apitest.Str(upd, "updateThirdParty.name") != "Établissements Dupond" || apitest.Get(upd, "updateThirdParty.version").(float64) != version+1 {
			t.Fatalf("update: %v", upd)
		}

		del := e.OK(e.TokenA, `mutation($id: ID!) { deleteThirdParty(id: $id) }`, map[string]any{"id": id})
		if apitest.Str(del, "deleteThirdParty") != id {
			t.Fatalf("delete: %v", del)
		}
		e.Fail(e.TokenA, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id}, "NOT_FOUND")
	})
}

// An address without a country is French on every path, updates by
// upsertClient included.
func TestUpsertClient_AnAddressWithoutCountryIsFrenchOnUpdateToo(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		q := `mutation($in: UpsertClientInput!) { upsertClient(input: $in) { address { city country } } }`
		for _, city := range []string{"Paris", "Lyon"} {
			r := e.OK(e.TokenA, q, map[string]any{"in": map[string]any{"code": "C1", "name": "Client Un",
				"address": map[string]any{"line1": "1 rue A", "postalCode": "69001", "city": city}}})
			if apitest.Str(r, "upsertClient.address.city") != city || apitest.Str(r, "upsertClient.address.country") != "FR" {
				t.Fatalf("upsert with city %s: %v", city, r)
			}
		}
	})
}

// A French VAT number is its SIREN's: a new SIREN brings its number when
// the stored one was the old SIREN's.
func TestThirdParty_ANewSIRENBringsItsVATNumber(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		p := e.OK(e.TokenA, `mutation { createProspect(input: {name: "Identifié", siren: "732829320"}) { id vatNumber } }`, nil)
		if apitest.Str(p, "createProspect.vatNumber") != "FR44732829320" {
			t.Fatalf("derived VAT: %v", p)
		}
		u := e.OK(e.TokenA, `mutation($id: ID!) { updateThirdParty(id: $id, expectedVersion: 1, input: {siren: "552100554"}) { siren vatNumber } }`,
			map[string]any{"id": apitest.Str(p, "createProspect.id")})
		if apitest.Str(u, "updateThirdParty.vatNumber") != "FR96552100554" {
			t.Fatalf("after a new SIREN: %v", u)
		}
	})
}

// The same client sent again changes nothing, not even its version; a
// change is an update as before.
func TestUpsertClient_TheSameClientAgainKeepsItsVersion(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		in := map[string]any{"code": "ID1", "name": "Idem", "siren": "732829320", "address": map[string]any{"city": "Paris"}, "closed": false}
		for i := range 3 {
			if v := apitest.Num(e.OK(e.TokenA, apitest.UpsertClient, map[string]any{"in": in}), "upsertClient.version"); v != 1 {
				t.Fatalf("upsert %d of the same client: version %v, want 1", i+1, v)
			}
		}
		in["name"] = "Idem SA"
		if v := apitest.Num(e.OK(e.TokenA, apitest.UpsertClient, map[string]any{"in": in}), "upsertClient.version"); v != 2 {
			t.Fatalf("upsert with a new name: version %v, want 2", v)
		}
		in["closed"] = true
		if got := e.OK(e.TokenA, apitest.UpsertClient, map[string]any{"in": in}); apitest.Num(got, "upsertClient.version") != 3 || apitest.Str(got, "upsertClient.status") != "CLOSED" {
			t.Fatalf("upsert closing the client: %v", got)
		}
	})
}
