package server_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"carnet/ent"
	"carnet/internal/db"
	"carnet/internal/server"
	"carnet/internal/testdb"
)

// TestPageCostDoesNotGrowWithPageSize proves there is no N+1: a page of
// 100 third parties with their owner, custom fields and contacts (each
// with its third party) costs the same SQL statements as a page of 10.
func TestPageCostDoesNotGrowWithPageSize(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.ok(e.tokenA, `mutation { defineCustomField(input: {target: PROSPECT, key: "secteur", label: "Secteur", type: TEXT}) { id } }`, nil)
		for i := 0; i < 100; i++ {
			id := e.prospect(e.tokenA, fmt.Sprintf("Prospect %03d", i))
			for j := 0; j < 2; j++ {
				e.ok(e.tokenA, `mutation($id: ID!, $n: String!) { createContact(input: {thirdPartyId: $id, lastName: $n}) { id } }`,
					map[string]any{"id": id, "n": fmt.Sprintf("Contact %d-%d", i, j)})
			}
		}

		var statements atomic.Int64
		counted := dialect.DebugWithContext(entsql.OpenDB(d.Dialect, d.SQL), func(context.Context, ...any) { statements.Add(1) })
		client := ent.NewClient(ent.Driver(counted))
		srv := httptest.NewServer(server.New(server.Config{Client: client, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
		defer srv.Close()
		counting := &env{t: t, srv: srv}

		const page = `query($n: Int!) { thirdParties(first: $n, orderBy: {field: NAME}) { totalCount edges { node {
			name owner { name } customFields { key value } address { city }
			contacts(first: 5) { totalCount edges { node { lastName phoneUri thirdParty { name } } } } } } } }`
		cost := func(n int) int64 {
			counting.ok(e.tokenA, page, map[string]any{"n": n}) // warm: token last-use write
			statements.Store(0)
			d := counting.ok(e.tokenA, page, map[string]any{"n": n})
			if got := len(get(d, "thirdParties.edges").([]any)); got != n {
				t.Fatalf("page of %d has %d edges", n, got)
			}
			return statements.Load()
		}
		small, large := cost(10), cost(100)
		t.Logf("statements: page of 10 → %d, page of 100 → %d", small, large)
		if large != small {
			t.Fatalf("a page of 100 costs %d statements, a page of 10 costs %d: N+1", large, small)
		}
	})
}
