package server_test

import (
	"slices"
	"strings"
	"testing"

	"carnet/internal/db"
	"carnet/internal/gid"
	"carnet/internal/testdb"
)

// alpha is data of organisation A that B must never see.
type alpha struct {
	prospect, contact, client string // third party, contact and client IDs
	rep, repToken, repTokenID string // a user of A, its bearer token and the token's ID
	company, org, customField string // A's login company, organisation and a custom field definition
}

// Names of A's data: no answer to B may contain them.
var alphaSecrets = []string{"Secret Alpha Corp", "Zorglub", "Client Alpha Confidentiel", "rep@alpha.example", "alpha_secret", "Alpha"}

func newAlpha(e *env) alpha {
	e.t.Helper()
	var a alpha
	a.prospect = e.prospect(e.tokenA, "Secret Alpha Corp")
	a.contact = e.contact(e.tokenA, a.prospect, "Zorglub")
	a.client = e.client(e.tokenA, "C001", "Client Alpha Confidentiel", false)
	a.rep, a.repToken = e.userWithID(e.tokenA, "rep@alpha.example", rRead)
	me := e.ok(a.repToken, `{ me { organisation { id } company { id } tokens { id } } }`, nil)
	a.org, a.company, a.repTokenID = str(me, "me.organisation.id"), str(me, "me.company.id"), str(me, "me.tokens.0.id")
	cf := e.ok(e.tokenA, `mutation { defineCustomField(input: {target: PROSPECT, key: "alpha_secret", label: "Alpha secret", type: TEXT}) { id } }`, nil)
	a.customField = str(cf, "defineCustomField.id")
	if a.prospect == "" || a.contact == "" || a.client == "" || a.rep == "" || a.repTokenID == "" || a.company == "" || a.org == "" || a.customField == "" {
		e.t.Fatalf("fixture of A incomplete: %+v", a)
	}
	return a
}

// noSecret fails when an answer to B mentions any of A's names.
func noSecret(t *testing.T, r *result) {
	t.Helper()
	for _, s := range alphaSecrets {
		if strings.Contains(r.messages(), s) {
			t.Fatalf("error message leaks %q of organisation A: %s", s, r.messages())
		}
	}
}

func TestTenancy_NodeWithAnotherOrganisationsIDIsNotFoundLikeAnUnknownID(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := newAlpha(e)
		unknown, _ := gid.Decode(a.prospect)
		for _, tc := range []struct{ name, id string }{
			{"third party", a.prospect},
			{"client", a.client},
			{"contact", a.contact},
			{"user", a.rep},
			{"company", a.company},
			{"token", a.repTokenID},
			{"organisation", a.org},
			{"custom field definition", a.customField},
			{"unknown ID", gid.Encode(unknown + 100000)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.with(t)
				r := e.do(e.tokenB, `query($id: ID!) { node(id: $id) { id __typename } }`, map[string]any{"id": tc.id})
				if r.code() != "NOT_FOUND" {
					t.Fatalf("want NOT_FOUND, got %+v", r.Errors)
				}
				if r.Data == nil || r.Data["node"] != nil {
					t.Fatalf("want data.node null, got %v", r.Data)
				}
				noSecret(t, r)
			})
		}
		// A still reads its own record: the IDs are real.
		if n := e.thirdParty(e.tokenA, a.prospect); str(n, "name") != "Secret Alpha Corp" {
			t.Fatalf("A reads its prospect: %v", n)
		}
	})
}

func TestTenancy_NodesWithAnotherOrganisationsIDsAreNullAndNotFound(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := newAlpha(e)
		own := e.prospect(e.tokenB, "Bêta Prospect")
		ids := []string{own, a.prospect, a.contact, a.rep, a.company, a.repTokenID}
		r := e.do(e.tokenB, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": ids})
		nodes, _ := get(r.Data, "nodes").([]any)
		if len(nodes) != len(ids) {
			t.Fatalf("want %d entries, got %v (errors %+v)", len(ids), r.Data, r.Errors)
		}
		if str(nodes[0], "id") != own {
			t.Fatalf("B's own node missing: %v", nodes)
		}
		for i := 1; i < len(nodes); i++ {
			if nodes[i] != nil {
				t.Fatalf("nodes[%d] of A is visible to B: %v", i, nodes[i])
			}
		}
		if len(r.Errors) != len(ids)-1 {
			t.Fatalf("want %d errors, got %+v", len(ids)-1, r.Errors)
		}
		for _, c := range r.codes() {
			if c != "NOT_FOUND" {
				t.Fatalf("want only NOT_FOUND errors, got %v", r.codes())
			}
		}
		noSecret(t, r)
	})
}

