package server_test

import (
	"fmt"
	"slices"
	"testing"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/testdb"
)

// pagesFixture fills A with 25 prospects (5 of them validated) named
// "Tiers A" to "Tiers Y" in a shuffled creation order, 25 contacts on the
// first prospect, 3 clients (one closed) and 2 suppliers.
type pagesFixture struct {
	prospects []string // names, in creation order
	first     string   // ID of the prospect with 25 contacts
}

func newPagesFixture(e *apitest.Env) pagesFixture {
	e.T.Helper()
	var f pagesFixture
	for i := range 25 {
		name := fmt.Sprintf("Tiers %c", 'A'+(i*7)%25)
		f.prospects = append(f.prospects, name)
		id := e.Prospect(e.TokenA, name)
		if i == 0 {
			f.first = id
		}
		if i%5 == 1 {
			e.OK(e.TokenA, `mutation($id: ID!) { validateProspect(id: $id) { id } }`, map[string]any{"id": id})
		}
	}
	for i := range 25 {
		e.Contact(e.TokenA, f.first, fmt.Sprintf("Contact %c", 'A'+(i*3)%25))
	}
	e.Client(e.TokenA, "C-1", "Client Un", false)
	e.Client(e.TokenA, "C-2", "Client Deux", false)
	e.Client(e.TokenA, "C-3", "Client Trois", true)
	for _, n := range []string{"Fournisseur Un", "Fournisseur Deux"} {
		e.OK(e.TokenA, `mutation($n: String!) { createThirdParty(input: {kind: SUPPLIER, name: $n}) { id } }`, map[string]any{"n": n})
	}
	return f
}

// badArgument is a request refused with BAD_USER_INPUT on field.
type badArgument struct {
	name, query string
	vars        map[string]any
	field       string
}

// refuseAll checks, in a subtest of t each, that every request of cases is refused on its field
// and answers no data.
func refuseAll(t *testing.T, e *apitest.Env, cases []badArgument) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := e.With(t)
			r := e.Fail(e.TokenA, tc.query, tc.vars, "BAD_USER_INPUT", tc.field)
			if r.Data != nil && slices.ContainsFunc(apitest.MapValues(r.Data), func(v any) bool { return v != nil }) {
				t.Fatalf("a refused request answered data: %v", r.Data)
			}
		})
	}
}

func TestPages_FirstOrLastOutsideZeroToHundredIsRefusedBeforeAnythingRuns(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		tp := e.Prospect(e.TokenA, "Tiers")
		refuseAll(t, e, []badArgument{
			{"thirdParties first 101", `{ thirdParties(first: 101) { totalCount } }`, nil, "first"},
			{"thirdParties last -1", `{ thirdParties(last: -1) { totalCount } }`, nil, "last"},
			{"thirdParties last 101", `{ thirdParties(last: 101) { totalCount } }`, nil, "last"},
			{"contacts first 1000", `{ contacts(first: 1000) { totalCount } }`, nil, "first"},
			{"first 101 given as a variable", `query($n: Int) { thirdParties(first: $n) { totalCount } }`, map[string]any{"n": 101}, "first"},
			{"nested ThirdParty.contacts first 500", `{ thirdParties(first: 10) { edges { node { contacts(first: 500) { totalCount } } } } }`, nil, "first"},
			{"nested in an inline fragment", `query($id: ID!) { node(id: $id) { ... on ThirdParty { contacts(first: 500) { totalCount } } } }`, map[string]any{"id": tp}, "first"},
			{"nested in a named fragment", `{ thirdParties(first: 1) { ...Page } } fragment Page on ThirdPartyConnection { edges { node { contacts(last: 101) { totalCount } } } }`, nil, "last"},
			{"search first 101", `{ search(query: "tiers", first: 101) { label } }`, nil, "first"},
			// gqlgen takes an Int written as a string: the bounds hold for it too.
			{"first as the string 1000", `query($n: Int) { contacts(first: $n) { edges { node { id } } } }`, map[string]any{"n": "1000"}, "first"},
			{"last as the string -1", `query($n: Int!) { thirdParties(last: $n) { totalCount } }`, map[string]any{"n": "-1"}, "last"},
			{"nested first as the string 500", `query($n: Int) { thirdParties(first: 1) { edges { node { contacts(first: $n) { totalCount } } } } }`, map[string]any{"n": "500"}, "first"},
			{"first and last together", `{ thirdParties(first: 5, last: 5) { totalCount } }`, nil, "last"},
			{"nested first and last together", `query($id: ID!) { node(id: $id) { ... on ThirdParty { contacts(first: 1, last: 1) { totalCount } } } }`, map[string]any{"id": tp}, "last"},
		})
		// A mutation whose selection asks too much is refused before it runs.
		e.Fail(e.TokenA, `mutation { createProspect(input: {name: "Jamais"}) { id contacts(first: 500) { totalCount } } }`, nil, "BAD_USER_INPUT", "first")
		if n := e.CountThirdParties(e.TokenA); n != 1 {
			t.Fatalf("the refused mutation ran: %d third parties", n)
		}
		// The bounds themselves are accepted.
		ok := e.OK(e.TokenA, `{ a: thirdParties(first: 100) { edges { node { id } } } b: thirdParties(first: 0) { totalCount edges { node { id } } } c: thirdParties(last: 100) { totalCount } }`, nil)
		if es, _ := apitest.Get(ok, "a.edges").([]any); len(es) != 1 {
			t.Fatalf("first: 100: %v", ok)
		}
		if es, _ := apitest.Get(ok, "b.edges").([]any); len(es) != 0 || apitest.Num(ok, "b.totalCount") != 1 {
			t.Fatalf("first: 0: %v", ok)
		}
	})
}

