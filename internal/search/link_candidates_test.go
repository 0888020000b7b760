package search_test

import (
	"slices"
	"testing"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/gid"
	"carnet/internal/testdb"
)

func TestLinkCandidates_SuppliersAndOthersOpenWithoutTyping(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		// A's suppliers and others, created out of name order; a client, a
		// prospect, and a supplier of B that must not show.
		names := map[string]string{}
		for _, tp := range []struct{ kind, name string }{
			{"SUPPLIER", "Transports Morel"}, {"OTHER", "Cabinet Durand"}, {"SUPPLIER", "Atelier Petit"},
			{"OTHER", "Banque Leroy"}, {"SUPPLIER", "Atelier Petit"}, {"SUPPLIER", "Zinc et Fils"},
		} {
			names[e.ThirdPartyOf(e.TokenA, tp.kind, tp.name)] = tp.name
		}
		e.Client(e.TokenA, "C-1", "Aaa Client", false)
		e.Prospect(e.TokenA, "Aaa Prospect")
		e.ThirdPartyOf(e.TokenB, "SUPPLIER", "Aaa Fournisseur de B")

		const q = `query($q: String!, $kinds: [ThirdPartyKind!]!, $first: Int) { linkCandidates(query: $q, kinds: $kinds, first: $first) { id name kind } }`
		list := func(query string, kinds []string, first any) []string {
			t.Helper()
			vars := map[string]any{"q": query, "kinds": kinds}
			if first != nil {
				vars["first"] = first
			}
			got, _ := e.OK(e.TokenA, q, vars)["linkCandidates"].([]any)
			var out []string
			for _, c := range got {
				if k := apitest.Str(c, "kind"); k != "SUPPLIER" && k != "OTHER" {
					t.Fatalf("a %s in the list", k)
				}
				out = append(out, apitest.Str(c, "name"))
			}
			return out
		}
		byName := []string{"Atelier Petit", "Atelier Petit", "Banque Leroy", "Cabinet Durand", "Transports Morel", "Zinc et Fils"}
		for _, query := range []string{"", "   "} {
			if got := list(query, []string{"SUPPLIER", "OTHER"}, nil); !slices.Equal(got, byName) {
				t.Fatalf("query %q: got %v, want %v", query, got, byName)
			}
		}
		if got := list("", []string{"SUPPLIER", "OTHER"}, 3); !slices.Equal(got, byName[:3]) {
			t.Fatalf("first 3: got %v", got)
		}
		if got := list("", []string{"OTHER"}, nil); !slices.Equal(got, []string{"Banque Leroy", "Cabinet Durand"}) {
			t.Fatalf("others: got %v", got)
		}
		// Equal names come by ID (creation order).
		d1 := e.OK(e.TokenA, q, map[string]any{"q": "", "kinds": []string{"SUPPLIER"}, "first": 2})
		first, second := apitest.Str(d1, "linkCandidates.0.id"), apitest.Str(d1, "linkCandidates.1.id")
		if names[first] != "Atelier Petit" || names[second] != "Atelier Petit" || first == second {
			t.Fatalf("equal names: %v", d1)
		}
		if a, b := mustDecode(t, first), mustDecode(t, second); a > b {
			t.Fatalf("equal names are not by ID: %s then %s", first, second)
		}
		// Typed characters still search.
		if got := list("b", []string{"SUPPLIER", "OTHER"}, nil); !slices.Equal(got, []string{"Banque Leroy"}) {
			t.Fatalf("query b: got %v", got)
		}
		// Clients and prospects still need 3 characters, even beside suppliers.
		for _, kinds := range [][]string{{"CLIENT"}, {"PROSPECT"}, {"SUPPLIER", "CLIENT"}, {"OTHER", "PROSPECT"}} {
			e.Fail(e.TokenA, q, map[string]any{"q": "", "kinds": kinds}, "BAD_USER_INPUT", "query")
			e.Fail(e.TokenA, q, map[string]any{"q": "ab", "kinds": kinds}, "BAD_USER_INPUT", "query")
		}
		e.Fail(e.TokenA, q, map[string]any{"q": "", "kinds": []string{}}, "BAD_USER_INPUT", "kinds")
		e.Fail(e.TokenA, q, map[string]any{"q": "", "kinds": []string{"SUPPLIER"}, "first": 0}, "BAD_USER_INPUT", "first")
		e.Fail(e.TokenA, q, map[string]any{"q": "", "kinds": []string{"SUPPLIER"}, "first": 101}, "BAD_USER_INPUT", "first")
		// B sees its own only.
		if got, _ := e.OK(e.TokenB, q, map[string]any{"q": "", "kinds": []string{"SUPPLIER", "OTHER"}})["linkCandidates"].([]any); len(got) != 1 || apitest.Str(got[0], "name") != "Aaa Fournisseur de B" {
			t.Fatalf("B: %v", got)
		}
	})
}

// mustDecode is gid.Decode for IDs the server gave.
func mustDecode(t *testing.T, id string) int {
	t.Helper()
	n, err := gid.Decode(id)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
