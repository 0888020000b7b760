package server_test

import (
	"fmt"
	"sync"
	"testing"

	"carnet/internal/db"
	"carnet/internal/testdb"
)

// versioned is a kind of record updated with optimistic locking.
type versioned struct {
	name   string
	create func(e *env) string
	update string // document with $id, $v and $name; selects version and the name field
	field  string // the mutation's name
	nameOf string // the record's name field
	read   func(e *env, id string) map[string]any
}

var versionedRecords = []versioned{
	{
		name:   "third party",
		create: func(e *env) string { return e.prospect(e.tokenA, "Dupond") },
		update: `mutation($id: ID!, $v: Int!, $name: String) { updateThirdParty(id: $id, expectedVersion: $v, input: {name: $name}) { version name } }`,
		field:  "updateThirdParty", nameOf: "name",
		read: func(e *env, id string) map[string]any { return e.thirdParty(e.tokenA, id) },
	},
	{
		name:   "contact",
		create: func(e *env) string { return e.contact(e.tokenA, e.prospect(e.tokenA, "Dupond"), "Martin") },
		update: `mutation($id: ID!, $v: Int!, $name: String) { updateContact(id: $id, expectedVersion: $v, input: {lastName: $name}) { version lastName } }`,
		field:  "updateContact", nameOf: "lastName",
		read: func(e *env, id string) map[string]any { return e.contactNode(e.tokenA, id) },
	},
}

func TestVersions_UpdateOnStaleVersionIsConflictAndChangesNothing(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		for _, rec := range versionedRecords {
			t.Run(rec.name, func(t *testing.T) {
				e := e.with(t)
				id := rec.create(e)
				up := e.ok(e.tokenA, rec.update, map[string]any{"id": id, "v": 1, "name": "First"})
				if num(up, rec.field+".version") != 2 {
					t.Fatalf("first update: %v", up)
				}
				for _, stale := range []int{1, 0, 3, 99} {
					r := e.fail(e.tokenA, rec.update, map[string]any{"id": id, "v": stale, "name": "Lost"}, "CONFLICT")
					if r.Data != nil && r.Data[rec.field] != nil {
						t.Fatalf("a refused update answered data: %v", r.Data)
					}
				}
				got := rec.read(e, id)
				if str(got, rec.nameOf) != "First" || num(got, "version") != 2 {
					t.Fatalf("stale updates changed the record: %v", got)
				}
			})
		}
	})
}

func TestVersions_EveryChangeIncrementsVersionByExactlyOne(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		for _, rec := range versionedRecords {
			t.Run(rec.name, func(t *testing.T) {
				e := e.with(t)
				id := rec.create(e)
				for v := 1; v <= 4; v++ {
					up := e.ok(e.tokenA, rec.update, map[string]any{"id": id, "v": v, "name": fmt.Sprintf("Name %d", v)})
					if num(up, rec.field+".version") != float64(v+1) {
						t.Fatalf("update on version %d gave version %v", v, get(up, rec.field+".version"))
					}
				}
				if got := rec.read(e, id); num(got, "version") != 5 || str(got, rec.nameOf) != "Name 4" {
					t.Fatalf("after 4 updates: %v", got)
				}
			})
		}
		t.Run("validation and conversion of a prospect", func(t *testing.T) {
			e := e.with(t)
			id := e.prospect(e.tokenA, "Prospect")
			if v := num(e.ok(e.tokenA, `mutation($id: ID!) { validateProspect(id: $id) { version } }`, map[string]any{"id": id}), "validateProspect.version"); v != 2 {
				t.Fatalf("validateProspect: version %v, want 2", v)
			}
			if v := num(e.ok(e.tokenA, upsertClient, map[string]any{"in": map[string]any{"code": "C9", "name": "Client", "prospectId": id}}), "upsertClient.version"); v != 3 {
				t.Fatalf("upsertClient converting the prospect: version %v, want 3", v)
			}
		})
	})
}

