package merge_test

import (
	"bytes"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/merge"
	"carnet/internal/testdb"
)

const mergeThirdParties = `mutation($in: MergeInput!) { mergeThirdParties(input: $in) { id version phone name } }`

const mergeContacts = `mutation($in: MergeInput!) { mergeContacts(input: $in) { id version lastName jobTitle } }`

// prospect creates a prospect from in and returns its ID.
func prospect(e *apitest.Env, in map[string]any) string {
	e.T.Helper()
	return apitest.Str(e.OK(e.TokenA, `mutation($in: CreateProspectInput!) { createProspect(input: $in) { id } }`,
		map[string]any{"in": in}), "createProspect.id")
}

// version reads the version of record id.
func version(e *apitest.Env, id string) int {
	e.T.Helper()
	return int(apitest.Num(e.OK(e.TokenA, `query($id: ID!) { node(id: $id) { ... on ThirdParty { version } ... on Contact { version } } }`,
		map[string]any{"id": id}), "node.version"))
}

// input is a MergeInput keeping keep and merging others, each at its
// current version.
func input(e *apitest.Env, keep string, others ...string) map[string]any {
	var merged []any
	for _, id := range others {
		merged = append(merged, map[string]any{"id": id, "expectedVersion": version(e, id)})
	}
	return map[string]any{"keepId": keep, "expectedVersion": version(e, keep), "merge": merged}
}

// warnings lists the MERGED warnings' messages of r.
func warnings(r *apitest.Result) []string {
	var out []string
	ws, _ := r.Extensions["warnings"].([]any)
	for _, w := range ws {
		if apitest.Str(w, "code") == "MERGED" {
			out = append(out, apitest.Str(w, "message"))
		}
	}
	return out
}

// links is what the kept record's tabs show: each management link as
// "side-side default", each filiation link as "side-side".
func links(e *apitest.Env, id string) (management, filiation []string) {
	e.T.Helper()
	d := e.OK(e.TokenA, `query($id: ID!) { node(id: $id) { ... on ThirdParty {
		managementLinks { isDefault thirdParty { name } linkedThirdParty { name } }
		filiationLinks { thirdParty { name } linkedThirdParty { name } } } } }`, map[string]any{"id": id})
	ml, _ := apitest.Get(d, "node.managementLinks").([]any)
	for _, l := range ml {
		s := apitest.Str(l, "thirdParty.name") + "-" + apitest.Str(l, "linkedThirdParty.name")
		if apitest.Get(l, "isDefault") == true {
			s += " default"
		}
		management = append(management, s)
	}
	fl, _ := apitest.Get(d, "node.filiationLinks").([]any)
	for _, l := range fl {
		filiation = append(filiation, apitest.Str(l, "thirdParty.name")+"-"+apitest.Str(l, "linkedThirdParty.name"))
	}
	slices.Sort(management)
	slices.Sort(filiation)
	return management, filiation
}

