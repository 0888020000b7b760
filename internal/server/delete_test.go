package server_test

import (
	"fmt"
	"slices"
	"testing"

	"carnet/internal/db"
	"carnet/internal/gid"
	"carnet/internal/testdb"
)

const (
	deleteThirdParty = `mutation($id: ID!) { deleteThirdParty(id: $id) }`
	deleteContact    = `mutation($id: ID!) { deleteContact(id: $id) }`
	nodeID           = `query($id: ID!) { node(id: $id) { id } }`
)

func TestDeleteThirdParty_RemovesItsContactsDefinitivelyAndReturnsItsID(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		var deleted []string
		keep := e.prospect(e.tokenA, "Gardé")
		kept := e.contact(e.tokenA, keep, "Restant")
		for _, tc := range []struct {
			kind string
			make func(e *env, i int) string
		}{
			{"prospect", func(e *env, i int) string { return e.prospect(e.tokenA, fmt.Sprintf("Effacé %d", i)) }},
			{"client", func(e *env, i int) string {
				return e.client(e.tokenA, fmt.Sprintf("DEL-%d", i), fmt.Sprintf("Effacé %d", i), false)
			}},
			{"closed client", func(e *env, i int) string {
				return e.client(e.tokenA, fmt.Sprintf("DEL-%d", i), fmt.Sprintf("Effacé %d", i), true)
			}},
		} {
			t.Run(tc.kind, func(t *testing.T) {
				e := e.with(t)
				tp := tc.make(e, 1)
				deleted = append(deleted, tp)
				var contacts []string
				for i := range 3 {
					contacts = append(contacts, e.contact(e.tokenA, tp, fmt.Sprintf("Partant%d", i)))
				}
				if got := str(e.ok(e.tokenA, deleteThirdParty, map[string]any{"id": tp}), "deleteThirdParty"); got != tp {
					t.Fatalf("deleteThirdParty returned %q, want %q", got, tp)
				}
				for _, id := range append([]string{tp}, contacts...) {
					r := e.fail(e.tokenA, nodeID, map[string]any{"id": id}, "NOT_FOUND")
					if r.Data["node"] != nil {
						t.Fatalf("deleted node %s still answered: %v", id, r.Data)
					}
				}
				left := e.ok(e.tokenA, `query($id: ID!) { contacts { totalCount edges { node { id } } } orphans: contacts(where: {hasThirdPartyWith: {id: $id}}) { totalCount } thirdParties { totalCount } }`, map[string]any{"id": tp})
				if num(left, "contacts.totalCount") != 1 || str(left, "contacts.edges.0.node.id") != kept || num(left, "orphans.totalCount") != 0 || num(left, "thirdParties.totalCount") != 1 {
					t.Fatalf("after the delete: %v", left)
				}
				if hits, _ := e.ok(e.tokenA, `{ search(query: "Partant") { label } }`, nil)["search"].([]any); len(hits) != 0 {
					t.Fatalf("search finds deleted contacts: %v", hits)
				}
				// Definitive: it cannot be deleted, changed or given contacts again.
				e.fail(e.tokenA, deleteThirdParty, map[string]any{"id": tp}, "NOT_FOUND")
				e.fail(e.tokenA, `mutation($id: ID!) { updateThirdParty(id: $id, expectedVersion: 1, input: {name: "Zombie"}) { id } }`, map[string]any{"id": tp}, "NOT_FOUND")
				e.fail(e.tokenA, `mutation($id: ID!) { createContact(input: {thirdPartyId: $id, lastName: "Zombie"}) { id } }`, map[string]any{"id": tp}, "BAD_USER_INPUT", "thirdPartyId")
				if n := e.countContacts(e.tokenA); n != 1 {
					t.Fatalf("contacts: %d, want 1", n)
				}
			})
		}
		// A deleted client's code is free again: the upsert creates a new record.
		again := e.ok(e.tokenA, upsertClient, map[string]any{"in": map[string]any{"code": "DEL-1", "name": "Nouveau"}})
		if id := str(again, "upsertClient.id"); id == "" || slices.Contains(deleted, id) || num(again, "upsertClient.version") != 1 {
			t.Fatalf("upsert of a deleted client's code: %v (deleted %v)", again, deleted)
		}
	})
}

func TestDeleteContact_LeavesItsThirdPartyAndOtherContacts(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		tp := e.prospect(e.tokenA, "Durand")
		gone := e.contact(e.tokenA, tp, "Partant")
		stays := e.contact(e.tokenA, tp, "Restant")
		if got := str(e.ok(e.tokenA, deleteContact, map[string]any{"id": gone}), "deleteContact"); got != gone {
			t.Fatalf("deleteContact returned %q, want %q", got, gone)
		}
		e.fail(e.tokenA, nodeID, map[string]any{"id": gone}, "NOT_FOUND")
		e.fail(e.tokenA, deleteContact, map[string]any{"id": gone}, "NOT_FOUND")
		got := e.ok(e.tokenA, `query($id: ID!) { node(id: $id) { ... on ThirdParty { name version contacts { totalCount edges { node { id } } } } } }`, map[string]any{"id": tp})
		if str(got, "node.name") != "Durand" || num(got, "node.version") != 1 || num(got, "node.contacts.totalCount") != 1 ||
			str(got, "node.contacts.edges.0.node.id") != stays {
			t.Fatalf("third party after deleting one contact: %v", got)
		}
	})
}

func TestDelete_UnknownWrongTypeOrOtherOrganisationIDIsNotFound(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		aTP := e.prospect(e.tokenA, "Alpha Tiers")
		aContact := e.contact(e.tokenA, aTP, "Alphacontact")
		bTP := e.prospect(e.tokenB, "Bêta Tiers")
		bContact := e.contact(e.tokenB, bTP, "Bêtacontact")
		raw, _ := gid.Decode(aTP)
		for _, tc := range []struct{ name, query, id string }{
			{"third party of another organisation", deleteThirdParty, bTP},
			{"contact of another organisation", deleteContact, bContact},
			{"unknown third party", deleteThirdParty, gid.Encode(raw + 99999)},
			{"unknown contact", deleteContact, gid.Encode(raw + 99999)},
			{"a contact's ID to deleteThirdParty", deleteThirdParty, aContact},
			{"a third party's ID to deleteContact", deleteContact, aTP},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.with(t)
				e.fail(e.tokenA, tc.query, map[string]any{"id": tc.id}, "NOT_FOUND")
			})
		}
		if e.countThirdParties(e.tokenA) != 1 || e.countContacts(e.tokenA) != 1 || e.countThirdParties(e.tokenB) != 1 || e.countContacts(e.tokenB) != 1 {
			t.Fatal("a refused delete removed something")
		}
	})
}
