package filiation_test

import (
	"slices"
	"sync"
	"testing"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/testdb"
)

// walkFrom returns the names of the nodes reached from root in one link
// moving in dir.
func walkFrom(e *apitest.Env, root, dir string, names map[string]string) []string {
	e.T.Helper()
	return checkedGraph(e.T.(*testing.T), e.OK(e.TokenA, filiationGraphQuery, graphVars(root, 1, dir)), root, names).nodes
}

func TestFiliationLink_HasATypeOnEachSideAndIsWalkedFromBothEnds(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		shared, _ := e.CompanyIDs(e.TokenA)
		e.NewLinkType(e.TokenA, shared, "GROUPE", "FILIATION", "") // a FILIATION type may have no direction
		mere, fille := e.Client(e.TokenA, "M", "Mère", false), e.Prospect(e.TokenA, "Fille")
		x, y := e.ThirdPartyOf(e.TokenA, "OTHER", "X"), e.ThirdPartyOf(e.TokenA, "SUPPLIER", "Y")
		u, v := e.ThirdPartyOf(e.TokenA, "OTHER", "U"), e.ThirdPartyOf(e.TokenA, "OTHER", "V")
		names := map[string]string{mere: "Mère", fille: "Fille", x: "X", y: "Y", u: "U", v: "V"}

		// From the subsidiary's record: its side FILIALE, the linked parent's SOC_MERE.
		got := apitest.Get(e.OK(e.TokenA, apitest.CreateFiliationLink, apitest.FiliationSides(fille, e.TypeID(e.TokenA, "FILIALE"), mere, e.TypeID(e.TokenA, "SOC_MERE"))), "createFiliationLink")
		if apitest.Str(got, "type.code") != "FILIALE" || apitest.Str(got, "linkedType.code") != "SOC_MERE" ||
			apitest.Str(got, "thirdParty.id") != fille || apitest.Str(got, "linkedThirdParty.id") != mere {
			t.Fatalf("created: %v", got)
		}
		// Only one side with a direction (DOWN on Y's side): from X, Y is below; from Y, X is above.
		e.FiliationLinkSides(e.TokenA, x, "GROUPE", y, "FILIALE")
		// No direction on either side: TRANSVERSE both ways.
		e.FiliationLinkSides(e.TokenA, u, "GROUPE", v, "GROUPE")

		for _, tc := range []struct {
			root, dir string
			want      []string
		}{
			{fille, "UP", []string{"Fille", "Mère"}}, {fille, "DOWN", []string{"Fille"}},
			{mere, "DOWN", []string{"Mère", "Fille"}}, {mere, "UP", []string{"Mère"}},
			{x, "DOWN", []string{"X", "Y"}}, {x, "UP", []string{"X"}},
			{y, "UP", []string{"Y", "X"}}, {y, "DOWN", []string{"Y"}},
			{u, "TRANSVERSE", []string{"U", "V"}}, {v, "TRANSVERSE", []string{"V", "U"}}, {u, "UP", []string{"U"}}, {v, "DOWN", []string{"V"}},
		} {
			if got := walkFrom(e, tc.root, tc.dir, names); !slices.Equal(got, tc.want) {
				t.Errorf("%s from %s: want %v, got %v", tc.dir, names[tc.root], tc.want, got)
			}
		}
		// Each record's tab shows both types, whichever side it is on.
		q := `query($id: ID!) { node(id: $id) { ... on ThirdParty { filiationLinks { thirdParty { id } type { code } linkedType { code } } } } }`
		l := apitest.Get(e.OK(e.TokenA, q, map[string]any{"id": mere}), "node.filiationLinks").([]any)[0]
		if apitest.Str(l, "thirdParty.id") != fille || apitest.Str(l, "type.code") != "FILIALE" || apitest.Str(l, "linkedType.code") != "SOC_MERE" {
			t.Fatalf("Mère's link: %v", l)
		}
	})
}

