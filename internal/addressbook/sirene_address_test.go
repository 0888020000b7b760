package addressbook_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/testdb"
)

const (
	createFilled = `mutation($in: CreateProspectInput!) { createProspect(input: $in) { id name apeCode address { line1 line2 postalCode city country } } }`
	updateFilled = `mutation($id: ID!) { updateThirdPartyFromSirene(id: $id) { apeCode version address { line1 line2 postalCode city country } } }`
)

// sireneFilled returns the sireneFilled extension of a response body.
func sireneFilled(t *testing.T, body string) []string {
	t.Helper()
	i := strings.Index(body, `"sireneFilled":[`)
	if i < 0 {
		t.Fatalf("no sireneFilled in %s", body)
	}
	list := body[i+len(`"sireneFilled":[`):]
	list = list[:strings.Index(list, "]")]
	var out []string
	for _, f := range strings.Split(list, ",") {
		if f = strings.Trim(f, `"`); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// The address is one field: SIRENE writes it whole, and only when its
// line 1, postal code and city are all empty — at creation and on update.
func TestSirene_TheAddressIsOneField(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		f := apitest.NewFakeSirene(t)
		e.ConfigureSirene(e.TokenA, f)

		// Creation: a typed postal code alone keeps the register's address out.
		p := e.OK(e.TokenA, createFilled, map[string]any{"in": map[string]any{"name": "A", "siret": "20000982700037", "address": map[string]any{"postalCode": "75001"}}})
		if a := apitest.Get(p, "createProspect.address"); apitest.Str(a, "postalCode") != "75001" || apitest.Get(a, "city") != nil || apitest.Get(a, "line1") != nil {
			t.Fatalf("register address mixed with a typed postal code: %v", a)
		}
		// A second line alone does not make an address: the register's
		// replaces it whole.
		p = e.OK(e.TokenA, createFilled, map[string]any{"in": map[string]any{"name": "B", "siret": "20000982700037", "address": map[string]any{"line2": "Bâtiment B"}}})
		if a := apitest.Get(p, "createProspect.address"); apitest.Str(a, "city") != "CORTE" || apitest.Str(a, "postalCode") != "20250" ||
			apitest.Str(a, "line1") == "" || apitest.Str(a, "line2") == "Bâtiment B" || apitest.Str(a, "country") != "FR" {
			t.Fatalf("want the register's whole address: %v", a)
		}

		// Update: a record with a typed city gets no register address…
		id := apitest.Str(e.OK(e.TokenA, apitest.CreateProspect, map[string]any{"in": map[string]any{"name": "C", "siret": "20000982700037", "address": map[string]any{"city": "Bastia"}}}), "createProspect.id")
		e.OK(e.TokenA, `mutation($id: ID!, $v: Int!) { updateThirdParty(id: $id, expectedVersion: $v, input: {apeCode: null}) { id } }`,
			map[string]any{"id": id, "v": 1})
		body := rawBody(e, e.TokenA, updateFilled, map[string]any{"id": id})
		if !strings.Contains(body, `"city":"Bastia"`) || !strings.Contains(body, `"postalCode":null`) || !strings.Contains(body, `"line1":null`) {
			t.Fatalf("update from SIRENE mixed addresses: %s", body)
		}
		if got := sireneFilled(t, body); !slices.Equal(got, []string{"apeCode"}) {
			t.Fatalf("filled: %v, want [apeCode]", got)
		}
		// …and one without an address gets all of it, reported part by part.
		id = e.Prospect(e.TokenA, "D")
		e.OK(e.TokenA, `mutation($id: ID!, $v: Int!) { updateThirdParty(id: $id, expectedVersion: $v, input: {siret: "20000982700037"}) { id } }`,
			map[string]any{"id": id, "v": 1})
		body = rawBody(e, e.TokenA, updateFilled, map[string]any{"id": id})
		if !strings.Contains(body, `"city":"CORTE"`) || !strings.Contains(body, `"postalCode":"20250"`) {
			t.Fatalf("update from SIRENE: %s", body)
		}
		if got := sireneFilled(t, body); !slices.Contains(got, "address.city") || !slices.Contains(got, "address.postalCode") || !slices.Contains(got, "address.line1") {
			t.Fatalf("filled: %v", got)
		}
	})
}

