package server_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"carnet/ent"
	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/server"
	"carnet/internal/testdb"
)

// statementLog records the text of the SQL statements a server runs.
type statementLog struct {
	mu   sync.Mutex
	list []string
}

func (l *statementLog) add(_ context.Context, v ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.list = append(l.list, fmt.Sprint(v...))
}

func (l *statementLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.list = nil
}

// has says whether a statement recorded contains every one of parts.
func (l *statementLog) has(parts ...string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, x := range l.list {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(x, p)
		}
		if all {
			return true
		}
	}
	return false
}

// len returns how many statements were recorded.
func (l *statementLog) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.list)
}

// counts returns the statements recorded that count rows.
func (l *statementLog) counts() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, s := range l.list {
		if strings.Contains(strings.ToUpper(s), "COUNT(") {
			out = append(out, s)
		}
	}
	return out
}

// recordingEnv serves the database of d through a driver that records
// every SQL statement (authentication included).
func recordingEnv(t *testing.T, d *db.DB) (*apitest.Env, *statementLog) {
	log := &statementLog{}
	client := ent.NewClient(ent.Driver(dialect.DebugWithContext(entsql.OpenDB(d.Dialect, d.SQL), log.add)))
	srv := httptest.NewServer(server.New(server.Config{Client: client, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	t.Cleanup(srv.Close)
	return &apitest.Env{T: t, Server: srv}, log
}

// pageOf is one page of a walk: its names and its pageInfo.
type pageOf struct {
	ids                     []string
	hasNext, hasPrevious    bool
	startCursor, endCursor  any
	firstCursor, lastCursor any // of the first and last edges
}

// TestPages_PageInfoWithoutTotalCountCountsNothing proves that a page
// asking pageInfo but not totalCount runs no COUNT (entgql's Paginate
// counted the whole filtered list for pageInfo; ent/template/paginate.tmpl
// stops it), that totalCount still counts, and that hasNextPage,
// hasPreviousPage and the cursors stay right up to the last page, walking
// forwards (first/after) and backwards (last/before), in every order.
func TestPages_PageInfoWithoutTotalCountCountsNothing(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		f := newPagesFixture(e)
		rec, log := recordingEnv(t, d)
		rec.OK(e.TokenA, `{ me { id } }`, nil) // warm: the token's last-use write

		// Five contacts with a first name beside the 25 without: FIRST_NAME
		// pages cross from the named to the unnamed on a page boundary.
		for i := range 5 {
			e.OK(e.TokenA, `mutation($tp: ID!, $f: String!) { createContact(input: {thirdPartyId: $tp, lastName: "Nommé", firstName: $f}) { id } }`,
				map[string]any{"tp": f.first, "f": fmt.Sprintf("Prénom %d", i)})
		}

		// Each list walked by pages of size (n rows: the last page is
		// full). CODE and FIRST_NAME are nullable (graph/nullorder.go
		// pages the rows with a value, then those without): 3 of the 30
		// third parties have a code, 5 of the 30 contacts a first name, so
		// a page ends exactly where the rows with a value end.
		type list struct {
			field, where string
			size, n      int
			orders       []map[string]any
		}
		for _, l := range []list{
			{"thirdParties", `{kind: PROSPECT}`, 5, 25, []map[string]any{nil,
				{"field": "NAME", "direction": "ASC"}, {"field": "NAME", "direction": "DESC"},
				{"field": "CREATED_AT", "direction": "ASC"}, {"field": "CREATED_AT", "direction": "DESC"},
				{"field": "UPDATED_AT", "direction": "DESC"}, {"field": "UPDATED_AT", "direction": "ASC"}}},
			{"thirdParties", `{}`, 3, 30, []map[string]any{
				{"field": "CODE", "direction": "ASC"}, {"field": "CODE", "direction": "DESC"}}},
			{"contacts", `{hasThirdPartyWith: {kind: PROSPECT}}`, 5, 30, []map[string]any{nil,
				{"field": "LAST_NAME", "direction": "ASC"}, {"field": "LAST_NAME", "direction": "DESC"},
				{"field": "UPDATED_AT", "direction": "DESC"},
				{"field": "FIRST_NAME", "direction": "ASC"}, {"field": "FIRST_NAME", "direction": "DESC"}}},
		} {
			typ := map[string]string{"thirdParties": "ThirdPartyOrder", "contacts": "ContactOrder"}[l.field]
			for _, o := range l.orders {
				t.Run(fmt.Sprintf("%s %v", l.field, o), func(t *testing.T) {
					rec := rec.With(t)
					vars := map[string]any{"o": o}
					// The whole list in one page, with totalCount: counted.
					log.reset()
					all := apitest.Get(rec.OK(e.TokenA, `query($o: `+typ+`) { `+l.field+`(first: 100, orderBy: $o, where: `+l.where+`) {
						totalCount edges { node { id } } } }`, vars), l.field)
					if len(log.counts()) == 0 {
						t.Fatal("totalCount asked: no COUNT statement")
					}
					want := apitest.Names(apitest.Get(all, "edges"), "node.id")
					if apitest.Num(all, "totalCount") != float64(l.n) || len(want) != l.n {
						t.Fatalf("the whole list: %v", all)
					}

					size, pages := l.size, l.n/l.size
					forward := `query($o: ` + typ + `, $after: Cursor) { ` + l.field + `(first: ` + fmt.Sprint(size) + `, after: $after, orderBy: $o, where: ` + l.where + `) {
						pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } } }`
					backward := `query($o: ` + typ + `, $before: Cursor) { ` + l.field + `(last: ` + fmt.Sprint(size) + `, before: $before, orderBy: $o, where: ` + l.where + `) {
						pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } } }`
					page := func(q, arg string, cursor any) pageOf {
						t.Helper()
						vars := map[string]any{"o": o, arg: cursor}
						c := apitest.Get(rec.OK(e.TokenA, q, vars), l.field)
						p := pageOf{ids: apitest.Names(apitest.Get(c, "edges"), "node.id"),
							hasNext: apitest.Get(c, "pageInfo.hasNextPage") == true, hasPrevious: apitest.Get(c, "pageInfo.hasPreviousPage") == true,
							startCursor: apitest.Get(c, "pageInfo.startCursor"), endCursor: apitest.Get(c, "pageInfo.endCursor")}
						if n := len(p.ids); n > 0 {
							p.firstCursor, p.lastCursor = apitest.Get(c, "edges.0.cursor"), apitest.Get(c, fmt.Sprintf("edges.%d.cursor", n-1))
						}
						return p
					}

					log.reset()
					var seen []string
					var after any
					for i := range pages {
						p := page(forward, "after", after)
						if len(p.ids) != size || p.hasNext != (i < pages-1) || p.hasPrevious != (i > 0) ||
							p.startCursor != p.firstCursor || p.endCursor != p.lastCursor {
							t.Fatalf("forward page %d: %+v", i+1, p)
						}
						seen = append(seen, p.ids...)
						after = p.endCursor
					}
					if p := page(forward, "after", after); len(p.ids) != 0 || p.hasNext || !p.hasPrevious || p.endCursor != nil {
						t.Fatalf("past the last page: %+v", p)
					}
					if !slices.Equal(seen, want) {
						t.Fatalf("forwards:\n got %v\nwant %v", seen, want)
					}

					seen = nil
					var before any
					for i := range pages {
						p := page(backward, "before", before)
						if len(p.ids) != size || p.hasPrevious != (i < pages-1) || p.hasNext != (i > 0) ||
							p.startCursor != p.firstCursor || p.endCursor != p.lastCursor {
							t.Fatalf("backward page %d: %+v", i+1, p)
						}
						seen = append(p.ids, seen...)
						before = p.startCursor
					}
					if p := page(backward, "before", before); len(p.ids) != 0 || p.hasPrevious || !p.hasNext || p.startCursor != nil {
						t.Fatalf("before the first page: %+v", p)
					}
					if !slices.Equal(seen, want) {
						t.Fatalf("backwards:\n got %v\nwant %v", seen, want)
					}
					if c := log.counts(); len(c) > 0 {
						t.Fatalf("pageInfo without totalCount ran %d COUNT statements: %s", len(c), c[0])
					}
				})
			}
		}

		t.Run("no edges", func(t *testing.T) {
			rec := rec.With(t)
			log.reset()
			got := rec.OK(e.TokenA, `{
				some: thirdParties(first: 0, where: {kind: PROSPECT}) { pageInfo { hasNextPage hasPreviousPage } edges { node { id } } }
				none: thirdParties(first: 0, where: {kind: OTHER}) { pageInfo { hasNextPage } }
				back: contacts(last: 0) { pageInfo { hasNextPage hasPreviousPage } }
				bare: thirdParties(first: 3, where: {kind: PROSPECT}) { pageInfo { hasNextPage } }
				coded: thirdParties(first: 0, where: {kind: CLIENT}, orderBy: {field: CODE, direction: DESC}) { pageInfo { hasNextPage } }
			}`, nil)
			for path, want := range map[string]any{
				"some.pageInfo.hasNextPage": true, "some.pageInfo.hasPreviousPage": false, "none.pageInfo.hasNextPage": false,
				"back.pageInfo.hasNextPage": false, "back.pageInfo.hasPreviousPage": true, "bare.pageInfo.hasNextPage": true,
				"coded.pageInfo.hasNextPage": true,
			} {
				if apitest.Get(got, path) != want {
					t.Errorf("%s = %v, want %v", path, apitest.Get(got, path), want)
				}
			}
			if es, _ := apitest.Get(got, "some.edges").([]any); len(es) != 0 {
				t.Errorf("first: 0 gave edges: %v", es)
			}
			if c := log.counts(); len(c) > 0 {
				t.Fatalf("pageInfo without edges ran %d COUNT statements: %s", len(c), c[0])
			}
			// A record's connection (entgql still counts its contacts per
			// record, grouped, for pageInfo) read in two segments: the
			// existence check of each runs on an edge query.
			nested := rec.OK(e.TokenA, `query($id: ID!) { node(id: $id) { ... on ThirdParty {
				contacts(first: 0, orderBy: {field: FIRST_NAME}) { pageInfo { hasNextPage } } } } }`, map[string]any{"id": f.first})
			if apitest.Get(nested, "node.contacts.pageInfo.hasNextPage") != true {
				t.Errorf("a record's contacts, first: 0 by FIRST_NAME: %v", nested)
			}
		})
	})
}

// TestPages_RecordsWithTheirActivitiesCostTheSameStatementsAtAnyPageSize
// proves that a page of third parties with their activities (their
// contacts' and opportunities' included, each with its contact and
// opportunity) loads the activities of the whole page at once: two
// records or eight cost the same statements.
func TestPages_RecordsWithTheirActivitiesCostTheSameStatementsAtAnyPageSize(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		for i := range 8 {
			tp := e.Prospect(e.TokenA, fmt.Sprintf("Suivi %d", i))
			c := e.Contact(e.TokenA, tp, "Durand")
			opp := e.Opportunity(e.TokenA, tp, "Affaire")
			for _, in := range []map[string]any{{"thirdPartyId": tp}, {"contactId": c}, {"opportunityId": opp, "contactId": c}} {
				in["type"], in["subject"] = "CALL", "Appel"
				e.OK(e.TokenA, apitest.CreateActivity, map[string]any{"in": in})
			}
		}
		rec, log := recordingEnv(t, d)
		rec.OK(e.TokenA, `{ me { id } }`, nil) // warm: the token's last-use write
		statements := func(n int) (all, activities int) {
			t.Helper()
			log.reset()
			got := rec.OK(e.TokenA, `query($n: Int) { thirdParties(first: $n, where: {kind: PROSPECT}) { edges { node { id
				activities(first: 2, where: {typeIn: [CALL]}) { pageInfo { hasNextPage } edges { node { id type contact { id } opportunity { id } } } } } } } }`, map[string]any{"n": n})
			edges, _ := apitest.Get(got, "thirdParties.edges").([]any)
			for i := range edges {
				p := fmt.Sprintf("thirdParties.edges.%d.node.activities", i)
				if len(apitest.Names(apitest.Get(got, p+".edges"), "node.id")) != 2 || apitest.Get(got, p+".pageInfo.hasNextPage") != true {
					t.Fatalf("record %d: %v", i, apitest.Get(got, p))
				}
			}
			if len(edges) != n {
				t.Fatalf("%d records, want %d", len(edges), n)
			}
			log.mu.Lock()
			defer log.mu.Unlock()
			for _, s := range log.list {
				if strings.Contains(s, "activities") {
					activities++
				}
			}
			return len(log.list), activities
		}
		all2, acts2 := statements(2)
		all8, acts8 := statements(8)
		// One windowed statement for the page's activities, one grouped
		// COUNT for their pageInfo (entgql's, as for contacts).
		if all2 != all8 || acts8 != 2 {
			t.Fatalf("2 records: %d statements (%d on activities); 8 records: %d (%d on activities)", all2, acts2, all8, acts8)
		}
	})
}
