package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"carnet/internal/db"
	"carnet/internal/rights"
	"carnet/internal/testdb"
)

// allExcept returns every right but rs.
func allExcept(rs ...int) []int {
	var out []int
	for _, c := range rights.AllCodes() {
		if !slices.Contains(rs, c) {
			out = append(out, c)
		}
	}
	return out
}

// snapshot is everything of A an operation could write, as the
// administrator of A sees it (timestamps left out).
func (e *env) snapshot() string {
	e.t.Helper()
	d := e.ok(e.tokenA, `{
		thirdParties(first: 100, orderBy: {field: CREATED_AT}) { totalCount edges { node { id kind status version code name email
			customFields { key value } contacts(first: 100) { totalCount } } } }
		contacts(first: 100, orderBy: {field: CREATED_AT}) { totalCount edges { node { id lastName version } } }
		users { email rights tokens { id revokedAt } }
		me { organisation { features companies { name shared } } }
		customFieldDefinitions { key label type required choices }
	}`, nil)
	b, _ := json.Marshal(d)
	return string(b)
}

func TestRights_EachOperationIsForbiddenWithoutItsRightAndWritesNothing(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		seq := 0
		next := func() int { seq++; return seq }
		prospect := func(e *env) map[string]any {
			return map[string]any{"id": e.prospect(e.tokenA, fmt.Sprintf("Prospect %d", next()))}
		}
		contact := func(e *env) map[string]any {
			return map[string]any{"id": e.contact(e.tokenA, e.prospect(e.tokenA, fmt.Sprintf("Owner %d", next())), "Martin")}
		}
		otherUser := func(e *env) map[string]any {
			id, _ := e.userWithID(e.tokenA, fmt.Sprintf("other%d@alpha.example", next()), rRead)
			return map[string]any{"id": id}
		}
		unique := func(key string) func(*env) map[string]any {
			return func(*env) map[string]any { return map[string]any{key: fmt.Sprintf("x%d", next())} }
		}

		for _, tc := range []struct {
			name    string
			query   string
			prep    func(e *env) map[string]any
			lacking []int   // rights of a user who must be refused
			holding [][]int // rights of users who must succeed
			read    bool    // a query: nothing to write
		}{
			{"createProspect needs 100002", `mutation { createProspect(input: {name: "New"}) { id } }`, nil,
				allExcept(rWrite), [][]int{{rWrite}}, false},
			{"validateProspect needs 191515", `mutation($id: ID!) { validateProspect(id: $id) { status } }`, prospect,
				allExcept(rValidate), [][]int{{rRead, rValidate}}, false},
			{"updateThirdParty of a prospect needs 100002", `mutation($id: ID!) { updateThirdParty(id: $id, expectedVersion: 1, input: {name: "Renamed"}) { version } }`, prospect,
				allExcept(rWrite), [][]int{{rRead, rWrite}}, false},
			{"deleteThirdParty needs 100003", `mutation($id: ID!) { deleteThirdParty(id: $id) }`, prospect,
				allExcept(rDelete), [][]int{{rRead, rDelete}}, false},
			{"createContact needs 100002", `mutation($id: ID!) { createContact(input: {thirdPartyId: $id, lastName: "Durand"}) { id } }`, prospect,
				allExcept(rWrite), [][]int{{rRead, rWrite}}, false},
			{"updateContact needs 100002", `mutation($id: ID!) { updateContact(id: $id, expectedVersion: 1, input: {lastName: "Renamed"}) { version } }`, contact,
				allExcept(rWrite), [][]int{{rRead, rWrite}}, false},
			{"deleteContact needs 100003", `mutation($id: ID!) { deleteContact(id: $id) }`, contact,
				allExcept(rDelete), [][]int{{rRead, rDelete}}, false},
			{"upsertClient needs 100005 and nothing else will do", `mutation($code: String!) { upsertClient(input: {code: $code, name: "Client"}) { id } }`, unique("code"),
				allExcept(rIntegrate), [][]int{{rIntegrate}}, false},
			{"createThirdParty needs 100005 or 100009", `mutation($code: String!) { createThirdParty(input: {kind: SUPPLIER, name: "Fournisseur", code: $code}) { id } }`, unique("code"),
				allExcept(rIntegrate, rAdmin), [][]int{{rIntegrate}, {rAdmin}}, false},
			{"createCompany needs 100009", `mutation($name: String!) { createCompany(input: {name: $name}) { id } }`, unique("name"),
				allExcept(rAdmin), [][]int{{rAdmin}}, false},
			{"createUser needs 100009", `mutation($name: String!, $c: ID!) { createUser(input: {email: "new@alpha.example", name: $name, companyId: $c, rights: [100001]}) { id } }`,
				func(e *env) map[string]any {
					return map[string]any{"name": "New", "c": str(e.ok(e.tokenA, `{ me { company { id } } }`, nil), "me.company.id")}
				}, allExcept(rAdmin), [][]int{{rAdmin}}, false},
			{"updateUserRights needs 100009", `mutation($id: ID!) { updateUserRights(id: $id, rights: [100001, 100002]) { rights } }`, otherUser,
				allExcept(rAdmin), [][]int{{rAdmin}}, false},
			{"createToken for another user needs 100009", `mutation($id: ID!) { createToken(userId: $id) { token } }`, otherUser,
				allExcept(rAdmin), [][]int{{rAdmin}}, false},
			{"setFeatureFlag needs 100009", `mutation { setFeatureFlag(flag: MANAGEMENT_LINKS, enabled: false) { features } }`, nil,
				allExcept(rAdmin), [][]int{{rAdmin}}, false},
			{"defineCustomField needs 100009", `mutation($key: String!) { defineCustomField(input: {target: PROSPECT, key: $key, label: "Secteur", type: TEXT}) { id } }`, unique("key"),
				allExcept(rAdmin), [][]int{{rAdmin}}, false},
			{"users needs 100009", `{ users { id } }`, nil,
				allExcept(rAdmin), [][]int{{rAdmin}}, true},
			{"thirdParties needs 100001", `{ thirdParties { totalCount } }`, nil,
				allExcept(rRead, rIntegrate), [][]int{{rRead}}, true},
			{"contacts needs 100001", `{ contacts { totalCount } }`, nil,
				allExcept(rRead, rIntegrate), [][]int{{rRead}}, true},
			{"search needs 100001", `{ search(query: "Prospect") { label } }`, nil,
				allExcept(rRead, rIntegrate), [][]int{{rRead}}, true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.with(t)
				lacking := e.user(e.tokenA, fmt.Sprintf("lacking%d@alpha.example", next()), tc.lacking...)
				var holders []string
				for _, rs := range tc.holding {
					holders = append(holders, e.user(e.tokenA, fmt.Sprintf("holder%d@alpha.example", next()), rs...))
				}
				var vars map[string]any
				if tc.prep != nil {
					vars = tc.prep(e)
				}
				before := e.snapshot()
				r := e.fail(lacking, tc.query, vars, "FORBIDDEN")
				if r.Data != nil && slices.ContainsFunc(mapValues(r.Data), func(v any) bool { return v != nil }) {
					t.Fatalf("refused operation still answered data: %v", r.Data)
				}
				if after := e.snapshot(); after != before {
					t.Fatalf("a refused operation wrote:\nbefore %s\nafter  %s", before, after)
				}
				for i, h := range holders {
					if tc.prep != nil {
						vars = tc.prep(e)
					}
					before := e.snapshot()
					got := e.ok(h, tc.query, vars)
					if slices.Contains(mapValues(got), nil) {
						t.Fatalf("holder %v got no data: %v", tc.holding[i], got)
					}
					if !tc.read && e.snapshot() == before {
						t.Fatalf("holder %v: the operation wrote nothing", tc.holding[i])
					}
				}
			})
		}
	})
}

