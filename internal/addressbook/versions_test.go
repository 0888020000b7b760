package addressbook_test

import (
	"fmt"
	"sync"
	"testing"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/testdb"
)

// versioned is a kind of record updated with optimistic locking.
type versioned struct {
	name   string
	create func(e *apitest.Env) string
	update string // document with $id, $v and $name; selects version and the name field
	field  string // the mutation's name
	nameOf string // the record's name field
	read   func(e *apitest.Env, id string) map[string]any
}

var versionedRecords = []versioned{
	{
		name:   "third party",
		create: func(e *apitest.Env) string { return e.Prospect(e.TokenA, "Dupond") },
		update: `mutation($id: ID!, $v: Int!, $name: String) { updateThirdParty(id: $id, expectedVersion: $v, input: {name: $name}) { version name } }`,
		field:  "updateThirdParty", nameOf: "name",
		read: func(e *apitest.Env, id string) map[string]any { return e.ThirdParty(e.TokenA, id) },
	},
	{
		name:   "contact",
		create: func(e *apitest.Env) string { return e.Contact(e.TokenA, e.Prospect(e.TokenA, "Dupond"), "Martin") },
		update: `mutation($id: ID!, $v: Int!, $name: String) { updateContact(id: $id, expectedVersion: $v, input: {lastName: $name}) { version lastName } }`,
		field:  "updateContact", nameOf: "lastName",
		read: func(e *apitest.Env, id string) map[string]any { return e.ContactNode(e.TokenA, id) },
	},
}

func TestVersions_UpdateOnStaleVersionIsConflictAndChangesNothing(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		for _, rec := range versionedRecords {
			t.Run(rec.name, func(t *testing.T) {
				e := e.With(t)
				id := rec.create(e)
				up := e.OK(e.TokenA, rec.update, map[string]any{"id": id, "v": 1, "name": "First"})
				if apitest.Num(up, rec.field+".version") != 2 {
					t.Fatalf("first update: %v", up)
				}
				for _, stale := range []int{1, 0, 3, 99} {
					r := e.Fail(e.TokenA, rec.update, map[string]any{"id": id, "v": stale, "name": "Lost"}, "CONFLICT")
					if r.Data != nil && r.Data[rec.field] != nil {
						t.Fatalf("a refused update answered data: %v", r.Data)
					}
				}
				got := rec.read(e, id)
				if apitest.Str(got, rec.nameOf) != "First" || apitest.Num(got, "version") != 2 {
					t.Fatalf("stale updates changed the record: %v", got)
				}
			})
		}
	})
}

func TestVersions_EveryChangeIncrementsVersionByExactlyOne(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		for _, rec := range versionedRecords {
			t.Run(rec.name, func(t *testing.T) {
				e := e.With(t)
				id := rec.create(e)
				for v := 1; v <= 4; v++ {
					up := e.OK(e.TokenA, rec.update, map[string]any{"id": id, "v": v, "name": fmt.Sprintf("Name %d", v)})
					if apitest.Num(up, rec.field+".version") != float64(v+1) {
						t.Fatalf("update on version %d gave version %v", v, apitest.Get(up, rec.field+".version"))
					}
				}
				if got := rec.read(e, id); apitest.Num(got, "version") != 5 || apitest.Str(got, rec.nameOf) != "Name 4" {
					t.Fatalf("after 4 updates: %v", got)
				}
			})
		}
		t.Run("validation and conversion of a prospect", func(t *testing.T) {
			e := e.With(t)
			id := e.Prospect(e.TokenA, "Prospect")
			if v := apitest.Num(e.OK(e.TokenA, `mutation($id: ID!) { validateProspect(id: $id) { version } }`, map[string]any{"id": id}), "validateProspect.version"); v != 2 {
				t.Fatalf("validateProspect: version %v, want 2", v)
			}
			if v := apitest.Num(e.OK(e.TokenA, apitest.UpsertClient, map[string]any{"in": map[string]any{"code": "C9", "name": "Client", "prospectId": id}}), "upsertClient.version"); v != 3 {
				t.Fatalf("upsertClient converting the prospect: version %v, want 3", v)
			}
		})
	})
}

