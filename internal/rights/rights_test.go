package rights_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/testdb"
)

func TestRights_EachOperationIsForbiddenWithoutItsRightAndWritesNothing(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		seq := 0
		next := func() int { seq++; return seq }
		prospect := func(e *apitest.Env) map[string]any {
			return map[string]any{"id": e.Prospect(e.TokenA, fmt.Sprintf("Prospect %d", next()))}
		}
		contact := func(e *apitest.Env) map[string]any {
			return map[string]any{"id": e.Contact(e.TokenA, e.Prospect(e.TokenA, fmt.Sprintf("Owner %d", next())), "Martin")}
		}
		otherUser := func(e *apitest.Env) map[string]any {
			id, _ := e.UserWithID(e.TokenA, fmt.Sprintf("other%d@alpha.example", next()), apitest.RightRead)
			return map[string]any{"id": id}
		}
		unique := func(key string) func(*apitest.Env) map[string]any {
			return func(*apitest.Env) map[string]any { return map[string]any{key: fmt.Sprintf("x%d", next())} }
		}

		for _, tc := range []struct {
			name    string
			query   string
			prep    func(e *apitest.Env) map[string]any
			lacking []int   // rights of a user who must be refused
			holding [][]int // rights of users who must succeed
			read    bool    // a query: nothing to write
		}{
			{"createProspect needs 100002", `mutation { createProspect(input: {name: "New"}) { id } }`, nil,
				apitest.AllRightsExcept(apitest.RightWrite), [][]int{{apitest.RightWrite}}, false},
			{"validateProspect needs 191515", `mutation($id: ID!) { validateProspect(id: $id) { status } }`, prospect,
				apitest.AllRightsExcept(apitest.RightValidate), [][]int{{apitest.RightRead, apitest.RightValidate}}, false},
			{"updateThirdParty of a prospect needs 100002", `mutation($id: ID!) { updateThirdParty(id: $id, expectedVersion: 1, input: {name: "Renamed"}) { version } }`, prospect,
				apitest.AllRightsExcept(apitest.RightWrite), [][]int{{apitest.RightRead, apitest.RightWrite}}, false},
			{"deleteThirdParty needs 100003", `mutation($id: ID!) { deleteThirdParty(id: $id) }`, prospect,
				apitest.AllRightsExcept(apitest.RightDelete), [][]int{{apitest.RightRead, apitest.RightDelete}}, false},
			{"createContact needs 100002", `mutation($id: ID!) { createContact(input: {thirdPartyId: $id, lastName: "Durand"}) { id } }`, prospect,
				apitest.AllRightsExcept(apitest.RightWrite), [][]int{{apitest.RightRead, apitest.RightWrite}}, false},
			{"updateContact needs 100002", `mutation($id: ID!) { updateContact(id: $id, expectedVersion: 1, input: {lastName: "Renamed"}) { version } }`, contact,
				apitest.AllRightsExcept(apitest.RightWrite), [][]int{{apitest.RightRead, apitest.RightWrite}}, false},
			{"deleteContact needs 100003", `mutation($id: ID!) { deleteContact(id: $id) }`, contact,
				apitest.AllRightsExcept(apitest.RightDelete), [][]int{{apitest.RightRead, apitest.RightDelete}}, false},
			{"upsertClient needs 100005 and nothing else will do", `mutation($code: String!) { upsertClient(input: {code: $code, name: "Client"}) { id } }`, unique("code"),
				apitest.AllRightsExcept(apitest.RightIntegrate), [][]int{{apitest.RightIntegrate}}, false},
			{"createThirdParty needs 100005 or 100009", `mutation($code: String!) { createThirdParty(input: {kind: SUPPLIER, name: "Fournisseur", code: $code}) { id } }`, unique("code"),
				apitest.AllRightsExcept(apitest.RightIntegrate, apitest.RightAdmin), [][]int{{apitest.RightIntegrate}, {apitest.RightAdmin}}, false},
			{"createCompany needs 100009", `mutation($name: String!) { createCompany(input: {name: $name}) { id } }`, unique("name"),
				apitest.AllRightsExcept(apitest.RightAdmin), [][]int{{apitest.RightAdmin}}, false},
			{"createUser needs 100009", `mutation($name: String!, $c: ID!) { createUser(input: {email: "new@alpha.example", name: $name, companyId: $c, rights: [100001]}) { id } }`,
				func(e *apitest.Env) map[string]any {
					return map[string]any{"name": "New", "c": apitest.Str(e.OK(e.TokenA, `{ me { company { id } } }`, nil), "me.company.id")}
				}, apitest.AllRightsExcept(apitest.RightAdmin), [][]int{{apitest.RightAdmin}}, false},
			{"updateUserRights needs 100009", `mutation($id: ID!) { updateUserRights(id: $id, rights: [100001, 100002]) { rights } }`, otherUser,
				apitest.AllRightsExcept(apitest.RightAdmin), [][]int{{apitest.RightAdmin}}, false},
			{"createToken for another user needs 100009", `mutation($id: ID!) { createToken(userId: $id) { token } }`, otherUser,
				apitest.AllRightsExcept(apitest.RightAdmin), [][]int{{apitest.RightAdmin}}, false},
			{"setFeatureFlag needs 100009", `mutation { setFeatureFlag(flag: MANAGEMENT_LINKS, enabled: false) { features } }`, nil,
				apitest.AllRightsExcept(apitest.RightAdmin), [][]int{{apitest.RightAdmin}}, false},
			{"defineCustomField needs 100009", `mutation($key: String!) { defineCustomField(input: {target: PROSPECT, key: $key, label: "Secteur", type: TEXT}) { id } }`, unique("key"),
				apitest.AllRightsExcept(apitest.RightAdmin), [][]int{{apitest.RightAdmin}}, false},
			{"users needs 100009", `{ users { id } }`, nil,
				apitest.AllRightsExcept(apitest.RightAdmin), [][]int{{apitest.RightAdmin}}, true},
			{"thirdParties needs 100001", `{ thirdParties { totalCount } }`, nil,
				apitest.AllRightsExcept(apitest.RightRead, apitest.RightIntegrate), [][]int{{apitest.RightRead}}, true},
			{"contacts needs 100001", `{ contacts { totalCount } }`, nil,
				apitest.AllRightsExcept(apitest.RightRead, apitest.RightIntegrate), [][]int{{apitest.RightRead}}, true},
			{"search needs 100001", `{ search(query: "Prospect") { label } }`, nil,
				apitest.AllRightsExcept(apitest.RightRead, apitest.RightIntegrate), [][]int{{apitest.RightRead}}, true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				lacking := e.User(e.TokenA, fmt.Sprintf("lacking%d@alpha.example", next()), tc.lacking...)
				var holders []string
				for _, rs := range tc.holding {
					holders = append(holders, e.User(e.TokenA, fmt.Sprintf("holder%d@alpha.example", next()), rs...))
				}
				var vars map[string]any
				if tc.prep != nil {
					vars = tc.prep(e)
				}
				before := e.Snapshot()
				r := e.Fail(lacking, tc.query, vars, "FORBIDDEN")
				if r.Data != nil && slices.ContainsFunc(apitest.MapValues(r.Data), func(v any) bool { return v != nil }) {
					t.Fatalf("refused operation still answered data: %v", r.Data)
				}
				if after := e.Snapshot(); after != before {
					t.Fatalf("a refused operation wrote:\nbefore %s\nafter  %s", before, after)
				}
				for i, h := range holders {
					if tc.prep != nil {
						vars = tc.prep(e)
					}
					before := e.Snapshot()
					got := e.OK(h, tc.query, vars)
					if slices.Contains(apitest.MapValues(got), nil) {
						t.Fatalf("holder %v got no data: %v", tc.holding[i], got)
					}
					if !tc.read && e.Snapshot() == before {
						t.Fatalf("holder %v: the operation wrote nothing", tc.holding[i])
					}
				}
			})
		}
	})
}