// mapValues lists the values of m.
func mapValues(m map[string]any) []any {
	var out []any
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func TestRights_RevokingAnotherUsersTokenNeedsAdministration(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		_, victim := e.userWithID(e.tokenA, "victim@alpha.example", rRead)
		victimToken := str(e.ok(victim, `{ me { tokens { id } } }`, nil), "me.tokens.0.id")
		lacking := e.user(e.tokenA, "lacking@alpha.example", allExcept(rAdmin)...)

		// FORBIDDEN (missing right) or NOT_FOUND (another user's tokens are
		// not shown to a non-administrator): either way, nothing happens.
		e.failOneOf(lacking, `mutation($id: ID!) { revokeToken(id: $id) }`, map[string]any{"id": victimToken}, "FORBIDDEN", "NOT_FOUND")
		if r := e.do(victim, `{ me { id } }`, nil); r.Status != http.StatusOK || len(r.Errors) > 0 {
			t.Fatalf("the victim's token was revoked by a user without 100009: %d %+v", r.Status, r.Errors)
		}
		admin := e.user(e.tokenA, "admin2@alpha.example", rAdmin)
		if got := str(e.ok(admin, `mutation($id: ID!) { revokeToken(id: $id) }`, map[string]any{"id": victimToken}), "revokeToken"); got != victimToken {
			t.Fatalf("revokeToken returned %q, want %q", got, victimToken)
		}
		if r := e.do(victim, `{ me { id } }`, nil); r.Status != http.StatusUnauthorized {
			t.Fatalf("revoked by an administrator, the token still works: %d", r.Status)
		}
	})
}