func TestMergeThirdParties_MovesEverythingDedupesLinksAndAnswersTheMergedID(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		u := apitest.NewUpload(t, d, 1<<20)
		e := u.Env
		keep := prospect(e, map[string]any{"name": "Garde", "phone": "+33123456789"})
		dup := prospect(e, map[string]any{"name": "Doublonneux", "phone": "+33198765432"})
		x, y, z := e.Prospect(e.TokenA, "Xavier"), e.Prospect(e.TokenA, "Yvette"), e.Prospect(e.TokenA, "Zoé")
		e.Contact(e.TokenA, keep, "Resteur")
		c1, c2 := e.Contact(e.TokenA, dup, "Migrant"), e.Contact(e.TokenA, dup, "Voyageur")
		e.Activity(e.TokenA, dup, "Appel du doublon")
		opp := e.Opportunity(e.TokenA, dup, "Affaire du doublon")
		data := []byte("le contrat du doublon")
		doc := u.UploadOK(e.TokenA, dup, "contrat.txt", data)
		e.ManagementLink(e.TokenA, keep, "DONORDRE", x, "CL_A_FACT", true)
		e.ManagementLink(e.TokenA, dup, "DONORDRE", y, "CL_A_FACT", true)     // a second default of the kept record
		e.ManagementLink(e.TokenA, dup, "DONORDRE", keep, "CL_A_FACT", false) // becomes a self link
		e.ManagementLink(e.TokenA, dup, "DONORDRE", x, "CL_A_FACT", false)    // the kept record has it
		e.FiliationLinkSides(e.TokenA, dup, "SOC_MERE", z, "FILIALE")
		e.FiliationLinkSides(e.TokenA, dup, "SOC_MERE", keep, "FILIALE") // becomes a self link
		before := version(e, keep)

		in := input(e, keep, dup)
		in["fieldChoices"] = []any{map[string]any{"field": "phone", "fromId": dup}}
		r := e.Do(e.TokenA, mergeThirdParties, map[string]any{"in": in})
		if len(r.Errors) > 0 {
			t.Fatalf("merge: %+v", r.Errors)
		}
		if got := apitest.Str(r.Data, "mergeThirdParties.phone"); got != "+33198765432" {
			t.Errorf("phone = %q, want the merged record's", got)
		}
		if got := apitest.Str(r.Data, "mergeThirdParties.name"); got != "Garde" {
			t.Errorf("name = %q, want the kept record's", got)
		}
		if got := int(apitest.Num(r.Data, "mergeThirdParties.version")); got <= before {
			t.Errorf("version %d, want above %d", got, before)
		}
		if ws := warnings(r); len(ws) != 4 {
			t.Errorf("warnings: want 4 (3 links dropped, 1 default unset), got %q", ws)
		}

		got := e.OK(e.TokenA, `query($id: ID!, $opp: ID!) { node(id: $id) { ... on ThirdParty {
			contacts { totalCount } activities { totalCount } } }
			opp: node(id: $opp) { ... on Opportunity { thirdParty { id } } } }`, map[string]any{"id": keep, "opp": opp})
		if apitest.Num(got, "node.contacts.totalCount") != 3 || apitest.Num(got, "node.activities.totalCount") != 1 ||
			apitest.Str(got, "opp.thirdParty.id") != keep {
			t.Errorf("after the merge: %v", got)
		}
		if docs := u.DocumentIDs(e.TokenA, keep); !slices.Contains(docs, apitest.Str(doc, "id")) {
			t.Errorf("documents of the kept record: %v, want %s", docs, apitest.Str(doc, "id"))
		}
		if resp, body := u.Download(e.TokenA, apitest.Str(doc, "url")); resp.StatusCode != http.StatusOK || !bytes.Equal(body, data) {
			t.Errorf("download after the merge: %d %q", resp.StatusCode, body)
		}
		management, filiation := links(e, keep)
		apitest.WantSet(t, "management links", management, []string{"Garde-Xavier default", "Garde-Yvette"})
		apitest.WantSet(t, "filiation links", filiation, []string{"Garde-Zoé"})
		for _, c := range []string{c1, c2} {
			if got := apitest.Str(e.OK(e.TokenA, `query($id: ID!) { node(id: $id) { ... on Contact { thirdParty { id } } } }`,
				map[string]any{"id": c}), "node.thirdParty.id"); got != keep {
				t.Errorf("contact %s belongs to %s, want %s", c, got, keep)
			}
		}

		// The merged ID answers the kept record, with a hint.
		n := e.Do(e.TokenA, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": dup})
		if len(n.Errors) > 0 || apitest.Str(n.Data, "node.id") != keep {
			t.Fatalf("node(merged id): %+v %v", n.Errors, n.Data)
		}
		if ws := warnings(n); len(ws) != 1 || !strings.Contains(ws[0], dup) || !strings.Contains(ws[0], keep) {
			t.Errorf("node(merged id) hint: %q", ws)
		}
		e.NodeNotFound(e.TokenB, dup) // not another organisation's

		// Search: the kept record, never the merged one; moved contacts still found.
		hits := e.OK(e.TokenA, `{ a: search(query: "Doublonneux") { node { id } } b: search(query: "Garde") { node { id } } c: search(query: "Migrant") { node { id } } }`, nil)
		if ids := apitest.IDs(hits["a"], "node.id"); len(ids) != 0 {
			t.Errorf("search finds the merged record: %v", ids)
		}
		if ids := apitest.IDs(hits["b"], "node.id"); !slices.Contains(ids, keep) {
			t.Errorf("search does not find the kept record: %v", ids)
		}
		if ids := apitest.IDs(hits["c"], "node.id"); !slices.Contains(ids, c1) {
			t.Errorf("search does not find a moved contact: %v", ids)
		}

		// The audit trail says what went where.
		ev := e.OK(e.TokenA, `query($id: ID!) { auditEvents(where: {recordId: $id}, first: 50) { edges { node { action changes { field new } } } } }`,
			map[string]any{"id": keep})
		found := false
		for _, edge := range apitest.Get(ev, "auditEvents.edges").([]any) {
			for _, c := range apitest.Get(edge, "node.changes").([]any) {
				if apitest.Str(c, "field") == "merged_from" && strings.Contains(apitest.Str(c, "new"), dup) {
					found = true
				}
				if apitest.Str(c, "field") == "moved" && !strings.Contains(apitest.Str(c, "new"), `"contacts":2`) {
					t.Errorf("moved counts: %s", apitest.Str(c, "new"))
				}
			}
		}
		if !found {
			t.Errorf("no merge event on the kept record: %v", ev)
		}
	})
}

