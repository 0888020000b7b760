package links_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/testdb"
)

// standardTypes are the link types carnet init creates on the shared
// company: code → category and direction ("" for none).
var standardTypes = map[string][2]string{
	"DONORDRE":      {"MANAGEMENT", ""},
	"CL_A_FACT":     {"MANAGEMENT", ""},
	"SITE_LIV":      {"MANAGEMENT", ""},
	"SOC_MERE":      {"FILIATION", "UP"},
	"FILIALE":       {"FILIATION", "DOWN"},
	"SIEGE":         {"FILIATION", "UP"},
	"ETABLISSEMENT": {"FILIATION", "DOWN"},
	"PARTENAIRE":    {"FILIATION", "TRANSVERSE"},
}

func standardCodes(category string) []string {
	var out []string
	for code, cd := range standardTypes {
		if category == "" || cd[0] == category {
			out = append(out, code)
		}
	}
	slices.Sort(out)
	return out
}

// checkTypeOrder fails unless types come grouped by category, by code
// within a category.
func checkTypeOrder(t *testing.T, types []any) {
	t.Helper()
	seen := map[string]bool{}
	for i, ty := range types {
		cat := apitest.Str(ty, "category")
		if i > 0 && apitest.Str(types[i-1], "category") == cat {
			if prev := apitest.Str(types[i-1], "code"); prev > apitest.Str(ty, "code") {
				t.Fatalf("link types not ordered by code within %s: %s before %s", cat, prev, apitest.Str(ty, "code"))
			}
			continue
		}
		if seen[cat] {
			t.Fatalf("link types of category %s are not grouped: %v", cat, apitest.IDs(types, "code"))
		}
		seen[cat] = true
	}
}

func TestLinkTypes_OfferedAreTheSharedCompanysAndTheLoginCompanysOnly(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		shared, login := e.CompanyIDs(e.TokenA)
		other := apitest.Str(e.OK(e.TokenA, apitest.CreateCompany, map[string]any{"in": map[string]any{"name": "Alpha Logistique"}}), "createCompany.id")
		onLogin := e.NewLinkType(e.TokenA, login, "SUR_CONNEXION", "FILIATION", "DOWN")
		onOther := e.NewLinkType(e.TokenA, other, "SUR_AUTRE", "MANAGEMENT", "")

		// A user of the other company: offered the shared types and its own.
		u := e.OK(e.TokenA, `mutation($in: CreateUserInput!) { createUser(input: $in) { id } }`, map[string]any{
			"in": map[string]any{"email": "logistique@alpha.example", "name": "Logistique", "companyId": other, "rights": []int{apitest.RightRead}},
		})
		otherToken := apitest.Str(e.OK(e.TokenA, `mutation($id: ID!) { createToken(userId: $id, name: "t") { token } }`,
			map[string]any{"id": apitest.Str(u, "createUser.id")}), "createToken.token")

		bTypes := apitest.IDs(e.LinkTypes(e.TokenB, ""), "id")
		for _, tc := range []struct {
			name, token     string
			wantCodes       []string
			ownType, notOwn string
		}{
			{"administrator of the login company", e.TokenA, append(standardCodes(""), "SUR_CONNEXION"), onLogin, onOther},
			{"user of another company", otherToken, append(standardCodes(""), "SUR_AUTRE"), onOther, onLogin},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				types := e.LinkTypes(tc.token, "")
				apitest.WantSet(t, "offered codes", apitest.IDs(types, "code"), tc.wantCodes)
				checkTypeOrder(t, types)
				got := apitest.IDs(types, "id")
				if !slices.Contains(got, tc.ownType) || slices.Contains(got, tc.notOwn) {
					t.Fatalf("want own company's type %s and not %s, got %v", tc.ownType, tc.notOwn, got)
				}
				for _, ty := range types {
					code := apitest.Str(ty, "code")
					if std, ok := standardTypes[code]; ok {
						if apitest.Str(ty, "company.id") != shared || apitest.Str(ty, "category") != std[0] || apitest.Str(ty, "direction") != std[1] {
							t.Fatalf("standard type %s: want shared company %s, %v; got %v", code, shared, std, ty)
						}
					}
					if slices.Contains(bTypes, apitest.Str(ty, "id")) {
						t.Fatalf("type %s of organisation B offered to A", code)
					}
				}
			})
		}
		// B is offered its own standard types, none of A's.
		apitest.WantSet(t, "B's codes", apitest.IDs(e.LinkTypes(e.TokenB, ""), "code"), standardCodes(""))
		for _, id := range apitest.IDs(e.LinkTypes(e.TokenA, ""), "id") {
			if slices.Contains(bTypes, id) {
				t.Fatalf("A's type %s offered to B", id)
			}
		}
	})
}

func TestLinkTypes_CategoryFiltersTheList(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		_, login := e.CompanyIDs(e.TokenA)
		e.NewLinkType(e.TokenA, login, "AAA_GESTION", "MANAGEMENT", "")
		e.NewLinkType(e.TokenA, login, "AAA_GROUPE", "FILIATION", "TRANSVERSE")
		for _, tc := range []struct {
			category string
			want     []string
		}{
			{"MANAGEMENT", append([]string{"AAA_GESTION"}, standardCodes("MANAGEMENT")...)},
			{"FILIATION", append([]string{"AAA_GROUPE"}, standardCodes("FILIATION")...)},
		} {
			t.Run(tc.category, func(t *testing.T) {
				e := e.With(t)
				types := e.LinkTypes(e.TokenA, tc.category)
				if got := apitest.IDs(types, "code"); !slices.Equal(got, tc.want) {
					t.Fatalf("want %v (by code), got %v", tc.want, got)
				}
				for _, ty := range types {
					if apitest.Str(ty, "category") != tc.category {
						t.Fatalf("type %s of category %s listed", apitest.Str(ty, "code"), apitest.Str(ty, "category"))
					}
					if hasDir := apitest.Get(ty, "direction") != nil; hasDir != (tc.category == "FILIATION") {
						t.Fatalf("type %s: direction %v", apitest.Str(ty, "code"), apitest.Get(ty, "direction"))
					}
				}
			})
		}
	})
}

