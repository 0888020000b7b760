package addressbook_test

import (
	"fmt"
	"slices"
	"testing"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/gid"
	"carnet/internal/testdb"
)

func TestDeleteThirdParty_RemovesItsContactsDefinitivelyAndReturnsItsID(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		var deleted []string
		keep := e.Prospect(e.TokenA, "Gardé")
		kept := e.Contact(e.TokenA, keep, "Restant")
		for _, tc := range []struct {
			kind string
			make func(e *apitest.Env, i int) string
		}{
			{"prospect", func(e *apitest.Env, i int) string { return e.Prospect(e.TokenA, fmt.Sprintf("Effacé %d", i)) }},
			{"client", func(e *apitest.Env, i int) string {
				return e.Client(e.TokenA, fmt.Sprintf("DEL-%d", i), fmt.Sprintf("Effacé %d", i), false)
			}},
			{"closed client", func(e *apitest.Env, i int) string {
				return e.Client(e.TokenA, fmt.Sprintf("DEL-%d", i), fmt.Sprintf("Effacé %d", i), true)
			}},
		} {
			t.Run(tc.kind, func(t *testing.T) {
				e := e.With(t)
				tp := tc.make(e, 1)
				deleted = append(deleted, tp)
				var contacts []string
				for i := range 3 {
					contacts = append(contacts, e.Contact(e.TokenA, tp, fmt.Sprintf("Partant%d", i)))
				}
				if got := apitest.Str(e.OK(e.TokenA, apitest.DeleteThirdParty, map[string]any{"id": tp}), "deleteThirdParty"); got != tp {
					t.Fatalf("deleteThirdParty returned %q, want %q", got, tp)
				}
				for _, id := range append([]string{tp}, contacts...) {
					r := e.Fail(e.TokenA, apitest.NodeID, map[string]any{"id": id}, "NOT_FOUND")
					if r.Data["node"] != nil {
						t.Fatalf("deleted node %s still answered: %v", id, r.Data)
					}
				}
				left := e.OK(e.TokenA, `query($id: ID!) { contacts { totalCount edges { node { id } } } orphans: contacts(where: {hasThirdPartyWith: {id: $id}}) { totalCount } thirdParties { totalCount } }`, map[string]any{"id": tp})
				if apitest.Num(left, "contacts.totalCount") != 1 || apitest.Str(left, "contacts.edges.0.node.id") != kept || apitest.Num(left, "orphans.totalCount") != 0 || apitest.Num(left, "thirdParties.totalCount") != 1 {
					t.Fatalf("after the delete: %v", left)
				}
				if hits, _ := e.OK(e.TokenA, `{ search(query: "Partant") { label } }`, nil)["search"].([]any); len(hits) != 0 {
					t.Fatalf("search finds deleted contacts: %v", hits)
				}
				// Definitive: it cannot be deleted, changed or given contacts again.
				e.Fail(e.TokenA, apitest.DeleteThirdParty, map[string]any{"id": tp}, "NOT_FOUND")
				e.Fail(e.TokenA, `mutation($id: ID!) { updateThirdParty(id: $id, expectedVersion: 1, input: {name: "Zombie"}) { id } }`, map[string]any{"id": tp}, "NOT_FOUND")
				e.Fail(e.TokenA, `mutation($id: ID!) { createContact(input: {thirdPartyId: $id, lastName: "Zombie"}) { id } }`, map[string]any{"id": tp}, "BAD_USER_INPUT", "thirdPartyId")
				if n := e.CountContacts(e.TokenA); n != 1 {
					t.Fatalf("contacts: %d, want 1", n)
				}
			})
		}
		// A deleted client's code is free again: the upsert creates a new record.
		again := e.OK(e.TokenA, apitest.UpsertClient, map[string]any{"in": map[string]any{"code": "DEL-1", "name": "Nouveau"}})
		if id := apitest.Str(again, "upsertClient.id"); id == "" || slices.Contains(deleted, id) || apitest.Num(again, "upsertClient.version") != 1 {
			t.Fatalf("upsert of a deleted client's code: %v (deleted %v)", again, deleted)
		}
	})
}

func TestDeleteContact_LeavesItsThirdPartyAndOtherContacts(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		tp := e.Prospect(e.TokenA, "Durand")
		gone := e.Contact(e.TokenA, tp, "Partant")
		stays := e.Contact(e.TokenA, tp, "Restant")
		if got := apitest.Str(e.OK(e.TokenA, apitest.DeleteContact, map[string]any{"id": gone}), "deleteContact"); got != gone {
			t.Fatalf("deleteContact returned %q, want %q", got, gone)
		}
		e.Fail(e.TokenA, apitest.NodeID, map[string]any{"id": gone}, "NOT_FOUND")
		e.Fail(e.TokenA, apitest.DeleteContact, map[string]any{"id": gone}, "NOT_FOUND")
		got := e.OK(e.TokenA, `query($id: ID!) { node(id: $id) { ... on ThirdParty { name version contacts { totalCount edges { node { id } } } } } }`, map[string]any{"id": tp})
		if apitest.Str(got, "node.name") != "Durand" || apitest.Num(got, "node.version") != 1 || apitest.Num(got, "node.contacts.totalCount") != 1 ||
			apitest.Str(got, "node.contacts.edges.0.node.id") != stays {
			t.Fatalf("third party after deleting one contact: %v", got)
		}
	})
}

func TestDelete_UnknownWrongTypeOrOtherOrganisationIDIsNotFound(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		aTP := e.Prospect(e.TokenA, "Alpha Tiers")
		aContact := e.Contact(e.TokenA, aTP, "Alphacontact")
		bTP := e.Prospect(e.TokenB, "Bêta Tiers")
		bContact := e.Contact(e.TokenB, bTP, "Bêtacontact")
		raw, _ := gid.Decode(aTP)
		for _, tc := range []struct{ name, query, id string }{
			{"third party of another organisation", apitest.DeleteThirdParty, bTP},
			{"contact of another organisation", apitest.DeleteContact, bContact},
			{"unknown third party", apitest.DeleteThirdParty, gid.Encode(raw + 99999)},
			{"unknown contact", apitest.DeleteContact, gid.Encode(raw + 99999)},
			{"a contact's ID to deleteThirdParty", apitest.DeleteThirdParty, aContact},
			{"a third party's ID to deleteContact", apitest.DeleteContact, aTP},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				e.Fail(e.TokenA, tc.query, map[string]any{"id": tc.id}, "NOT_FOUND")
			})
		}
		if e.CountThirdParties(e.TokenA) != 1 || e.CountContacts(e.TokenA) != 1 || e.CountThirdParties(e.TokenB) != 1 || e.CountContacts(e.TokenB) != 1 {
			t.Fatal("a refused delete removed something")
		}
	})
}
