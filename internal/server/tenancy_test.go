package server_test

import (
	"slices"
	"testing"

	"carnet/internal/apitest"
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

func newAlpha(e *apitest.Env) alpha {
	e.T.Helper()
	var a alpha
	a.prospect = e.Prospect(e.TokenA, "Secret Alpha Corp")
	a.contact = e.Contact(e.TokenA, a.prospect, "Zorglub")
	a.client = e.Client(e.TokenA, "C001", "Client Alpha Confidentiel", false)
	a.rep, a.repToken = e.UserWithID(e.TokenA, "rep@alpha.example", apitest.RightRead)
	me := e.OK(a.repToken, `{ me { organisation { id } company { id } tokens { id } } }`, nil)
	a.org, a.company, a.repTokenID = apitest.Str(me, "me.organisation.id"), apitest.Str(me, "me.company.id"), apitest.Str(me, "me.tokens.0.id")
	cf := e.OK(e.TokenA, `mutation { defineCustomField(input: {target: PROSPECT, key: "alpha_secret", label: "Alpha secret", type: TEXT}) { id } }`, nil)
	a.customField = apitest.Str(cf, "defineCustomField.id")
	if a.prospect == "" || a.contact == "" || a.client == "" || a.rep == "" || a.repTokenID == "" || a.company == "" || a.org == "" || a.customField == "" {
		e.T.Fatalf("fixture of A incomplete: %+v", a)
	}
	return a
}

func TestTenancy_NodeWithAnotherOrganisationsIDIsNotFoundLikeAnUnknownID(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
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
				e := e.With(t)
				r := e.Do(e.TokenB, `query($id: ID!) { node(id: $id) { id __typename } }`, map[string]any{"id": tc.id})
				if r.Code() != "NOT_FOUND" {
					t.Fatalf("want NOT_FOUND, got %+v", r.Errors)
				}
				if r.Data == nil || r.Data["node"] != nil {
					t.Fatalf("want data.node null, got %v", r.Data)
				}
				apitest.NoSecret(t, r)
			})
		}
		// A still reads its own record: the IDs are real.
		if n := e.ThirdParty(e.TokenA, a.prospect); apitest.Str(n, "name") != "Secret Alpha Corp" {
			t.Fatalf("A reads its prospect: %v", n)
		}
	})
}

func TestTenancy_NodesWithAnotherOrganisationsIDsAreNullAndNotFound(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		a := newAlpha(e)
		own := e.Prospect(e.TokenB, "Bêta Prospect")
		ids := []string{own, a.prospect, a.contact, a.rep, a.company, a.repTokenID}
		r := e.Do(e.TokenB, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": ids})
		nodes, _ := apitest.Get(r.Data, "nodes").([]any)
		if len(nodes) != len(ids) {
			t.Fatalf("want %d entries, got %v (errors %+v)", len(ids), r.Data, r.Errors)
		}
		if apitest.Str(nodes[0], "id") != own {
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
		for _, c := range r.Codes() {
			if c != "NOT_FOUND" {
				t.Fatalf("want only NOT_FOUND errors, got %v", r.Codes())
			}
		}
		apitest.NoSecret(t, r)
	})
}

func TestTenancy_ListsAndSearchShowNothingOfAnotherOrganisation(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		a := newAlpha(e)
		own := e.Prospect(e.TokenB, "Bêta Prospect")
		e.Contact(e.TokenB, own, "Bêtacontact")

		tps := e.OK(e.TokenB, `{ thirdParties(first: 100) { totalCount edges { node { id name } } } }`, nil)
		if apitest.Num(tps, "thirdParties.totalCount") != 1 || apitest.Str(tps, "thirdParties.edges.0.node.id") != own {
			t.Fatalf("B's thirdParties: %v", tps)
		}
		cs := e.OK(e.TokenB, `{ contacts(first: 100) { totalCount edges { node { lastName } } } }`, nil)
		if apitest.Num(cs, "contacts.totalCount") != 1 || apitest.Str(cs, "contacts.edges.0.node.lastName") != "Bêtacontact" {
			t.Fatalf("B's contacts: %v", cs)
		}
		byID := e.OK(e.TokenB, `query($id: ID!) { thirdParties(where: {id: $id}) { totalCount } contacts(where: {hasThirdPartyWith: {id: $id}}) { totalCount } }`, map[string]any{"id": a.prospect})
		if apitest.Num(byID, "thirdParties.totalCount") != 0 || apitest.Num(byID, "contacts.totalCount") != 0 {
			t.Fatalf("filtering by A's ID finds A's data: %v", byID)
		}
		for _, q := range []string{"Secret", "Zorglub", "Alpha", "C001"} {
			s := e.OK(e.TokenB, `query($q: String!) { search(query: $q, kinds: [CONTACT, PROSPECT, CLIENT, SUPPLIER, OTHER]) { label } }`, map[string]any{"q": q})
			if hits, _ := s["search"].([]any); len(hits) != 0 {
				t.Fatalf("search %q by B finds A's data: %v", q, hits)
			}
		}
		// The same searches find A's data for A: the queries are meaningful.
		if hits, _ := e.OK(e.TokenA, `{ search(query: "Secret") { label } }`, nil)["search"].([]any); len(hits) == 0 {
			t.Fatal("A's own search finds nothing")
		}
		users := e.OK(e.TokenB, `{ users { email } }`, nil)
		if us, _ := users["users"].([]any); len(us) != 1 || apitest.Str(us[0], "email") != "admin@beta.example" {
			t.Fatalf("B's users: %v", users)
		}
		defs := e.OK(e.TokenB, `{ all: customFieldDefinitions { key } prospects: customFieldDefinitions(target: PROSPECT) { key } }`, nil)
		if all, _ := defs["all"].([]any); len(all) != 0 {
			t.Fatalf("B sees A's custom fields: %v", defs)
		}
		if ps, _ := defs["prospects"].([]any); len(ps) != 0 {
			t.Fatalf("B sees A's custom fields: %v", defs)
		}
		me := e.OK(e.TokenB, `{ me { organisation { name companies { id name } } tokens { id } } }`, nil)
		var names []string
		for _, c := range apitest.Get(me, "me.organisation.companies").([]any) {
			names = append(names, apitest.Str(c, "name"))
			if apitest.Str(c, "id") == a.company {
				t.Fatalf("B sees A's company: %v", me)
			}
		}
		if !slices.Equal(names, []string{"Bêta (groupe)", "Bêta"}) || apitest.Str(me, "me.organisation.name") != "Bêta" {
			t.Fatalf("B's organisation: %v", me)
		}
		for _, tok := range apitest.Get(me, "me.tokens").([]any) {
			if apitest.Str(tok, "id") == a.repTokenID {
				t.Fatalf("B sees A's token: %v", me)
			}
		}
	})
}