func TestCreateLinkType_ChecksDirectionCodeLabelUniquenessAndRight(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		shared, login := e.CompanyIDs(e.TokenA)
		noAdmin := e.User(e.TokenA, "rep@alpha.example", apitest.RightRead, apitest.RightWrite, apitest.RightReadClientMgmt, apitest.RightWriteClientMgmt, apitest.RightReadClientFil, apitest.RightWriteClientFil)
		e.NewLinkType(e.TokenA, shared, "EN_DOUBLE", "MANAGEMENT", "")
		in := func(code, label, category, direction, company string) map[string]any {
			m := map[string]any{"code": code, "label": label, "category": category, "companyId": company}
			if direction != "" {
				m["direction"] = direction
			}
			return map[string]any{"in": m}
		}
		for _, tc := range []struct {
			name, token string
			vars        map[string]any
			code, field string
		}{
			{"MANAGEMENT with a direction", e.TokenA, in("GESTION_X", "Gestion", "MANAGEMENT", "UP", login), "BAD_USER_INPUT", "direction"},
			{"code with a dash", e.TokenA, in("BAD-CODE", "Mauvais", "MANAGEMENT", "", login), "BAD_USER_INPUT", "code"},
			{"code with a space", e.TokenA, in("BAD CODE", "Mauvais", "MANAGEMENT", "", login), "BAD_USER_INPUT", "code"},
			{"code with an accent", e.TokenA, in("ÉTÉ", "Été", "MANAGEMENT", "", login), "BAD_USER_INPUT", "code"},
			{"empty code", e.TokenA, in("", "Vide", "MANAGEMENT", "", login), "BAD_USER_INPUT", "code"},
			{"code of 31 characters", e.TokenA, in(strings.Repeat("A", 31), "Long", "MANAGEMENT", "", login), "BAD_USER_INPUT", "code"},
			{"blank label", e.TokenA, in("SANS_LIBELLE", "  ", "MANAGEMENT", "", login), "BAD_USER_INPUT", "label"},
			{"code already on the company", e.TokenA, in("EN_DOUBLE", "Encore", "MANAGEMENT", "", shared), "CONFLICT", ""},
			{"standard code again on the shared company", e.TokenA, in("FILIALE", "Filiale bis", "FILIATION", "DOWN", shared), "CONFLICT", ""},
			{"without right 100009", noAdmin, in("SANS_DROIT", "Sans droit", "MANAGEMENT", "", login), "FORBIDDEN", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				before := len(e.LinkTypes(e.TokenA, ""))
				if tc.field != "" {
					e.Fail(tc.token, apitest.CreateLinkType, tc.vars, tc.code, tc.field)
				} else {
					e.Fail(tc.token, apitest.CreateLinkType, tc.vars, tc.code)
				}
				if after := len(e.LinkTypes(e.TokenA, "")); after != before {
					t.Fatalf("a refused createLinkType changed the types: %d → %d", before, after)
				}
			})
		}
		t.Run("valid types are created, the same code on another company too", func(t *testing.T) {
			e := e.With(t)
			d := e.OK(e.TokenA, apitest.CreateLinkType, in("EN_DOUBLE", "Même code, autre société", "MANAGEMENT", "", login))
			if apitest.Str(d, "createLinkType.code") != "EN_DOUBLE" || apitest.Str(d, "createLinkType.company.id") != login || apitest.Get(d, "createLinkType.direction") != nil {
				t.Fatalf("created: %v", d)
			}
			d = e.OK(e.TokenA, apitest.CreateLinkType, in("PARTENAIRE_2", "Partenaire bis", "FILIATION", "TRANSVERSE", shared))
			if apitest.Str(d, "createLinkType.category") != "FILIATION" || apitest.Str(d, "createLinkType.direction") != "TRANSVERSE" {
				t.Fatalf("created: %v", d)
			}
			e.TypeID(e.TokenA, "PARTENAIRE_2")
		})
	})
}

const deleteLinkType = `mutation($id: ID!) { deleteLinkType(id: $id) }`

func TestDeleteLinkType_InUseIsConflictUnusedIsDeleted(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		_, login := e.CompanyIDs(e.TokenA)
		custom := e.NewLinkType(e.TokenA, login, "FACTURATION", "MANAGEMENT", "")
		unused := e.NewLinkType(e.TokenA, login, "INUTILE", "FILIATION", "UP")
		c := e.Client(e.TokenA, "C1", "Donneur", false)
		p := e.Prospect(e.TokenA, "Facturé")
		s := e.ThirdPartyOf(e.TokenA, "SUPPLIER", "Fournisseur du groupe")
		mgmt := e.ManagementLink(e.TokenA, c, "DONORDRE", p, "FACTURATION", false)
		fil := e.FiliationLink(e.TokenA, c, s, "FILIALE")
		noAdmin := e.User(e.TokenA, "rep@alpha.example", apitest.RightRead)

		for _, tc := range []struct {
			name, id string
		}{
			{"type of a management link's first side", e.TypeID(e.TokenA, "DONORDRE")},
			{"type of a management link's linked side", custom},
			{"type of a filiation link", e.TypeID(e.TokenA, "FILIALE")},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				e.Fail(e.TokenA, deleteLinkType, map[string]any{"id": tc.id}, "CONFLICT")
				e.NodeFound(e.TokenA, tc.id)
			})
		}
		t.Run("unused type, without right 100009", func(t *testing.T) {
			e := e.With(t)
			e.Fail(noAdmin, deleteLinkType, map[string]any{"id": unused}, "FORBIDDEN")
			e.NodeFound(e.TokenA, unused)
		})
		t.Run("unused type", func(t *testing.T) {
			e := e.With(t)
			if got := apitest.Str(e.OK(e.TokenA, deleteLinkType, map[string]any{"id": unused}), "deleteLinkType"); got != unused {
				t.Fatalf("deleteLinkType returned %q, want %q", got, unused)
			}
			e.NodeNotFound(e.TokenA, unused)
			if slices.Contains(apitest.IDs(e.LinkTypes(e.TokenA, ""), "id"), unused) {
				t.Fatal("deleted type still offered")
			}
			e.Fail(e.TokenA, deleteLinkType, map[string]any{"id": unused}, "NOT_FOUND")
		})
		t.Run("type whose links were deleted", func(t *testing.T) {
			e := e.With(t)
			e.OK(e.TokenA, `mutation($id: ID!) { deleteManagementLink(id: $id) }`, map[string]any{"id": mgmt})
			e.OK(e.TokenA, `mutation($id: ID!) { deleteFiliationLink(id: $id) }`, map[string]any{"id": fil})
			for _, id := range []string{custom, e.TypeID(e.TokenA, "FILIALE")} {
				e.OK(e.TokenA, deleteLinkType, map[string]any{"id": id})
				e.NodeNotFound(e.TokenA, id)
			}
		})
	})
}

func TestCreateManagementLink_OrderingPartyAndBillToShowOnBothRecords(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		c := e.Client(e.TokenA, "C1", "Donneur SA", false)
		p := e.Prospect(e.TokenA, "Facturé SARL")
		r := e.OK(e.TokenA, apitest.CreateManagementLink, apitest.ManagementInput(c, e.TypeID(e.TokenA, "DONORDRE"), p, e.TypeID(e.TokenA, "CL_A_FACT"), false))
		l := apitest.Get(r, "createManagementLink")
		if apitest.Str(l, "thirdParty.id") != c || apitest.Str(l, "type.code") != "DONORDRE" || apitest.Str(l, "linkedThirdParty.id") != p ||
			apitest.Str(l, "linkedType.code") != "CL_A_FACT" || apitest.Get(l, "isDefault") != false {
			t.Fatalf("created link: %v", l)
		}
		id := apitest.Str(l, "id")
		for _, side := range []string{c, p} {
			links := apitest.Get(e.ManagementOf(e.TokenA, side), "managementLinks")
			if got := apitest.IDs(links, "id"); !slices.Equal(got, []string{id}) {
				t.Fatalf("managementLinks of %s: want [%s], got %v", side, id, got)
			}
		}
		co := e.ManagementOf(e.TokenA, c)
		if got := apitest.IDs(apitest.Get(co, "billToParties"), "id"); !slices.Equal(got, []string{p}) {
			t.Fatalf("billToParties of the ordering party: want [%s], got %v", p, got)
		}
		if got := apitest.IDs(apitest.Get(co, "deliverySites"), "id"); len(got) != 0 {
			t.Fatalf("deliverySites: want none, got %v", got)
		}
		if got := apitest.IDs(apitest.Get(e.ManagementOf(e.TokenA, p), "billToParties"), "id"); len(got) != 0 {
			t.Fatalf("the bill-to party has no bill-to parties of its own, got %v", got)
		}
		if got := apitest.Str(e.OK(e.TokenA, `query($id: ID!) { node(id: $id) { ... on ManagementLink { linkedThirdParty { name } } } }`, map[string]any{"id": id}), "node.linkedThirdParty.name"); got != "Facturé SARL" {
			t.Fatalf("node on the link: %q", got)
		}
	})
}

