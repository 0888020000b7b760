package validate_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/testdb"
)

const (
	updateThirdParty = `mutation($id: ID!, $v: Int!, $in: UpdateThirdPartyInput!) { updateThirdParty(id: $id, expectedVersion: $v, input: $in) { id version name phone apeCode siren siret vatNumber website address { postalCode city country } } }`
	createContact    = `mutation($in: CreateContactInput!) { createContact(input: $in) { id lastName firstName directLine mobile email phoneUri mailtoUri } }`
	updateContact    = `mutation($id: ID!, $v: Int!, $in: UpdateContactInput!) { updateContact(id: $id, expectedVersion: $v, input: $in) { id version } }`
	createThirdParty = `mutation($in: CreateThirdPartyInput!) { createThirdParty(input: $in) { id kind status code name apeCode phone siren vatNumber address { country } } }`
)

// validationFixture holds the records bad inputs are aimed at.
type validationFixture struct {
	prospect, identified, supplier, contact, client string
}

func newValidationFixture(e *apitest.Env) validationFixture {
	e.T.Helper()
	var f validationFixture
	f.prospect = e.Prospect(e.TokenA, "Prospect")
	f.identified = apitest.Str(e.OK(e.TokenA, apitest.CreateProspect, map[string]any{"in": map[string]any{"name": "Identifié", "siren": "732829320"}}), "createProspect.id")
	f.supplier = apitest.Str(e.OK(e.TokenA, createThirdParty, map[string]any{"in": map[string]any{"kind": "SUPPLIER", "name": "Fournisseur"}}), "createThirdParty.id")
	f.contact = e.Contact(e.TokenA, f.prospect, "Martin")
	f.client = e.Client(e.TokenA, "C-VAL", "Client existant", false)
	for _, def := range []string{
		`{target: PROSPECT, key: "potentiel", label: "Potentiel", type: NUMBER}`,
		`{target: PROSPECT, key: "signature", label: "Signature", type: DATE}`,
		`{target: PROSPECT, key: "actif", label: "Actif", type: BOOLEAN}`,
		`{target: PROSPECT, key: "secteur", label: "Secteur", type: CHOICE, choices: ["BTP", "Industrie"]}`,
	} {
		e.OK(e.TokenA, `mutation { defineCustomField(input: `+def+`) { id } }`, nil)
	}
	return f
}