func TestRights_RevokingAnotherUsersTokenNeedsAdministration(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		_, victim := e.UserWithID(e.TokenA, "victim@alpha.example", apitest.RightRead)
		victimToken := apitest.Str(e.OK(victim, `{ me { tokens { id } } }`, nil), "me.tokens.0.id")
		lacking := e.User(e.TokenA, "lacking@alpha.example", apitest.AllRightsExcept(apitest.RightAdmin)...)

		// FORBIDDEN (missing right) or NOT_FOUND (another user's tokens are
		// not shown to a non-administrator): either way, nothing happens.
		e.FailOneOf(lacking, `mutation($id: ID!) { revokeToken(id: $id) }`, map[string]any{"id": victimToken}, "FORBIDDEN", "NOT_FOUND")
		if r := e.Do(victim, `{ me { id } }`, nil); r.Status != http.StatusOK || len(r.Errors) > 0 {
			t.Fatalf("the victim's token was revoked by a user without 100009: %d %+v", r.Status, r.Errors)
		}
		admin := e.User(e.TokenA, "admin2@alpha.example", apitest.RightAdmin)
		if got := apitest.Str(e.OK(admin, `mutation($id: ID!) { revokeToken(id: $id) }`, map[string]any{"id": victimToken}), "revokeToken"); got != victimToken {
			t.Fatalf("revokeToken returned %q, want %q", got, victimToken)
		}
		if r := e.Do(victim, `{ me { id } }`, nil); r.Status != http.StatusUnauthorized {
			t.Fatalf("revoked by an administrator, the token still works: %d", r.Status)
		}
	})
}