func TestPages_ConnectionWithoutFirstOrLastReturnsTwentyAndSaysThereIsMore(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		f := newPagesFixture(e)
		got := e.OK(e.TokenA, `query($id: ID!) {
			thirdParties(where: {kind: PROSPECT}) { totalCount pageInfo { hasNextPage hasPreviousPage } edges { node { id } } }
			contacts { totalCount pageInfo { hasNextPage } edges { node { id } } }
			node(id: $id) { ... on ThirdParty { contacts { totalCount pageInfo { hasNextPage } edges { node { id } } } } }
			few: thirdParties(where: {kind: CLIENT}) { totalCount pageInfo { hasNextPage } edges { node { id } } }
		}`, map[string]any{"id": f.first})
		for _, c := range []struct {
			path  string
			total float64
			edges int
			more  bool
		}{
			{"thirdParties", 25, 20, true},
			{"contacts", 25, 20, true},
			{"node.contacts", 25, 20, true},
			{"few", 3, 3, false},
		} {
			es, _ := apitest.Get(got, c.path+".edges").([]any)
			if apitest.Num(got, c.path+".totalCount") != c.total || len(es) != c.edges || apitest.Get(got, c.path+".pageInfo.hasNextPage") != c.more {
				t.Errorf("%s: totalCount %v, %d edges, hasNextPage %v; want %v, %d, %v", c.path,
					apitest.Get(got, c.path+".totalCount"), len(es), apitest.Get(got, c.path+".pageInfo.hasNextPage"), c.total, c.edges, c.more)
			}
		}

		// Parsed documents are cached and shared: the default goes into a
		// copy. A null variable gets it too, and the next request of the
		// same text still reads its own variable.
		const byVar = `query($n: Int) { thirdParties(first: $n, where: {kind: PROSPECT}) { edges { node { id } } } }`
		for i, c := range []struct {
			vars  map[string]any
			edges int
		}{{nil, 20}, {map[string]any{"n": nil}, 20}, {map[string]any{"n": 3}, 3}, {nil, 20}, {map[string]any{"n": 25}, 25}} {
			got := e.OK(e.TokenA, byVar, c.vars)
			if es, _ := apitest.Get(got, "thirdParties.edges").([]any); len(es) != c.edges {
				t.Errorf("request %d (%v): %d edges, want %d", i, c.vars, len(es), c.edges)
			}
		}
		const inFragment = `query($id: ID!) { node(id: $id) { ...Contacts } } fragment Contacts on ThirdParty { contacts { edges { node { id } } } }`
		for i := range 2 {
			got := e.OK(e.TokenA, inFragment, map[string]any{"id": f.first})
			if es, _ := apitest.Get(got, "node.contacts.edges").([]any); len(es) != 20 {
				t.Errorf("fragment request %d: %d contacts, want 20", i, len(es))
			}
		}
	})
}