// encodeRaw makes an ID-looking string that is not a Carnet ID.
func encodeRaw(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func TestValidation_BadInputIsRefusedWithItsFieldAndWritesNothing(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		f := newValidationFixture(e)
		long := strings.Repeat("n", 201)
		prospect := func(in map[string]any) (string, map[string]any) {
			if _, ok := in["name"]; !ok {
				in["name"] = "Nouveau"
			}
			return apitest.CreateProspect, map[string]any{"in": in}
		}
		update := func(id string, in map[string]any) (string, map[string]any) {
			return updateThirdParty, map[string]any{"id": id, "v": 1, "in": in}
		}
		contact := func(in map[string]any) (string, map[string]any) {
			if _, ok := in["thirdPartyId"]; !ok {
				in["thirdPartyId"] = f.prospect
			}
			if _, ok := in["lastName"]; !ok {
				in["lastName"] = "Durand"
			}
			return createContact, map[string]any{"in": in}
		}
		client := func(in map[string]any) (string, map[string]any) {
			if _, ok := in["code"]; !ok {
				in["code"] = "C-NEW"
			}
			if _, ok := in["name"]; !ok {
				in["name"] = "Client"
			}
			return apitest.UpsertClient, map[string]any{"in": in}
		}
		other := func(in map[string]any) (string, map[string]any) {
			if _, ok := in["kind"]; !ok {
				in["kind"] = "SUPPLIER"
			}
			if _, ok := in["name"]; !ok {
				in["name"] = "Fournisseur bis"
			}
			return createThirdParty, map[string]any{"in": in}
		}
		cf := func(key string, value any) map[string]any {
			return map[string]any{"customFields": []any{map[string]any{"key": key, "value": value}}}
		}
		type doc = func() (string, map[string]any)
		for _, tc := range []struct {
			name  string
			doc   doc
			field string
		}{
			// createProspect
			{"createProspect blank name", func() (string, map[string]any) { return prospect(map[string]any{"name": "   "}) }, "name"},
			{"createProspect empty name", func() (string, map[string]any) { return prospect(map[string]any{"name": ""}) }, "name"},
			{"createProspect name of 201 characters", func() (string, map[string]any) { return prospect(map[string]any{"name": long}) }, "name"},
			// NUL characters (PostgreSQL refuses them, SQLite stored them) and
			// enum values in another case, given in variables or inline.
			{"createProspect NUL in the name", func() (string, map[string]any) { return prospect(map[string]any{"name": "a\x00b"}) }, "name"},
			{"createProspect NUL in the name, inline", func() (string, map[string]any) {
				return `mutation { createProspect(input: {name: "a\u0000b"}) { id } }`, nil
			}, "name"},
			{"createProspect NUL in address.line1", func() (string, map[string]any) {
				return prospect(map[string]any{"address": map[string]any{"line1": "1 rue\x00", "city": "Paris"}})
			}, "address.line1"},
			{"createProspect NUL in a custom field value", func() (string, map[string]any) { return prospect(cf("potentiel", "1\x00")) }, "customFields.value"},
			{"createContact NUL in lastName", func() (string, map[string]any) { return contact(map[string]any{"lastName": "Du\x00pont"}) }, "lastName"},
			{"updateThirdParty NUL in legalName", func() (string, map[string]any) { return update(f.prospect, map[string]any{"legalName": "\x00"}) }, "legalName"},
			{"thirdParties filter with a NUL", func() (string, map[string]any) {
				return `query($n: String) { thirdParties(where: {nameContains: $n}) { totalCount } }`, map[string]any{"n": "a\x00"}
			}, "nameContains"},
			{"search with a NUL", func() (string, map[string]any) {
				return `query($q: String!) { search(query: $q) { label } }`, map[string]any{"q": "du\x00pont"}
			}, "query"},
			{"createThirdParty kind in lower case", func() (string, map[string]any) { return other(map[string]any{"kind": "supplier"}) }, "kind"},
			{"createActivity type in mixed case", func() (string, map[string]any) {
				return `mutation($in: CreateActivityInput!) { createActivity(input: $in) { id } }`,
					map[string]any{"in": map[string]any{"subjectId": f.prospect, "type": "Note", "subject": "S"}}
			}, "type"},
			{"printThirdParty format in lower case", func() (string, map[string]any) {
				return `mutation($id: ID!, $f: PrintFormat!) { printThirdParty(id: $id, templateId: $id, format: $f) { url } }`,
					map[string]any{"id": f.prospect, "f": "pdf"}
			}, "format"},
			{"createProspect legal name of 201 characters", func() (string, map[string]any) { return prospect(map[string]any{"legalName": long}) }, "legalName"},
			{"createProspect SIREN with a bad checksum", func() (string, map[string]any) { return prospect(map[string]any{"siren": "732829321"}) }, "siren"},
			{"createProspect SIREN of 8 digits", func() (string, map[string]any) { return prospect(map[string]any{"siren": "73282932"}) }, "siren"},
			{"createProspect SIRET with a bad checksum", func() (string, map[string]any) { return prospect(map[string]any{"siret": "73282932000075"}) }, "siret"},
			{"createProspect SIRET of another SIREN", func() (string, map[string]any) {
				return prospect(map[string]any{"siren": "732829320", "siret": "55210055400005"})
			}, "siret"},
			{"createProspect APE without its letter", func() (string, map[string]any) { return prospect(map[string]any{"apeCode": "6201"}) }, "apeCode"},
			{"createProspect VAT with a wrong key", func() (string, map[string]any) { return prospect(map[string]any{"vatNumber": "FR00732829320"}) }, "vatNumber"},
			{"createProspect VAT of another SIREN", func() (string, map[string]any) {
				return prospect(map[string]any{"siren": "732829320", "vatNumber": "FR96552100554"})
			}, "vatNumber"},
			{"updateThirdParty VAT of another SIREN", func() (string, map[string]any) {
				return update(f.identified, map[string]any{"vatNumber": "FR96552100554"})
			}, "vatNumber"},
			{"createProspect bad e-mail", func() (string, map[string]any) { return prospect(map[string]any{"email": "contact@"}) }, "email"},
			{"createProspect phone 12", func() (string, map[string]any) { return prospect(map[string]any{"phone": "12"}) }, "phone"},
			{"createProspect ftp website", func() (string, map[string]any) { return prospect(map[string]any{"website": "ftp://x"}) }, "website"},
			{"createProspect French postal code of 4 digits", func() (string, map[string]any) {
				return prospect(map[string]any{"address": map[string]any{"postalCode": "7501", "city": "Paris", "country": "FR"}})
			}, "address.postalCode"},
			{"createProspect postal code of 4 digits, country defaulting to France", func() (string, map[string]any) {
				return prospect(map[string]any{"address": map[string]any{"postalCode": "7501", "city": "Paris"}})
			}, "address.postalCode"},
			{"createProspect unknown country", func() (string, map[string]any) {
				return prospect(map[string]any{"address": map[string]any{"city": "Nowhere", "country": "XX"}})
			}, "address.country"},
			{"createProspect unknown custom field", func() (string, map[string]any) { return prospect(cf("inconnu", "x")) }, "customFields.inconnu"},
			{"createProspect NUMBER custom field given text", func() (string, map[string]any) { return prospect(cf("potentiel", "beaucoup")) }, "customFields.potentiel"},
			{"createProspect NUMBER custom field NaN", func() (string, map[string]any) { return prospect(cf("potentiel", "NaN")) }, "customFields.potentiel"},
			{"createProspect NUMBER custom field Inf", func() (string, map[string]any) { return prospect(cf("potentiel", "Inf")) }, "customFields.potentiel"},
			{"createProspect DATE custom field not ISO", func() (string, map[string]any) { return prospect(cf("signature", "31/12/2026")) }, "customFields.signature"},
			{"createProspect BOOLEAN custom field given peut-être", func() (string, map[string]any) { return prospect(cf("actif", "peut-être")) }, "customFields.actif"},
			{"createProspect CHOICE custom field outside its choices", func() (string, map[string]any) { return prospect(cf("secteur", "Agriculture")) }, "customFields.secteur"},
			// updateThirdParty
			{"updateThirdParty blank name", func() (string, map[string]any) { return update(f.prospect, map[string]any{"name": " "}) }, "name"},
			{"updateThirdParty name of 201 characters", func() (string, map[string]any) { return update(f.prospect, map[string]any{"name": long}) }, "name"},
			{"updateThirdParty SIREN with a bad checksum", func() (string, map[string]any) { return update(f.prospect, map[string]any{"siren": "123456789"}) }, "siren"},
			{"updateThirdParty SIRET of another company than its stored SIREN", func() (string, map[string]any) {
				return update(f.identified, map[string]any{"siret": "55210055400005"})
			}, "siret"},
			{"updateThirdParty APE 6201", func() (string, map[string]any) { return update(f.prospect, map[string]any{"apeCode": "6201"}) }, "apeCode"},
			{"updateThirdParty phone 12", func() (string, map[string]any) { return update(f.prospect, map[string]any{"phone": "12"}) }, "phone"},
			{"updateThirdParty ftp website", func() (string, map[string]any) { return update(f.prospect, map[string]any{"website": "ftp://x"}) }, "website"},
			{"updateThirdParty bad e-mail", func() (string, map[string]any) { return update(f.prospect, map[string]any{"email": "a b@c.fr"}) }, "email"},
			{"updateThirdParty French postal code of 4 digits", func() (string, map[string]any) {
				return update(f.prospect, map[string]any{"address": map[string]any{"postalCode": "7501"}})
			}, "address.postalCode"},
			{"updateThirdParty wrong custom field type", func() (string, map[string]any) { return update(f.prospect, cf("potentiel", "abc")) }, "customFields.potentiel"},
			{"updateThirdParty unknown custom field", func() (string, map[string]any) { return update(f.prospect, cf("inconnu", "1")) }, "customFields.inconnu"},
			{"updateThirdParty NUMBER custom field -Infinity", func() (string, map[string]any) { return update(f.prospect, cf("potentiel", "-Infinity")) }, "customFields.potentiel"},
			// createContact and updateContact
			{"createContact blank last name", func() (string, map[string]any) { return contact(map[string]any{"lastName": "  "}) }, "lastName"},
			{"createContact last name of 101 characters", func() (string, map[string]any) {
				return contact(map[string]any{"lastName": strings.Repeat("x", 101)})
			}, "lastName"},
			{"createContact bad e-mail", func() (string, map[string]any) { return contact(map[string]any{"email": "elodie"}) }, "email"},
			{"createContact direct line 12", func() (string, map[string]any) { return contact(map[string]any{"directLine": "12"}) }, "directLine"},
			{"createContact bad mobile", func() (string, map[string]any) { return contact(map[string]any{"mobile": "mobile"}) }, "mobile"},
			{"createContact on a supplier", func() (string, map[string]any) { return contact(map[string]any{"thirdPartyId": f.supplier}) }, "thirdPartyId"},
			{"createContact on a contact's ID", func() (string, map[string]any) { return contact(map[string]any{"thirdPartyId": f.contact}) }, "thirdPartyId"},
			{"updateContact bad e-mail", func() (string, map[string]any) {
				return updateContact, map[string]any{"id": f.contact, "v": 1, "in": map[string]any{"email": "x@y"}}
			}, "email"},
			{"updateContact phone 12", func() (string, map[string]any) {
				return updateContact, map[string]any{"id": f.contact, "v": 1, "in": map[string]any{"mobile": "12"}}
			}, "mobile"},
			// upsertClient
			{"upsertClient blank code", func() (string, map[string]any) { return client(map[string]any{"code": " "}) }, "code"},
			{"upsertClient blank name", func() (string, map[string]any) { return client(map[string]any{"name": ""}) }, "name"},
			{"upsertClient SIRET with a bad checksum", func() (string, map[string]any) { return client(map[string]any{"siret": "73282932000075"}) }, "siret"},
			{"upsertClient SIRET not matching its SIREN", func() (string, map[string]any) {
				return client(map[string]any{"siren": "732829320", "siret": "55210055400005"})
			}, "siret"},
			{"upsertClient APE 6201", func() (string, map[string]any) { return client(map[string]any{"apeCode": "6201"}) }, "apeCode"},
			{"upsertClient phone 12", func() (string, map[string]any) { return client(map[string]any{"phone": "12"}) }, "phone"},
			{"upsertClient French postal code of 4 digits", func() (string, map[string]any) {
				return client(map[string]any{"address": map[string]any{"postalCode": "7501"}})
			}, "address.postalCode"},
			{"upsertClient converting a supplier", func() (string, map[string]any) { return client(map[string]any{"prospectId": f.supplier}) }, "prospectId"},
			{"upsertClient converting a client of another code", func() (string, map[string]any) {
				return client(map[string]any{"code": "C-AUTRE", "prospectId": f.client})
			}, "prospectId"},
			{"upsertClient with a supplier's code", func() (string, map[string]any) {
				return client(map[string]any{"code": "F-1"})
			}, "code"},
			// createThirdParty
			{"createThirdParty of a PROSPECT", func() (string, map[string]any) { return other(map[string]any{"kind": "PROSPECT"}) }, "kind"},
			{"createThirdParty of a CLIENT", func() (string, map[string]any) { return other(map[string]any{"kind": "CLIENT"}) }, "kind"},
			{"createThirdParty blank name", func() (string, map[string]any) { return other(map[string]any{"name": "\t"}) }, "name"},
			{"createThirdParty SIREN with a bad checksum", func() (string, map[string]any) { return other(map[string]any{"siren": "000000001"}) }, "siren"},
			{"createThirdParty website without a host", func() (string, map[string]any) { return other(map[string]any{"website": "https://"}) }, "website"},
			{"createThirdParty duplicate code", func() (string, map[string]any) { return other(map[string]any{"code": "F-1"}) }, "code"},
			// Malformed IDs
			{"updateThirdParty malformed ID", func() (string, map[string]any) { return update("not-an-id", map[string]any{"name": "x"}) }, "id"},
			{"updateThirdParty ID of another scheme", func() (string, map[string]any) { return update(encodeRaw("other:1"), map[string]any{"name": "x"}) }, "id"},
			{"deleteContact ID with a non-numeric body", func() (string, map[string]any) {
				return `mutation($id: ID!) { deleteContact(id: $id) }`, map[string]any{"id": encodeRaw("carnet:abc")}
			}, "id"},
			{"createContact malformed thirdPartyId", func() (string, map[string]any) { return contact(map[string]any{"thirdPartyId": "@@@"}) }, "thirdPartyId"},
			{"upsertClient malformed prospectId", func() (string, map[string]any) { return client(map[string]any{"prospectId": "xyz"}) }, "prospectId"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				if tc.name == "upsertClient with a supplier's code" || tc.name == "createThirdParty duplicate code" {
					ensureSupplierCode(e)
				}
				before := e.Snapshot()
				q, vars := tc.doc()
				r := e.Fail(e.TokenA, q, vars, "BAD_USER_INPUT", tc.field)
				if r.Errors[0].Message == "" {
					t.Fatal("an error without message")
				}
				if after := e.Snapshot(); after != before {
					t.Fatalf("a refused input wrote:\nbefore %s\nafter  %s", before, after)
				}
			})
		}
	})
}

