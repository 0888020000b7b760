package server_test

import (
	"slices"
	"testing"

	"carnet/internal/db"
	"carnet/internal/gid"
	"carnet/internal/testdb"
)

func TestLinkCandidates_SuppliersAndOthersOpenWithoutTyping(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		// A's suppliers and others, created out of name order; a client, a
		// prospect, and a supplier of B that must not show.
		names := map[string]string{}
		for _, tp := range []struct{ kind, name string }{
			{"SUPPLIER", "Transports Morel"}, {"OTHER", "Cabinet Durand"}, {"SUPPLIER", "Atelier Petit"},
			{"OTHER", "Banque Leroy"}, {"SUPPLIER", "Atelier Petit"}, {"SUPPLIER", "Zinc et Fils"},
		} {
			names[e.thirdPartyOf(e.tokenA, tp.kind, tp.name)] = tp.name
		}
		e.client(e.tokenA, "C-1", "Aaa Client", false)
		e.prospect(e.tokenA, "Aaa Prospect")
		e.thirdPartyOf(e.tokenB, "SUPPLIER", "Aaa Fournisseur de B")

		const q = `query($q: String!, $kinds: [ThirdPartyKind!]!, $first: Int) { linkCandidates(query: $q, kinds: $kinds, first: $first) { id name kind } }`
		list := func(query string, kinds []string, first any) []string {
			t.Helper()
			vars := map[string]any{"q": query, "kinds": kinds}
			if first != nil {
				vars["first"] = first
			}
			got, _ := e.ok(e.tokenA, q, vars)["linkCandidates"].([]any)
			var out []string
			for _, c := range got {
				if k := str(c, "kind"); k != "SUPPLIER" && k != "OTHER" {
					t.Fatalf("a %s in the list", k)
				}
				out = append(out, str(c, "name"))
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
		d1 := e.ok(e.tokenA, q, map[string]any{"q": "", "kinds": []string{"SUPPLIER"}, "first": 2})
		first, second := str(d1, "linkCandidates.0.id"), str(d1, "linkCandidates.1.id")
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
			e.fail(e.tokenA, q, map[string]any{"q": "", "kinds": kinds}, "BAD_USER_INPUT", "query")
			e.fail(e.tokenA, q, map[string]any{"q": "ab", "kinds": kinds}, "BAD_USER_INPUT", "query")
		}
		e.fail(e.tokenA, q, map[string]any{"q": "", "kinds": []string{}}, "BAD_USER_INPUT", "kinds")
		e.fail(e.tokenA, q, map[string]any{"q": "", "kinds": []string{"SUPPLIER"}, "first": 0}, "BAD_USER_INPUT", "first")
		e.fail(e.tokenA, q, map[string]any{"q": "", "kinds": []string{"SUPPLIER"}, "first": 101}, "BAD_USER_INPUT", "first")
		// B sees its own only.
		if got, _ := e.ok(e.tokenB, q, map[string]any{"q": "", "kinds": []string{"SUPPLIER", "OTHER"}})["linkCandidates"].([]any); len(got) != 1 || str(got[0], "name") != "Aaa Fournisseur de B" {
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
