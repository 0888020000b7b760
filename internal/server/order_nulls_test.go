package server_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/testdb"
)

// pageArgs are the paging arguments every query of pageThrough declares.
const pageArgs = `$first: Int, $after: Cursor, $last: Int, $before: Cursor`

// pageThrough reads a whole connection page by page: forwards with
// first/after, or backwards with last/before. query declares pageArgs
// (and whatever vars holds) and selects at path a connection with
// `totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
// edges { node { id } }`. It checks totalCount (want) and the page sizes,
// and returns the IDs in the connection's order.
func pageThrough(e *apitest.Env, query, path string, vars map[string]any, size, want int, backward bool) []string {
	e.T.Helper()
	var ids []string
	var cursor any
	for pages := 0; ; pages++ {
		if pages > want+2 {
			e.T.Fatalf("%s: paging does not end (%d pages)", path, pages)
		}
		v := map[string]any{}
		for k, x := range vars {
			v[k] = x
		}
		if backward {
			v["last"], v["before"] = size, cursor
		} else {
			v["first"], v["after"] = size, cursor
		}
		d := e.OK(e.TokenA, query, v)
		conn := apitest.Get(d, path)
		if n := int(apitest.Num(conn, "totalCount")); n != want {
			e.T.Fatalf("%s: totalCount %d, want %d", path, n, want)
		}
		edges, _ := apitest.Get(conn, "edges").([]any)
		var page []string
		for _, edge := range edges {
			page = append(page, apitest.Str(edge, "node.id"))
		}
		more, _ := apitest.Get(conn, "pageInfo.hasNextPage").(bool)
		if backward {
			more, _ = apitest.Get(conn, "pageInfo.hasPreviousPage").(bool)
			ids = append(page, ids...)
			cursor = apitest.Get(conn, "pageInfo.startCursor")
		} else {
			ids = append(ids, page...)
			cursor = apitest.Get(conn, "pageInfo.endCursor")
		}
		if more && len(page) != size {
			e.T.Fatalf("%s: a page of %d items says there is more (page size %d)", path, len(page), size)
		}
		if !more {
			return ids
		}
	}
}

// checkPaging pages through query in both ways with pages of 1, 2 and 3
// items and checks that every record comes exactly once, in want's order.
func checkPaging(e *apitest.Env, query, path string, vars map[string]any, want []string, names map[string]string) {
	e.T.Helper()
	label := func(ids []string) string {
		var out []string
		for _, id := range ids {
			out = append(out, names[id])
		}
		return strings.Join(out, ", ")
	}
	for _, size := range []int{1, 2, 3} {
		for _, backward := range []bool{false, true} {
			got := pageThrough(e, query, path, vars, size, len(want), backward)
			if !slices.Equal(got, want) {
				e.T.Errorf("%s, pages of %d, backward %v:\n got  %s\n want %s", path, size, backward, label(got), label(want))
			}
		}
	}
}