// ensureSupplierCode creates the supplier of code F-1 once.
func ensureSupplierCode(e *apitest.Env) {
	e.T.Helper()
	d := e.OK(e.TokenA, `{ thirdParties(where: {code: "F-1"}) { totalCount } }`, nil)
	if apitest.Num(d, "thirdParties.totalCount") == 0 {
		e.OK(e.TokenA, createThirdParty, map[string]any{"in": map[string]any{"kind": "SUPPLIER", "name": "Fournisseur codé", "code": "F-1"}})
	}
}

func TestValidation_RequiredCustomFieldMustHaveAValueExceptOnTheIntegrationPath(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		e.OK(e.TokenA, `mutation { defineCustomField(input: {target: PROSPECT, key: "secteur", label: "Secteur", type: TEXT, required: true}) { id } }`, nil)
		e.OK(e.TokenA, `mutation { defineCustomField(input: {target: CLIENT, key: "compte", label: "Compte", type: TEXT, required: true}) { id } }`, nil)
		before := e.CountThirdParties(e.TokenA)
		e.Fail(e.TokenA, apitest.CreateProspect, map[string]any{"in": map[string]any{"name": "Sans secteur"}}, "BAD_USER_INPUT", "customFields.secteur")
		e.Fail(e.TokenA, apitest.CreateProspect, map[string]any{"in": map[string]any{"name": "Secteur vide",
			"customFields": []any{map[string]any{"key": "secteur", "value": "  "}}}}, "BAD_USER_INPUT", "customFields.secteur")
		if n := e.CountThirdParties(e.TokenA); n != before {
			t.Fatalf("third parties: %d, want %d", n, before)
		}
		id := apitest.Str(e.OK(e.TokenA, apitest.CreateProspect, map[string]any{"in": map[string]any{"name": "Avec secteur",
			"customFields": []any{map[string]any{"key": "secteur", "value": "BTP"}}}}), "createProspect.id")
		e.Fail(e.TokenA, updateThirdParty, map[string]any{"id": id, "v": 1, "in": map[string]any{
			"customFields": []any{map[string]any{"key": "secteur", "value": nil}}}}, "BAD_USER_INPUT", "customFields.secteur")
		got := e.OK(e.TokenA, `query($id: ID!) { node(id: $id) { ... on ThirdParty { version customFields { key value } } } }`, map[string]any{"id": id})
		if apitest.Num(got, "node.version") != 1 || apitest.Str(got, "node.customFields.0.value") != "BTP" {
			t.Fatalf("a refused clear changed the record: %v", got)
		}
		// The integration path is not held to required custom fields.
		e.Client(e.TokenA, "C-1", "Client sans compte", false)
	})
}