func TestCreateManagementLink_RefusesLinksAgainstTheRulesAndWritesNothing(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		c := e.Client(e.TokenA, "C1", "Donneur", false)
		p := e.Prospect(e.TokenA, "Prospect")
		sup := e.ThirdPartyOf(e.TokenA, "SUPPLIER", "Fournisseur")
		oth := e.ThirdPartyOf(e.TokenA, "OTHER", "Autre tiers")
		do, fact, site := e.TypeID(e.TokenA, "DONORDRE"), e.TypeID(e.TokenA, "CL_A_FACT"), e.TypeID(e.TokenA, "SITE_LIV")
		filiale := e.TypeID(e.TokenA, "FILIALE")
		for _, tc := range []struct {
			name        string
			vars        map[string]any
			field       string // "" when any field will do
			msgContains string
		}{
			{"both sides DONORDRE", apitest.ManagementInput(c, do, p, do, false), "", "DONORDRE"},
			{"neither side DONORDRE", apitest.ManagementInput(c, fact, p, site, false), "", "DONORDRE"},
			{"FILIATION type on the linked side", apitest.ManagementInput(c, do, p, filiale, false), "linkedTypeId", ""},
			{"FILIATION type on the first side", apitest.ManagementInput(c, filiale, p, fact, false), "typeId", ""},
			{"a third party's ID as type", apitest.ManagementInput(c, do, p, c, false), "linkedTypeId", ""},
			{"supplier on the linked side", apitest.ManagementInput(c, do, sup, fact, false), "linkedThirdPartyId", ""},
			{"other third party on the first side", apitest.ManagementInput(oth, fact, c, do, false), "thirdPartyId", ""},
			{"self-link", apitest.ManagementInput(c, do, c, fact, false), "linkedThirdPartyId", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				var r *apitest.Result
				if tc.field != "" {
					r = e.Fail(e.TokenA, apitest.CreateManagementLink, tc.vars, "BAD_USER_INPUT", tc.field)
				} else {
					r = e.Fail(e.TokenA, apitest.CreateManagementLink, tc.vars, "BAD_USER_INPUT")
				}
				if !strings.Contains(r.Messages(), tc.msgContains) {
					t.Fatalf("message should name %s: %s", tc.msgContains, r.Messages())
				}
				for _, tp := range []string{c, p} {
					if got := apitest.IDs(apitest.Get(e.ManagementOf(e.TokenA, tp), "managementLinks"), "id"); len(got) != 0 {
						t.Fatalf("a refused link was written: %v", got)
					}
				}
			})
		}
	})
}

func TestCreateManagementLink_DuplicateSameOrMirroredIsConflict(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		c := e.Client(e.TokenA, "C1", "Donneur", false)
		p := e.Prospect(e.TokenA, "Facturé")
		do, fact, site := e.TypeID(e.TokenA, "DONORDRE"), e.TypeID(e.TokenA, "CL_A_FACT"), e.TypeID(e.TokenA, "SITE_LIV")
		first := apitest.Str(e.OK(e.TokenA, apitest.CreateManagementLink, apitest.ManagementInput(c, do, p, fact, false)), "createManagementLink.id")
		for _, tc := range []struct {
			name string
			vars map[string]any
		}{
			{"same link again", apitest.ManagementInput(c, do, p, fact, false)},
			{"same link again as default", apitest.ManagementInput(c, do, p, fact, true)},
			{"mirrored link", apitest.ManagementInput(p, fact, c, do, false)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				e.Fail(e.TokenA, apitest.CreateManagementLink, tc.vars, "CONFLICT")
				links := apitest.Get(e.ManagementOf(e.TokenA, c), "managementLinks")
				if got := apitest.IDs(links, "id"); !slices.Equal(got, []string{first}) || apitest.Get(links, "0.isDefault") != false {
					t.Fatalf("want only the first link, unchanged; got %v", links)
				}
			})
		}
		t.Run("same pair with another type is no duplicate", func(t *testing.T) {
			e := e.With(t)
			second := apitest.Str(e.OK(e.TokenA, apitest.CreateManagementLink, apitest.ManagementInput(p, site, c, do, false)), "createManagementLink.id")
			apitest.WantSet(t, "links", apitest.IDs(apitest.Get(e.ManagementOf(e.TokenA, c), "managementLinks"), "id"), []string{first, second})
		})
	})
}

func TestCreateManagementLink_WithoutTheDONORDREtypeSaysItIsNotDefined(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		e.Header.Set("Accept-Language", "en")
		c := e.Client(e.TokenA, "C1", "Donneur", false)
		p := e.Prospect(e.TokenA, "Facturé")
		do := e.TypeID(e.TokenA, "DONORDRE")
		l := e.ManagementLink(e.TokenA, c, "DONORDRE", p, "CL_A_FACT", false)
		e.Fail(e.TokenA, deleteLinkType, map[string]any{"id": do}, "CONFLICT")
		e.OK(e.TokenA, `mutation($id: ID!) { deleteManagementLink(id: $id) }`, map[string]any{"id": l})
		e.OK(e.TokenA, deleteLinkType, map[string]any{"id": do})

		r := e.Fail(e.TokenA, apitest.CreateManagementLink, apitest.ManagementInput(c, e.TypeID(e.TokenA, "CL_A_FACT"), p, e.TypeID(e.TokenA, "SITE_LIV"), false), "BAD_USER_INPUT")
		if msg := r.Messages(); !strings.Contains(msg, "DONORDRE") || !strings.Contains(msg, "not defined") {
			t.Fatalf("want a message saying DONORDRE is not defined, got %q", msg)
		}
	})
}

func TestManagementLinks_NewDefaultReplacesThePreviousAndBillToListsDefaultFirstThenByName(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		o := e.Client(e.TokenA, "O1", "Ordonnateur", false)
		o2 := e.Client(e.TokenA, "O2", "Autre donneur", false)
		zeta := e.Prospect(e.TokenA, "Zeta")
		alpha := e.Client(e.TokenA, "B1", "Alpha", false)
		mu := e.Prospect(e.TokenA, "Mu")
		beta := e.Prospect(e.TokenA, "Beta")
		siteB := e.Prospect(e.TokenA, "Site B")
		siteA := e.Client(e.TokenA, "S1", "Site A", false)

		other := e.ManagementLink(e.TokenA, o2, "DONORDRE", alpha, "CL_A_FACT", true)
		lZeta := e.ManagementLink(e.TokenA, o, "DONORDRE", zeta, "CL_A_FACT", true)
		lAlpha := e.ManagementLink(e.TokenA, o, "DONORDRE", alpha, "CL_A_FACT", false)
		lMu := e.ManagementLink(e.TokenA, o, "DONORDRE", mu, "CL_A_FACT", true) // replaces Zeta
		lBeta := e.ManagementLink(e.TokenA, beta, "CL_A_FACT", o, "DONORDRE", false)
		e.ManagementLink(e.TokenA, o, "DONORDRE", siteB, "SITE_LIV", false)
		e.ManagementLink(e.TokenA, siteA, "SITE_LIV", o, "DONORDRE", false)

		rec := e.ManagementOf(e.TokenA, o)
		defaults := map[string]bool{}
		for _, l := range apitest.Get(rec, "managementLinks").([]any) {
			defaults[apitest.Str(l, "id")], _ = apitest.Get(l, "isDefault").(bool)
		}
		want := map[string]bool{lZeta: false, lAlpha: false, lMu: true, lBeta: false}
		for id, def := range want {
			if got, ok := defaults[id]; !ok || got != def {
				t.Fatalf("link %s: want isDefault %v, got %v (present %v)", id, def, got, ok)
			}
		}
		if got := apitest.Str(rec, "managementLinks.0.id"); got != lMu {
			t.Fatalf("managementLinks should list the default %s first, got %s", lMu, got)
		}
		if got := apitest.IDs(apitest.Get(rec, "billToParties"), "name"); !slices.Equal(got, []string{"Mu", "Alpha", "Beta", "Zeta"}) {
			t.Fatalf("billToParties: want [Mu Alpha Beta Zeta] (default first, then by name), got %v", got)
		}
		if got := apitest.IDs(apitest.Get(rec, "deliverySites"), "name"); !slices.Equal(got, []string{"Site A", "Site B"}) {
			t.Fatalf("deliverySites: want [Site A Site B], got %v", got)
		}
		// Another ordering party's default is its own.
		rec2 := e.ManagementOf(e.TokenA, o2)
		if apitest.Get(rec2, "managementLinks.0.isDefault") != true || apitest.Str(rec2, "managementLinks.0.id") != other {
			t.Fatalf("the default of another ordering party was touched: %v", apitest.Get(rec2, "managementLinks"))
		}
		if got := apitest.IDs(apitest.Get(rec2, "billToParties"), "name"); !slices.Equal(got, []string{"Alpha"}) {
			t.Fatalf("billToParties of the other ordering party: %v", got)
		}
		// A bill-to party is not an ordering party.
		if got := apitest.IDs(apitest.Get(e.ManagementOf(e.TokenA, alpha), "billToParties"), "name"); len(got) != 0 {
			t.Fatalf("billToParties of a bill-to party: want none, got %v", got)
		}
	})
}