// state is what a refused merge must leave as it was: the snapshot, and
// the links, activities and documents of the records.
func state(u *apitest.UploadEnv, ids ...string) string {
	s := u.Snapshot()
	for _, id := range ids {
		m, f := links(u.Env, id)
		s += strings.Join(m, ",") + "|" + strings.Join(f, ",") + "|" + strings.Join(u.DocumentIDs(u.TokenA, id), ",")
		s += apitest.Str(u.OK(u.TokenA, `query($id: ID!) { node(id: $id) { ... on ThirdParty { activities { totalCount } } } }`,
			map[string]any{"id": id}), "node.activities.totalCount")
	}
	return s
}

func TestMergeThirdParties_RefusedMergesChangeNothing(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		u := apitest.NewUpload(t, d, 1<<20)
		e := u.Env
		keep, dup := e.Prospect(e.TokenA, "Garde"), e.Prospect(e.TokenA, "Doublon")
		e.Contact(e.TokenA, dup, "Migrant")
		e.Activity(e.TokenA, dup, "Appel")
		u.UploadOK(e.TokenA, dup, "a.txt", []byte("a"))
		e.ManagementLink(e.TokenA, dup, "DONORDRE", keep, "CL_A_FACT", true)
		client := e.Client(e.TokenA, "C-1", "Client", false)
		other := e.Prospect(e.TokenB, "Ailleurs")
		supplier := e.ThirdPartyOf(e.TokenA, "SUPPLIER", "Fournisseur")
		sales := e.User(e.TokenA, "rep@example.com", apitest.AllRightsExcept(apitest.RightIntegrate)...)
		initial := state(u, keep, dup)

		stale := input(e, keep, dup)
		stale["merge"].([]any)[0].(map[string]any)["expectedVersion"] = version(e, dup) - 1
		withChoice := func(field, from string) map[string]any {
			in := input(e, keep, dup)
			in["fieldChoices"] = []any{map[string]any{"field": field, "fromId": from}}
			return in
		}
		for _, tc := range []struct {
			name, token string
			in          map[string]any
			code        string
		}{
			{"stale version", e.TokenA, stale, "CONFLICT"},
			{"another organisation's record", e.TokenA, map[string]any{"keepId": keep, "expectedVersion": version(e, keep),
				"merge": []any{map[string]any{"id": other, "expectedVersion": 1}}}, "NOT_FOUND"},
			{"kept record merged into itself", e.TokenA, map[string]any{"keepId": keep, "expectedVersion": version(e, keep),
				"merge": []any{map[string]any{"id": keep, "expectedVersion": version(e, keep)}}}, "BAD_USER_INPUT"},
			{"client into prospect without 100005", sales, input(e, keep, client), "FORBIDDEN"},
			{"supplier into prospect", e.TokenA, input(e, keep, supplier), "BAD_USER_INPUT"},
			{"unknown field", e.TokenA, withChoice("code", dup), "BAD_USER_INPUT"},
			{"field from another record", e.TokenA, withChoice("phone", client), "BAD_USER_INPUT"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				e.Fail(tc.token, mergeThirdParties, map[string]any{"in": tc.in}, tc.code)
				if got := state(u, keep, dup); got != initial {
					t.Errorf("a refused merge changed something:\n%s\n%s", initial, got)
				}
			})
		}

		t.Run("failure half-way", func(t *testing.T) {
			reset := merge.SetFault(errors.New("disk on fire"))
			defer reset()
			e := e.With(t)
			e.Fail(e.TokenA, mergeThirdParties, map[string]any{"in": input(e, keep, dup)}, "INTERNAL")
			if got := state(u, keep, dup); got != initial {
				t.Errorf("a failed merge changed something:\n%s\n%s", initial, got)
			}
		})

		t.Run("client into prospect with 100005", func(t *testing.T) {
			e := e.With(t)
			e.OK(e.TokenA, mergeThirdParties, map[string]any{"in": input(e, keep, client)})
			e.NodeFound(e.TokenA, keep)
		})
	})
}

