package admin_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/rights"
	"carnet/internal/testdb"
)

const (
	createUser  = `mutation($in: CreateUserInput!) { createUser(input: $in) { id email name rights company { id name } organisation { name } } }`
	companiesOf = `{ me { organisation { companies { id name shared } } } }`
)

// ints turns a JSON list of numbers into ints.
func ints(v any) []int {
	var out []int
	l, _ := v.([]any)
	for _, x := range l {
		f, _ := x.(float64)
		out = append(out, int(f))
	}
	return out
}

func TestAdmin_CreateCompanyAllowsOneSharedCompanyAndUniqueNames(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		made := e.OK(e.TokenA, apitest.CreateCompany, map[string]any{"in": map[string]any{"name": "  Filiale Nord "}})
		if apitest.Str(made, "createCompany.name") != "Filiale Nord" || apitest.Get(made, "createCompany.shared") != false {
			t.Fatalf("createCompany: %v", made)
		}
		for _, tc := range []struct {
			name  string
			in    map[string]any
			code  string
			field string
		}{
			{"a second shared company", map[string]any{"name": "Autre groupe", "shared": true}, "BAD_USER_INPUT", "shared"},
			{"the name of the login company", map[string]any{"name": "Alpha"}, "CONFLICT", ""},
			{"the name of the shared company", map[string]any{"name": "Alpha (groupe)"}, "CONFLICT", ""},
			{"a name just created", map[string]any{"name": "Filiale Nord"}, "CONFLICT", ""},
			{"a blank name", map[string]any{"name": "  "}, "BAD_USER_INPUT", "name"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				if tc.field != "" {
					e.Fail(e.TokenA, apitest.CreateCompany, map[string]any{"in": tc.in}, tc.code, tc.field)
				} else {
					e.Fail(e.TokenA, apitest.CreateCompany, map[string]any{"in": tc.in}, tc.code)
				}
			})
		}
		got := apitest.Names(apitest.Get(e.OK(e.TokenA, companiesOf, nil), "me.organisation.companies"), "name")
		if !slices.Equal(got, []string{"Alpha (groupe)", "Alpha", "Filiale Nord"}) {
			t.Fatalf("companies of A (shared first, then by name): %v", got)
		}
		// Names are unique per organisation only.
		if n := apitest.Str(e.OK(e.TokenB, apitest.CreateCompany, map[string]any{"in": map[string]any{"name": "Filiale Nord"}}), "createCompany.name"); n != "Filiale Nord" {
			t.Fatalf("B's company: %q", n)
		}
	})
}

func TestAdmin_CreateUserChecksRightsAndUniqueEmail(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		filiale := apitest.Str(e.OK(e.TokenA, apitest.CreateCompany, map[string]any{"in": map[string]any{"name": "Filiale"}}), "createCompany.id")
		in := func(email string, rs ...int) map[string]any {
			return map[string]any{"in": map[string]any{"email": email, "name": "Jeanne Martin", "companyId": filiale, "rights": rs}}
		}
		made := e.OK(e.TokenA, createUser, in("  Jeanne.Martin@Alpha.example ", apitest.RightWrite, apitest.RightRead, apitest.RightRead))
		u := apitest.Get(made, "createUser")
		if apitest.Str(u, "email") != "jeanne.martin@alpha.example" || !slices.Equal(ints(apitest.Get(u, "rights")), []int{apitest.RightRead, apitest.RightWrite}) ||
			apitest.Str(u, "company.id") != filiale || apitest.Str(u, "organisation.name") != "Alpha" {
			t.Fatalf("createUser: %v", u)
		}
		for _, tc := range []struct {
			name, code, field string
			vars              map[string]any
		}{
			{"an unknown right code", "BAD_USER_INPUT", "rights", in("new@alpha.example", apitest.RightRead, 123456)},
			{"right 0", "BAD_USER_INPUT", "rights", in("new@alpha.example", 0)},
			{"the e-mail of an existing user", "CONFLICT", "", in("admin@alpha.example", apitest.RightRead)},
			{"the e-mail of an existing user in capitals", "CONFLICT", "", in("JEANNE.MARTIN@alpha.example", apitest.RightRead)},
			{"an invalid e-mail", "BAD_USER_INPUT", "email", in("jeanne", apitest.RightRead)},
			{"a blank name", "BAD_USER_INPUT", "name", map[string]any{"in": map[string]any{"email": "x@alpha.example", "name": " ", "companyId": filiale, "rights": []int{}}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				if tc.field != "" {
					e.Fail(e.TokenA, createUser, tc.vars, tc.code, tc.field)
				} else {
					e.Fail(e.TokenA, createUser, tc.vars, tc.code)
				}
			})
		}
		if got := apitest.Names(e.OK(e.TokenA, `{ users { email } }`, nil)["users"], "email"); len(got) != 2 {
			t.Fatalf("users of A after refused creations: %v", got)
		}
		// E-mails are unique per organisation only.
		bCompany := apitest.Str(e.OK(e.TokenB, `{ me { company { id } } }`, nil), "me.company.id")
		e.OK(e.TokenB, createUser, map[string]any{"in": map[string]any{"email": "jeanne.martin@alpha.example", "name": "Homonyme", "companyId": bCompany, "rights": []int{apitest.RightRead}}})
	})
}