func TestManagementLinks_ConcurrentDefaultsLeaveExactlyOneDefaultLink(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		o := e.Client(e.TokenA, "O1", "Ordonnateur", false)
		do, fact := e.TypeID(e.TokenA, "DONORDRE"), e.TypeID(e.TokenA, "CL_A_FACT")
		const n = 10
		billTo := make([]string, n)
		for i := range billTo {
			billTo[i] = e.Prospect(e.TokenA, "Facturé "+string(rune('A'+i)))
		}
		results := make([]*apitest.Result, n)
		errors := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				results[i], errors[i] = e.Post(e.TokenA, apitest.CreateManagementLink, apitest.ManagementInput(o, do, billTo[i], fact, true))
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
		if created == 0 {
			t.Fatal("no request created its link")
		}
		rec := e.ManagementOf(e.TokenA, o)
		links, _ := apitest.Get(rec, "managementLinks").([]any)
		if len(links) != created {
			t.Fatalf("%d requests succeeded but %d links exist", created, len(links))
		}
		var def []string
		for _, l := range links {
			if apitest.Get(l, "isDefault") == true {
				def = append(def, apitest.Str(l, "linkedThirdParty.id"))
			}
		}
		if len(def) != 1 {
			t.Fatalf("want exactly one default link, got %d: %v", len(def), links)
		}
		if got := apitest.Str(rec, "billToParties.0.id"); got != def[0] {
			t.Fatalf("billToParties should start with the default %s, got %s", def[0], got)
		}
	})
}

// Two-sided: defaults created at the same time by several ordering
// parties for one bill-to party leave it exactly one.
func TestManagementLinks_ConcurrentDefaultsOfOneBillToPartyLeaveItOne(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		b := e.Prospect(e.TokenA, "Facturé")
		do, fact := e.TypeID(e.TokenA, "DONORDRE"), e.TypeID(e.TokenA, "CL_A_FACT")
		const n = 8
		ordering := make([]string, n)
		for i := range ordering {
			ordering[i] = e.Client(e.TokenA, fmt.Sprintf("OC%d", i), fmt.Sprintf("Donneur %d", i), false)
		}
		results := make([]*apitest.Result, n)
		errors := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				// Half from the bill-to party's side.
				in := apitest.ManagementInput(ordering[i], do, b, fact, true)
				if i%2 == 1 {
					in = apitest.ManagementInput(b, fact, ordering[i], do, true)
				}
				results[i], errors[i] = e.Post(e.TokenA, apitest.CreateManagementLink, in)
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
		links, _ := apitest.Get(e.ManagementOf(e.TokenA, b), "managementLinks").([]any)
		if created == 0 || len(links) != created {
			t.Fatalf("%d requests succeeded, %d links exist", created, len(links))
		}
		defaults := 0
		for _, l := range links {
			if apitest.Get(l, "isDefault") == true {
				defaults++
			}
		}
		if defaults != 1 {
			t.Fatalf("want exactly one default link on the bill-to party, got %d: %v", defaults, links)
		}
	})
}

// A change is made from a record's tab: a creation needs the change right
// of the kind of thirdPartyId (the record whose tab is open), whatever the
// linked party's; an update or a deletion that of either record's kind.
func TestManagementLinks_ChangeNeedsTheRightOfTheRecordsTab(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		do, fact := e.TypeID(e.TokenA, "DONORDRE"), e.TypeID(e.TokenA, "CL_A_FACT")
		prospectTab := []int{apitest.RightRead, apitest.RightReadProspectMgmt, apitest.RightWriteProspectMgmt}
		clientTab := []int{apitest.RightRead, apitest.RightReadClientMgmt, apitest.RightWriteClientMgmt}
		for i, tc := range []struct {
			name         string
			rights       []int
			kind, linked string // thirdPartyId's kind, linkedThirdPartyId's
			code         string // of the creation, "" for success
		}{
			{"prospect tab only, from a client's record", prospectTab, "CLIENT", "PROSPECT", "FORBIDDEN"},
			{"prospect tab only, from the prospect's record", prospectTab, "PROSPECT", "CLIENT", ""},
			{"client tab only, from a client's record", clientTab, "CLIENT", "PROSPECT", ""},
			{"client tab only, from a prospect's record", clientTab, "PROSPECT", "CLIENT", "FORBIDDEN"},
			{"client tab only, client–client", clientTab, "CLIENT", "CLIENT", ""},
			{"prospect tab only, prospect–prospect", prospectTab, "PROSPECT", "PROSPECT", ""},
			{"read rights only", []int{apitest.RightRead, apitest.RightReadClientMgmt, apitest.RightReadProspectMgmt}, "CLIENT", "PROSPECT", "FORBIDDEN"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				token := e.User(e.TokenA, fmt.Sprintf("u%d@alpha.example", i), tc.rights...)
				party := func(kind, name string) string {
					if kind == "CLIENT" {
						return e.Client(e.TokenA, fmt.Sprintf("K%d%s", i, name), name, false)
					}
					return e.Prospect(e.TokenA, name)
				}
				a, b := party(tc.kind, "Un"), party(tc.linked, "Deux")
				if tc.code == "" {
					e.OK(token, apitest.CreateManagementLink, apitest.ManagementInput(a, do, b, fact, false))
					if n := len(apitest.Get(e.ManagementOf(e.TokenA, a), "managementLinks").([]any)); n != 1 {
						t.Fatalf("want the link created, got %d links", n)
					}
					return
				}
				e.Fail(token, apitest.CreateManagementLink, apitest.ManagementInput(a, do, b, fact, false), tc.code)
				if n := len(apitest.Get(e.ManagementOf(e.TokenA, a), "managementLinks").([]any)); n != 0 {
					t.Fatalf("a forbidden link was written")
				}
			})
		}

		// Updates and deletions by the link's ID, from either record's tab.
		for i, tc := range []struct {
			name         string
			rights       []int
			kind, linked string
			code         string
		}{
			{"prospect tab only, the prospect is the linked party", prospectTab, "CLIENT", "PROSPECT", ""},
			{"prospect tab only, the prospect is thirdParty", prospectTab, "PROSPECT", "CLIENT", ""},
			{"client tab only, the client is the linked party", clientTab, "PROSPECT", "CLIENT", ""},
			{"client tab only, the client is thirdParty", clientTab, "CLIENT", "PROSPECT", ""},
			{"client tab only, prospect–prospect", clientTab, "PROSPECT", "PROSPECT", "NOT_FOUND"},
			{"read rights only", []int{apitest.RightRead, apitest.RightReadClientMgmt, apitest.RightReadProspectMgmt}, "CLIENT", "PROSPECT", "FORBIDDEN"},
		} {
			t.Run("update and delete: "+tc.name, func(t *testing.T) {
				e := e.With(t)
				token := e.User(e.TokenA, fmt.Sprintf("ud%d@alpha.example", i), tc.rights...)
				party := func(kind, name string) string {
					if kind == "CLIENT" {
						return e.Client(e.TokenA, fmt.Sprintf("UD%d%s", i, name), name, false)
					}
					return e.Prospect(e.TokenA, name)
				}
				a, b := party(tc.kind, "Un"), party(tc.linked, "Deux")
				l := e.ManagementLink(e.TokenA, a, "DONORDRE", b, "CL_A_FACT", false)
				upd := `mutation($id: ID!) { updateManagementLink(id: $id, input: {isDefault: true}) { id isDefault } }`
				del := `mutation($id: ID!) { deleteManagementLink(id: $id) }`
				if tc.code != "" {
					e.Fail(token, upd, map[string]any{"id": l}, tc.code)
					e.Fail(token, del, map[string]any{"id": l}, tc.code)
					if got := nodeOf(e, l); got["isDefault"] != false {
						t.Fatalf("a forbidden change was written: %v", got)
					}
					return
				}
				if got := apitest.Get(e.OK(token, upd, map[string]any{"id": l}), "updateManagementLink.isDefault"); got != true {
					t.Fatalf("update: %v", got)
				}
				e.OK(token, del, map[string]any{"id": l})
				e.NodeNotFound(e.TokenA, l)
			})
		}
	})
}

