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
	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/server"
	"carnet/internal/testdb"
)

// TestPageCostDoesNotGrowWithPageSize proves there is no N+1: a page of
// 100 third parties with their owner, custom fields and contacts (each
// with its third party) costs the same SQL statements as a page of 10.
// countingEnv serves the database of e through a driver that counts SQL
// statements (authentication included).
func countingEnv(t *testing.T, d *db.DB) (*apitest.Env, *atomic.Int64) {
	var statements atomic.Int64
	counted := dialect.DebugWithContext(entsql.OpenDB(d.Dialect, d.SQL), func(context.Context, ...any) { statements.Add(1) })
	client := ent.NewClient(ent.Driver(counted))
	srv := httptest.NewServer(server.New(server.Config{Client: client, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	t.Cleanup(srv.Close)
	return &apitest.Env{T: t, Server: srv}, &statements
}

// pageCost returns the statements one request of a page of n costs.
func pageCost(t *testing.T, e *apitest.Env, statements *atomic.Int64, token, query string, n int) int64 {
	t.Helper()
	e.OK(token, query, map[string]any{"n": n}) // warm: the token's last-use write
	statements.Store(0)
	d := e.OK(token, query, map[string]any{"n": n})
	if got := len(apitest.Get(d, "thirdParties.edges").([]any)); got != n {
		t.Fatalf("page of %d has %d edges", n, got)
	}
	return statements.Load()
}

func TestPageCostDoesNotGrowWithPageSize(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		e.OK(e.TokenA, `mutation { defineCustomField(input: {target: PROSPECT, key: "secteur", label: "Secteur", type: TEXT}) { id } }`, nil)
		for i := 0; i < 100; i++ {
			id := e.Prospect(e.TokenA, fmt.Sprintf("Prospect %03d", i))
			for j := 0; j < 2; j++ {
				e.OK(e.TokenA, `mutation($id: ID!, $n: String!) { createContact(input: {thirdPartyId: $id, lastName: $n}) { id } }`,
					map[string]any{"id": id, "n": fmt.Sprintf("Contact %d-%d", i, j)})
			}
		}

		counting, statements := countingEnv(t, d)

		const page = `query($n: Int!) { thirdParties(first: $n, orderBy: {field: NAME}) { totalCount edges { node {
			name owner { name } customFields { key value } address { city }
			contacts(first: 5) { totalCount edges { node { lastName phoneUri thirdParty { name } } } } } } } }`
		small, large := pageCost(t, counting, statements, e.TokenA, page, 10), pageCost(t, counting, statements, e.TokenA, page, 100)
		t.Logf("statements: page of 10 → %d, page of 100 → %d", small, large)
		if large != small {
			t.Fatalf("a page of 100 costs %d statements, a page of 10 costs %d: N+1", large, small)
		}
	})
}

// TestPageWithLinksCostsAtMostTenStatements proves the links' loaders: a
// page of 100 third parties with their contacts, management links and
// filiation links (types and linked third parties) costs at most 10 SQL
// statements, authentication included, and as many as a page of 10.
func TestPageWithLinksCostsAtMostTenStatements(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		types := map[string]string{}
		for _, lt := range apitest.Get(e.OK(e.TokenA, `{ linkTypes { id code } }`, nil), "linkTypes").([]any) {
			types[apitest.Str(lt, "code")] = apitest.Str(lt, "id")
		}
		ids := make([]string, 101)
		for i := range ids {
			ids[i] = e.Prospect(e.TokenA, fmt.Sprintf("Prospect %03d", i))
			e.OK(e.TokenA, `mutation($id: ID!) { createContact(input: {thirdPartyId: $id, lastName: "Contact"}) { id } }`, map[string]any{"id": ids[i]})
		}
		for i := 0; i < 100; i++ {
			e.OK(e.TokenA, `mutation($a: ID!, $b: ID!, $t: ID!, $u: ID!) { createManagementLink(input: {thirdPartyId: $a, typeId: $t, linkedThirdPartyId: $b, linkedTypeId: $u}) { id } }`,
				map[string]any{"a": ids[i], "b": ids[i+1], "t": types["DONORDRE"], "u": types["CL_A_FACT"]})
			e.OK(e.TokenA, `mutation($a: ID!, $b: ID!, $t: ID!) { createFiliationLink(input: {thirdPartyId: $a, linkedThirdPartyId: $b, typeId: $t}) { id } }`,
				map[string]any{"a": ids[i], "b": ids[i+1], "t": types["FILIALE"]})
		}
		counting, statements := countingEnv(t, d)
		const page = `query($n: Int!) { thirdParties(first: $n, orderBy: {field: NAME}) { edges { node { name
			contacts(first: 5) { edges { node { lastName } } }
			managementLinks { isDefault type { code } linkedType { code } linkedThirdParty { name } }
			filiationLinks { type { code direction } linkedThirdParty { name } } } } } }`
		small, large := pageCost(t, counting, statements, e.TokenA, page, 10), pageCost(t, counting, statements, e.TokenA, page, 100)
		t.Logf("statements: page of 10 → %d, page of 100 → %d", small, large)
		if large != small || large > 10 {
			t.Fatalf("a page of 100 costs %d statements, a page of 10 costs %d: want equal and at most 10", large, small)
		}
	})
}