func TestValidation_GoodInputIsNormalised(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		f := newValidationFixture(e)
		for _, tc := range []struct {
			name  string
			query string
			vars  map[string]any
			want  map[string]any // path → value ("<nil>" for null)
		}{
			{"createProspect trims the name and derives SIREN and VAT from a spaced SIRET", apitest.CreateProspect,
				map[string]any{"in": map[string]any{"name": "  Dupond  ", "siret": " 732 829 320 00074 "}},
				map[string]any{"createProspect.name": "Dupond", "createProspect.siret": "73282932000074", "createProspect.siren": "732829320", "createProspect.vatNumber": "FR44732829320"}},
			{"createProspect derives the VAT from the SIREN", apitest.CreateProspect,
				map[string]any{"in": map[string]any{"name": "Dupond", "siren": "732 829 320"}},
				map[string]any{"createProspect.siren": "732829320", "createProspect.vatNumber": "FR44732829320"}},
			{"createProspect keeps a VAT number given", apitest.CreateProspect,
				map[string]any{"in": map[string]any{"name": "Dupond", "siren": "732829320", "vatNumber": "fr 44 732829320"}},
				map[string]any{"createProspect.vatNumber": "FR44732829320"}},
			{"createProspect accepts La Poste's SIRET", apitest.CreateProspect,
				map[string]any{"in": map[string]any{"name": "Bureau de poste", "siret": "35600000000001"}},
				map[string]any{"createProspect.siren": "356000000", "createProspect.siret": "35600000000001"}},
			{"createProspect phone in E.164 and country FR by default", apitest.CreateProspect,
				map[string]any{"in": map[string]any{"name": "Dupond", "phone": "01 23 45 67 89", "email": "Contact@DUPOND.FR",
					"address": map[string]any{"line1": "  1 rue de la Paix ", "postalCode": "75002", "city": "Paris"}}},
				map[string]any{"createProspect.phone": "+33123456789", "createProspect.email": "Contact@dupond.fr",
					"createProspect.address.country": "FR", "createProspect.address.line1": "1 rue de la Paix"}},
			{"createProspect foreign phone and country", apitest.CreateProspect,
				map[string]any{"in": map[string]any{"name": "London Ltd", "phone": "+44 20 7946 0958", "address": map[string]any{"postalCode": "SW1A 1AA", "country": "gb"}}},
				map[string]any{"createProspect.phone": "+442079460958", "createProspect.address.country": "GB", "createProspect.address.postalCode": "SW1A 1AA"}},
			{"createProspect blank optional fields are absent", apitest.CreateProspect,
				map[string]any{"in": map[string]any{"name": "Dupond", "email": "  ", "phone": "", "siren": " "}},
				map[string]any{"createProspect.email": "<nil>", "createProspect.phone": "<nil>", "createProspect.siren": "<nil>", "createProspect.vatNumber": "<nil>", "createProspect.address": "<nil>"}},
			{"createProspect name of 200 characters", apitest.CreateProspect,
				map[string]any{"in": map[string]any{"name": strings.Repeat("n", 200)}},
				map[string]any{"createProspect.name": strings.Repeat("n", 200)}},
			{"createProspect name of 200 accented characters", apitest.CreateProspect,
				map[string]any{"in": map[string]any{"name": strings.Repeat("é", 200)}},
				map[string]any{"createProspect.name": strings.Repeat("é", 200)}},
			{"createContact last name of 100 accented characters", createContact,
				map[string]any{"in": map[string]any{"thirdPartyId": f.prospect, "lastName": strings.Repeat("è", 100)}},
				map[string]any{"createContact.lastName": strings.Repeat("è", 100)}},
			{"updateThirdParty normalises APE 6201z and website", updateThirdParty,
				map[string]any{"id": f.prospect, "v": 1, "in": map[string]any{"apeCode": "6201z", "website": "WWW.Dupond.fr", "phone": "0123456789"}},
				map[string]any{"updateThirdParty.apeCode": "62.01Z", "updateThirdParty.website": "https://www.dupond.fr", "updateThirdParty.phone": "+33123456789"}},
			{"updateThirdParty address without country is French", updateThirdParty,
				map[string]any{"id": f.identified, "v": 1, "in": map[string]any{"address": map[string]any{"postalCode": "69001", "city": "Lyon"}, "siret": "73282932000074"}},
				map[string]any{"updateThirdParty.address.country": "FR", "updateThirdParty.siret": "73282932000074", "updateThirdParty.vatNumber": "FR44732829320"}},
			{"createContact trims names and normalises phones", createContact,
				map[string]any{"in": map[string]any{"thirdPartyId": f.prospect, "lastName": "  Lefèvre ", "firstName": " Élodie", "directLine": "01 23 45 67 89", "mobile": "06.12.34.56.78", "email": "elodie@Durand.FR"}},
				map[string]any{"createContact.lastName": "Lefèvre", "createContact.firstName": "Élodie", "createContact.directLine": "+33123456789",
					"createContact.mobile": "+33612345678", "createContact.email": "elodie@durand.fr", "createContact.phoneUri": "tel:+33123456789", "createContact.mailtoUri": "mailto:elodie@durand.fr"}},
			{"createContact phoneUri falls back to the mobile", createContact,
				map[string]any{"in": map[string]any{"thirdPartyId": f.prospect, "lastName": "Mobile", "mobile": "0612345678"}},
				map[string]any{"createContact.phoneUri": "tel:+33612345678", "createContact.mailtoUri": "<nil>"}},
			{"upsertClient normalises like createProspect", `mutation($in: UpsertClientInput!) { upsertClient(input: $in) { code name siren siret vatNumber apeCode phone address { country } } }`,
				map[string]any{"in": map[string]any{"code": " C-42 ", "name": " Client ", "siret": "732 829 320 00074", "apeCode": "62 01 z", "phone": "01 23 45 67 89", "address": map[string]any{"city": "Paris"}}},
				map[string]any{"upsertClient.code": "C-42", "upsertClient.name": "Client", "upsertClient.siren": "732829320", "upsertClient.vatNumber": "FR44732829320",
					"upsertClient.apeCode": "62.01Z", "upsertClient.phone": "+33123456789", "upsertClient.address.country": "FR"}},
			{"createThirdParty normalises a supplier", createThirdParty,
				map[string]any{"in": map[string]any{"kind": "OTHER", "name": " Autre ", "apeCode": "6201z", "siren": "552100554", "address": map[string]any{"city": "Lille"}}},
				map[string]any{"createThirdParty.kind": "OTHER", "createThirdParty.status": "ACTIVE", "createThirdParty.name": "Autre", "createThirdParty.apeCode": "62.01Z",
					"createThirdParty.vatNumber": "FR96552100554", "createThirdParty.address.country": "FR"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				got := e.OK(e.TokenA, tc.query, tc.vars)
				for path, want := range tc.want {
					v := apitest.Get(got, path)
					if want == "<nil>" {
						if v != nil {
							t.Errorf("%s: got %v, want null", path, v)
						}
						continue
					}
					if v != want {
						t.Errorf("%s: got %v, want %v", path, v, want)
					}
				}
			})
		}
	})
}