func TestVersions_AbsentFieldIsUnchangedAndNullClearsIt(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		t.Run("third party", func(t *testing.T) {
			e := e.with(t)
			e.ok(e.tokenA, `mutation { defineCustomField(input: {target: PROSPECT, key: "secteur", label: "Secteur", type: TEXT}) { id } }`, nil)
			e.ok(e.tokenA, `mutation { defineCustomField(input: {target: PROSPECT, key: "potentiel", label: "Potentiel", type: NUMBER}) { id } }`, nil)
			id := str(e.ok(e.tokenA, createProspect, map[string]any{"in": map[string]any{
				"name": "Dupond", "legalName": "Dupond SARL", "email": "contact@dupond.fr", "phone": "01 23 45 67 89", "website": "www.dupond.fr",
				"address":      map[string]any{"line1": "1 rue de la Paix", "postalCode": "75002", "city": "Paris"},
				"customFields": []any{map[string]any{"key": "secteur", "value": "BTP"}, map[string]any{"key": "potentiel", "value": "1000"}},
			}}), "createProspect.id")
			const q = `mutation($id: ID!, $v: Int!, $in: UpdateThirdPartyInput!) { updateThirdParty(id: $id, expectedVersion: $v, input: $in) {
				version name legalName email phone website address { line1 postalCode city country } customFields { key value } } }`

			// Only website given: everything else stays.
			up := get(e.ok(e.tokenA, q, map[string]any{"id": id, "v": 1, "in": map[string]any{"website": "www.dupond.com"}}), "updateThirdParty")
			if str(up, "website") != "https://www.dupond.com" || str(up, "name") != "Dupond" || str(up, "legalName") != "Dupond SARL" ||
				str(up, "email") != "contact@dupond.fr" || str(up, "phone") != "+33123456789" || str(up, "address.city") != "Paris" ||
				str(up, "customFields.0.value") != "BTP" || str(up, "customFields.1.value") != "1000" {
				t.Fatalf("absent fields changed: %v", up)
			}
			// Only the custom field keys given change; a null value clears.
			up = get(e.ok(e.tokenA, q, map[string]any{"id": id, "v": 2, "in": map[string]any{"customFields": []any{map[string]any{"key": "secteur", "value": nil}}}}), "updateThirdParty")
			if get(up, "customFields.0.value") != nil || str(up, "customFields.1.value") != "1000" || str(up, "email") != "contact@dupond.fr" {
				t.Fatalf("clearing one custom field: %v", up)
			}
			// null clears each field given, and only those.
			up = get(e.ok(e.tokenA, q, map[string]any{"id": id, "v": 3, "in": map[string]any{"email": nil, "phone": nil, "legalName": nil}}), "updateThirdParty")
			if get(up, "email") != nil || get(up, "phone") != nil || get(up, "legalName") != nil ||
				str(up, "website") != "https://www.dupond.com" || str(up, "address.line1") != "1 rue de la Paix" || num(up, "version") != 4 {
				t.Fatalf("null fields: %v", up)
			}
			up = get(e.ok(e.tokenA, q, map[string]any{"id": id, "v": 4, "in": map[string]any{"address": nil}}), "updateThirdParty")
			if get(up, "address") != nil || str(up, "name") != "Dupond" {
				t.Fatalf("null address: %v", up)
			}
			// The name is required: null cannot clear it.
			e.fail(e.tokenA, q, map[string]any{"id": id, "v": 5, "in": map[string]any{"name": nil}}, "BAD_USER_INPUT", "name")
			if got := e.thirdParty(e.tokenA, id); str(got, "name") != "Dupond" || num(got, "version") != 5 {
				t.Fatalf("refused update changed the record: %v", got)
			}
		})
		t.Run("contact", func(t *testing.T) {
			e := e.with(t)
			tp := e.prospect(e.tokenA, "Durand")
			id := str(e.ok(e.tokenA, `mutation($in: CreateContactInput!) { createContact(input: $in) { id } }`, map[string]any{"in": map[string]any{
				"thirdPartyId": tp, "lastName": "Martin", "firstName": "Élodie", "civility": "Mme", "jobTitle": "Acheteuse",
				"directLine": "01 23 45 67 89", "mobile": "06 12 34 56 78", "email": "elodie@durand.fr",
			}}), "createContact.id")
			const q = `mutation($id: ID!, $v: Int!, $in: UpdateContactInput!) { updateContact(id: $id, expectedVersion: $v, input: $in) {
				version lastName firstName civility jobTitle directLine mobile email phoneUri mailtoUri } }`
			up := get(e.ok(e.tokenA, q, map[string]any{"id": id, "v": 1, "in": map[string]any{"jobTitle": "Directrice"}}), "updateContact")
			if str(up, "jobTitle") != "Directrice" || str(up, "lastName") != "Martin" || str(up, "firstName") != "Élodie" || str(up, "civility") != "Mme" ||
				str(up, "directLine") != "+33123456789" || str(up, "mobile") != "+33612345678" || str(up, "email") != "elodie@durand.fr" {
				t.Fatalf("absent fields changed: %v", up)
			}
			up = get(e.ok(e.tokenA, q, map[string]any{"id": id, "v": 2, "in": map[string]any{"directLine": nil, "email": nil}}), "updateContact")
			if get(up, "directLine") != nil || get(up, "email") != nil || get(up, "mailtoUri") != nil ||
				str(up, "phoneUri") != "tel:+33612345678" || str(up, "jobTitle") != "Directrice" || num(up, "version") != 3 {
				t.Fatalf("null fields: %v", up)
			}
			e.fail(e.tokenA, q, map[string]any{"id": id, "v": 3, "in": map[string]any{"lastName": nil}}, "BAD_USER_INPUT", "lastName")
			if got := e.contactNode(e.tokenA, id); str(got, "lastName") != "Martin" || num(got, "version") != 3 {
				t.Fatalf("refused update changed the contact: %v", got)
			}
		})
	})
}

func TestVersions_ConcurrentUpdatesOfOneVersionLetExactlyOneWin(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		for _, rec := range versionedRecords {
			t.Run(rec.name, func(t *testing.T) {
				e := e.with(t)
				id := rec.create(e)
				const writers = 10
				results := make([]*result, writers)
				errors := make([]error, writers)
				start := make(chan struct{})
				var wg sync.WaitGroup
				for i := range writers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						<-start
						results[i], errors[i] = e.post(e.tokenA, rec.update, map[string]any{"id": id, "v": 1, "name": fmt.Sprintf("Writer %d", i)})
					}()
				}
				close(start)
				wg.Wait()
				winner, conflicts := -1, 0
				for i, r := range results {
					if errors[i] != nil {
						t.Fatalf("writer %d: %v", i, errors[i])
					}
					switch {
					case len(r.Errors) == 0:
						if winner >= 0 {
							t.Fatalf("writers %d and %d both won on version 1", winner, i)
						}
						winner = i
					case r.code() == "CONFLICT":
						conflicts++
					default:
						t.Fatalf("writer %d: want success or CONFLICT, got %+v", i, r.Errors)
					}
				}
				if winner < 0 || conflicts != writers-1 {
					t.Fatalf("want 1 winner and %d conflicts, got winner %d and %d conflicts", writers-1, winner, conflicts)
				}
				got := rec.read(e, id)
				if num(got, "version") != 2 || str(got, rec.nameOf) != fmt.Sprintf("Writer %d", winner) {
					t.Fatalf("after the race: %v, want version 2 written by writer %d", got, winner)
				}
			})
		}
	})
}