func TestRights_UserCreatesAndRevokesOwnTokensWithoutAdministration(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		me, tok := e.userWithID(e.tokenA, "self@alpha.example", rRead)
		other, _ := e.userWithID(e.tokenA, "other@alpha.example", rRead)

		created := e.ok(tok, `mutation($id: ID!) { createToken(userId: $id, name: "laptop") { token info { id name user { id } } } }`, map[string]any{"id": me})
		second := str(created, "createToken.token")
		if second == "" || str(created, "createToken.info.name") != "laptop" || str(created, "createToken.info.user.id") != me {
			t.Fatalf("createToken for oneself: %v", created)
		}
		if got := str(e.ok(second, `{ me { id } }`, nil), "me.id"); got != me {
			t.Fatalf("the new token authenticates %q, want %q", got, me)
		}
		e.fail(tok, `mutation($id: ID!) { createToken(userId: $id) { token } }`, map[string]any{"id": other}, "FORBIDDEN")
		if ts, _ := e.ok(e.tokenA, `query($id: ID!) { node(id: $id) { ... on User { tokens { id } } } }`, map[string]any{"id": other})["node"].(map[string]any)["tokens"].([]any); len(ts) != 1 {
			t.Fatalf("a token was created for another user: %v", ts)
		}

		id := str(created, "createToken.info.id")
		if got := str(e.ok(tok, `mutation($id: ID!) { revokeToken(id: $id) }`, map[string]any{"id": id}), "revokeToken"); got != id {
			t.Fatalf("revokeToken returned %q, want %q", got, id)
		}
		if r := e.do(second, `{ me { id } }`, nil); r.Status != http.StatusUnauthorized || r.code() != "UNAUTHENTICATED" {
			t.Fatalf("revoked token: status %d %+v", r.Status, r.Errors)
		}
		// The first token is untouched.
		if got := str(e.ok(tok, `{ me { id } }`, nil), "me.id"); got != me {
			t.Fatalf("first token: %q", got)
		}
	})
}