func TestAdmin_UpdateUserRightsTakesEffectOnTheUsersNextRequest(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		id, tok := e.UserWithID(e.TokenA, "rep@alpha.example", apitest.RightRead)
		const update = `mutation($id: ID!, $r: [Int!]!) { updateUserRights(id: $id, rights: $r) { id rights } }`
		const write = `mutation { createProspect(input: {name: "Essai"}) { id } }`
		const read = `{ thirdParties { totalCount } }`

		e.Fail(tok, write, nil, "FORBIDDEN")
		e.OK(tok, read, nil)
		for _, step := range []struct {
			rights          []int
			canRead, canAdd bool
		}{
			{[]int{apitest.RightWrite, apitest.RightRead}, true, true},
			{[]int{apitest.RightWrite}, false, true},
			{[]int{}, false, false},
			{[]int{apitest.RightRead}, true, false},
		} {
			got := e.OK(e.TokenA, update, map[string]any{"id": id, "r": step.rights})
			want := slices.Sorted(slices.Values(step.rights))
			if g := ints(apitest.Get(got, "updateUserRights.rights")); !slices.Equal(g, want) {
				t.Fatalf("updateUserRights answered %v, want %v", g, want)
			}
			if g := ints(apitest.Get(e.OK(tok, `{ me { rights } }`, nil), "me.rights")); !slices.Equal(g, want) {
				t.Fatalf("me.rights after update to %v: %v", want, g)
			}
			if r := e.Do(tok, read, nil); (len(r.Errors) == 0) != step.canRead || (!step.canRead && r.Code() != "FORBIDDEN") {
				t.Fatalf("rights %v: reading gave %+v", step.rights, r.Errors)
			}
			if r := e.Do(tok, write, nil); (len(r.Errors) == 0) != step.canAdd || (!step.canAdd && r.Code() != "FORBIDDEN") {
				t.Fatalf("rights %v: creating gave %+v", step.rights, r.Errors)
			}
		}
		e.Fail(e.TokenA, update, map[string]any{"id": id, "r": []int{apitest.RightRead, 999}}, "BAD_USER_INPUT", "rights")
		if g := ints(apitest.Get(e.OK(tok, `{ me { rights } }`, nil), "me.rights")); !slices.Equal(g, []int{apitest.RightRead}) {
			t.Fatalf("refused update changed rights: %v", g)
		}
	})
}