func TestRights_UserCreatesAndRevokesOwnTokensWithoutAdministration(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		me, tok := e.UserWithID(e.TokenA, "self@alpha.example", apitest.RightRead)
		other, _ := e.UserWithID(e.TokenA, "other@alpha.example", apitest.RightRead)

		created := e.OK(tok, `mutation($id: ID!) { createToken(userId: $id, name: "laptop") { token info { id name user { id } } } }`, map[string]any{"id": me})
		second := apitest.Str(created, "createToken.token")
		if second == "" || apitest.Str(created, "createToken.info.name") != "laptop" || apitest.Str(created, "createToken.info.user.id") != me {
			t.Fatalf("createToken for oneself: %v", created)
		}
		if got := apitest.Str(e.OK(second, `{ me { id } }`, nil), "me.id"); got != me {
			t.Fatalf("the new token authenticates %q, want %q", got, me)
		}
		e.Fail(tok, `mutation($id: ID!) { createToken(userId: $id) { token } }`, map[string]any{"id": other}, "FORBIDDEN")
		if ts, _ := e.OK(e.TokenA, `query($id: ID!) { node(id: $id) { ... on User { tokens { id } } } }`, map[string]any{"id": other})["node"].(map[string]any)["tokens"].([]any); len(ts) != 1 {
			t.Fatalf("a token was created for another user: %v", ts)
		}

		id := apitest.Str(created, "createToken.info.id")
		if got := apitest.Str(e.OK(tok, `mutation($id: ID!) { revokeToken(id: $id) }`, map[string]any{"id": id}), "revokeToken"); got != id {
			t.Fatalf("revokeToken returned %q, want %q", got, id)
		}
		if r := e.Do(second, `{ me { id } }`, nil); r.Status != http.StatusUnauthorized || r.Code() != "UNAUTHENTICATED" {
			t.Fatalf("revoked token: status %d %+v", r.Status, r.Errors)
		}
		// The first token is untouched.
		if got := apitest.Str(e.OK(tok, `{ me { id } }`, nil), "me.id"); got != me {
			t.Fatalf("first token: %q", got)
		}
	})
}