func TestCreateFiliationLink_RefusesContradictingDirectionsAndTheSameRelationInAnySpelling(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		a, b := e.Client(e.TokenA, "A", "Alpha", false), e.Client(e.TokenA, "B", "Bêta", false)
		first := e.FiliationLinkSides(e.TokenA, a, "SOC_MERE", b, "FILIALE")
		ty := func(code string) string { return e.TypeID(e.TokenA, code) }
		for _, tc := range []struct {
			name        string
			vars        map[string]any
			code, field string
		}{
			{"UP / UP", apitest.FiliationSides(a, ty("SOC_MERE"), b, ty("SIEGE")), "BAD_USER_INPUT", "linkedTypeId"},
			{"DOWN / DOWN", apitest.FiliationSides(a, ty("FILIALE"), b, ty("ETABLISSEMENT")), "BAD_USER_INPUT", "linkedTypeId"},
			{"UP / TRANSVERSE", apitest.FiliationSides(a, ty("SOC_MERE"), b, ty("PARTENAIRE")), "BAD_USER_INPUT", "linkedTypeId"},
			{"MANAGEMENT linked type", apitest.FiliationSides(a, ty("SOC_MERE"), b, ty("CL_A_FACT")), "BAD_USER_INPUT", "linkedTypeId"},
			{"a third party's ID as linked type", apitest.FiliationSides(a, ty("SOC_MERE"), b, b), "BAD_USER_INPUT", "linkedTypeId"},
			{"the same twice", apitest.FiliationSides(a, ty("SOC_MERE"), b, ty("FILIALE")), "CONFLICT", ""},
			{"the same from the other record", apitest.FiliationSides(b, ty("FILIALE"), a, ty("SOC_MERE")), "CONFLICT", ""},
			{"the same in the one-type form", apitest.FiliationInput(a, b, ty("FILIALE")), "CONFLICT", ""},
			{"the same in the one-type form from the other record", apitest.FiliationInput(b, a, ty("SOC_MERE")), "CONFLICT", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				if tc.field != "" {
					e.Fail(e.TokenA, apitest.CreateFiliationLink, tc.vars, tc.code, tc.field)
				} else {
					e.Fail(e.TokenA, apitest.CreateFiliationLink, tc.vars, tc.code)
				}
				if got := e.FiliationLinksOf(e.TokenA, a); !slices.Equal(got, []string{first}) {
					t.Fatalf("a refused link was written: %v", got)
				}
			})
		}
		t.Run("an update into an existing relation", func(t *testing.T) {
			e := e.With(t)
			other := e.FiliationLinkSides(e.TokenA, b, "PARTENAIRE", a, "PARTENAIRE")
			e.Fail(e.TokenA, `mutation($id: ID!, $t: ID!, $lt: ID!) { updateFiliationLink(id: $id, input: {typeId: $t, linkedTypeId: $lt}) { id } }`,
				map[string]any{"id": other, "t": ty("FILIALE"), "lt": ty("SOC_MERE")}, "CONFLICT")
			e.Fail(e.TokenA, `mutation($id: ID!, $lt: ID!) { updateFiliationLink(id: $id, input: {linkedTypeId: $lt}) { id } }`,
				map[string]any{"id": other, "lt": ty("SOC_MERE")}, "BAD_USER_INPUT", "linkedTypeId")
		})
	})
}

func TestCreateFiliationLink_TheSameRelationRacedFromBothRecordsIsStoredOnce(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		a, b := e.Client(e.TokenA, "A", "Alpha", false), e.Client(e.TokenA, "B", "Bêta", false)
		mere, fil := e.TypeID(e.TokenA, "SOC_MERE"), e.TypeID(e.TokenA, "FILIALE")
		const n = 8
		results := make([]*apitest.Result, n)
		errors := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				in := apitest.FiliationSides(a, mere, b, fil)
				if i%2 == 1 {
					in = apitest.FiliationSides(b, fil, a, mere)
				}
				results[i], errors[i] = e.Post(e.TokenA, apitest.CreateFiliationLink, in)
			}()
		}
		close(start)
		wg.Wait()
		created := 0
		for i, r := range results {
			if errors[i] != nil {
				t.Fatalf("request %d: %v", i, errors[i])
			}
			switch {
			case len(r.Errors) == 0:
				created++
			case r.Code() != "CONFLICT":
				t.Fatalf("request %d: want success or CONFLICT, got %+v", i, r.Errors)
			}
		}
		if got := e.FiliationLinksOf(e.TokenA, a); created != 1 || len(got) != 1 {
			t.Fatalf("%d requests succeeded, links %v: want exactly one", created, got)
		}
	})
}