func TestVersions_AbsentFieldIsUnchangedAndNullClearsIt(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		t.Run("third party", func(t *testing.T) {
			e := e.With(t)
			e.OK(e.TokenA, `mutation { defineCustomField(input: {target: PROSPECT, key: "secteur", label: "Secteur", type: TEXT}) { id } }`, nil)
			e.OK(e.TokenA, `mutation { defineCustomField(input: {target: PROSPECT, key: "potentiel", label: "Potentiel", type: NUMBER}) { id } }`, nil)
			id := apitest.Str(e.OK(e.TokenA, apitest.CreateProspect, map[string]any{"in": map[string]any{
				"name": "Dupond", "legalName": "Dupond SARL", "email": "contact@dupond.fr", "phone": "01 23 45 67 89", "website": "www.dupond.fr",
				"address":      map[string]any{"line1": "1 rue de la Paix", "postalCode": "75002", "city": "Paris"},
				"customFields": []any{map[string]any{"key": "secteur", "value": "BTP"}, map[string]any{"key": "potentiel", "value": "1000"}},
			}}), "createProspect.id")
			const q = `mutation($id: ID!, $v: Int!, $in: UpdateThirdPartyInput!) { updateThirdParty(id: $id, expectedVersion: $v, input: $in) {
				version name legalName email phone website address { line1 postalCode city country } customFields { key value } } }`

			// Only website given: everything else stays.
			up := apitest.Get(e.OK(e.TokenA, q, map[string]any{"id": id, "v": 1, "in": map[string]any{"website": "www.dupond.com"}}), "updateThirdParty")
			if apitest.Str(up, "website") != "https://www.dupond.com" || apitest.Str(up, "name") != "Dupond" || apitest.Str(up, "legalName") != "Dupond SARL" ||
				apitest.Str(up, "email") != "contact@dupond.fr" || apitest.Str(up, "phone") != "+33123456789" || apitest.Str(up, "address.city") != "Paris" ||
				apitest.Str(up, "customFields.0.value") != "BTP" || apitest.Str(up, "customFields.1.value") != "1000" {
				t.Fatalf("absent fields changed: %v", up)
			}
			// Only the custom field keys given change; a null value clears.
			up = apitest.Get(e.OK(e.TokenA, q, map[string]any{"id": id, "v": 2, "in": map[string]any{"customFields": []any{map[string]any{"key": "secteur", "value": nil}}}}), "updateThirdParty")
			if apitest.Get(up, "customFields.0.value") != nil || apitest.Str(up, "customFields.1.value") != "1000" || apitest.Str(up, "email") != "contact@dupond.fr" {
				t.Fatalf("clearing one custom field: %v", up)
			}
			// null clears each field given, and only those.
			up = apitest.Get(e.OK(e.TokenA, q, map[string]any{"id": id, "v": 3, "in": map[string]any{"email": nil, "phone": nil, "legalName": nil}}), "updateThirdParty")
			if apitest.Get(up, "email") != nil || apitest.Get(up, "phone") != nil || apitest.Get(up, "legalName") != nil ||
				apitest.Str(up, "website") != "https://www.dupond.com" || apitest.Str(up, "address.line1") != "1 rue de la Paix" || apitest.Num(up, "version") != 4 {
				t.Fatalf("null fields: %v", up)
			}
			up = apitest.Get(e.OK(e.TokenA, q, map[string]any{"id": id, "v": 4, "in": map[string]any{"address": nil}}), "updateThirdParty")
			if apitest.Get(up, "address") != nil || apitest.Str(up, "name") != "Dupond" {
				t.Fatalf("null address: %v", up)
			}
			// The name is required: null cannot clear it.
			e.Fail(e.TokenA, q, map[string]any{"id": id, "v": 5, "in": map[string]any{"name": nil}}, "BAD_USER_INPUT", "name")
			if got := e.ThirdParty(e.TokenA, id); apitest.Str(got, "name") != "Dupond" || apitest.Num(got, "version") != 5 {
				t.Fatalf("refused update changed the record: %v", got)
			}
		})
		t.Run("contact", func(t *testing.T) {
			e := e.With(t)
			tp := e.Prospect(e.TokenA, "Durand")
			id := apitest.Str(e.OK(e.TokenA, `mutation($in: CreateContactInput!) { createContact(input: $in) { id } }`, map[string]any{"in": map[string]any{
				"thirdPartyId": tp, "lastName": "Martin", "firstName": "Élodie", "civility": "Mme", "jobTitle": "Acheteuse",
				"directLine": "01 23 45 67 89", "mobile": "06 12 34 56 78", "email": "elodie@durand.fr",
			}}), "createContact.id")
			const q = `mutation($id: ID!, $v: Int!, $in: UpdateContactInput!) { updateContact(id: $id, expectedVersion: $v, input: $in) {
				version lastName firstName civility jobTitle directLine mobile email phoneUri mailtoUri } }`
			up := apitest.Get(e.OK(e.TokenA, q, map[string]any{"id": id, "v": 1, "in": map[string]any{"jobTitle": "Directrice"}}), "updateContact")
			if apitest.Str(up, "jobTitle") != "Directrice" || apitest.Str(up, "lastName") != "Martin" || apitest.Str(up, "firstName") != "Élodie" || apitest.Str(up, "civility") != "Mme" ||
				apitest.Str(up, "directLine") != "+33123456789" || apitest.Str(up, "mobile") != "+33612345678" || apitest.Str(up, "email") != "elodie@durand.fr" {
				t.Fatalf("absent fields changed: %v", up)
			}
			up = apitest.Get(e.OK(e.TokenA, q, map[string]any{"id": id, "v": 2, "in": map[string]any{"directLine": nil, "email": nil}}), "updateContact")
			if apitest.Get(up, "directLine") != nil || apitest.Get(up, "email") != nil || apitest.Get(up, "mailtoUri") != nil ||
				apitest.Str(up, "phoneUri") != "tel:+33612345678" || apitest.Str(up, "jobTitle") != "Directrice" || apitest.Num(up, "version") != 3 {
				t.Fatalf("null fields: %v", up)
			}
			e.Fail(e.TokenA, q, map[string]any{"id": id, "v": 3, "in": map[string]any{"lastName": nil}}, "BAD_USER_INPUT", "lastName")
			if got := e.ContactNode(e.TokenA, id); apitest.Str(got, "lastName") != "Martin" || apitest.Num(got, "version") != 3 {
				t.Fatalf("refused update changed the contact: %v", got)
			}
		})
	})
}

func TestVersions_ConcurrentUpdatesOfOneVersionLetExactlyOneWin(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		for _, rec := range versionedRecords {
			t.Run(rec.name, func(t *testing.T) {
				e := e.With(t)
				id := rec.create(e)
				const writers = 10
				results := make([]*apitest.Result, writers)
				errors := make([]error, writers)
				start := make(chan struct{})
				var wg sync.WaitGroup
				for i := range writers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						<-start
						results[i], errors[i] = e.Post(e.TokenA, rec.update, map[string]any{"id": id, "v": 1, "name": fmt.Sprintf("Writer %d", i)})
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
					case r.Code() == "CONFLICT":
						conflicts++
					default:
						t.Fatalf("writer %d: want success or CONFLICT, got %+v", i, r.Errors)
					}
				}
				if winner < 0 || conflicts != writers-1 {
					t.Fatalf("want 1 winner and %d conflicts, got winner %d and %d conflicts", writers-1, winner, conflicts)
				}
				got := rec.read(e, id)
				if apitest.Num(got, "version") != 2 || apitest.Str(got, rec.nameOf) != fmt.Sprintf("Writer %d", winner) {
					t.Fatalf("after the race: %v, want version 2 written by writer %d", got, winner)
				}
			})
		}
	})
}