func TestTenancy_ListsAndSearchShowNothingOfAnotherOrganisation(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := newAlpha(e)
		own := e.prospect(e.tokenB, "Bêta Prospect")
		e.contact(e.tokenB, own, "Bêtacontact")

		tps := e.ok(e.tokenB, `{ thirdParties(first: 100) { totalCount edges { node { id name } } } }`, nil)
		if num(tps, "thirdParties.totalCount") != 1 || str(tps, "thirdParties.edges.0.node.id") != own {
			t.Fatalf("B's thirdParties: %v", tps)
		}
		cs := e.ok(e.tokenB, `{ contacts(first: 100) { totalCount edges { node { lastName } } } }`, nil)
		if num(cs, "contacts.totalCount") != 1 || str(cs, "contacts.edges.0.node.lastName") != "Bêtacontact" {
			t.Fatalf("B's contacts: %v", cs)
		}
		byID := e.ok(e.tokenB, `query($id: ID!) { thirdParties(where: {id: $id}) { totalCount } contacts(where: {hasThirdPartyWith: {id: $id}}) { totalCount } }`, map[string]any{"id": a.prospect})
		if num(byID, "thirdParties.totalCount") != 0 || num(byID, "contacts.totalCount") != 0 {
			t.Fatalf("filtering by A's ID finds A's data: %v", byID)
		}
		for _, q := range []string{"Secret", "Zorglub", "Alpha", "C001"} {
			s := e.ok(e.tokenB, `query($q: String!) { search(query: $q, kinds: [CONTACT, PROSPECT, CLIENT, SUPPLIER, OTHER]) { label } }`, map[string]any{"q": q})
			if hits, _ := s["search"].([]any); len(hits) != 0 {
				t.Fatalf("search %q by B finds A's data: %v", q, hits)
			}
		}
		// The same searches find A's data for A: the queries are meaningful.
		if hits, _ := e.ok(e.tokenA, `{ search(query: "Secret") { label } }`, nil)["search"].([]any); len(hits) == 0 {
			t.Fatal("A's own search finds nothing")
		}
		users := e.ok(e.tokenB, `{ users { email } }`, nil)
		if us, _ := users["users"].([]any); len(us) != 1 || str(us[0], "email") != "admin@beta.example" {
			t.Fatalf("B's users: %v", users)
		}
		defs := e.ok(e.tokenB, `{ all: customFieldDefinitions { key } prospects: customFieldDefinitions(target: PROSPECT) { key } }`, nil)
		if all, _ := defs["all"].([]any); len(all) != 0 {
			t.Fatalf("B sees A's custom fields: %v", defs)
		}
		if ps, _ := defs["prospects"].([]any); len(ps) != 0 {
			t.Fatalf("B sees A's custom fields: %v", defs)
		}
		me := e.ok(e.tokenB, `{ me { organisation { name companies { id name } } tokens { id } } }`, nil)
		var names []string
		for _, c := range get(me, "me.organisation.companies").([]any) {
			names = append(names, str(c, "name"))
			if str(c, "id") == a.company {
				t.Fatalf("B sees A's company: %v", me)
			}
		}
		if !slices.Equal(names, []string{"Bêta (groupe)", "Bêta"}) || str(me, "me.organisation.name") != "Bêta" {
			t.Fatalf("B's organisation: %v", me)
		}
		for _, tok := range get(me, "me.tokens").([]any) {
			if str(tok, "id") == a.repTokenID {
				t.Fatalf("B sees A's token: %v", me)
			}
		}
	})
}