func TestPages_CursorsWalkEveryRecordExactlyOnce(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		f := newPagesFixture(e)
		sorted := slices.Sorted(slices.Values(f.prospects))
		reversed := slices.Clone(sorted)
		slices.Reverse(reversed)
		for _, tc := range []struct {
			name    string
			orderBy map[string]any
			want    []string // nil: any order
		}{
			{"by name ascending", map[string]any{"field": "NAME", "direction": "ASC"}, sorted},
			{"by name descending", map[string]any{"field": "NAME", "direction": "DESC"}, reversed},
			{"by creation", map[string]any{"field": "CREATED_AT"}, f.prospects},
			{"by last change, newest first", map[string]any{"field": "UPDATED_AT", "direction": "DESC"}, nil},
			{"default order", nil, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				const q = `query($after: Cursor, $o: ThirdPartyOrder) { thirdParties(first: 7, after: $after, orderBy: $o, where: {kind: PROSPECT}) {
					totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name } } } }`
				var seen []string
				ids := map[string]bool{}
				var after any
				pages := 0
				for {
					page := apitest.Get(e.OK(e.TokenA, q, map[string]any{"after": after, "o": tc.orderBy}), "thirdParties")
					pages++
					if apitest.Num(page, "totalCount") != 25 || pages > 10 {
						t.Fatalf("page %d: %v", pages, page)
					}
					es, _ := apitest.Get(page, "edges").([]any)
					for _, ed := range es {
						if ids[apitest.Str(ed, "node.id")] {
							t.Fatalf("record %s seen twice", apitest.Str(ed, "node.name"))
						}
						ids[apitest.Str(ed, "node.id")] = true
						seen = append(seen, apitest.Str(ed, "node.name"))
					}
					if len(es) > 0 && apitest.Str(es[len(es)-1], "cursor") != apitest.Str(page, "pageInfo.endCursor") {
						t.Fatalf("endCursor is not the last edge's cursor: %v", page)
					}
					if apitest.Get(page, "pageInfo.hasNextPage") != true {
						break
					}
					after = apitest.Str(page, "pageInfo.endCursor")
				}
				if pages != 4 || len(seen) != 25 {
					t.Fatalf("walked %d records in %d pages, want 25 in 4", len(seen), pages)
				}
				if tc.want != nil && !slices.Equal(seen, tc.want) {
					t.Fatalf("order:\n got %v\nwant %v", seen, tc.want)
				}
				if !slices.Equal(slices.Sorted(slices.Values(seen)), sorted) {
					t.Fatalf("records walked: %v", seen)
				}
			})
		}
		t.Run("backwards with last and before", func(t *testing.T) {
			e := e.With(t)
			const q = `query($before: Cursor) { thirdParties(last: 10, before: $before, orderBy: {field: NAME}, where: {kind: PROSPECT}) {
				pageInfo { hasPreviousPage startCursor } edges { node { name } } } }`
			var seen []string
			var before any
			for range 10 {
				page := apitest.Get(e.OK(e.TokenA, q, map[string]any{"before": before}), "thirdParties")
				seen = append(apitest.Names(apitest.Get(page, "edges"), "node.name"), seen...)
				if apitest.Get(page, "pageInfo.hasPreviousPage") != true {
					break
				}
				before = apitest.Str(page, "pageInfo.startCursor")
			}
			if !slices.Equal(seen, sorted) {
				t.Fatalf("walking backwards:\n got %v\nwant %v", seen, sorted)
			}
		})
	})
}

