package duplicates_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/importer"
	"carnet/internal/testdb"
	"carnet/internal/validate"
)

const createProspect = `mutation($in: CreateProspectInput!) { createProspect(input: $in) { id name } }`

const probe = `query($tp: ThirdPartyProbeInput, $c: ContactProbeInput, $of: ID) {
  duplicateCandidates(thirdParty: $tp, contact: $c, of: $of) { record { id } reasons reasonLabels }
}`

// prospect creates a prospect from in and returns its ID and the
// response's warnings.
func prospect(e *apitest.Env, token string, in map[string]any) (string, []any) {
	e.T.Helper()
	r := e.Do(token, createProspect, map[string]any{"in": in})
	if len(r.Errors) > 0 {
		e.T.Fatalf("createProspect %v: %+v", in, r.Errors)
	}
	ws, _ := r.Extensions["warnings"].([]any)
	return apitest.Str(r.Data, "createProspect.id"), ws
}

func addr(postalCode, city string) map[string]any {
	a := map[string]any{"city": city}
	if postalCode != "" {
		a["postalCode"] = postalCode
	}
	return a
}

// candidates returns the reasons of each candidate of a probe, by ID.
func candidates(e *apitest.Env, token string, vars map[string]any) map[string][]string {
	e.T.Helper()
	out := map[string][]string{}
	for _, c := range apitest.Get(e.OK(token, probe, vars), "duplicateCandidates").([]any) {
		var rs []string
		for _, r := range apitest.Get(c, "reasons").([]any) {
			rs = append(rs, r.(string))
		}
		out[apitest.Str(c, "record.id")] = rs
	}
	return out
}

func TestCandidates_EachRuleFindsItsTwinAndNearMissesDoNot(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		tok := e.TokenA
		siren, _ := prospect(e, tok, map[string]any{"name": "Alpha Conseil", "siren": "552100554"})
		siret, _ := prospect(e, tok, map[string]any{"name": "Beta Services", "siret": "73282932000074"})
		vat, _ := prospect(e, tok, map[string]any{"name": "Gamma", "vatNumber": validate.VATFromSIREN("542051180")})
		email, _ := prospect(e, tok, map[string]any{"name": "Delta", "email": "contact@delta.example"})
		phone, _ := prospect(e, tok, map[string]any{"name": "Epsilon", "phone": "01 23 45 67 89"})
		order, _ := prospect(e, tok, map[string]any{"name": "Garage Dupont Frères", "address": addr("69001", "Lyon")})
		typo, _ := prospect(e, tok, map[string]any{"name": "Boulangerie Lefebvre", "address": addr("44000", "Nantes")})
		form, _ := prospect(e, tok, map[string]any{"name": "Durandière", "address": addr("", "Rennes")})
		prospect(e, tok, map[string]any{"name": "Bati Ouest", "address": addr("29200", "Brest")})

		for _, tc := range []struct {
			name   string
			probe  map[string]any
			want   string // "" for none
			reason string
		}{
			{"same SIREN", map[string]any{"siren": "552 100 554"}, siren, "SAME_SIREN"},
			{"same SIRET", map[string]any{"siret": "732 829 320 00074"}, siret, "SAME_SIRET"},
			{"same VAT", map[string]any{"vatNumber": validate.VATFromSIREN("542051180")}, vat, "SAME_VAT"},
			{"same e-mail", map[string]any{"email": "contact@DELTA.example"}, email, "SAME_EMAIL"},
			{"same phone, national spelling", map[string]any{"phone": "0123456789"}, phone, "SAME_PHONE"},
			{"same phone, international spelling", map[string]any{"phone": "+33 1 23 45 67 89"}, phone, "SAME_PHONE"},
			{"same words in another order, same postal code", map[string]any{"name": "Frères Dupont garage", "postalCode": "69001"}, order, "SIMILAR_NAME"},
			{"one typo on a 5+ letter word, same city", map[string]any{"name": "Boulangerie Lefebre", "city": "NANTES"}, typo, "SIMILAR_NAME"},
			{"a legal form more, same city", map[string]any{"name": "SARL Durandière", "city": "rennes"}, form, "SIMILAR_NAME"},
			{"typo on a 4-letter word", map[string]any{"name": "Bato Ouest", "city": "Brest"}, "", ""},
			{"same name, other postal code and city", map[string]any{"name": "Garage Dupont Frères", "postalCode": "75001", "city": "Paris"}, "", ""},
			{"same name, no place", map[string]any{"name": "Garage Dupont Frères"}, "", ""},
			{"two typos", map[string]any{"name": "Boulangeri Lefebre", "city": "Nantes"}, "", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				got := candidates(e, tok, map[string]any{"tp": tc.probe})
				if tc.want == "" {
					if len(got) != 0 {
						t.Fatalf("want no candidate, got %v", got)
					}
					return
				}
				if len(got) != 1 || !slices.Contains(got[tc.want], tc.reason) {
					t.Fatalf("want %s with %s, got %v", tc.want, tc.reason, got)
				}
			})
		}

		// A stored record: its twins, never itself.
		twin, _ := prospect(e, tok, map[string]any{"name": "Dupont Frères Garage", "address": addr("69001", "Lyon")})
		if got := candidates(e, tok, map[string]any{"of": twin}); len(got) != 1 || got[order] == nil {
			t.Fatalf("of %s: want only %s, got %v", twin, order, got)
		}
		// Exactly one of of, thirdParty, contact.
		e.Fail(tok, probe, map[string]any{}, "BAD_USER_INPUT")
		e.Fail(tok, probe, map[string]any{"of": twin, "tp": map[string]any{"name": "x"}}, "BAD_USER_INPUT")
	})
}

