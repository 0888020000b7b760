package addressbook_test

import (
	"fmt"
	"slices"
	"testing"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/testdb"
)

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