func TestPages_OrderByAndWhereFilters(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		f := newPagesFixture(e)
		sorted := slices.Sorted(slices.Values(f.prospects))
		reversed := slices.Clone(sorted)
		slices.Reverse(reversed)
		const q = `query($w: ThirdPartyWhereInput, $o: ThirdPartyOrder) { thirdParties(first: 100, where: $w, orderBy: $o) { totalCount edges { node { name kind status } } } }`
		for _, tc := range []struct {
			name  string
			where map[string]any
			order map[string]any
			want  []string // names in order; nil: only count
			count int
		}{
			{"prospects by name ascending", map[string]any{"kind": "PROSPECT"}, map[string]any{"field": "NAME", "direction": "ASC"}, sorted, 25},
			{"prospects by name descending", map[string]any{"kind": "PROSPECT"}, map[string]any{"field": "NAME", "direction": "DESC"}, reversed, 25},
			{"clients by code", map[string]any{"kind": "CLIENT"}, map[string]any{"field": "CODE"}, []string{"Client Un", "Client Deux", "Client Trois"}, 3},
			{"clients by code descending", map[string]any{"kind": "CLIENT"}, map[string]any{"field": "CODE", "direction": "DESC"}, []string{"Client Trois", "Client Deux", "Client Un"}, 3},
			{"suppliers by name", map[string]any{"kind": "SUPPLIER"}, map[string]any{"field": "NAME"}, []string{"Fournisseur Deux", "Fournisseur Un"}, 2},
			{"validated prospects", map[string]any{"status": "VALIDATED"}, nil, nil, 5},
			{"draft prospects", map[string]any{"kind": "PROSPECT", "status": "DRAFT"}, nil, nil, 20},
			{"closed clients", map[string]any{"status": "CLOSED"}, nil, []string{"Client Trois"}, 1},
			{"name contains, any case", map[string]any{"nameContainsFold": "tiers k"}, nil, []string{"Tiers K"}, 1},
			{"name contains UN", map[string]any{"nameContainsFold": "UN"}, map[string]any{"field": "NAME"}, []string{"Client Un", "Fournisseur Un"}, 2},
			{"kind in clients and suppliers", map[string]any{"kindIn": []string{"CLIENT", "SUPPLIER"}}, nil, nil, 5},
			{"not a prospect", map[string]any{"not": map[string]any{"kind": "PROSPECT"}}, nil, nil, 5},
			{"or of two names", map[string]any{"or": []any{map[string]any{"name": "Tiers A"}, map[string]any{"name": "Client Un"}}}, map[string]any{"field": "NAME"}, []string{"Client Un", "Tiers A"}, 2},
			{"with contacts", map[string]any{"hasContacts": true}, nil, []string{f.prospects[0]}, 1},
			{"nothing matches", map[string]any{"nameContainsFold": "zzz"}, nil, []string{}, 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				page := apitest.Get(e.OK(e.TokenA, q, map[string]any{"w": tc.where, "o": tc.order}), "thirdParties")
				got := apitest.Names(apitest.Get(page, "edges"), "node.name")
				if int(apitest.Num(page, "totalCount")) != tc.count || len(got) != tc.count {
					t.Fatalf("totalCount %v, %d edges, want %d: %v", apitest.Get(page, "totalCount"), len(got), tc.count, got)
				}
				if tc.want != nil && !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			})
		}
		// Contacts order by last name.
		c := e.OK(e.TokenA, `{ asc: contacts(first: 3, orderBy: {field: LAST_NAME}) { edges { node { lastName } } }
			desc: contacts(first: 3, orderBy: {field: LAST_NAME, direction: DESC}) { edges { node { lastName } } } }`, nil)
		if got := apitest.Names(apitest.Get(c, "asc.edges"), "node.lastName"); !slices.Equal(got, []string{"Contact A", "Contact B", "Contact C"}) {
			t.Fatalf("contacts by last name: %v", got)
		}
		if got := apitest.Names(apitest.Get(c, "desc.edges"), "node.lastName"); !slices.Equal(got, []string{"Contact Y", "Contact X", "Contact W"}) {
			t.Fatalf("contacts by last name descending: %v", got)
		}
	})
}

// Cursors, times and uploads that do not decode, and empty nested
// filters, are the client's error, named by argument.
func TestPages_MalformedCursorsTimesAndFiltersAreBadUserInput(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		tp := e.Prospect(e.TokenA, "Tiers")
		refuseAll(t, e, []badArgument{
			{"after garbage", `query($a: Cursor) { thirdParties(first: 5, after: $a) { totalCount } }`, map[string]any{"a": "garbage"}, "after"},
			{"before empty", `query($b: Cursor) { contacts(last: 5, before: $b) { totalCount } }`, map[string]any{"b": ""}, "before"},
			{"after a number", `query($a: Cursor) { opportunities(first: 5, after: $a) { totalCount } }`, map[string]any{"a": 12}, "after"},
			{"after literal", `query($id: ID!) { node(id: $id) { ... on ThirdParty { contacts(first: 1, after: "x") { totalCount } } } }`, map[string]any{"id": tp}, "after"},
			{"time literal", `{ thirdParties(where: {updatedAtGT: "yesterday"}) { totalCount } }`, nil, "updatedAtGT"},
			{"time variable", `query($t: Time) { contacts(where: {createdAtLT: $t}) { totalCount } }`, map[string]any{"t": "27/11/2026"}, "createdAtLT"},
			{"upload given as a string", `mutation($o: ID!, $f: Upload!) { uploadDocument(ownerId: $o, file: $f) { id } }`, map[string]any{"o": tp, "f": "abc"}, "file"},
			{"upload given as an object", `mutation($o: ID!, $f: Upload!) { uploadDocument(ownerId: $o, file: $f) { id } }`, map[string]any{"o": tp, "f": map[string]any{"filename": "x"}}, "file"},
			{"empty not", `{ thirdParties(where: {not: {}}) { totalCount } }`, nil, "where"},
			{"empty or member", `{ contacts(where: {or: [{}]}) { totalCount } }`, nil, "where"},
			{"empty has-with", `{ contacts(where: {hasThirdPartyWith: [{}]}) { totalCount } }`, nil, "where"},
			{"empty and member", `{ opportunities(where: {and: [{}]}) { totalCount } }`, nil, "where"},
		})
		// Well-formed ones still work.
		page := e.OK(e.TokenA, `{ thirdParties(first: 1) { edges { cursor } } }`, nil)
		c := apitest.Get(page, "thirdParties.edges.0.cursor")
		got := e.OK(e.TokenA, `query($a: Cursor, $t: Time) { thirdParties(first: 5, after: $a, where: {updatedAtGT: $t}) { totalCount edges { node { id } } } }`,
			map[string]any{"a": c, "t": "2000-01-01T00:00:00Z"})
		if apitest.Num(got, "thirdParties.totalCount") != 1 || len(apitest.Get(got, "thirdParties.edges").([]any)) != 0 {
			t.Fatalf("a page after the only record: %v", got)
		}
	})
}