func TestMergeContacts_MovesActivitiesDocumentsAndOpportunities(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		u := apitest.NewUpload(t, d, 1<<20)
		e := u.Env
		tp := e.Prospect(e.TokenA, "Maison")
		keep, dup := e.Contact(e.TokenA, tp, "Durand"), e.Contact(e.TokenA, tp, "Durant")
		e.OK(e.TokenA, `mutation($id: ID!) { updateContact(id: $id, expectedVersion: 1, input: {jobTitle: "Gérant"}) { id } }`, map[string]any{"id": dup})
		e.Activity(e.TokenA, dup, "Appel à Durant")
		doc := u.UploadOK(e.TokenA, dup, "cv.txt", []byte("cv"))
		opp := e.NewOpportunity(e.TokenA, map[string]any{"name": "Affaire", "thirdPartyId": tp, "contactIds": []any{dup}})
		elsewhere := e.Contact(e.TokenA, e.Prospect(e.TokenA, "Ailleurs"), "Autre")

		before := e.Snapshot()
		e.Fail(e.TokenA, mergeContacts, map[string]any{"in": input(e, keep, elsewhere)}, "BAD_USER_INPUT", "merge")
		theirs := e.Contact(e.TokenB, e.Prospect(e.TokenB, "Chez B"), "Étranger")
		e.Fail(e.TokenA, mergeContacts, map[string]any{"in": map[string]any{"keepId": keep, "expectedVersion": 1,
			"merge": []any{map[string]any{"id": theirs, "expectedVersion": 1}}}}, "NOT_FOUND")
		e.Fail(e.TokenA, mergeContacts, map[string]any{"in": map[string]any{"keepId": keep, "expectedVersion": 1,
			"merge": []any{map[string]any{"id": dup, "expectedVersion": 1}}}}, "CONFLICT") // dup is at version 2
		if after := e.Snapshot(); after != before {
			t.Errorf("a refused contact merge changed something:\n%s\n%s", before, after)
		}
		in := input(e, keep, dup)
		in["fieldChoices"] = []any{map[string]any{"field": "jobTitle", "fromId": dup}}
		got := e.OK(e.TokenA, mergeContacts, map[string]any{"in": in})
		if apitest.Str(got, "mergeContacts.jobTitle") != "Gérant" || apitest.Str(got, "mergeContacts.lastName") != "Durand" {
			t.Errorf("kept contact: %v", got)
		}
		after := e.OK(e.TokenA, `query($id: ID!, $opp: ID!) { node(id: $id) { ... on Contact { activities { totalCount } } }
			opp: node(id: $opp) { ... on Opportunity { contacts { id } } } }`, map[string]any{"id": keep, "opp": apitest.Str(opp, "id")})
		if apitest.Num(after, "node.activities.totalCount") != 1 {
			t.Errorf("activities of the kept contact: %v", after)
		}
		apitest.WantSet(t, "opportunity's contacts", apitest.IDs(apitest.Get(after, "opp.contacts"), "id"), []string{keep})
		if docs := u.DocumentIDs(e.TokenA, keep); !slices.Contains(docs, apitest.Str(doc, "id")) {
			t.Errorf("documents of the kept contact: %v", docs)
		}
		if got := apitest.Str(e.OK(e.TokenA, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": dup}), "node.id"); got != keep {
			t.Errorf("node(merged contact) = %q, want %q", got, keep)
		}
		if n := e.CountContacts(e.TokenA); n != 2 {
			t.Errorf("contacts left: %d, want 2", n)
		}
	})
}