func TestTenancy_MutationsWithAnotherOrganisationsIDsFailAndChangeNothing(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := newAlpha(e)
		bThirdParties, bContacts := e.countThirdParties(e.tokenB), e.countContacts(e.tokenB)

		for _, tc := range []struct {
			name, query string
			vars        map[string]any
			codes       []string
			field       string
		}{
			{"updateThirdParty", `mutation($id: ID!) { updateThirdParty(id: $id, expectedVersion: 1, input: {name: "Hacked"}) { id } }`,
				map[string]any{"id": a.prospect}, []string{"NOT_FOUND"}, ""},
			{"updateThirdParty of a client", `mutation($id: ID!) { updateThirdParty(id: $id, expectedVersion: 1, input: {name: "Hacked"}) { id } }`,
				map[string]any{"id": a.client}, []string{"NOT_FOUND"}, ""},
			{"deleteThirdParty", `mutation($id: ID!) { deleteThirdParty(id: $id) }`,
				map[string]any{"id": a.prospect}, []string{"NOT_FOUND"}, ""},
			{"validateProspect", `mutation($id: ID!) { validateProspect(id: $id) { id } }`,
				map[string]any{"id": a.prospect}, []string{"NOT_FOUND"}, ""},
			{"createContact", `mutation($id: ID!) { createContact(input: {thirdPartyId: $id, lastName: "Intrus"}) { id } }`,
				map[string]any{"id": a.prospect}, []string{"BAD_USER_INPUT"}, "thirdPartyId"},
			{"updateContact", `mutation($id: ID!) { updateContact(id: $id, expectedVersion: 1, input: {lastName: "Hacked"}) { id } }`,
				map[string]any{"id": a.contact}, []string{"NOT_FOUND"}, ""},
			{"deleteContact", `mutation($id: ID!) { deleteContact(id: $id) }`,
				map[string]any{"id": a.contact}, []string{"NOT_FOUND"}, ""},
			{"updateUserRights", `mutation($id: ID!) { updateUserRights(id: $id, rights: [100001, 100002, 100003, 100009]) { id } }`,
				map[string]any{"id": a.rep}, []string{"NOT_FOUND"}, ""},
			{"revokeToken", `mutation($id: ID!) { revokeToken(id: $id) }`,
				map[string]any{"id": a.repTokenID}, []string{"NOT_FOUND"}, ""},
			{"createToken", `mutation($id: ID!) { createToken(userId: $id, name: "stolen") { token } }`,
				map[string]any{"id": a.rep}, []string{"NOT_FOUND", "BAD_USER_INPUT"}, ""},
			{"createUser", `mutation($c: ID!) { createUser(input: {email: "spy@beta.example", name: "Spy", companyId: $c, rights: [100001]}) { id } }`,
				map[string]any{"c": a.company}, []string{"BAD_USER_INPUT"}, "companyId"},
			{"upsertClient", `mutation($p: ID!) { upsertClient(input: {code: "B-NEW", name: "Converted", prospectId: $p}) { id } }`,
				map[string]any{"p": a.prospect}, []string{"BAD_USER_INPUT"}, "prospectId"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.with(t)
				r := e.do(e.tokenB, tc.query, tc.vars)
				if !slices.Contains(tc.codes, r.code()) {
					t.Fatalf("want %v, got %+v (data %v)", tc.codes, r.Errors, r.Data)
				}
				if tc.field != "" && r.field() != tc.field {
					t.Fatalf("want field %q, got %q (%s)", tc.field, r.field(), r.messages())
				}
				noSecret(t, r)
			})
		}

		// Nothing of A changed.
		p := e.thirdParty(e.tokenA, a.prospect)
		if str(p, "name") != "Secret Alpha Corp" || num(p, "version") != 1 || str(p, "status") != "DRAFT" || str(p, "kind") != "PROSPECT" {
			t.Fatalf("A's prospect changed: %v", p)
		}
		c := e.thirdParty(e.tokenA, a.client)
		if str(c, "name") != "Client Alpha Confidentiel" || num(c, "version") != 1 {
			t.Fatalf("A's client changed: %v", c)
		}
		ct := e.contactNode(e.tokenA, a.contact)
		if str(ct, "lastName") != "Zorglub" || num(ct, "version") != 1 {
			t.Fatalf("A's contact changed: %v", ct)
		}
		if n := e.countContacts(e.tokenA); n != 1 {
			t.Fatalf("A's contacts: %d, want 1", n)
		}
		rep := e.ok(a.repToken, `{ me { rights tokens { revokedAt } } }`, nil)
		if rs, _ := get(rep, "me.rights").([]any); len(rs) != 1 || rs[0].(float64) != rRead || get(rep, "me.tokens.0.revokedAt") != nil {
			t.Fatalf("A's user changed (its token still works): %v", rep)
		}
		if ts, _ := get(rep, "me.tokens").([]any); len(ts) != 1 {
			t.Fatalf("a token was created for A's user: %v", rep)
		}
		// Nothing was created in B either.
		if n := e.countThirdParties(e.tokenB); n != bThirdParties {
			t.Fatalf("B's third parties: %d, want %d", n, bThirdParties)
		}
		if n := e.countContacts(e.tokenB); n != bContacts {
			t.Fatalf("B's contacts: %d, want %d", n, bContacts)
		}
		if us, _ := e.ok(e.tokenB, `{ users { email } }`, nil)["users"].([]any); len(us) != 1 {
			t.Fatalf("B's users: %v", us)
		}
		if us, _ := e.ok(e.tokenA, `{ users { email } }`, nil)["users"].([]any); len(us) != 2 {
			t.Fatalf("A's users: %v", us)
		}
	})
}

func TestTenancy_SameClientCodeExistsInEachOrganisation(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.client(e.tokenA, "C001", "Client of A", false)
		b := e.client(e.tokenB, "C001", "Client of B", false)
		if a == "" || b == "" || a == b {
			t.Fatalf("want two distinct clients, got %q and %q", a, b)
		}
		// B's second upsert of C001 updates B's client, never A's.
		again := e.ok(e.tokenB, upsertClient, map[string]any{"in": map[string]any{"code": "C001", "name": "Client of B, renamed"}})
		if str(again, "upsertClient.id") != b || str(again, "upsertClient.name") != "Client of B, renamed" {
			t.Fatalf("B's upsert: %v", again)
		}
		ca := e.thirdParty(e.tokenA, a)
		if str(ca, "name") != "Client of A" || num(ca, "version") != 1 {
			t.Fatalf("A's client changed: %v", ca)
		}
		codes := e.ok(e.tokenA, `{ thirdParties(where: {code: "C001"}) { totalCount } }`, nil)
		if num(codes, "thirdParties.totalCount") != 1 {
			t.Fatalf("A's clients of code C001: %v", codes)
		}
	})
}
