package rights_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

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

func TestAuth_MissingUnknownRevokedOrExpiredTokenIsUnauthenticated401(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		uid, _ := e.UserWithID(e.TokenA, "rep@alpha.example", apitest.RightRead)

		// A token can only expire in the future.
		e.Fail(e.TokenA, `mutation($id: ID!, $at: Time!) { createToken(userId: $id, expiresAt: $at) { token } }`,
			map[string]any{"id": uid, "at": time.Now().Add(-time.Hour).Format(time.RFC3339)}, "BAD_USER_INPUT", "expiresAt")

		expiry := time.Now().Add(2 * time.Second)
		exp := e.OK(e.TokenA, `mutation($id: ID!, $at: Time!) { createToken(userId: $id, expiresAt: $at) { token info { expiresAt } } }`,
			map[string]any{"id": uid, "at": expiry.Format(time.RFC3339Nano)})
		expiring := apitest.Str(exp, "createToken.token")
		if apitest.Get(exp, "createToken.info.expiresAt") == nil {
			t.Fatalf("expiresAt not recorded: %v", exp)
		}
		if r := e.Do(expiring, `{ me { id } }`, nil); r.Status != http.StatusOK || apitest.Str(r.Data, "me.id") != uid {
			t.Fatalf("a token before its expiry must work: %d %+v", r.Status, r.Errors)
		}

		rv := e.OK(e.TokenA, `mutation($id: ID!) { createToken(userId: $id) { token info { id } } }`, map[string]any{"id": uid})
		revoked := apitest.Str(rv, "createToken.token")
		if r := e.Do(revoked, `{ me { id } }`, nil); r.Status != http.StatusOK {
			t.Fatalf("a token before its revocation must work: %d %+v", r.Status, r.Errors)
		}
		e.OK(e.TokenA, `mutation($id: ID!) { revokeToken(id: $id) }`, map[string]any{"id": apitest.Str(rv, "createToken.info.id")})

		check := func(t *testing.T, header string) {
			t.Helper()
			body, _ := json.Marshal(map[string]any{"query": `{ me { id } }`})
			req, _ := http.NewRequest(http.MethodPost, e.Server.URL+"/graphql", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			if header != "" {
				req.Header.Set("Authorization", header)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var r apitest.Result
			if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusUnauthorized || r.Code() != "UNAUTHENTICATED" || r.Data != nil {
				t.Fatalf("want 401 UNAUTHENTICATED without data, got %d %+v %v", resp.StatusCode, r.Errors, r.Data)
			}
		}
		for _, tc := range []struct{ name, header string }{
			{"no header", ""},
			{"empty bearer", "Bearer "},
			{"other scheme", "Basic " + e.TokenA},
			{"unknown token", "Bearer carnet_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
			{"not a Carnet token", "Bearer abc"},
			{"revoked token", "Bearer " + revoked},
		} {
			t.Run(tc.name, func(t *testing.T) { check(t, tc.header) })
		}
		time.Sleep(time.Until(expiry) + 200*time.Millisecond)
		t.Run("expired token", func(t *testing.T) { check(t, "Bearer "+expiring) })
	})
}

func TestClosedClients_AndTheirContactsExistOnlyWithRight191516(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		integration := e.User(e.TokenA, "backoffice@alpha.example", apitest.RightIntegrate)
		closed := e.OK(integration, apitest.UpsertClient, map[string]any{"in": map[string]any{"code": "CL-9", "name": "Fermeture Zinc", "closed": true}})
		if apitest.Str(closed, "upsertClient.status") != "CLOSED" || apitest.Str(closed, "upsertClient.kind") != "CLIENT" {
			t.Fatalf("closed client: %v", closed)
		}
		closedID := apitest.Str(closed, "upsertClient.id")
		openID := e.Client(integration, "CL-1", "Ouverture Zinc", false)
		closedContact := e.Contact(e.TokenA, closedID, "Zincferme")
		openContact := e.Contact(e.TokenA, openID, "Zincouvert")

		for _, tc := range []struct {
			name    string
			rights  []int
			visible bool
		}{
			{"without 191516", apitest.AllRightsExcept(apitest.RightClosed), false},
			{"with 191516", []int{apitest.RightRead, apitest.RightClosed}, true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				tok := e.User(e.TokenA, fmt.Sprintf("viewer%d@alpha.example", len(tc.rights)), tc.rights...)
				want := func(ids ...string) []string {
					if tc.visible {
						return ids
					}
					return ids[:1]
				}
				var got []string
				for _, n := range apitest.Get(e.OK(tok, `{ thirdParties(where: {kind: CLIENT}, orderBy: {field: CODE}) { edges { node { id } } } }`, nil), "thirdParties.edges").([]any) {
					got = append(got, apitest.Str(n, "node.id"))
				}
				if !slices.Equal(got, want(openID, closedID)) {
					t.Fatalf("thirdParties: got %v, want %v", got, want(openID, closedID))
				}
				got = nil
				for _, n := range apitest.Get(e.OK(tok, `{ contacts(orderBy: {field: LAST_NAME, direction: DESC}) { totalCount edges { node { id } } } }`, nil), "contacts.edges").([]any) {
					got = append(got, apitest.Str(n, "node.id"))
				}
				if !slices.Equal(got, want(openContact, closedContact)) {
					t.Fatalf("contacts: got %v, want %v", got, want(openContact, closedContact))
				}
				got = nil
				for _, h := range e.OK(tok, `{ search(query: "zinc") { label node { id } } }`, nil)["search"].([]any) {
					got = append(got, apitest.Str(h, "node.id"))
				}
				slices.Sort(got)
				wantSearch := want(openID, closedID)
				wantSearch = append(wantSearch, want(openContact, closedContact)...)
				slices.Sort(wantSearch)
				if !slices.Equal(got, wantSearch) {
					t.Fatalf("search: got %v, want %v", got, wantSearch)
				}
				for _, id := range []string{closedID, closedContact} {
					r := e.Do(tok, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id})
					if tc.visible && (len(r.Errors) > 0 || apitest.Str(r.Data, "node.id") != id) {
						t.Fatalf("node %s: %+v %v", id, r.Errors, r.Data)
					}
					if !tc.visible && (r.Code() != "NOT_FOUND" || r.Data["node"] != nil) {
						t.Fatalf("node %s of a closed client: want NOT_FOUND, got %+v %v", id, r.Errors, r.Data)
					}
				}
				if !tc.visible {
					// Nor can it be changed: it does not exist for this user.
					e.Fail(tok, `mutation($id: ID!) { updateThirdParty(id: $id, expectedVersion: 1, input: {name: "x"}) { id } }`, map[string]any{"id": closedID}, "NOT_FOUND")
					e.Fail(tok, `mutation($id: ID!) { createContact(input: {thirdPartyId: $id, lastName: "x"}) { id } }`, map[string]any{"id": closedID}, "BAD_USER_INPUT", "thirdPartyId")
					e.Fail(tok, `mutation($id: ID!) { deleteContact(id: $id) }`, map[string]any{"id": closedContact}, "NOT_FOUND")
				}
			})
		}
		if n := e.CountContacts(e.TokenA); n != 2 {
			t.Fatalf("contacts after refused changes: %d, want 2", n)
		}
	})
}