// A new default unsets the previous one: a consequence of the change the
// user was allowed to make, so it needs no further right, even where the
// previous default is a link the user may not see or change.
func TestManagementLinks_NewDefaultUnsetsThePreviousOneTheUserMayNotChange(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		do, fact := e.TypeID(e.TokenA, "DONORDRE"), e.TypeID(e.TokenA, "CL_A_FACT")
		for i, tc := range []struct {
			name   string
			closed bool // the previous default's bill-to party is a closed client
			rights []int
		}{
			{"a client's link, without 191518", false, []int{apitest.RightRead, apitest.RightWrite, apitest.RightReadProspectMgmt, apitest.RightWriteProspectMgmt}},
			{"a closed client's link, without 191516", true, apitest.AllRightsExcept(apitest.RightClosed)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				p := e.Prospect(e.TokenA, fmt.Sprintf("Donneur %d", i))
				c := e.Client(e.TokenA, fmt.Sprintf("DF%d", i), "Client facturé", tc.closed)
				old := e.ManagementLink(e.TokenA, p, "DONORDRE", c, "CL_A_FACT", true)
				other := e.Prospect(e.TokenA, fmt.Sprintf("Autre %d", i))
				user := e.User(e.TokenA, fmt.Sprintf("df%d@alpha.example", i), tc.rights...)
				e.OK(user, apitest.CreateManagementLink, apitest.ManagementInput(p, do, other, fact, true))
				if got := nodeOf(e, old); got["isDefault"] != false {
					t.Fatalf("the previous default stayed: %v", got)
				}
				if got := apitest.IDs(apitest.Get(e.ManagementOf(e.TokenA, p), "billToParties"), "id"); len(got) != 2 || got[0] != other {
					t.Fatalf("the new default should come first: %v", got)
				}
			})
		}
	})
}

// One default per record, whichever side of the link the record is on: a
// new default unsets the previous one of both records it joins.
func TestManagementLinks_OneDefaultPerRecordFromEitherSide(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		o1 := e.Client(e.TokenA, "O1", "Donneur un", false)
		o2 := e.Client(e.TokenA, "O2", "Donneur deux", false)
		b := e.Prospect(e.TokenA, "Facturé")
		b2 := e.Prospect(e.TokenA, "Facturé deux")
		l1 := e.ManagementLink(e.TokenA, o1, "DONORDRE", b, "CL_A_FACT", true)
		// b already holds a default (as the bill-to party of o1): a new
		// default of o2 billed to b replaces it.
		l2 := e.ManagementLink(e.TokenA, o2, "DONORDRE", b, "CL_A_FACT", true)
		if nodeOf(e, l1)["isDefault"] != false || nodeOf(e, l2)["isDefault"] != true {
			t.Fatalf("b holds two defaults: %v %v", nodeOf(e, l1), nodeOf(e, l2))
		}
		defaults := func(id string) int {
			n := 0
			for _, l := range apitest.Get(e.ManagementOf(e.TokenA, id), "managementLinks").([]any) {
				if apitest.Get(l, "isDefault") == true {
					n++
				}
			}
			return n
		}
		// From the other side: b is thirdParty of the new link and holds
		// l2; made the default by update, the new link unsets l2.
		o3 := e.Client(e.TokenA, "O3", "Donneur trois", false)
		l3 := e.ManagementLink(e.TokenA, b, "CL_A_FACT", o3, "DONORDRE", false)
		e.OK(e.TokenA, updateMgmtLink, map[string]any{"id": l3, "in": map[string]any{"isDefault": true}})
		if nodeOf(e, l2)["isDefault"] != false || nodeOf(e, l3)["isDefault"] != true {
			t.Fatalf("want l3 the only default of b: l2 %v, l3 %v", nodeOf(e, l2), nodeOf(e, l3))
		}
		// A default on o2 elsewhere leaves b's alone.
		l4 := e.ManagementLink(e.TokenA, o2, "DONORDRE", b2, "CL_A_FACT", true)
		for id, want := range map[string]int{o1: 0, o2: 1, o3: 1, b: 1, b2: 1} {
			if got := defaults(id); got != want {
				t.Fatalf("record %s: want %d default, got %d", id, want, got)
			}
		}
		if nodeOf(e, l3)["isDefault"] != true || nodeOf(e, l4)["isDefault"] != true {
			t.Fatalf("an unrelated default was unset")
		}
	})
}