func TestAuth_MissingUnknownRevokedOrExpiredTokenIsUnauthenticated401(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		uid, _ := e.userWithID(e.tokenA, "rep@alpha.example", rRead)

		// A token can only expire in the future.
		e.fail(e.tokenA, `mutation($id: ID!, $at: Time!) { createToken(userId: $id, expiresAt: $at) { token } }`,
			map[string]any{"id": uid, "at": time.Now().Add(-time.Hour).Format(time.RFC3339)}, "BAD_USER_INPUT", "expiresAt")

		expiry := time.Now().Add(2 * time.Second)
		exp := e.ok(e.tokenA, `mutation($id: ID!, $at: Time!) { createToken(userId: $id, expiresAt: $at) { token info { expiresAt } } }`,
			map[string]any{"id": uid, "at": expiry.Format(time.RFC3339Nano)})
		expiring := str(exp, "createToken.token")
		if get(exp, "createToken.info.expiresAt") == nil {
			t.Fatalf("expiresAt not recorded: %v", exp)
		}
		if r := e.do(expiring, `{ me { id } }`, nil); r.Status != http.StatusOK || str(r.Data, "me.id") != uid {
			t.Fatalf("a token before its expiry must work: %d %+v", r.Status, r.Errors)
		}

		rv := e.ok(e.tokenA, `mutation($id: ID!) { createToken(userId: $id) { token info { id } } }`, map[string]any{"id": uid})
		revoked := str(rv, "createToken.token")
		if r := e.do(revoked, `{ me { id } }`, nil); r.Status != http.StatusOK {
			t.Fatalf("a token before its revocation must work: %d %+v", r.Status, r.Errors)
		}
		e.ok(e.tokenA, `mutation($id: ID!) { revokeToken(id: $id) }`, map[string]any{"id": str(rv, "createToken.info.id")})

		check := func(t *testing.T, header string) {
			t.Helper()
			body, _ := json.Marshal(map[string]any{"query": `{ me { id } }`})
			req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/graphql", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			if header != "" {
				req.Header.Set("Authorization", header)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var r result
			if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusUnauthorized || r.code() != "UNAUTHENTICATED" || r.Data != nil {
				t.Fatalf("want 401 UNAUTHENTICATED without data, got %d %+v %v", resp.StatusCode, r.Errors, r.Data)
			}
		}
		for _, tc := range []struct{ name, header string }{
			{"no header", ""},
			{"empty bearer", "Bearer "},
			{"other scheme", "Basic " + e.tokenA},
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
		e := newEnv(t, d)
		integration := e.user(e.tokenA, "backoffice@alpha.example", rIntegrate)
		closed := e.ok(integration, upsertClient, map[string]any{"in": map[string]any{"code": "CL-9", "name": "Fermeture Zinc", "closed": true}})
		if str(closed, "upsertClient.status") != "CLOSED" || str(closed, "upsertClient.kind") != "CLIENT" {
			t.Fatalf("closed client: %v", closed)
		}
		closedID := str(closed, "upsertClient.id")
		openID := e.client(integration, "CL-1", "Ouverture Zinc", false)
		closedContact := e.contact(e.tokenA, closedID, "Zincferme")
		openContact := e.contact(e.tokenA, openID, "Zincouvert")

		for _, tc := range []struct {
			name    string
			rights  []int
			visible bool
		}{
			{"without 191516", allExcept(rClosed), false},
			{"with 191516", []int{rRead, rClosed}, true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.with(t)
				tok := e.user(e.tokenA, fmt.Sprintf("viewer%d@alpha.example", len(tc.rights)), tc.rights...)
				want := func(ids ...string) []string {
					if tc.visible {
						return ids
					}
					return ids[:1]
				}
				var got []string
				for _, n := range get(e.ok(tok, `{ thirdParties(where: {kind: CLIENT}, orderBy: {field: CODE}) { edges { node { id } } } }`, nil), "thirdParties.edges").([]any) {
					got = append(got, str(n, "node.id"))
				}
				if !slices.Equal(got, want(openID, closedID)) {
					t.Fatalf("thirdParties: got %v, want %v", got, want(openID, closedID))
				}
				got = nil
				for _, n := range get(e.ok(tok, `{ contacts(orderBy: {field: LAST_NAME, direction: DESC}) { totalCount edges { node { id } } } }`, nil), "contacts.edges").([]any) {
					got = append(got, str(n, "node.id"))
				}
				if !slices.Equal(got, want(openContact, closedContact)) {
					t.Fatalf("contacts: got %v, want %v", got, want(openContact, closedContact))
				}
				got = nil
				for _, h := range e.ok(tok, `{ search(query: "zinc") { label node { id } } }`, nil)["search"].([]any) {
					got = append(got, str(h, "node.id"))
				}
				slices.Sort(got)
				wantSearch := want(openID, closedID)
				wantSearch = append(wantSearch, want(openContact, closedContact)...)
				slices.Sort(wantSearch)
				if !slices.Equal(got, wantSearch) {
					t.Fatalf("search: got %v, want %v", got, wantSearch)
				}
				for _, id := range []string{closedID, closedContact} {
					r := e.do(tok, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id})
					if tc.visible && (len(r.Errors) > 0 || str(r.Data, "node.id") != id) {
						t.Fatalf("node %s: %+v %v", id, r.Errors, r.Data)
					}
					if !tc.visible && (r.code() != "NOT_FOUND" || r.Data["node"] != nil) {
						t.Fatalf("node %s of a closed client: want NOT_FOUND, got %+v %v", id, r.Errors, r.Data)
					}
				}
				if !tc.visible {
					// Nor can it be changed: it does not exist for this user.
					e.fail(tok, `mutation($id: ID!) { updateThirdParty(id: $id, expectedVersion: 1, input: {name: "x"}) { id } }`, map[string]any{"id": closedID}, "NOT_FOUND")
					e.fail(tok, `mutation($id: ID!) { createContact(input: {thirdPartyId: $id, lastName: "x"}) { id } }`, map[string]any{"id": closedID}, "BAD_USER_INPUT", "thirdPartyId")
					e.fail(tok, `mutation($id: ID!) { deleteContact(id: $id) }`, map[string]any{"id": closedContact}, "NOT_FOUND")
				}
			})
		}
		if n := e.countContacts(e.tokenA); n != 2 {
			t.Fatalf("contacts after refused changes: %d, want 2", n)
		}
	})
}