// An integration token (100005 only) closes then reopens a client by its
// code: the upsert stays idempotent whatever the client's status.
func TestUpsertClient_IntegrationUserReopensTheClientItClosed(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		integration := e.User(e.TokenA, "backoffice@alpha.example", apitest.RightIntegrate)
		id := e.Client(integration, "CL-7", "Client Fermé", true)
		r := e.Do(integration, apitest.UpsertClient, map[string]any{"in": map[string]any{"code": "CL-7", "name": "Client Rouvert", "closed": false}})
		if len(r.Errors) > 0 {
			t.Fatalf("reopening client CL-7 by its code: %+v", r.Errors)
		}
		if apitest.Str(r.Data, "upsertClient.id") != id || apitest.Str(r.Data, "upsertClient.status") != "ACTIVE" {
			t.Fatalf("reopened client: got %v, want id %s ACTIVE", r.Data, id)
		}
		if n := int(apitest.Num(e.OK(e.TokenA, `{ thirdParties(where: {code: "CL-7"}) { totalCount } }`, nil), "thirdParties.totalCount")); n != 1 {
			t.Fatalf("clients of code CL-7: %d", n)
		}
	})
}

// updateThirdParty documents "right 100002, or 100005 for a client": the
// back office changes the clients it integrates, not prospects.
func TestUpdateThirdParty_IntegrationRightChangesClientsButNotProspects(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		integration := e.User(e.TokenA, "backoffice@alpha.example", apitest.RightIntegrate)
		client := e.Client(integration, "C-1", "Client", false)
		prospect := e.Prospect(e.TokenA, "Prospect")
		const q = `mutation($id: ID!) { updateThirdParty(id: $id, expectedVersion: 1, input: {website: "www.client.fr"}) { website version } }`
		r := e.Do(integration, q, map[string]any{"id": client})
		if len(r.Errors) > 0 || apitest.Str(r.Data, "updateThirdParty.website") != "https://www.client.fr" {
			t.Fatalf("integration user updating a client: %+v %v", r.Errors, r.Data)
		}
		e.Fail(integration, q, map[string]any{"id": prospect}, "FORBIDDEN")
		if p := e.ThirdParty(e.TokenA, prospect); apitest.Num(p, "version") != 1 {
			t.Fatalf("prospect changed: %v", p)
		}
	})
}