// The SIRENE look-up holds no write transaction: while INSEE keeps
// Carnet waiting, other writers go on (on SQLite, the look-up used to
// hold the database's one write lock).
func TestSirene_OtherWritersGoOnDuringALookUp(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		f := apitest.NewFakeSirene(t)
		e.ConfigureSirene(e.TokenA, f)
		contact := e.Contact(e.TokenA, e.Prospect(e.TokenA, "Voisin"), "Martin")
		version := 1
		writerGoesOn := func(t *testing.T, what string) {
			t.Helper()
			done := make(chan error, 1)
			go func() {
				r, err := e.Post(e.TokenA, `mutation($id: ID!, $v: Int!) { updateContact(id: $id, expectedVersion: $v, input: {jobTitle: "DAF"}) { version } }`,
					map[string]any{"id": contact, "v": version})
				if err == nil && len(r.Errors) > 0 {
					err = errorsOf(r)
				}
				done <- err
			}()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("updateContact during %s: %v", what, err)
				}
				version++
			case <-time.After(2 * time.Second):
				t.Fatalf("updateContact waited on the SIRENE look-up of %s", what)
			}
		}
		lookUp := func(t *testing.T, what, query string, vars map[string]any) {
			t.Helper()
			entered, release := f.Hold(t)
			result := make(chan *apitest.Result, 1)
			go func() {
				r, err := e.Post(e.TokenA, query, vars)
				if err != nil {
					r = &apitest.Result{Errors: []apitest.Error{{Message: err.Error()}}}
				}
				result <- r
			}()
			select {
			case <-entered:
			case <-time.After(5 * time.Second):
				t.Fatalf("%s: no SIRENE call", what)
			}
			writerGoesOn(t, what)
			release()
			if r := <-result; len(r.Errors) > 0 {
				t.Fatalf("%s: %+v", what, r.Errors)
			}
		}
		lookUp(t, "createProspect", createFilled, map[string]any{"in": map[string]any{"name": "", "siret": "20000982700037"}})
		id := e.Prospect(e.TokenA, "Sans adresse")
		e.OK(e.TokenA, `mutation($id: ID!) { updateThirdParty(id: $id, expectedVersion: 1, input: {siren: "200009827"}) { id } }`, map[string]any{"id": id})
		lookUp(t, "updateThirdPartyFromSirene", updateFilled, map[string]any{"id": id})
		if got := e.ThirdParty(e.TokenA, id); apitest.Str(got, "apeCode") != "82.91Z" {
			t.Fatalf("not filled: %v", got)
		}
	})
}

// A field typed while SIRENE is being asked is never overwritten, and a
// city typed then keeps the register's address out.
func TestSirene_AnEditDuringTheLookUpWins(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		f := apitest.NewFakeSirene(t)
		id := apitest.Str(e.OK(e.TokenA, apitest.CreateProspect, map[string]any{"in": map[string]any{"name": "Course", "siret": "20000982700037"}}), "createProspect.id")
		e.ConfigureSirene(e.TokenA, f)
		entered, release := f.Hold(t)
		result := make(chan string, 1)
		go func() {
			r, err := e.Post(e.TokenA, updateFilled, map[string]any{"id": id})
			switch {
			case err != nil:
				result <- err.Error()
			case len(r.Errors) > 0:
				result <- errorsOf(r).Error()
			default:
				result <- ""
			}
		}()
		<-entered
		e.OK(e.TokenA, `mutation($id: ID!) { updateThirdParty(id: $id, expectedVersion: 1, input: {apeCode: "62.01Z", address: {city: "Ajaccio"}}) { id } }`, map[string]any{"id": id})
		release()
		if msg := <-result; msg != "" {
			t.Fatal(msg)
		}
		got := e.ThirdParty(e.TokenA, id)
		if apitest.Str(got, "apeCode") != "62.01Z" || apitest.Str(got, "address.city") != "Ajaccio" || apitest.Get(got, "address.postalCode") != nil || apitest.Get(got, "address.line1") != nil {
			t.Fatalf("the edit made during the look-up was overwritten or mixed: %v", got)
		}
		if !strings.Contains(apitest.Str(got, "legalName"), "CORSE") {
			t.Fatalf("the empty fields were not filled: %v", got)
		}
	})
}

// Sent with other fields in one mutation operation, the SIRENE mutations
// run inside its transaction: they call no SIRENE (createProspect says so
// in a warning, updateThirdPartyFromSirene refuses and nothing is kept).
func TestSirene_NoLookUpInsideAnOperationOfSeveralFields(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		f := apitest.NewFakeSirene(t)
		e.ConfigureSirene(e.TokenA, f)
		body := rawBody(e, e.TokenA, `mutation { a: createProspect(input: {name: "Un", siret: "20000982700037"}) { apeCode } b: createProspect(input: {name: "Deux"}) { name } }`, nil)
		if !strings.Contains(body, `"apeCode":null`) || !strings.Contains(body, `"name":"Deux"`) || !strings.Contains(body, `"warnings":[{"code":"SIRENE_UNAVAILABLE"`) {
			t.Fatalf("createProspect with another field: %s", body)
		}
		id := e.Prospect(e.TokenA, "Trois")
		e.OK(e.TokenA, `mutation($id: ID!) { updateThirdParty(id: $id, expectedVersion: 1, input: {siren: "200009827"}) { id } }`, map[string]any{"id": id})
		r := e.Do(e.TokenA, `mutation($id: ID!) { a: updateThirdParty(id: $id, expectedVersion: 2, input: {phone: "01 02 03 04 05"}) { id } b: updateThirdPartyFromSirene(id: $id) { id } }`, map[string]any{"id": id})
		if r.Code() != "BAD_USER_INPUT" {
			t.Fatalf("updateThirdPartyFromSirene with another field: %+v", r.Errors)
		}
		if got := e.ThirdParty(e.TokenA, id); apitest.Get(got, "phone") != nil || apitest.Num(got, "version") != 2 {
			t.Fatalf("the operation's other field was kept: %v", got)
		}
		if n := f.Calls.Load(); n != 0 {
			t.Fatalf("SIRENE called %d times inside a transaction", n)
		}
		// Alone (__typename aside), it runs.
		e.OK(e.TokenA, `mutation($id: ID!) { __typename updateThirdPartyFromSirene(id: $id) { id } }`, map[string]any{"id": id})
		if f.Calls.Load() != 1 {
			t.Fatal("updateThirdPartyFromSirene alone made no SIRENE call")
		}
	})
}