// isDefault on a delivery-site link has no effect (the guide: « cette
// option n'a pas d'effet »): accepted, stored false, with a warning.
func TestManagementLinks_DefaultOnADeliverySiteIsIgnoredWithAWarning(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		c := e.Client(e.TokenA, "C1", "Donneur", false)
		b := e.Prospect(e.TokenA, "Facturé")
		do, site := e.TypeID(e.TokenA, "DONORDRE"), e.TypeID(e.TokenA, "SITE_LIV")
		def := e.ManagementLink(e.TokenA, c, "DONORDRE", b, "CL_A_FACT", true)
		wantWarning := func(r *apitest.Result, field string) map[string]any {
			t.Helper()
			if len(r.Errors) != 0 {
				t.Fatalf("want success, got %+v", r.Errors)
			}
			ws, _ := r.Extensions["warnings"].([]any)
			if len(ws) != 1 || apitest.Str(ws[0], "code") != "BAD_USER_INPUT" || apitest.Str(ws[0], "field") != "isDefault" || !strings.Contains(apitest.Str(ws[0], "message"), "no effect") {
				t.Fatalf("want one isDefault warning, got %v", r.Extensions)
			}
			got, _ := r.Data[field].(map[string]any)
			if got["isDefault"] != false {
				t.Fatalf("stored as the default: %v", got)
			}
			return got
		}
		for i, in := range []map[string]any{
			apitest.ManagementInput(c, do, e.Prospect(e.TokenA, "Site un"), site, true),
			apitest.ManagementInput(e.Prospect(e.TokenA, "Site deux"), site, c, do, true),
		} {
			r := e.Do(e.TokenA, apitest.CreateManagementLink, in)
			wantWarning(r, "createManagementLink")
			if i == 0 && len(e.Do(e.TokenA, apitest.CreateManagementLink, apitest.ManagementInput(c, do, e.Prospect(e.TokenA, "Facturé deux"), e.TypeID(e.TokenA, "CL_A_FACT"), false)).Extensions) != 0 {
				t.Fatal("a warning without isDefault on a site")
			}
		}
		s := e.ManagementLink(e.TokenA, c, "DONORDRE", e.Prospect(e.TokenA, "Site trois"), "SITE_LIV", false)
		wantWarning(e.Do(e.TokenA, updateMgmtLink, map[string]any{"id": s, "in": map[string]any{"isDefault": true}}), "updateManagementLink")
		// The ordering party's default is untouched: the option had no effect.
		if nodeOf(e, def)["isDefault"] != true {
			t.Fatalf("a site's ignored isDefault unset the default: %v", nodeOf(e, def))
		}
		// Two fields of one operation that each warn: both warnings are kept.
		two := e.Do(e.TokenA, `mutation($a: CreateManagementLinkInput!, $b: CreateManagementLinkInput!) {
			a: createManagementLink(input: $a) { id } b: createManagementLink(input: $b) { id } }`, map[string]any{
			"a": apitest.ManagementInput(c, do, e.Prospect(e.TokenA, "Site quatre"), site, true)["in"],
			"b": apitest.ManagementInput(c, do, e.Prospect(e.TokenA, "Site cinq"), site, true)["in"],
		})
		if ws, _ := two.Extensions["warnings"].([]any); len(two.Errors) != 0 || len(ws) != 2 {
			t.Fatalf("want two warnings, got %v (errors %v)", two.Extensions, two.Errors)
		}
	})
}

// Links are part of the address book: their own read rights without the
// right to read it show none.
func TestLinks_NeedTheRightToReadTheAddressBook(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		p, c := e.Prospect(e.TokenA, "Donneur"), e.Client(e.TokenA, "LR1", "Client", false)
		ml := e.ManagementLink(e.TokenA, p, "DONORDRE", c, "CL_A_FACT", true)
		fl := e.FiliationLink(e.TokenA, c, p, "FILIALE")
		linksOnly := e.User(e.TokenA, "liens@alpha.example", apitest.RightReadClientMgmt, apitest.RightReadProspectMgmt, apitest.RightReadClientFil, apitest.RightReadProspectFil)
		for _, id := range []string{ml, fl} {
			e.Fail(linksOnly, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id}, "NOT_FOUND")
		}
		// With it, the same rights show both.
		reader := e.User(e.TokenA, "lecteur-liens@alpha.example", apitest.RightRead, apitest.RightReadClientMgmt, apitest.RightReadProspectMgmt, apitest.RightReadClientFil, apitest.RightReadProspectFil)
		for _, id := range []string{ml, fl} {
			if got := e.OK(reader, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id}); apitest.Get(got, "node.id") != id {
				t.Fatalf("a reader with the link rights does not see %s: %v", id, got)
			}
		}
	})
}

// Link rights are rights on a tab of the record being viewed: whoever may
// open a record's tab sees all its links, whatever the other side's kind;
// node(id) finds a link when the viewer may open the tab of either record.
func TestManagementLinks_ATabShowsAllTheRecordsLinksToWhoeverMayOpenIt(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		c := e.Client(e.TokenA, "C1", "Client", false)
		c2 := e.Client(e.TokenA, "C2", "Client livré", false)
		p := e.Prospect(e.TokenA, "Prospect")
		p2 := e.Prospect(e.TokenA, "Prospect facturé")
		clientProspect := e.ManagementLink(e.TokenA, c, "DONORDRE", p, "CL_A_FACT", true)
		prospects := e.ManagementLink(e.TokenA, p, "DONORDRE", p2, "CL_A_FACT", true)
		clients := e.ManagementLink(e.TokenA, c, "DONORDRE", c2, "SITE_LIV", false)
		all := []string{clientProspect, prospects, clients}
		for i, tc := range []struct {
			name    string
			rights  []int
			visible []string            // node(id)
			tabs    map[string][]string // managementLinks of each record
		}{
			{"no link right", []int{apitest.RightRead}, nil, map[string][]string{c: nil, p: nil, c2: nil}},
			{"prospect tabs only", []int{apitest.RightRead, apitest.RightReadProspectMgmt, apitest.RightWriteClientMgmt},
				[]string{clientProspect, prospects}, map[string][]string{c: nil, c2: nil, p: {clientProspect, prospects}, p2: {prospects}}},
			{"client tabs only", []int{apitest.RightRead, apitest.RightReadClientMgmt},
				[]string{clientProspect, clients}, map[string][]string{c: {clientProspect, clients}, c2: {clients}, p: nil, p2: nil}},
			{"both", []int{apitest.RightRead, apitest.RightReadClientMgmt, apitest.RightReadProspectMgmt},
				all, map[string][]string{c: {clientProspect, clients}, p: {clientProspect, prospects}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				token := e.User(e.TokenA, "r"+string(rune('a'+i))+"@alpha.example", tc.rights...)
				for _, l := range all {
					if slices.Contains(tc.visible, l) {
						e.NodeFound(token, l)
					} else {
						e.NodeNotFound(token, l)
					}
				}
				for record, want := range tc.tabs {
					rec := e.ManagementOf(token, record)
					apitest.WantSet(t, "managementLinks of "+record, apitest.IDs(apitest.Get(rec, "managementLinks"), "id"), want)
					if record == c {
						wantBillTo := []string{}
						if slices.Contains(want, clientProspect) {
							wantBillTo = []string{p}
						}
						apitest.WantSet(t, "billToParties of c", apitest.IDs(apitest.Get(rec, "billToParties"), "id"), wantBillTo)
					}
				}
			})
		}
	})
}

func TestManagementLinks_FeatureFlagOffRefusesAndHidesThemUntilSwitchedOn(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		c := e.Client(e.TokenA, "C1", "Donneur", false)
		p := e.Prospect(e.TokenA, "Facturé")
		site := e.Prospect(e.TokenA, "Site")
		other := e.Prospect(e.TokenA, "Autre")
		l := e.ManagementLink(e.TokenA, c, "DONORDRE", p, "CL_A_FACT", true)
		s := e.ManagementLink(e.TokenA, c, "DONORDRE", site, "SITE_LIV", false)
		do, fact := e.TypeID(e.TokenA, "DONORDRE"), e.TypeID(e.TokenA, "CL_A_FACT")

		e.SetFlag(e.TokenA, "MANAGEMENT_LINKS", false)
		e.Fail(e.TokenA, apitest.CreateManagementLink, apitest.ManagementInput(c, do, other, fact, false), "FEATURE_DISABLED")
		e.Fail(e.TokenA, `mutation($id: ID!) { updateManagementLink(id: $id, input: {isDefault: false}) { id } }`, map[string]any{"id": l}, "FEATURE_DISABLED")
		e.Fail(e.TokenA, `mutation($id: ID!) { deleteManagementLink(id: $id) }`, map[string]any{"id": l}, "FEATURE_DISABLED")
		rec := e.ManagementOf(e.TokenA, c)
		for _, f := range []string{"managementLinks", "billToParties", "deliverySites"} {
			if got, _ := apitest.Get(rec, f).([]any); len(got) != 0 {
				t.Fatalf("%s with the feature off: want empty, got %v", f, got)
			}
		}
		e.NodeNotFound(e.TokenA, l)

		e.SetFlag(e.TokenA, "MANAGEMENT_LINKS", true)
		rec = e.ManagementOf(e.TokenA, c)
		apitest.WantSet(t, "managementLinks", apitest.IDs(apitest.Get(rec, "managementLinks"), "id"), []string{l, s})
		if got := apitest.IDs(apitest.Get(rec, "billToParties"), "id"); !slices.Equal(got, []string{p}) {
			t.Fatalf("billToParties: %v", got)
		}
		if got := apitest.IDs(apitest.Get(rec, "deliverySites"), "id"); !slices.Equal(got, []string{site}) {
			t.Fatalf("deliverySites: %v", got)
		}
		if apitest.Get(rec, "managementLinks.0.isDefault") != true {
			t.Fatalf("the default survived switching off: %v", apitest.Get(rec, "managementLinks"))
		}
		e.NodeFound(e.TokenA, l)
		e.OK(e.TokenA, apitest.CreateManagementLink, apitest.ManagementInput(c, do, other, fact, false))
	})
}