// A cursor carries its order's value: one from another order (or the
// default one) is refused rather than compared with values of another
// type, which PostgreSQL refuses and SQLite answers with a wrong page.
func TestPages_CursorFromAnotherOrderIsBadUserInput(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		e.Prospect(e.TokenA, "Tiers A")
		e.Prospect(e.TokenA, "Tiers B")
		cursor := func(orderBy string) any {
			t.Helper()
			page := e.OK(e.TokenA, `{ thirdParties(first: 1`+orderBy+`) { edges { cursor } } }`, nil)
			return apitest.Get(page, "thirdParties.edges.0.cursor")
		}
		byID, byName, byUpdate, byCode := cursor(""), cursor(", orderBy: {field: NAME}"), cursor(", orderBy: {field: UPDATED_AT}"), cursor(", orderBy: {field: CODE}")
		const page = `query($a: Cursor, $o: ThirdPartyOrder) { thirdParties(first: 5, after: $a, orderBy: $o) { edges { node { name } } } }`
		order := func(f string) map[string]any { return map[string]any{"field": f} }
		for _, tc := range []struct {
			name  string
			c     any
			order map[string]any
		}{
			{"NAME cursor in UPDATED_AT order", byName, order("UPDATED_AT")},
			{"UPDATED_AT cursor in NAME order", byUpdate, order("NAME")},
			{"NAME cursor in the default order", byName, nil},
			{"default cursor in NAME order", byID, order("NAME")},
			{"UPDATED_AT cursor in the default order", byUpdate, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e.With(t).Fail(e.TokenA, page, map[string]any{"a": tc.c, "o": tc.order}, "BAD_USER_INPUT", "after")
			})
		}
		// Each order's own cursor reads on: the record after the first.
		for _, tc := range []struct {
			c     any
			order map[string]any
		}{{byID, nil}, {byName, order("NAME")}, {byUpdate, order("UPDATED_AT")}, {byCode, order("CODE")}} {
			got := e.OK(e.TokenA, page, map[string]any{"a": tc.c, "o": tc.order})
			if n := len(apitest.Get(got, "thirdParties.edges").([]any)); n != 1 {
				t.Errorf("after the first record in order %v: %d records, want 1", tc.order, n)
			}
		}
	})
}

// pageInfo asked without edges says whether records lie past the page
// (its cursor, then first records), as it does with edges.
func TestPages_PageInfoWithoutEdgesHonoursTheCursor(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		e.Prospect(e.TokenA, "Tiers A")
		e.Prospect(e.TokenA, "Tiers B")
		ends := e.OK(e.TokenA, `{ thirdParties(first: 2) { pageInfo { endCursor } edges { cursor } } }`, nil)
		last, first := apitest.Get(ends, "thirdParties.pageInfo.endCursor"), apitest.Get(ends, "thirdParties.edges.0.cursor")
		const q = `query($a: Cursor, $n: Int) { thirdParties(first: $n, after: $a) { pageInfo { hasNextPage } %s } }`
		for _, tc := range []struct {
			name   string
			after  any
			n      int
			wanted bool
		}{
			{"after the last, 5", last, 5, false},
			{"after the last, 0", last, 0, false},
			{"after the first, 5", first, 5, false},
			{"after the first, 1", first, 1, false},
			{"after the first, 0", first, 0, true},
			{"from the start, 1", nil, 1, true},
			{"from the start, 2", nil, 2, false},
		} {
			for _, sel := range []string{"", "edges { cursor }", "totalCount"} {
				got := e.OK(e.TokenA, fmt.Sprintf(q, sel), map[string]any{"a": tc.after, "n": tc.n})
				if h := apitest.Get(got, "thirdParties.pageInfo.hasNextPage"); h != tc.wanted {
					t.Errorf("%s, selecting %q: hasNextPage %v, want %v", tc.name, sel, h, tc.wanted)
				}
			}
		}
	})
}
