package admin_test

import (
	"testing"
	"time"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/rights"
	"carnet/internal/testdb"
)

// TestAdmin_ChangesApplyOnTheNextRequestWithTheTokenCacheOn: with the
// token cache on (as `carnet serve` runs by default), a revoked token, a
// removed right and a switched feature flag apply from the very next
// request, though that request would otherwise be answered from the
// cache.
func TestAdmin_ChangesApplyOnTheNextRequestWithTheTokenCacheOn(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.NewWithAuthCache(t, d, time.Hour)
		const (
			me       = `{ me { id rights organisation { features } } }`
			prospect = `mutation { createProspect(input: {name: "Essai"}) { id } }`
		)
		rep := e.User(e.TokenA, "rep@alpha.example", int(rights.ReadAddressBook), int(rights.WriteAddressBook))
		userID := apitest.Str(e.OK(rep, me, nil), "me.id")
		e.OK(rep, prospect, nil) // cached

		// A right removed.
		e.OK(e.TokenA, `mutation($id: ID!, $r: [Int!]!) { updateUserRights(id: $id, rights: $r) { id } }`,
			map[string]any{"id": userID, "r": []int{int(rights.ReadAddressBook)}})
		e.Fail(rep, prospect, nil, "FORBIDDEN")

		// A feature flag switched, read from the viewer by the links'
		// mutations.
		id := apitest.Str(e.OK(rep, `{ me { company { id } } }`, nil), "me.company.id") // any ID
		const deleteLink = `mutation($id: ID!) { deleteManagementLink(id: $id) }`
		e.SetFlag(e.TokenA, "MANAGEMENT_LINKS", false)
		e.Fail(rep, deleteLink, map[string]any{"id": id}, "FEATURE_DISABLED")
		e.SetFlag(e.TokenA, "MANAGEMENT_LINKS", true)
		if r := e.Do(rep, deleteLink, map[string]any{"id": id}); r.Code() == "FEATURE_DISABLED" {
			t.Fatalf("management links switched on, the next request answered %s", r.Code())
		}

		// The token revoked.
		tokens := e.OK(e.TokenA, `query($id: ID!) { node(id: $id) { ... on User { tokens { id } } } }`, map[string]any{"id": userID})
		list, _ := apitest.Get(tokens, "node.tokens").([]any)
		if len(list) != 1 {
			t.Fatalf("tokens of the rep: %v", tokens)
		}
		e.OK(e.TokenA, `mutation($id: ID!) { revokeToken(id: $id) }`, map[string]any{"id": apitest.Str(list[0], "id")})
		e.Fail(rep, me, nil, "UNAUTHENTICATED")
	})
}