func TestAdmin_SetFeatureFlagIsReflectedInOrganisationFeatures(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		reader := e.User(e.TokenA, "reader@alpha.example", apitest.RightRead)
		const set = `mutation($f: FeatureFlag!, $on: Boolean!) { setFeatureFlag(flag: $f, enabled: $on) { name features } }`
		const features = `{ me { organisation { features } } }`
		if got := names2(apitest.Get(e.OK(e.TokenA, features, nil), "me.organisation.features")); !slices.Equal(got, []string{"MANAGEMENT_LINKS", "FILIATION_LINKS"}) {
			t.Fatalf("features of a new organisation: %v", got)
		}
		for _, step := range []struct {
			flag string
			on   bool
			want []string
		}{
			{"MANAGEMENT_LINKS", false, []string{"FILIATION_LINKS"}},
			{"FILIATION_LINKS", false, nil},
			{"FILIATION_LINKS", false, nil},
			{"MANAGEMENT_LINKS", true, []string{"MANAGEMENT_LINKS"}},
			{"FILIATION_LINKS", true, []string{"MANAGEMENT_LINKS", "FILIATION_LINKS"}},
		} {
			got := e.OK(e.TokenA, set, map[string]any{"f": step.flag, "on": step.on})
			if g := names2(apitest.Get(got, "setFeatureFlag.features")); !slices.Equal(g, step.want) || apitest.Str(got, "setFeatureFlag.name") != "Alpha" {
				t.Fatalf("setFeatureFlag(%s, %v): %v, want %v", step.flag, step.on, got, step.want)
			}
			// Every user of A sees it on the next request; B is untouched.
			if g := names2(apitest.Get(e.OK(reader, features, nil), "me.organisation.features")); !slices.Equal(g, step.want) {
				t.Fatalf("features seen by a user of A: %v, want %v", g, step.want)
			}
			if g := names2(apitest.Get(e.OK(e.TokenB, features, nil), "me.organisation.features")); len(g) != 2 {
				t.Fatalf("features of B changed: %v", g)
			}
		}
	})
}

