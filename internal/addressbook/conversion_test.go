package addressbook_test

import (
	"strings"
	"testing"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/testdb"
)

const defineField = `mutation($in: DefineCustomFieldInput!) { defineCustomField(input: $in) { id } }`

// TestUpsertClient_ConversionDropsCustomValuesThatDoNotFitTheClient: a
// prospect's custom values become the client's only where they fit the
// client's definition of the same key (read again under its type); the
// others (a TEXT value under a NUMBER field, a value of a key clients do
// not have) are dropped, the conversion succeeds, and its audit event
// keeps the dropped values.
func TestUpsertClient_ConversionDropsCustomValuesThatDoNotFitTheClient(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		for _, def := range []map[string]any{
			{"target": "PROSPECT", "key": "potentiel", "label": "Potentiel", "type": "TEXT"},
			{"target": "CLIENT", "key": "potentiel", "label": "Potentiel", "type": "NUMBER"},
			{"target": "PROSPECT", "key": "effectif", "label": "Effectif", "type": "TEXT"},
			{"target": "CLIENT", "key": "effectif", "label": "Effectif", "type": "NUMBER"},
			{"target": "PROSPECT", "key": "secteur", "label": "Secteur", "type": "CHOICE", "choices": []string{"Industrie", "Public"}},
			{"target": "CLIENT", "key": "secteur", "label": "Secteur", "type": "CHOICE", "choices": []string{"Industrie"}},
			{"target": "PROSPECT", "key": "origine", "label": "Origine", "type": "TEXT"},
		} {
			e.OK(e.TokenA, defineField, map[string]any{"in": def})
		}
		cases := []struct {
			name   string
			values map[string]string
			want   map[string]string // the client's values; absent: null
		}{
			{"what fits is kept, read under the client's type",
				map[string]string{"potentiel": "gros", "effectif": "12", "secteur": "Industrie", "origine": "salon"},
				map[string]string{"effectif": "12", "secteur": "Industrie"}},
			{"a choice the client lacks is dropped",
				map[string]string{"secteur": "Public", "effectif": "douze"},
				map[string]string{}},
		}
		for i, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				var values []map[string]any
				for k, v := range tc.values {
					values = append(values, map[string]any{"key": k, "value": v})
				}
				p := e.OK(e.TokenA, apitest.CreateProspect, map[string]any{"in": map[string]any{"name": "Prospect " + tc.name, "customFields": values}})
				id := apitest.Str(p, "createProspect.id")
				code := []string{"CV-1", "CV-2"}[i]
				r := e.Do(e.TokenA, apitest.UpsertClient, map[string]any{"in": map[string]any{"code": code, "name": "Client " + tc.name, "prospectId": id}})
				if len(r.Errors) > 0 {
					t.Fatalf("conversion refused: %s", r.Messages())
				}
				got := e.OK(e.TokenA, `query($id: ID!) { node(id: $id) { ... on ThirdParty { kind customFields { key type value } } } }`, map[string]any{"id": id})
				if k := apitest.Str(got, "node.kind"); k != "CLIENT" {
					t.Fatalf("kind %s after conversion", k)
				}
				for _, f := range apitest.Get(got, "node.customFields").([]any) {
					key, v := apitest.Str(f, "key"), apitest.Get(f, "value")
					want, ok := tc.want[key]
					switch {
					case ok && v != want:
						t.Errorf("client's %s = %v, want %q", key, v, want)
					case !ok && v != nil:
						t.Errorf("client's %s = %v (%s), want null: it does not fit the client's field", key, v, apitest.Str(f, "type"))
					}
				}
				// The audit trail of the conversion keeps every prospect value.
				ev := e.OK(e.TokenA, `query($id: ID!) { auditEvents(where: {recordId: $id, action: UPDATE}) { edges { node { changes { field old new } } } } }`, map[string]any{"id": id})
				var old string
				for _, n := range apitest.Get(ev, "auditEvents.edges").([]any) {
					for _, c := range apitest.Get(n, "node.changes").([]any) {
						if apitest.Str(c, "field") == "custom_fields" {
							old = apitest.Str(c, "old")
						}
					}
				}
				for _, v := range tc.values {
					if !strings.Contains(old, v) {
						t.Errorf("the conversion's audit event lost %q: custom_fields old = %s", v, old)
					}
				}
			})
		}
	})
}