// An integration token (100005 only) closes then reopens a client by its
// code: the upsert stays idempotent whatever the client's status.
func TestUpsertClient_IntegrationUserReopensTheClientItClosed(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		integration := e.user(e.tokenA, "backoffice@alpha.example", rIntegrate)
		id := e.client(integration, "CL-7", "Client Fermé", true)
		r := e.do(integration, upsertClient, map[string]any{"in": map[string]any{"code": "CL-7", "name": "Client Rouvert", "closed": false}})
		if len(r.Errors) > 0 {
			t.Fatalf("reopening client CL-7 by its code: %+v", r.Errors)
		}
		if str(r.Data, "upsertClient.id") != id || str(r.Data, "upsertClient.status") != "ACTIVE" {
			t.Fatalf("reopened client: got %v, want id %s ACTIVE", r.Data, id)
		}
		if n := int(num(e.ok(e.tokenA, `{ thirdParties(where: {code: "CL-7"}) { totalCount } }`, nil), "thirdParties.totalCount")); n != 1 {
			t.Fatalf("clients of code CL-7: %d", n)
		}
	})
}

// updateThirdParty documents "right 100002, or 100005 for a client": the
// back office changes the clients it integrates, not prospects.
func TestUpdateThirdParty_IntegrationRightChangesClientsButNotProspects(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		integration := e.user(e.tokenA, "backoffice@alpha.example", rIntegrate)
		client := e.client(integration, "C-1", "Client", false)
		prospect := e.prospect(e.tokenA, "Prospect")
		const q = `mutation($id: ID!) { updateThirdParty(id: $id, expectedVersion: 1, input: {website: "www.client.fr"}) { website version } }`
		r := e.do(integration, q, map[string]any{"id": client})
		if len(r.Errors) > 0 || str(r.Data, "updateThirdParty.website") != "https://www.client.fr" {
			t.Fatalf("integration user updating a client: %+v %v", r.Errors, r.Data)
		}
		e.fail(integration, q, map[string]any{"id": prospect}, "FORBIDDEN")
		if p := e.thirdParty(e.tokenA, prospect); num(p, "version") != 1 {
			t.Fatalf("prospect changed: %v", p)
		}
	})
}