func TestPages_OrderOnANullableFieldPagesThroughEveryRecordOnce(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		names := map[string]string{}
		var coded, uncoded []string // in the expected ascending order
		codes := map[string]string{}
		// Clients with codes created out of order, prospects and a supplier
		// without, a supplier with one.
		for _, c := range []struct{ code, name string }{{"C-04", "Quatre"}, {"C-01", "Un"}, {"C-05", "Cinq"}, {"C-02", "Deux"}} {
			id := e.Client(e.TokenA, c.code, c.name, false)
			names[id], codes[id] = c.name, c.code
			coded = append(coded, id)
		}
		for i := range 4 {
			id := e.Prospect(e.TokenA, fmt.Sprintf("Prospect %d", i))
			names[id] = fmt.Sprintf("Prospect %d", i)
			uncoded = append(uncoded, id)
		}
		sup := e.OK(e.TokenA, `mutation { a: createThirdParty(input: {kind: SUPPLIER, name: "Fournisseur"}) { id } b: createThirdParty(input: {kind: OTHER, name: "Autre", code: "C-03"}) { id } }`, nil)
		names[apitest.Str(sup, "a.id")], names[apitest.Str(sup, "b.id")] = "Fournisseur", "Autre"
		uncoded = append(uncoded, apitest.Str(sup, "a.id"))
		codes[apitest.Str(sup, "b.id")] = "C-03"
		coded = append(coded, apitest.Str(sup, "b.id"))
		slices.SortFunc(coded, func(a, b string) int { return strings.Compare(codes[a], codes[b]) })

		// Ascending: codes first, in order, then the records without one
		// (in creation order); descending is the exact reverse.
		asc := append(slices.Clone(coded), uncoded...)
		desc := slices.Clone(asc)
		slices.Reverse(desc)
		const byCode = `query(` + pageArgs + `, $dir: OrderDirection!) {
		  thirdParties(first: $first, after: $after, last: $last, before: $before, orderBy: {field: CODE, direction: $dir}) {
		    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { id } } } }`
		checkPaging(e, byCode, "thirdParties", map[string]any{"dir": "ASC"}, asc, names)
		checkPaging(e, byCode, "thirdParties", map[string]any{"dir": "DESC"}, desc, names)

		// A page of 0 and a count alone count both kinds of records.
		zero := e.OK(e.TokenA, `{ a: thirdParties(first: 0, orderBy: {field: CODE}) { totalCount pageInfo { hasNextPage } edges { node { id } } }
		  b: thirdParties(orderBy: {field: CODE, direction: DESC}) { totalCount } }`, nil)
		if apitest.Num(zero, "a.totalCount") != 10 || apitest.Get(zero, "a.pageInfo.hasNextPage") != true || len(apitest.Get(zero, "a.edges").([]any)) != 0 || apitest.Num(zero, "b.totalCount") != 10 {
			t.Fatalf("first: 0 and a count alone: %v", zero)
		}

		// A filter keeps working beside the order.
		const prospectsByCode = `query(` + pageArgs + `) {
		  thirdParties(first: $first, after: $after, last: $last, before: $before, where: {nameHasPrefix: "Prospect"}, orderBy: {field: CODE}) {
		    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { id } } } }`
		checkPaging(e, prospectsByCode, "thirdParties", nil, uncoded[:4], names)

		// Contacts by first name, at the top level and on their record.
		tp := coded[0]
		var named, unnamed []string
		firsts := map[string]string{}
		for i, first := range []string{"Zoé", "", "Adèle", "", "Marc", ""} {
			in := map[string]any{"thirdPartyId": tp, "lastName": fmt.Sprintf("Nom %d", i)}
			if first != "" {
				in["firstName"] = first
			}
			id := apitest.Str(e.OK(e.TokenA, `mutation($in: CreateContactInput!) { createContact(input: $in) { id } }`, map[string]any{"in": in}), "createContact.id")
			names[id] = fmt.Sprintf("%s Nom %d", first, i)
			if first != "" {
				firsts[id] = first
				named = append(named, id)
			} else {
				unnamed = append(unnamed, id)
			}
		}
		slices.SortFunc(named, func(a, b string) int { return strings.Compare(firsts[a], firsts[b]) })
		asc = append(slices.Clone(named), unnamed...)
		desc = slices.Clone(asc)
		slices.Reverse(desc)
		const contactsByFirstName = `query(` + pageArgs + `, $dir: OrderDirection!) {
		  contacts(first: $first, after: $after, last: $last, before: $before, orderBy: {field: FIRST_NAME, direction: $dir}) {
		    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { id } } } }`
		checkPaging(e, contactsByFirstName, "contacts", map[string]any{"dir": "ASC"}, asc, names)
		checkPaging(e, contactsByFirstName, "contacts", map[string]any{"dir": "DESC"}, desc, names)
		const recordContacts = `query(` + pageArgs + `, $dir: OrderDirection!, $id: ID!) { node(id: $id) { ... on ThirdParty {
		  contacts(first: $first, after: $after, last: $last, before: $before, orderBy: {field: FIRST_NAME, direction: $dir}) {
		    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { id } } } } } }`
		checkPaging(e, recordContacts, "node.contacts", map[string]any{"dir": "ASC", "id": tp}, asc, names)
		checkPaging(e, recordContacts, "node.contacts", map[string]any{"dir": "DESC", "id": tp}, desc, names)

		// Opportunities by amount and by expected signing date.
		var withAmount, withoutAmount, withDate, withoutDate []string
		for i, o := range []struct {
			amount float64
			date   string
		}{{300, ""}, {0, "2026-03-01"}, {100, "2026-01-15"}, {0, ""}, {200, "2026-02-01"}, {0, "2026-01-01"}} {
			in := map[string]any{"name": fmt.Sprintf("Affaire %d", i), "thirdPartyId": tp}
			if o.amount != 0 {
				in["amount"] = o.amount
			}
			if o.date != "" {
				in["expectedSigningDate"] = o.date
			}
			id := apitest.Str(e.NewOpportunity(e.TokenA, in), "id")
			names[id] = fmt.Sprintf("Affaire %d", i)
			if o.amount != 0 {
				withAmount = append(withAmount, id)
			} else {
				withoutAmount = append(withoutAmount, id)
			}
			if o.date != "" {
				withDate = append(withDate, id)
			} else {
				withoutDate = append(withoutDate, id)
			}
		}
		// Created as 300, -, 100, -, 200, -: by amount 100, 200, 300.
		withAmount = []string{withAmount[1], withAmount[2], withAmount[0]}
		// Dates 03-01, 01-15, 02-01, 01-01: by date 01-01, 01-15, 02-01, 03-01.
		withDate = []string{withDate[3], withDate[1], withDate[2], withDate[0]}
		for field, order := range map[string][]string{
			"AMOUNT":                append(withAmount, withoutAmount...),
			"EXPECTED_SIGNING_DATE": append(withDate, withoutDate...),
		} {
			q := `query(` + pageArgs + `, $dir: OrderDirection!) {
			  opportunities(first: $first, after: $after, last: $last, before: $before, orderBy: {field: ` + field + `, direction: $dir}) {
			    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { id } } } }`
			checkPaging(e, q, "opportunities", map[string]any{"dir": "ASC"}, order, names)
			rev := slices.Clone(order)
			slices.Reverse(rev)
			checkPaging(e, q, "opportunities", map[string]any{"dir": "DESC"}, rev, names)
		}
	})
}