// names2 lists a JSON list of strings.
func names2(v any) []string {
	var out []string
	l, _ := v.([]any)
	for _, x := range l {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

func TestAdmin_DefineCustomFieldCreatesRedefinesAndShowsOnRecords(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		const define = `mutation($in: DefineCustomFieldInput!) { defineCustomField(input: $in) { id target key label type required choices } }`
		def := func(in map[string]any) map[string]any { return map[string]any{"in": in} }

		for _, tc := range []struct {
			name  string
			in    map[string]any
			field string
		}{
			{"CHOICE without choices", map[string]any{"target": "PROSPECT", "key": "secteur", "label": "Secteur", "type": "CHOICE"}, "choices"},
			{"CHOICE with blank choices only", map[string]any{"target": "PROSPECT", "key": "secteur", "label": "Secteur", "type": "CHOICE", "choices": []string{" ", ""}}, "choices"},
			{"TEXT with choices", map[string]any{"target": "PROSPECT", "key": "secteur", "label": "Secteur", "type": "TEXT", "choices": []string{"A"}}, "choices"},
			{"a key with capitals and spaces", map[string]any{"target": "PROSPECT", "key": "Secteur Activité", "label": "Secteur", "type": "TEXT"}, "key"},
			{"a blank label", map[string]any{"target": "PROSPECT", "key": "secteur", "label": " ", "type": "TEXT"}, "label"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				e.Fail(e.TokenA, define, def(tc.in), "BAD_USER_INPUT", tc.field)
			})
		}
		if defs, _ := e.OK(e.TokenA, `{ customFieldDefinitions { id } }`, nil)["customFieldDefinitions"].([]any); len(defs) != 0 {
			t.Fatalf("refused definitions were written: %v", defs)
		}

		first := apitest.Get(e.OK(e.TokenA, define, def(map[string]any{"target": "PROSPECT", "key": "secteur", "label": "Secteur", "type": "CHOICE", "choices": []string{" BTP", "BTP", "Industrie"}})), "defineCustomField")
		if apitest.Str(first, "type") != "CHOICE" || !slices.Equal(names2(apitest.Get(first, "choices")), []string{"BTP", "Industrie"}) || apitest.Get(first, "required") != false {
			t.Fatalf("defineCustomField: %v", first)
		}
		again := apitest.Get(e.OK(e.TokenA, define, def(map[string]any{"target": "PROSPECT", "key": "secteur", "label": "Secteur d'activité", "type": "CHOICE", "choices": []string{"BTP", "Industrie", "Services"}})), "defineCustomField")
		if apitest.Str(again, "id") != apitest.Str(first, "id") || apitest.Str(again, "label") != "Secteur d'activité" || len(names2(apitest.Get(again, "choices"))) != 3 {
			t.Fatalf("redefining the same key: %v (first %v)", again, first)
		}
		e.Fail(e.TokenA, define, def(map[string]any{"target": "PROSPECT", "key": "secteur", "label": "Secteur", "type": "TEXT"}), "BAD_USER_INPUT", "type")
		e.OK(e.TokenA, define, def(map[string]any{"target": "PROSPECT", "key": "potentiel", "label": "Potentiel annuel", "type": "NUMBER"}))
		e.OK(e.TokenA, define, def(map[string]any{"target": "PROSPECT", "key": "signature", "label": "Date de signature", "type": "DATE"}))
		// The same key on another kind is another field.
		other := apitest.Get(e.OK(e.TokenA, define, def(map[string]any{"target": "CLIENT", "key": "secteur", "label": "Secteur client", "type": "TEXT"})), "defineCustomField")
		if apitest.Str(other, "id") == apitest.Str(first, "id") {
			t.Fatalf("a CLIENT field replaced the PROSPECT one: %v", other)
		}

		defs := e.OK(e.TokenA, `{ p: customFieldDefinitions(target: PROSPECT) { key label type } all: customFieldDefinitions { key } }`, nil)
		if got := apitest.Names(defs["p"], "key"); !slices.Equal(got, []string{"secteur", "potentiel", "signature"}) || apitest.Str(defs, "p.0.label") != "Secteur d'activité" || apitest.Str(defs, "p.0.type") != "CHOICE" {
			t.Fatalf("PROSPECT definitions: %v", defs)
		}
		if got := apitest.Names(defs["all"], "key"); len(got) != 4 {
			t.Fatalf("all definitions: %v", got)
		}

		id := apitest.Str(e.OK(e.TokenA, apitest.CreateProspect, map[string]any{"in": map[string]any{"name": "Dupond", "customFields": []any{
			map[string]any{"key": "secteur", "value": "Services"}, map[string]any{"key": "potentiel", "value": "12.50"},
		}}}), "createProspect.id")
		got := e.OK(e.TokenA, `query($id: ID!) { node(id: $id) { ... on ThirdParty { customFields { key label type value } } } }`, map[string]any{"id": id})
		b, _ := json.Marshal(apitest.Get(got, "node.customFields"))
		want := `[{"key":"secteur","label":"Secteur d'activité","type":"CHOICE","value":"Services"},` +
			`{"key":"potentiel","label":"Potentiel annuel","type":"NUMBER","value":"12.5"},` +
			`{"key":"signature","label":"Date de signature","type":"DATE","value":null}]`
		if string(b) != want {
			t.Fatalf("customFields of the prospect:\n got %s\nwant %s", b, want)
		}
		// A client lists the CLIENT fields, without value.
		client := e.Client(e.TokenA, "C-1", "Client", false)
		cf := e.OK(e.TokenA, `query($id: ID!) { node(id: $id) { ... on ThirdParty { customFields { key label value } } } }`, map[string]any{"id": client})
		if b, _ := json.Marshal(apitest.Get(cf, "node.customFields")); string(b) != `[{"key":"secteur","label":"Secteur client","value":null}]` {
			t.Fatalf("customFields of a client: %s", b)
		}
	})
}