const updateMgmtLink = `mutation($id: ID!, $in: UpdateManagementLinkInput!) { updateManagementLink(id: $id, input: $in) {
	id isDefault thirdParty { id } type { code } linkedThirdParty { id } linkedType { code } } }`

func TestUpdateManagementLink_ChangesDefaultAndTypesUnderTheSameRules(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		o := e.Client(e.TokenA, "O1", "Ordonnateur", false)
		b1 := e.Prospect(e.TokenA, "Facturé Un")
		b2 := e.Prospect(e.TokenA, "Facturé Deux")
		do, fact, site := e.TypeID(e.TokenA, "DONORDRE"), e.TypeID(e.TokenA, "CL_A_FACT"), e.TypeID(e.TokenA, "SITE_LIV")
		l1 := e.ManagementLink(e.TokenA, o, "DONORDRE", b1, "CL_A_FACT", true)
		l2 := e.ManagementLink(e.TokenA, o, "DONORDRE", b2, "CL_A_FACT", false)
		state := func(e *apitest.Env) (defaults map[string]bool, billTo, sites []string) {
			rec := e.ManagementOf(e.TokenA, o)
			defaults = map[string]bool{}
			for _, l := range apitest.Get(rec, "managementLinks").([]any) {
				defaults[apitest.Str(l, "id")], _ = apitest.Get(l, "isDefault").(bool)
			}
			return defaults, apitest.IDs(apitest.Get(rec, "billToParties"), "id"), apitest.IDs(apitest.Get(rec, "deliverySites"), "id")
		}
		upd := func(e *apitest.Env, id string, in map[string]any) map[string]any {
			e.T.Helper()
			return apitest.Get(e.OK(e.TokenA, updateMgmtLink, map[string]any{"id": id, "in": in}), "updateManagementLink").(map[string]any)
		}

		t.Run("switching the default moves it", func(t *testing.T) {
			e := e.With(t)
			if got := upd(e, l2, map[string]any{"isDefault": true}); got["isDefault"] != true {
				t.Fatalf("updated: %v", got)
			}
			defaults, billTo, _ := state(e)
			if defaults[l1] || !defaults[l2] || !slices.Equal(billTo, []string{b2, b1}) {
				t.Fatalf("want l2 the only default and b2 first; got %v %v", defaults, billTo)
			}
		})
		t.Run("a default link that becomes a delivery site is no longer the default", func(t *testing.T) {
			e := e.With(t)
			r := e.Do(e.TokenA, updateMgmtLink, map[string]any{"id": l2, "in": map[string]any{"linkedTypeId": site}})
			if len(r.Errors) != 0 || r.Extensions["warnings"] == nil {
				t.Fatalf("want success with a warning, got %+v %v", r.Errors, r.Extensions)
			}
			defaults, billTo, sites := state(e)
			if defaults[l2] || !slices.Equal(billTo, []string{b1}) || !slices.Equal(sites, []string{b2}) {
				t.Fatalf("want l2 a site, not the default: %v %v %v", defaults, billTo, sites)
			}
			upd(e, l2, map[string]any{"linkedTypeId": fact, "isDefault": true})
		})
		t.Run("a non-default link becomes a delivery site", func(t *testing.T) {
			e := e.With(t)
			got := upd(e, l2, map[string]any{"linkedTypeId": site, "isDefault": false})
			if got["isDefault"] != false || apitest.Str(got, "linkedType.code") != "SITE_LIV" {
				t.Fatalf("updated: %v", got)
			}
			_, billTo, sites := state(e)
			if !slices.Equal(billTo, []string{b1}) || !slices.Equal(sites, []string{b2}) {
				t.Fatalf("want bill-to [b1] and sites [b2]; got %v %v", billTo, sites)
			}
		})
		for _, tc := range []struct {
			name  string
			in    map[string]any
			code  string
			field string
		}{
			{"both sides DONORDRE", map[string]any{"linkedTypeId": do}, "BAD_USER_INPUT", ""},
			{"neither side DONORDRE", map[string]any{"typeId": fact}, "BAD_USER_INPUT", ""},
			{"FILIATION type", map[string]any{"linkedTypeId": e.TypeID(e.TokenA, "FILIALE")}, "BAD_USER_INPUT", "linkedTypeId"},
		} {
			t.Run("refused: "+tc.name, func(t *testing.T) {
				e := e.With(t)
				if tc.field != "" {
					e.Fail(e.TokenA, updateMgmtLink, map[string]any{"id": l1, "in": tc.in}, tc.code, tc.field)
				} else {
					e.Fail(e.TokenA, updateMgmtLink, map[string]any{"id": l1, "in": tc.in}, tc.code)
				}
				n := nodeOf(e, l1)
				if apitest.Str(n, "type.code") != "DONORDRE" || apitest.Str(n, "linkedType.code") != "CL_A_FACT" {
					t.Fatalf("a refused update changed the link: %v", n)
				}
			})
		}
		t.Run("swapping the sides' types moves the ordering party", func(t *testing.T) {
			e := e.With(t)
			upd(e, l1, map[string]any{"typeId": fact, "linkedTypeId": do, "isDefault": true})
			if _, billTo, _ := state(e); len(billTo) != 0 {
				t.Fatalf("o is no more the ordering party of l1, yet bills to %v", billTo)
			}
			if got := apitest.IDs(apitest.Get(e.ManagementOf(e.TokenA, b1), "billToParties"), "id"); !slices.Equal(got, []string{o}) {
				t.Fatalf("b1, now ordering party, should bill to o: %v", got)
			}
			upd(e, l1, map[string]any{"typeId": do, "linkedTypeId": fact})
			if _, billTo, _ := state(e); !slices.Equal(billTo, []string{b1}) {
				t.Fatalf("swapped back: bill-to %v", billTo)
			}
		})
		// l2 is o DONORDRE – b2 SITE_LIV; another link says
		// o DONORDRE – b2 CL_A_FACT, the same way or mirrored.
		for _, tc := range []struct {
			name                     string
			tp, typ, linked, linkTyp string
		}{
			{"an update making a duplicate is CONFLICT", o, "DONORDRE", b2, "CL_A_FACT"},
			{"an update making a mirrored duplicate is CONFLICT", b2, "CL_A_FACT", o, "DONORDRE"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				other := e.ManagementLink(e.TokenA, tc.tp, tc.typ, tc.linked, tc.linkTyp, false)
				defer e.OK(e.TokenA, `mutation($id: ID!) { deleteManagementLink(id: $id) }`, map[string]any{"id": other})
				e.Fail(e.TokenA, updateMgmtLink, map[string]any{"id": l2, "in": map[string]any{"linkedTypeId": fact}}, "CONFLICT")
				if n := nodeOf(e, l2); apitest.Str(n, "linkedType.code") != "SITE_LIV" {
					t.Fatalf("the duplicate was written: %v", n)
				}
			})
		}
	})
}