func TestCandidates_ContactsByEmailPhoneAndNameOnTheSameRecord(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		tp := e.Prospect(e.TokenA, "Omega")
		other := e.Prospect(e.TokenA, "Sigma")
		create := `mutation($in: CreateContactInput!) { createContact(input: $in) { id } }`
		c1 := apitest.Str(e.OK(e.TokenA, create, map[string]any{"in": map[string]any{"thirdPartyId": tp, "firstName": "Jeanne", "lastName": "Martin", "mobile": "06 12 34 56 78"}}), "createContact.id")
		c2 := apitest.Str(e.OK(e.TokenA, create, map[string]any{"in": map[string]any{"thirdPartyId": other, "lastName": "Durand", "email": "j.durand@sigma.example"}}), "createContact.id")

		if got := candidates(e, e.TokenA, map[string]any{"c": map[string]any{"directLine": "+33612345678"}}); !slices.Contains(got[c1], "SAME_PHONE") {
			t.Fatalf("phone: %v", got)
		}
		if got := candidates(e, e.TokenA, map[string]any{"c": map[string]any{"email": "j.durand@sigma.example"}}); !slices.Contains(got[c2], "SAME_EMAIL") {
			t.Fatalf("e-mail: %v", got)
		}
		if got := candidates(e, e.TokenA, map[string]any{"c": map[string]any{"thirdPartyId": tp, "firstName": "Martin", "lastName": "Jeanne"}}); !slices.Contains(got[c1], "SIMILAR_NAME") {
			t.Fatalf("name on the same record: %v", got)
		}
		if got := candidates(e, e.TokenA, map[string]any{"c": map[string]any{"thirdPartyId": other, "firstName": "Jeanne", "lastName": "Martin"}}); len(got) != 0 {
			t.Fatalf("name on another record: %v", got)
		}

		// createContact warns.
		r := e.Do(e.TokenA, create, map[string]any{"in": map[string]any{"thirdPartyId": other, "lastName": "Autre", "email": "j.durand@sigma.example"}})
		if w := warning(t, r.Extensions); w == nil || !candidateIn(w, c2) {
			t.Fatalf("createContact: want a POSSIBLE_DUPLICATE naming %s, got %v", c2, r.Extensions)
		}
	})
}

// warning returns the POSSIBLE_DUPLICATE warning of extensions, if any.
func warning(t *testing.T, ext map[string]any) map[string]any {
	t.Helper()
	ws, _ := ext["warnings"].([]any)
	for _, w := range ws {
		if m := w.(map[string]any); m["code"] == "POSSIBLE_DUPLICATE" {
			return m
		}
	}
	return nil
}

func candidateIn(w map[string]any, id string) bool {
	for _, c := range w["candidates"].([]any) {
		if c.(map[string]any)["id"] == id {
			return len(c.(map[string]any)["reasons"].([]any)) > 0
		}
	}
	return false
}