func TestAdmin_MeIsTheUserOfTheTokenWithItsRights(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		id, tok := e.UserWithID(e.TokenA, "rep@alpha.example", apitest.RightValidate, apitest.RightRead)
		const me = `{ me { id email name rights company { name shared } organisation { name } } }`
		for _, tc := range []struct {
			name, token, id, email, org string
			rights                      []int
		}{
			{"a user of A", tok, id, "rep@alpha.example", "Alpha", []int{apitest.RightRead, apitest.RightValidate}},
			{"the administrator of A", e.TokenA, e.MeID(e.TokenA), "admin@alpha.example", "Alpha", rights.AllCodes()},
			{"the administrator of B", e.TokenB, e.MeID(e.TokenB), "admin@beta.example", "Bêta", rights.AllCodes()},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				got := apitest.Get(e.OK(tc.token, me, nil), "me")
				if apitest.Str(got, "id") != tc.id || apitest.Str(got, "email") != tc.email || apitest.Str(got, "organisation.name") != tc.org ||
					!slices.Equal(ints(apitest.Get(got, "rights")), tc.rights) || apitest.Str(got, "company.name") != tc.org || apitest.Get(got, "company.shared") != false {
					t.Fatalf("me: %v", got)
				}
			})
		}
		if id == e.MeID(e.TokenA) {
			t.Fatal("two users share an ID")
		}
	})
}

func TestAdmin_TokensListsOwnTokensAndAdministratorSeesEveryones(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		rep, tok := e.UserWithID(e.TokenA, "rep@alpha.example", apitest.RightRead)
		expires := time.Now().Add(24 * time.Hour).UTC().Truncate(time.Second)
		second := e.OK(tok, `mutation($id: ID!, $at: Time!) { createToken(userId: $id, name: "  script ", expiresAt: $at) { token info { id name expiresAt revokedAt lastUsedAt } } }`,
			map[string]any{"id": rep, "at": expires.Format(time.RFC3339)})
		info := apitest.Get(second, "createToken.info")
		at, err := time.Parse(time.RFC3339, apitest.Str(info, "expiresAt"))
		if apitest.Str(info, "name") != "script" || err != nil || !at.Equal(expires) || apitest.Get(info, "revokedAt") != nil || apitest.Get(info, "lastUsedAt") != nil {
			t.Fatalf("created token: %v", info)
		}
		e.OK(tok, `mutation($id: ID!) { revokeToken(id: $id) }`, map[string]any{"id": apitest.Str(info, "id")})

		mine := apitest.Get(e.OK(tok, `{ me { tokens { id name revokedAt lastUsedAt user { email } } } }`, nil), "me.tokens").([]any)
		if len(mine) != 2 || apitest.Str(mine[0], "id") != apitest.Str(info, "id") || apitest.Get(mine[0], "revokedAt") == nil || apitest.Str(mine[1], "name") != "test" ||
			apitest.Get(mine[1], "revokedAt") != nil || apitest.Get(mine[1], "lastUsedAt") == nil || apitest.Str(mine[1], "user.email") != "rep@alpha.example" {
			t.Fatalf("the user's tokens (newest first, used one with lastUsedAt): %v", mine)
		}
		// A user sees only their own tokens, even on another user.
		adminID := e.MeID(e.TokenA)
		other := e.OK(tok, `query($id: ID!) { node(id: $id) { ... on User { email tokens { id } } } }`, map[string]any{"id": adminID})
		if ts, _ := apitest.Get(other, "node.tokens").([]any); apitest.Str(other, "node.email") != "admin@alpha.example" || len(ts) != 0 {
			t.Fatalf("a user sees the administrator's tokens: %v", other)
		}
		// The administrator sees everyone's.
		all := e.OK(e.TokenA, `{ users { email tokens { id } } }`, nil)
		counts := map[string]int{}
		for _, u := range all["users"].([]any) {
			ts, _ := apitest.Get(u, "tokens").([]any)
			counts[apitest.Str(u, "email")] = len(ts)
		}
		if counts["rep@alpha.example"] != 2 || counts["admin@alpha.example"] != 1 {
			t.Fatalf("tokens seen by the administrator: %v", counts)
		}
	})
}