func TestMergeThirdParties_AMergedIDFollowsLaterMerges(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		a, b, c := e.Prospect(e.TokenA, "Premier"), e.Prospect(e.TokenA, "Second"), e.Prospect(e.TokenA, "Troisième")
		e.OK(e.TokenA, mergeThirdParties, map[string]any{"in": input(e, b, a)})
		in := input(e, c, b)
		in["fieldChoices"] = []any{map[string]any{"field": "name", "fromId": b}}
		e.OK(e.TokenA, mergeThirdParties, map[string]any{"in": in})
		// The kept record is found under the name it took, not its old one.
		hits := e.OK(e.TokenA, `{ took: search(query: "Second") { node { id } } old: search(query: "Troisième") { node { id } } }`, nil)
		apitest.WantSet(t, "search by the chosen name", apitest.IDs(hits["took"], "node.id"), []string{c})
		apitest.WantSet(t, "search by the old name", apitest.IDs(hits["old"], "node.id"), []string{})
		for _, old := range []string{a, b} {
			if got := apitest.Str(e.OK(e.TokenA, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": old}), "node.id"); got != c {
				t.Errorf("node(%s) = %q, want the last kept record %s", old, got, c)
			}
		}
		// Once the kept record is deleted, the old IDs are gone too.
		e.OK(e.TokenA, apitest.DeleteThirdParty, map[string]any{"id": c})
		e.NodeNotFound(e.TokenA, a)
	})
}

func TestMergeThirdParties_CustomValuesOfTheKeptRecordWinTheOthersFillItsEmptyFields(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		for _, key := range []string{"secteur", "taille"} {
			e.OK(e.TokenA, `mutation($in: DefineCustomFieldInput!) { defineCustomField(input: $in) { id } }`,
				map[string]any{"in": map[string]any{"target": "PROSPECT", "key": key, "label": key, "type": "TEXT"}})
		}
		value := func(k, v string) []any { return []any{map[string]any{"key": k, "value": v}} }
		keep := prospect(e, map[string]any{"name": "Garde", "customFields": value("secteur", "boulangerie")})
		dup := prospect(e, map[string]any{"name": "Doublon", "customFields": append(value("secteur", "pâtisserie"), value("taille", "PME")...)})
		got := e.OK(e.TokenA, `mutation($in: MergeInput!) { mergeThirdParties(input: $in) { customFields { key value } } }`,
			map[string]any{"in": input(e, keep, dup)})
		var values []string
		for _, f := range apitest.Get(got, "mergeThirdParties.customFields").([]any) {
			values = append(values, apitest.Str(f, "key")+"="+apitest.Str(f, "value"))
		}
		apitest.WantSet(t, "custom values", values, []string{"secteur=boulangerie", "taille=PME"})
	})
}