func TestMutations_WarnAndCreate_UnderWARN(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		first, ws := prospect(e, e.TokenA, map[string]any{"name": "Zeta", "siret": "73282932000074", "email": "a@zeta.example"})
		if len(ws) != 0 {
			t.Fatalf("first record: no warning expected, got %v", ws)
		}
		second, ws := prospect(e, e.TokenA, map[string]any{"name": "Zêta bis", "siret": "73282932000074"})
		w := warning(t, map[string]any{"warnings": ws})
		if second == "" || w == nil || !candidateIn(w, first) || !strings.Contains(w["message"].(string), "Zeta") {
			t.Fatalf("createProspect: want a warning naming %s, got %v", first, ws)
		}
		r := e.Do(e.TokenA, apitest.UpsertClient, map[string]any{"in": map[string]any{"code": "Z1", "name": "Zeta Client", "email": "a@zeta.example"}})
		if len(r.Errors) > 0 || !candidateIn(warning(t, r.Extensions), first) {
			t.Fatalf("upsertClient: want a warning naming %s, got %+v %v", first, r.Errors, r.Extensions)
		}
		// The same client sent again is an update: no warning.
		r = e.Do(e.TokenA, apitest.UpsertClient, map[string]any{"in": map[string]any{"code": "Z1", "name": "Zeta Client", "email": "a@zeta.example"}})
		if warning(t, r.Extensions) != nil {
			t.Fatalf("update: no warning expected, got %v", r.Extensions)
		}

		// The CSV import reports the line.
		rep, err := importer.Clients(context.Background(), d.Client, e.A.Organisation.Name,
			strings.NewReader("code,name,siret\nZ2,Autre nom,73282932000074\nZ3,Sans double,\n"))
		if err != nil || rep.Created != 2 || len(rep.Warnings) != 1 || rep.Warnings[0].Line != 2 {
			t.Fatalf("import: %+v, %v", rep, err)
		}
	})
}

const setPolicy = `mutation($p: DuplicatePolicy!) { setDuplicatePolicy(policy: $p) { duplicatePolicy } }`

func TestBlockExact_RefusesTheSameSirenOrSiretAndWritesNothing(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		first, _ := prospect(e, e.TokenA, map[string]any{"name": "Théta", "siret": "73282932000074", "email": "t@theta.example"})
		rep := e.User(e.TokenA, "rep@alpha.example", apitest.RightRead, apitest.RightWrite)
		e.Fail(rep, setPolicy, map[string]any{"p": "BLOCK_EXACT"}, "FORBIDDEN")
		if got := apitest.Str(e.OK(e.TokenA, setPolicy, map[string]any{"p": "BLOCK_EXACT"}), "setDuplicatePolicy.duplicatePolicy"); got != "BLOCK_EXACT" {
			t.Fatalf("policy: %s", got)
		}
		before := e.CountThirdParties(e.TokenA)
		for _, in := range []map[string]any{
			{"name": "Autre", "siret": "73282932000074"},
			{"name": "Autre", "siren": "732829320"},
			{"name": "Autre", "siret": "73282932000017"}, // another establishment: same SIREN
		} {
			r := e.Fail(rep, createProspect, map[string]any{"in": in}, "CONFLICT")
			if msg := r.Errors[0].Message; !strings.Contains(msg, "Théta") || !strings.Contains(msg, first) {
				t.Fatalf("want the message to name %s (Théta), got %q", first, msg)
			}
		}
		e.Fail(e.TokenA, apitest.UpsertClient, map[string]any{"in": map[string]any{"code": "T1", "name": "Théta client", "siret": "73282932000074"}}, "CONFLICT")
		if after := e.CountThirdParties(e.TokenA); after != before {
			t.Fatalf("refusals wrote records: %d then %d", before, after)
		}
		// Other reasons still only warn.
		_, ws := prospect(e, rep, map[string]any{"name": "Iota", "email": "t@theta.example"})
		if !candidateIn(warning(t, map[string]any{"warnings": ws}), first) {
			t.Fatalf("e-mail under BLOCK_EXACT: want a warning, got %v", ws)
		}
		// The import refuses the line.
		r, err := importer.Clients(context.Background(), d.Client, e.A.Organisation.Name,
			strings.NewReader("code,name,siret\nT2,Autre,73282932000074\n"))
		if err != nil || r.Created != 0 || len(r.Rejected) != 1 {
			t.Fatalf("import under BLOCK_EXACT: %+v, %v", r, err)
		}
		// Another organisation's twin blocks nothing, and is never shown.
		if _, ws := prospect(e, e.TokenB, map[string]any{"name": "Théta", "siret": "73282932000074"}); len(ws) != 0 {
			t.Fatalf("organisation B: no warning expected, got %v", ws)
		}
	})
}

