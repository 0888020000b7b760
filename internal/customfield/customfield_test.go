package customfield_test

import (
	"encoding/json"
	"testing"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/testdb"
)

const (
	define        = `mutation($in: DefineCustomFieldInput!) { defineCustomField(input: $in) { id entity target key } }`
	createContact = `mutation($in: CreateContactInput!) { createContact(input: $in) { id version customFields { key value } } }`
	updateContact = `mutation($id: ID!, $v: Int!, $in: UpdateContactInput!) { updateContact(id: $id, expectedVersion: $v, input: $in) { version customFields { key value } } }`
	contactFields = `query($id: ID!) { node(id: $id) { ... on Contact { customFields { key label type required choices value } } } }`
)

func kv(pairs ...string) []any {
	var out []any
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, map[string]any{"key": pairs[i], "value": pairs[i+1]})
	}
	return out
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestContactCustomFields_DefinedPerKindCheckedAndDrawnWithTheirDefinition:
// a CONTACT field is defined for the contacts of prospects or of clients;
// createContact and updateContact check values as createProspect does
// (type, choices, required; BAD_USER_INPUT on customFields.<key>, nothing
// written); Contact.customFields shows each with its definition's type,
// label, required and choices; third parties' fields stay apart.
func TestContactCustomFields_DefinedPerKindCheckedAndDrawnWithTheirDefinition(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		def := func(in map[string]any) map[string]any { return map[string]any{"in": in} }
		e.OK(e.TokenA, define, def(map[string]any{"entity": "CONTACT", "target": "CLIENT", "key": "langue", "label": "Langue", "type": "CHOICE", "choices": []string{"FR", "EN"}, "required": true}))
		e.OK(e.TokenA, define, def(map[string]any{"entity": "CONTACT", "target": "CLIENT", "key": "anciennete", "label": "Ancienneté", "type": "NUMBER"}))
		tpDef := apitest.Get(e.OK(e.TokenA, define, def(map[string]any{"target": "CLIENT", "key": "langue", "label": "Langue du client", "type": "TEXT"})), "defineCustomField")
		if apitest.Str(tpDef, "entity") != "THIRD_PARTY" {
			t.Errorf("a definition without entity is %v, want THIRD_PARTY", tpDef)
		}
		e.Fail(e.TokenA, define, def(map[string]any{"entity": "CONTACT", "target": "SUPPLIER", "key": "x", "label": "X", "type": "TEXT"}), "BAD_USER_INPUT", "target")

		defs := e.OK(e.TokenA, `{ tp: customFieldDefinitions(target: CLIENT) { key } c: customFieldDefinitions(target: CLIENT, entity: CONTACT) { key entity } }`, nil)
		if got := jsonOf(apitest.Names(defs["tp"], "key")); got != `["langue"]` {
			t.Errorf("third-party definitions of CLIENT: %s", got)
		}
		if got := jsonOf(apitest.Names(defs["c"], "key")); got != `["langue","anciennete"]` {
			t.Errorf("contact definitions of CLIENT: %s", got)
		}

		client := e.Client(e.TokenA, "C-CF", "Client Champs", false)
		prospect := e.Prospect(e.TokenA, "Prospect Champs")
		before := e.CountContacts(e.TokenA)
		for _, tc := range []struct {
			name   string
			tp     string
			values []any
			field  string
		}{
			{"a required field missing", client, kv("anciennete", "3"), "customFields.langue"},
			{"not one of the choices", client, kv("langue", "DE"), "customFields.langue"},
			{"not a number", client, kv("langue", "FR", "anciennete", "trois"), "customFields.anciennete"},
			{"an undefined key", client, kv("langue", "FR", "inconnu", "1"), "customFields.inconnu"},
			{"a client contact's field on a prospect's contact", prospect, kv("langue", "FR"), "customFields.langue"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				e.Fail(e.TokenA, createContact, map[string]any{"in": map[string]any{"thirdPartyId": tc.tp, "lastName": "Refusé", "customFields": tc.values}}, "BAD_USER_INPUT", tc.field)
			})
		}
		if n := e.CountContacts(e.TokenA); n != before {
			t.Fatalf("refused contacts were written: %d contacts, want %d", n, before)
		}

		c := e.OK(e.TokenA, createContact, map[string]any{"in": map[string]any{"thirdPartyId": client, "lastName": "Accepté", "customFields": kv("langue", "FR", "anciennete", "3.0")}})
		id := apitest.Str(c, "createContact.id")
		got := jsonOf(apitest.Get(e.OK(e.TokenA, contactFields, map[string]any{"id": id}), "node.customFields"))
		want := `[{"choices":["FR","EN"],"key":"langue","label":"Langue","required":true,"type":"CHOICE","value":"FR"},` +
			`{"choices":[],"key":"anciennete","label":"Ancienneté","required":false,"type":"NUMBER","value":"3"}]`
		if got != want {
			t.Errorf("Contact.customFields:\n got %s\nwant %s", got, want)
		}

		// updateContact: given values written over the others, same checks.
		e.Fail(e.TokenA, updateContact, map[string]any{"id": id, "v": 1, "in": map[string]any{"customFields": kv("anciennete", "x")}}, "BAD_USER_INPUT", "customFields.anciennete")
		e.Fail(e.TokenA, updateContact, map[string]any{"id": id, "v": 1, "in": map[string]any{"customFields": []any{map[string]any{"key": "langue", "value": nil}}}}, "BAD_USER_INPUT", "customFields.langue")
		u := e.OK(e.TokenA, updateContact, map[string]any{"id": id, "v": 1, "in": map[string]any{"customFields": kv("anciennete", "4")}})
		if got := jsonOf(apitest.Get(u, "updateContact.customFields")); apitest.Num(u, "updateContact.version") != 2 || got != `[{"key":"langue","value":"FR"},{"key":"anciennete","value":"4"}]` {
			t.Errorf("after updateContact: %v", u)
		}
		u = e.OK(e.TokenA, updateContact, map[string]any{"id": id, "v": 2, "in": map[string]any{"lastName": "Renommé"}})
		if got := jsonOf(apitest.Get(u, "updateContact.customFields")); got != `[{"key":"langue","value":"FR"},{"key":"anciennete","value":"4"}]` {
			t.Errorf("an update without customFields changed them: %s", got)
		}

		// Lists draw each contact's fields from its third party's kind; the
		// third party shows its own fields, with their form too.
		e.Contact(e.TokenA, prospect, "Sans Champs")
		list := e.OK(e.TokenA, `{ contacts(first: 10, orderBy: {field: LAST_NAME}) { edges { node { lastName customFields { key } } } } }`, nil)
		for _, n := range apitest.Get(list, "contacts.edges").([]any) {
			keys := jsonOf(append([]string{}, apitest.Names(apitest.Get(n, "node.customFields"), "key")...))
			if name := apitest.Str(n, "node.lastName"); (name == "Renommé") != (keys == `["langue","anciennete"]`) || (name == "Sans Champs") != (keys == `[]`) {
				t.Errorf("contact %s lists fields %s", name, keys)
			}
		}
		tp := e.OK(e.TokenA, `query($id: ID!) { node(id: $id) { ... on ThirdParty { customFields { key type required choices value } } } }`, map[string]any{"id": client})
		if got := jsonOf(apitest.Get(tp, "node.customFields")); got != `[{"choices":[],"key":"langue","required":false,"type":"TEXT","value":null}]` {
			t.Errorf("ThirdParty.customFields: %s", got)
		}
	})
}