func TestTenancy_MutationsWithAnotherOrganisationsIDsFailAndChangeNothing(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		a := newAlpha(e)
		bThirdParties, bContacts := e.CountThirdParties(e.TokenB), e.CountContacts(e.TokenB)

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
				e := e.With(t)
				r := e.Do(e.TokenB, tc.query, tc.vars)
				if !slices.Contains(tc.codes, r.Code()) {
					t.Fatalf("want %v, got %+v (data %v)", tc.codes, r.Errors, r.Data)
				}
				if tc.field != "" && r.Field() != tc.field {
					t.Fatalf("want field %q, got %q (%s)", tc.field, r.Field(), r.Messages())
				}
				apitest.NoSecret(t, r)
			})
		}

		// Nothing of A changed.
		p := e.ThirdParty(e.TokenA, a.prospect)
		if apitest.Str(p, "name") != "Secret Alpha Corp" || apitest.Num(p, "version") != 1 || apitest.Str(p, "status") != "DRAFT" || apitest.Str(p, "kind") != "PROSPECT" {
			t.Fatalf("A's prospect changed: %v", p)
		}
		c := e.ThirdParty(e.TokenA, a.client)
		if apitest.Str(c, "name") != "Client Alpha Confidentiel" || apitest.Num(c, "version") != 1 {
			t.Fatalf("A's client changed: %v", c)
		}
		ct := e.ContactNode(e.TokenA, a.contact)
		if apitest.Str(ct, "lastName") != "Zorglub" || apitest.Num(ct, "version") != 1 {
			t.Fatalf("A's contact changed: %v", ct)
		}
		if n := e.CountContacts(e.TokenA); n != 1 {
			t.Fatalf("A's contacts: %d, want 1", n)
		}
		rep := e.OK(a.repToken, `{ me { rights tokens { revokedAt } } }`, nil)
		if rs, _ := apitest.Get(rep, "me.rights").([]any); len(rs) != 1 || rs[0].(float64) != apitest.RightRead || apitest.Get(rep, "me.tokens.0.revokedAt") != nil {
			t.Fatalf("A's user changed (its token still works): %v", rep)
		}
		if ts, _ := apitest.Get(rep, "me.tokens").([]any); len(ts) != 1 {
			t.Fatalf("a token was created for A's user: %v", rep)
		}
		// Nothing was created in B either.
		if n := e.CountThirdParties(e.TokenB); n != bThirdParties {
			t.Fatalf("B's third parties: %d, want %d", n, bThirdParties)
		}
		if n := e.CountContacts(e.TokenB); n != bContacts {
			t.Fatalf("B's contacts: %d, want %d", n, bContacts)
		}
		if us, _ := e.OK(e.TokenB, `{ users { email } }`, nil)["users"].([]any); len(us) != 1 {
			t.Fatalf("B's users: %v", us)
		}
		if us, _ := e.OK(e.TokenA, `{ users { email } }`, nil)["users"].([]any); len(us) != 2 {
			t.Fatalf("A's users: %v", us)
		}
	})
}

func TestTenancy_SameClientCodeExistsInEachOrganisation(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		a := e.Client(e.TokenA, "C001", "Client of A", false)
		b := e.Client(e.TokenB, "C001", "Client of B", false)
		if a == "" || b == "" || a == b {
			t.Fatalf("want two distinct clients, got %q and %q", a, b)
		}
		// B's second upsert of C001 updates B's client, never A's.
		again := e.OK(e.TokenB, apitest.UpsertClient, map[string]any{"in": map[string]any{"code": "C001", "name": "Client of B, renamed"}})
		if apitest.Str(again, "upsertClient.id") != b || apitest.Str(again, "upsertClient.name") != "Client of B, renamed" {
			t.Fatalf("B's upsert: %v", again)
		}
		ca := e.ThirdParty(e.TokenA, a)
		if apitest.Str(ca, "name") != "Client of A" || apitest.Num(ca, "version") != 1 {
			t.Fatalf("A's client changed: %v", ca)
		}
		codes := e.OK(e.TokenA, `{ thirdParties(where: {code: "C001"}) { totalCount } }`, nil)
		if apitest.Num(codes, "thirdParties.totalCount") != 1 {
			t.Fatalf("A's clients of code C001: %v", codes)
		}
	})
}