func TestCandidates_TenancyAndClosedClients(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		prospect(e, e.TokenB, map[string]any{"name": "Kappa", "siret": "73282932000074"})
		if got := candidates(e, e.TokenA, map[string]any{"tp": map[string]any{"siret": "73282932000074"}}); len(got) != 0 {
			t.Fatalf("another organisation's twin shown: %v", got)
		}
		closed := apitest.Str(e.OK(e.TokenA, apitest.UpsertClient, map[string]any{"in": map[string]any{"code": "K1", "name": "Kappa", "siret": "73282932000074", "closed": true}}), "upsertClient.id")
		without := e.User(e.TokenA, "noclosed@alpha.example", apitest.AllRightsExcept(apitest.RightClosed)...)
		with := e.User(e.TokenA, "closed@alpha.example", apitest.RightRead, apitest.RightClosed)
		if got := candidates(e, without, map[string]any{"tp": map[string]any{"siret": "73282932000074"}}); len(got) != 0 {
			t.Fatalf("without 191516: closed client shown: %v", got)
		}
		if got := candidates(e, with, map[string]any{"tp": map[string]any{"siret": "73282932000074"}}); got[closed] == nil {
			t.Fatalf("with 191516: want %s, got %v", closed, got)
		}
		// Nor in a creation's warning.
		if _, ws := prospect(e, without, map[string]any{"name": "Kappa bis", "siret": "73282932000074"}); len(ws) != 0 {
			t.Fatalf("without 191516: warning shows a closed client: %v", ws)
		}
	})
}

const groups = `query($after: String, $first: Int) {
  duplicateGroups(first: $first, after: $after) {
    edges { cursor node { reason reasonLabel value records { id } } }
    pageInfo { hasNextPage endCursor }
  }
}`

func TestGroups_PageThroughEveryGroupOnce(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		for _, mail := range []string{"a@x.example", "b@x.example", "c@x.example"} {
			prospect(e, e.TokenA, map[string]any{"name": "Mail " + mail, "email": mail})
			prospect(e, e.TokenA, map[string]any{"name": "Liam " + mail, "email": mail})
		}
		prospect(e, e.TokenA, map[string]any{"name": "SAS Pâtisserie Rose", "address": addr("13001", "Marseille")})
		prospect(e, e.TokenA, map[string]any{"name": "Rose Patisserie", "address": addr("13001", "Marseille")})
		prospect(e, e.TokenA, map[string]any{"name": "Seule", "email": "seule@x.example"})
		prospect(e, e.TokenB, map[string]any{"name": "B", "email": "a@x.example"})
		prospect(e, e.TokenB, map[string]any{"name": "B2", "email": "z@x.example"})
		prospect(e, e.TokenB, map[string]any{"name": "B3", "email": "z@x.example"})

		var seen []string
		after := any(nil)
		for pages := 0; ; pages++ {
			if pages > 5 {
				t.Fatal("too many pages")
			}
			page := e.OK(e.TokenA, groups, map[string]any{"first": 2, "after": after})
			edges := apitest.Get(page, "duplicateGroups.edges").([]any)
			for _, edge := range edges {
				n := apitest.Get(edge, "node")
				if len(apitest.Get(n, "records").([]any)) != 2 {
					t.Fatalf("group %v: want 2 records", n)
				}
				seen = append(seen, apitest.Str(n, "reason")+" "+apitest.Str(n, "value"))
			}
			if apitest.Get(page, "duplicateGroups.pageInfo.hasNextPage") != true {
				break
			}
			if len(edges) != 2 {
				t.Fatalf("a page before the last has %d groups", len(edges))
			}
			after = apitest.Get(page, "duplicateGroups.pageInfo.endCursor")
		}
		want := []string{"SAME_EMAIL a@x.example", "SAME_EMAIL b@x.example", "SAME_EMAIL c@x.example", "SIMILAR_NAME patisserie rose 13001"}
		if !slices.Equal(seen, want) {
			t.Fatalf("groups: got %v, want %v", seen, want)
		}
		e.Fail(e.TokenA, groups, map[string]any{"after": "nonsense"}, "BAD_USER_INPUT")
		e.Fail(e.TokenA, groups, map[string]any{"first": 101}, "BAD_USER_INPUT")
	})
}