// nodeOf reads a management link by ID with the administrator of A.
func nodeOf(e *apitest.Env, id string) map[string]any {
	e.T.Helper()
	n, _ := e.OK(e.TokenA, `query($id: ID!) { node(id: $id) { ... on ManagementLink { id isDefault type { code } linkedType { code } } } }`, map[string]any{"id": id})["node"].(map[string]any)
	if n == nil {
		e.T.Fatalf("management link %s not found", id)
	}
	return n
}

func TestDeleteManagementLink_RemovesItFromBothRecords(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		o := e.Client(e.TokenA, "O1", "Ordonnateur", false)
		b := e.Prospect(e.TokenA, "Facturé")
		s := e.Prospect(e.TokenA, "Site")
		l := e.ManagementLink(e.TokenA, o, "DONORDRE", b, "CL_A_FACT", true)
		keep := e.ManagementLink(e.TokenA, o, "DONORDRE", s, "SITE_LIV", false)
		if got := apitest.Str(e.OK(e.TokenA, `mutation($id: ID!) { deleteManagementLink(id: $id) }`, map[string]any{"id": l}), "deleteManagementLink"); got != l {
			t.Fatalf("deleteManagementLink returned %q, want %q", got, l)
		}
		e.NodeNotFound(e.TokenA, l)
		rec := e.ManagementOf(e.TokenA, o)
		if got := apitest.IDs(apitest.Get(rec, "managementLinks"), "id"); !slices.Equal(got, []string{keep}) {
			t.Fatalf("managementLinks after delete: %v", got)
		}
		if got := apitest.IDs(apitest.Get(rec, "billToParties"), "id"); len(got) != 0 {
			t.Fatalf("billToParties after delete: %v", got)
		}
		if got := apitest.IDs(apitest.Get(e.ManagementOf(e.TokenA, b), "managementLinks"), "id"); len(got) != 0 {
			t.Fatalf("the other side still shows the link: %v", got)
		}
		e.Fail(e.TokenA, `mutation($id: ID!) { deleteManagementLink(id: $id) }`, map[string]any{"id": l}, "NOT_FOUND")
		// The ordering party can have a new default at once.
		e.ManagementLink(e.TokenA, o, "DONORDRE", b, "CL_A_FACT", true)
	})
}

func TestManagementLinks_AnotherOrganisationCannotUseOrSeeThem(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		_, loginA := e.CompanyIDs(e.TokenA)
		c := e.Client(e.TokenA, "C1", "Client Alpha Confidentiel", false)
		p := e.Prospect(e.TokenA, "Secret Alpha Corp")
		l := e.ManagementLink(e.TokenA, c, "DONORDRE", p, "CL_A_FACT", true)
		doA, factA := e.TypeID(e.TokenA, "DONORDRE"), e.TypeID(e.TokenA, "CL_A_FACT")
		cB := e.Client(e.TokenB, "C1", "Client Bêta", false)
		pB := e.Prospect(e.TokenB, "Prospect Bêta")
		doB, factB := e.TypeID(e.TokenB, "DONORDRE"), e.TypeID(e.TokenB, "CL_A_FACT")
		lB := e.ManagementLink(e.TokenB, cB, "DONORDRE", pB, "CL_A_FACT", false)

		for _, tc := range []struct {
			name, query string
			vars        map[string]any
			codes       []string
		}{
			{"link A's third parties", apitest.CreateManagementLink, apitest.ManagementInput(c, doB, p, factB, false), []string{"BAD_USER_INPUT", "NOT_FOUND"}},
			{"link own third parties with A's types", apitest.CreateManagementLink, apitest.ManagementInput(cB, doA, pB, factA, false), []string{"BAD_USER_INPUT", "NOT_FOUND"}},
			{"retype own link with A's type", updateMgmtLink, map[string]any{"id": lB, "in": map[string]any{"linkedTypeId": factA}}, []string{"BAD_USER_INPUT", "NOT_FOUND"}},
			{"update A's link", updateMgmtLink, map[string]any{"id": l, "in": map[string]any{"isDefault": false}}, []string{"NOT_FOUND"}},
			{"delete A's link", `mutation($id: ID!) { deleteManagementLink(id: $id) }`, map[string]any{"id": l}, []string{"NOT_FOUND"}},
			{"delete A's link type", deleteLinkType, map[string]any{"id": factA}, []string{"NOT_FOUND"}},
			{"define a type on A's company", apitest.CreateLinkType, map[string]any{"in": map[string]any{"code": "INTRUS", "label": "Intrus", "category": "MANAGEMENT", "companyId": loginA}}, []string{"BAD_USER_INPUT", "NOT_FOUND"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				r := e.FailOneOf(e.TokenB, tc.query, tc.vars, tc.codes...)
				apitest.NoSecret(t, r)
			})
		}
		e.NodeNotFound(e.TokenB, l)
		// A's link is untouched, B's too.
		if n := nodeOf(e, l); n["isDefault"] != true {
			t.Fatalf("A's link changed: %v", n)
		}
		e.NodeFound(e.TokenA, factA)
		if got := apitest.Str(apitest.Get(e.ManagementOf(e.TokenB, cB), "managementLinks"), "0.linkedType.code"); got != "CL_A_FACT" {
			t.Fatalf("B's link: %q", got)
		}
		if slices.Contains(apitest.IDs(e.LinkTypes(e.TokenB, ""), "code"), "INTRUS") || slices.Contains(apitest.IDs(e.LinkTypes(e.TokenA, ""), "code"), "INTRUS") {
			t.Fatal("a type was defined on another organisation's company")
		}
	})
}

func TestDeleteThirdParty_DeletesItsLinks(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		deleter := e.User(e.TokenA, "menage@alpha.example", apitest.RightRead, apitest.RightDelete) // sees no link
		for _, tc := range []struct{ name, token string }{
			{"by an administrator", e.TokenA},
			{"by a user who cannot see the links", deleter},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				o := e.Prospect(e.TokenA, "Ordonnateur "+tc.name)
				b := e.Prospect(e.TokenA, "Facturé "+tc.name)
				s := e.Prospect(e.TokenA, "Filiale "+tc.name)
				mgmt := e.ManagementLink(e.TokenA, o, "DONORDRE", b, "CL_A_FACT", true)
				fil := e.FiliationLink(e.TokenA, b, s, "FILIALE")
				e.OK(tc.token, apitest.DeleteThirdParty, map[string]any{"id": b})
				e.NodeNotFound(e.TokenA, b)
				e.NodeNotFound(e.TokenA, mgmt)
				e.NodeNotFound(e.TokenA, fil)
				rec := e.ManagementOf(e.TokenA, o)
				if got := apitest.IDs(apitest.Get(rec, "managementLinks"), "id"); len(got) != 0 {
					t.Fatalf("the ordering party still has links: %v", got)
				}
				if got := apitest.IDs(apitest.Get(rec, "billToParties"), "id"); len(got) != 0 {
					t.Fatalf("the ordering party still bills to %v", got)
				}
				if got := e.FiliationLinksOf(e.TokenA, s); len(got) != 0 {
					t.Fatalf("the subsidiary still has filiation links: %v", got)
				}
				// Both survivors can be deleted in turn: nothing dangles.
				e.OK(e.TokenA, apitest.DeleteThirdParty, map[string]any{"id": o})
				e.OK(e.TokenA, apitest.DeleteThirdParty, map[string]any{"id": s})
			})
		}
	})
}
