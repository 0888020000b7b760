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
func recordingEnv(t *testing.T, d *db.DB) (*env, *statementLog) {
	log := &statementLog{}
	client := ent.NewClient(ent.Driver(dialect.DebugWithContext(entsql.OpenDB(d.Dialect, d.SQL), log.add)))
	srv := httptest.NewServer(server.New(server.Config{Client: client, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv}, log
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
		e := newEnv(t, d)
		newPagesFixture(e)
		rec, log := recordingEnv(t, d)
		rec.ok(e.tokenA, `{ me { id } }`, nil) // warm: the token's last-use write

		type list struct {
			field, where string
			orders       []map[string]any
		}
		for _, l := range []list{
			{"thirdParties", `{kind: PROSPECT}`, []map[string]any{nil,
				{"field": "NAME", "direction": "ASC"}, {"field": "NAME", "direction": "DESC"},
				{"field": "CREATED_AT", "direction": "ASC"}, {"field": "CREATED_AT", "direction": "DESC"},
				{"field": "UPDATED_AT", "direction": "DESC"}, {"field": "UPDATED_AT", "direction": "ASC"}}},
			{"contacts", `{hasThirdPartyWith: {kind: PROSPECT}}`, []map[string]any{nil,
				{"field": "LAST_NAME", "direction": "ASC"}, {"field": "LAST_NAME", "direction": "DESC"},
				{"field": "UPDATED_AT", "direction": "DESC"}}},
		} {
			typ := map[string]string{"thirdParties": "ThirdPartyOrder", "contacts": "ContactOrder"}[l.field]
			for _, o := range l.orders {
				t.Run(fmt.Sprintf("%s %v", l.field, o), func(t *testing.T) {
					rec := rec.with(t)
					vars := map[string]any{"o": o}
					// The whole list in one page, with totalCount: one COUNT.
					log.reset()
					all := get(rec.ok(e.tokenA, `query($o: `+typ+`) { `+l.field+`(first: 100, orderBy: $o, where: `+l.where+`) {
						totalCount edges { node { id } } } }`, vars), l.field)
					if n := len(log.counts()); n != 1 {
						t.Fatalf("totalCount asked: %d COUNT statements, want 1", n)
					}
					want := names(get(all, "edges"), "node.id")
					if num(all, "totalCount") != 25 || len(want) != 25 {
						t.Fatalf("the whole list: %v", all)
					}

					const size = 5 // 25 rows: the last page is full
					forward := `query($o: ` + typ + `, $after: Cursor) { ` + l.field + `(first: 5, after: $after, orderBy: $o, where: ` + l.where + `) {
						pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } } }`
					backward := `query($o: ` + typ + `, $before: Cursor) { ` + l.field + `(last: 5, before: $before, orderBy: $o, where: ` + l.where + `) {
						pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } } }`
					page := func(q, arg string, cursor any) pageOf {
						t.Helper()
						vars := map[string]any{"o": o, arg: cursor}
						c := get(rec.ok(e.tokenA, q, vars), l.field)
						p := pageOf{ids: names(get(c, "edges"), "node.id"),
							hasNext: get(c, "pageInfo.hasNextPage") == true, hasPrevious: get(c, "pageInfo.hasPreviousPage") == true,
							startCursor: get(c, "pageInfo.startCursor"), endCursor: get(c, "pageInfo.endCursor")}
						if n := len(p.ids); n > 0 {
							p.firstCursor, p.lastCursor = get(c, "edges.0.cursor"), get(c, fmt.Sprintf("edges.%d.cursor", n-1))
						}
						return p
					}

					log.reset()
					var seen []string
					var after any
					for i := range 5 {
						p := page(forward, "after", after)
						if len(p.ids) != size || p.hasNext != (i < 4) || p.hasPrevious != (i > 0) ||
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
					for i := range 5 {
						p := page(backward, "before", before)
						if len(p.ids) != size || p.hasPrevious != (i < 4) || p.hasNext != (i > 0) ||
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
			rec := rec.with(t)
			log.reset()
			got := rec.ok(e.tokenA, `{
				some: thirdParties(first: 0, where: {kind: PROSPECT}) { pageInfo { hasNextPage hasPreviousPage } edges { node { id } } }
				none: thirdParties(first: 0, where: {kind: OTHER}) { pageInfo { hasNextPage } }
				back: contacts(last: 0) { pageInfo { hasNextPage hasPreviousPage } }
				bare: thirdParties(first: 3, where: {kind: PROSPECT}) { pageInfo { hasNextPage } }
			}`, nil)
			for path, want := range map[string]any{
				"some.pageInfo.hasNextPage": true, "some.pageInfo.hasPreviousPage": false, "none.pageInfo.hasNextPage": false,
				"back.pageInfo.hasNextPage": false, "back.pageInfo.hasPreviousPage": true, "bare.pageInfo.hasNextPage": true,
			} {
				if get(got, path) != want {
					t.Errorf("%s = %v, want %v", path, get(got, path), want)
				}
			}
			if es, _ := get(got, "some.edges").([]any); len(es) != 0 {
				t.Errorf("first: 0 gave edges: %v", es)
			}
			if c := log.counts(); len(c) > 0 {
				t.Fatalf("pageInfo without edges ran %d COUNT statements: %s", len(c), c[0])
			}
		})
	})
}
