package server_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"carnet/internal/db"
	"carnet/internal/gid"
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
		cat := str(ty, "category")
		if i > 0 && str(types[i-1], "category") == cat {
			if prev := str(types[i-1], "code"); prev > str(ty, "code") {
				t.Fatalf("link types not ordered by code within %s: %s before %s", cat, prev, str(ty, "code"))
			}
			continue
		}
		if seen[cat] {
			t.Fatalf("link types of category %s are not grouped: %v", cat, ids(types, "code"))
		}
		seen[cat] = true
	}
}

func TestLinkTypes_OfferedAreTheSharedCompanysAndTheLoginCompanysOnly(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		shared, login := e.companyIDs(e.tokenA)
		other := str(e.ok(e.tokenA, createCompany, map[string]any{"in": map[string]any{"name": "Alpha Logistique"}}), "createCompany.id")
		onLogin := e.newLinkType(e.tokenA, login, "SUR_CONNEXION", "FILIATION", "DOWN")
		onOther := e.newLinkType(e.tokenA, other, "SUR_AUTRE", "MANAGEMENT", "")

		// A user of the other company: offered the shared types and its own.
		u := e.ok(e.tokenA, `mutation($in: CreateUserInput!) { createUser(input: $in) { id } }`, map[string]any{
			"in": map[string]any{"email": "logistique@alpha.example", "name": "Logistique", "companyId": other, "rights": []int{rRead}},
		})
		otherToken := str(e.ok(e.tokenA, `mutation($id: ID!) { createToken(userId: $id, name: "t") { token } }`,
			map[string]any{"id": str(u, "createUser.id")}), "createToken.token")

		bTypes := ids(e.linkTypes(e.tokenB, ""), "id")
		for _, tc := range []struct {
			name, token     string
			wantCodes       []string
			ownType, notOwn string
		}{
			{"administrator of the login company", e.tokenA, append(standardCodes(""), "SUR_CONNEXION"), onLogin, onOther},
			{"user of another company", otherToken, append(standardCodes(""), "SUR_AUTRE"), onOther, onLogin},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.with(t)
				types := e.linkTypes(tc.token, "")
				wantSet(t, "offered codes", ids(types, "code"), tc.wantCodes)
				checkTypeOrder(t, types)
				got := ids(types, "id")
				if !slices.Contains(got, tc.ownType) || slices.Contains(got, tc.notOwn) {
					t.Fatalf("want own company's type %s and not %s, got %v", tc.ownType, tc.notOwn, got)
				}
				for _, ty := range types {
					code := str(ty, "code")
					if std, ok := standardTypes[code]; ok {
						if str(ty, "company.id") != shared || str(ty, "category") != std[0] || str(ty, "direction") != std[1] {
							t.Fatalf("standard type %s: want shared company %s, %v; got %v", code, shared, std, ty)
						}
					}
					if slices.Contains(bTypes, str(ty, "id")) {
						t.Fatalf("type %s of organisation B offered to A", code)
					}
				}
			})
		}
		// B is offered its own standard types, none of A's.
		wantSet(t, "B's codes", ids(e.linkTypes(e.tokenB, ""), "code"), standardCodes(""))
		for _, id := range ids(e.linkTypes(e.tokenA, ""), "id") {
			if slices.Contains(bTypes, id) {
				t.Fatalf("A's type %s offered to B", id)
			}
		}
	})
}

func TestLinkTypes_CategoryFiltersTheList(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		_, login := e.companyIDs(e.tokenA)
		e.newLinkType(e.tokenA, login, "AAA_GESTION", "MANAGEMENT", "")
		e.newLinkType(e.tokenA, login, "AAA_GROUPE", "FILIATION", "TRANSVERSE")
		for _, tc := range []struct {
			category string
			want     []string
		}{
			{"MANAGEMENT", append([]string{"AAA_GESTION"}, standardCodes("MANAGEMENT")...)},
			{"FILIATION", append([]string{"AAA_GROUPE"}, standardCodes("FILIATION")...)},
		} {
			t.Run(tc.category, func(t *testing.T) {
				e := e.with(t)
				types := e.linkTypes(e.tokenA, tc.category)
				if got := ids(types, "code"); !slices.Equal(got, tc.want) {
					t.Fatalf("want %v (by code), got %v", tc.want, got)
				}
				for _, ty := range types {
					if str(ty, "category") != tc.category {
						t.Fatalf("type %s of category %s listed", str(ty, "code"), str(ty, "category"))
					}
					if hasDir := get(ty, "direction") != nil; hasDir != (tc.category == "FILIATION") {
						t.Fatalf("type %s: direction %v", str(ty, "code"), get(ty, "direction"))
					}
				}
			})
		}
	})
}

func TestCreateLinkType_ChecksDirectionCodeLabelUniquenessAndRight(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		shared, login := e.companyIDs(e.tokenA)
		noAdmin := e.user(e.tokenA, "rep@alpha.example", rRead, rWrite, rReadClientMgmt, rWriteClientMgmt, rReadClientFil, rWriteClientFil)
		e.newLinkType(e.tokenA, shared, "EN_DOUBLE", "MANAGEMENT", "")
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
			{"FILIATION without direction", e.tokenA, in("GROUPE_X", "Groupe", "FILIATION", "", login), "BAD_USER_INPUT", "direction"},
			{"MANAGEMENT with a direction", e.tokenA, in("GESTION_X", "Gestion", "MANAGEMENT", "UP", login), "BAD_USER_INPUT", "direction"},
			{"code with a dash", e.tokenA, in("BAD-CODE", "Mauvais", "MANAGEMENT", "", login), "BAD_USER_INPUT", "code"},
			{"code with a space", e.tokenA, in("BAD CODE", "Mauvais", "MANAGEMENT", "", login), "BAD_USER_INPUT", "code"},
			{"code with an accent", e.tokenA, in("ÉTÉ", "Été", "MANAGEMENT", "", login), "BAD_USER_INPUT", "code"},
			{"empty code", e.tokenA, in("", "Vide", "MANAGEMENT", "", login), "BAD_USER_INPUT", "code"},
			{"code of 31 characters", e.tokenA, in(strings.Repeat("A", 31), "Long", "MANAGEMENT", "", login), "BAD_USER_INPUT", "code"},
			{"blank label", e.tokenA, in("SANS_LIBELLE", "  ", "MANAGEMENT", "", login), "BAD_USER_INPUT", "label"},
			{"code already on the company", e.tokenA, in("EN_DOUBLE", "Encore", "MANAGEMENT", "", shared), "CONFLICT", ""},
			{"standard code again on the shared company", e.tokenA, in("FILIALE", "Filiale bis", "FILIATION", "DOWN", shared), "CONFLICT", ""},
			{"without right 100009", noAdmin, in("SANS_DROIT", "Sans droit", "MANAGEMENT", "", login), "FORBIDDEN", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.with(t)
				before := len(e.linkTypes(e.tokenA, ""))
				if tc.field != "" {
					e.fail(tc.token, createLinkType, tc.vars, tc.code, tc.field)
				} else {
					e.fail(tc.token, createLinkType, tc.vars, tc.code)
				}
				if after := len(e.linkTypes(e.tokenA, "")); after != before {
					t.Fatalf("a refused createLinkType changed the types: %d → %d", before, after)
				}
			})
		}
		t.Run("valid types are created, the same code on another company too", func(t *testing.T) {
			e := e.with(t)
			d := e.ok(e.tokenA, createLinkType, in("EN_DOUBLE", "Même code, autre société", "MANAGEMENT", "", login))
			if str(d, "createLinkType.code") != "EN_DOUBLE" || str(d, "createLinkType.company.id") != login || get(d, "createLinkType.direction") != nil {
				t.Fatalf("created: %v", d)
			}
			d = e.ok(e.tokenA, createLinkType, in("PARTENAIRE_2", "Partenaire bis", "FILIATION", "TRANSVERSE", shared))
			if str(d, "createLinkType.category") != "FILIATION" || str(d, "createLinkType.direction") != "TRANSVERSE" {
				t.Fatalf("created: %v", d)
			}
			e.typeID(e.tokenA, "PARTENAIRE_2")
		})
	})
}

const deleteLinkType = `mutation($id: ID!) { deleteLinkType(id: $id) }`

func TestDeleteLinkType_InUseIsConflictUnusedIsDeleted(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		_, login := e.companyIDs(e.tokenA)
		custom := e.newLinkType(e.tokenA, login, "FACTURATION", "MANAGEMENT", "")
		unused := e.newLinkType(e.tokenA, login, "INUTILE", "FILIATION", "UP")
		c := e.client(e.tokenA, "C1", "Donneur", false)
		p := e.prospect(e.tokenA, "Facturé")
		s := e.thirdPartyOf(e.tokenA, "SUPPLIER", "Fournisseur du groupe")
		mgmt := e.mgmtLink(e.tokenA, c, "DONORDRE", p, "FACTURATION", false)
		fil := e.filLink(e.tokenA, c, s, "FILIALE")
		noAdmin := e.user(e.tokenA, "rep@alpha.example", rRead)

		for _, tc := range []struct {
			name, id string
		}{
			{"type of a management link's first side", e.typeID(e.tokenA, "DONORDRE")},
			{"type of a management link's linked side", custom},
			{"type of a filiation link", e.typeID(e.tokenA, "FILIALE")},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.with(t)
				e.fail(e.tokenA, deleteLinkType, map[string]any{"id": tc.id}, "CONFLICT")
				e.nodeFound(e.tokenA, tc.id)
			})
		}
		t.Run("unused type, without right 100009", func(t *testing.T) {
			e := e.with(t)
			e.fail(noAdmin, deleteLinkType, map[string]any{"id": unused}, "FORBIDDEN")
			e.nodeFound(e.tokenA, unused)
		})
		t.Run("unused type", func(t *testing.T) {
			e := e.with(t)
			if got := str(e.ok(e.tokenA, deleteLinkType, map[string]any{"id": unused}), "deleteLinkType"); got != unused {
				t.Fatalf("deleteLinkType returned %q, want %q", got, unused)
			}
			e.nodeNotFound(e.tokenA, unused)
			if slices.Contains(ids(e.linkTypes(e.tokenA, ""), "id"), unused) {
				t.Fatal("deleted type still offered")
			}
			e.fail(e.tokenA, deleteLinkType, map[string]any{"id": unused}, "NOT_FOUND")
		})
		t.Run("type whose links were deleted", func(t *testing.T) {
			e := e.with(t)
			e.ok(e.tokenA, `mutation($id: ID!) { deleteManagementLink(id: $id) }`, map[string]any{"id": mgmt})
			e.ok(e.tokenA, `mutation($id: ID!) { deleteFiliationLink(id: $id) }`, map[string]any{"id": fil})
			for _, id := range []string{custom, e.typeID(e.tokenA, "FILIALE")} {
				e.ok(e.tokenA, deleteLinkType, map[string]any{"id": id})
				e.nodeNotFound(e.tokenA, id)
			}
		})
	})
}

func TestCreateManagementLink_OrderingPartyAndBillToShowOnBothRecords(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		c := e.client(e.tokenA, "C1", "Donneur SA", false)
		p := e.prospect(e.tokenA, "Facturé SARL")
		r := e.ok(e.tokenA, createMgmtLink, mgmtInput(c, e.typeID(e.tokenA, "DONORDRE"), p, e.typeID(e.tokenA, "CL_A_FACT"), false))
		l := get(r, "createManagementLink")
		if str(l, "thirdParty.id") != c || str(l, "type.code") != "DONORDRE" || str(l, "linkedThirdParty.id") != p ||
			str(l, "linkedType.code") != "CL_A_FACT" || get(l, "isDefault") != false {
			t.Fatalf("created link: %v", l)
		}
		id := str(l, "id")
		for _, side := range []string{c, p} {
			links := get(e.mgmtOf(e.tokenA, side), "managementLinks")
			if got := ids(links, "id"); !slices.Equal(got, []string{id}) {
				t.Fatalf("managementLinks of %s: want [%s], got %v", side, id, got)
			}
		}
		co := e.mgmtOf(e.tokenA, c)
		if got := ids(get(co, "billToParties"), "id"); !slices.Equal(got, []string{p}) {
			t.Fatalf("billToParties of the ordering party: want [%s], got %v", p, got)
		}
		if got := ids(get(co, "deliverySites"), "id"); len(got) != 0 {
			t.Fatalf("deliverySites: want none, got %v", got)
		}
		if got := ids(get(e.mgmtOf(e.tokenA, p), "billToParties"), "id"); len(got) != 0 {
			t.Fatalf("the bill-to party has no bill-to parties of its own, got %v", got)
		}
		if got := str(e.ok(e.tokenA, `query($id: ID!) { node(id: $id) { ... on ManagementLink { linkedThirdParty { name } } } }`, map[string]any{"id": id}), "node.linkedThirdParty.name"); got != "Facturé SARL" {
			t.Fatalf("node on the link: %q", got)
		}
	})
}

func TestCreateManagementLink_RefusesLinksAgainstTheRulesAndWritesNothing(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		c := e.client(e.tokenA, "C1", "Donneur", false)
		p := e.prospect(e.tokenA, "Prospect")
		sup := e.thirdPartyOf(e.tokenA, "SUPPLIER", "Fournisseur")
		oth := e.thirdPartyOf(e.tokenA, "OTHER", "Autre tiers")
		do, fact, site := e.typeID(e.tokenA, "DONORDRE"), e.typeID(e.tokenA, "CL_A_FACT"), e.typeID(e.tokenA, "SITE_LIV")
		filiale := e.typeID(e.tokenA, "FILIALE")
		for _, tc := range []struct {
			name        string
			vars        map[string]any
			field       string // "" when any field will do
			msgContains string
		}{
			{"both sides DONORDRE", mgmtInput(c, do, p, do, false), "", "DONORDRE"},
			{"neither side DONORDRE", mgmtInput(c, fact, p, site, false), "", "DONORDRE"},
			{"FILIATION type on the linked side", mgmtInput(c, do, p, filiale, false), "linkedTypeId", ""},
			{"FILIATION type on the first side", mgmtInput(c, filiale, p, fact, false), "typeId", ""},
			{"a third party's ID as type", mgmtInput(c, do, p, c, false), "linkedTypeId", ""},
			{"supplier on the linked side", mgmtInput(c, do, sup, fact, false), "linkedThirdPartyId", ""},
			{"other third party on the first side", mgmtInput(oth, fact, c, do, false), "thirdPartyId", ""},
			{"self-link", mgmtInput(c, do, c, fact, false), "linkedThirdPartyId", ""},
			{"default delivery site", mgmtInput(c, do, p, site, true), "isDefault", ""},
			{"default delivery site, ordering party on the linked side", mgmtInput(p, site, c, do, true), "isDefault", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.with(t)
				var r *result
				if tc.field != "" {
					r = e.fail(e.tokenA, createMgmtLink, tc.vars, "BAD_USER_INPUT", tc.field)
				} else {
					r = e.fail(e.tokenA, createMgmtLink, tc.vars, "BAD_USER_INPUT")
				}
				if !strings.Contains(r.messages(), tc.msgContains) {
					t.Fatalf("message should name %s: %s", tc.msgContains, r.messages())
				}
				for _, tp := range []string{c, p} {
					if got := ids(get(e.mgmtOf(e.tokenA, tp), "managementLinks"), "id"); len(got) != 0 {
						t.Fatalf("a refused link was written: %v", got)
					}
				}
			})
		}
	})
}

func TestCreateManagementLink_DuplicateSameOrMirroredIsConflict(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		c := e.client(e.tokenA, "C1", "Donneur", false)
		p := e.prospect(e.tokenA, "Facturé")
		do, fact, site := e.typeID(e.tokenA, "DONORDRE"), e.typeID(e.tokenA, "CL_A_FACT"), e.typeID(e.tokenA, "SITE_LIV")
		first := str(e.ok(e.tokenA, createMgmtLink, mgmtInput(c, do, p, fact, false)), "createManagementLink.id")
		for _, tc := range []struct {
			name string
			vars map[string]any
		}{
			{"same link again", mgmtInput(c, do, p, fact, false)},
			{"same link again as default", mgmtInput(c, do, p, fact, true)},
			{"mirrored link", mgmtInput(p, fact, c, do, false)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.with(t)
				e.fail(e.tokenA, createMgmtLink, tc.vars, "CONFLICT")
				links := get(e.mgmtOf(e.tokenA, c), "managementLinks")
				if got := ids(links, "id"); !slices.Equal(got, []string{first}) || get(links, "0.isDefault") != false {
					t.Fatalf("want only the first link, unchanged; got %v", links)
				}
			})
		}
		t.Run("same pair with another type is no duplicate", func(t *testing.T) {
			e := e.with(t)
			second := str(e.ok(e.tokenA, createMgmtLink, mgmtInput(p, site, c, do, false)), "createManagementLink.id")
			wantSet(t, "links", ids(get(e.mgmtOf(e.tokenA, c), "managementLinks"), "id"), []string{first, second})
		})
	})
}

func TestCreateManagementLink_WithoutTheDONORDREtypeSaysItIsNotDefined(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		c := e.client(e.tokenA, "C1", "Donneur", false)
		p := e.prospect(e.tokenA, "Facturé")
		do := e.typeID(e.tokenA, "DONORDRE")
		l := e.mgmtLink(e.tokenA, c, "DONORDRE", p, "CL_A_FACT", false)
		e.fail(e.tokenA, deleteLinkType, map[string]any{"id": do}, "CONFLICT")
		e.ok(e.tokenA, `mutation($id: ID!) { deleteManagementLink(id: $id) }`, map[string]any{"id": l})
		e.ok(e.tokenA, deleteLinkType, map[string]any{"id": do})

		r := e.fail(e.tokenA, createMgmtLink, mgmtInput(c, e.typeID(e.tokenA, "CL_A_FACT"), p, e.typeID(e.tokenA, "SITE_LIV"), false), "BAD_USER_INPUT")
		if msg := r.messages(); !strings.Contains(msg, "DONORDRE") || !strings.Contains(msg, "not defined") {
			t.Fatalf("want a message saying DONORDRE is not defined, got %q", msg)
		}
	})
}

func TestManagementLinks_NewDefaultReplacesThePreviousAndBillToListsDefaultFirstThenByName(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		o := e.client(e.tokenA, "O1", "Ordonnateur", false)
		o2 := e.client(e.tokenA, "O2", "Autre donneur", false)
		zeta := e.prospect(e.tokenA, "Zeta")
		alpha := e.client(e.tokenA, "B1", "Alpha", false)
		mu := e.prospect(e.tokenA, "Mu")
		beta := e.prospect(e.tokenA, "Beta")
		siteB := e.prospect(e.tokenA, "Site B")
		siteA := e.client(e.tokenA, "S1", "Site A", false)

		other := e.mgmtLink(e.tokenA, o2, "DONORDRE", alpha, "CL_A_FACT", true)
		lZeta := e.mgmtLink(e.tokenA, o, "DONORDRE", zeta, "CL_A_FACT", true)
		lAlpha := e.mgmtLink(e.tokenA, o, "DONORDRE", alpha, "CL_A_FACT", false)
		lMu := e.mgmtLink(e.tokenA, o, "DONORDRE", mu, "CL_A_FACT", true) // replaces Zeta
		lBeta := e.mgmtLink(e.tokenA, beta, "CL_A_FACT", o, "DONORDRE", false)
		e.mgmtLink(e.tokenA, o, "DONORDRE", siteB, "SITE_LIV", false)
		e.mgmtLink(e.tokenA, siteA, "SITE_LIV", o, "DONORDRE", false)

		rec := e.mgmtOf(e.tokenA, o)
		defaults := map[string]bool{}
		for _, l := range get(rec, "managementLinks").([]any) {
			defaults[str(l, "id")], _ = get(l, "isDefault").(bool)
		}
		want := map[string]bool{lZeta: false, lAlpha: false, lMu: true, lBeta: false}
		for id, def := range want {
			if got, ok := defaults[id]; !ok || got != def {
				t.Fatalf("link %s: want isDefault %v, got %v (present %v)", id, def, got, ok)
			}
		}
		if got := str(rec, "managementLinks.0.id"); got != lMu {
			t.Fatalf("managementLinks should list the default %s first, got %s", lMu, got)
		}
		if got := ids(get(rec, "billToParties"), "name"); !slices.Equal(got, []string{"Mu", "Alpha", "Beta", "Zeta"}) {
			t.Fatalf("billToParties: want [Mu Alpha Beta Zeta] (default first, then by name), got %v", got)
		}
		if got := ids(get(rec, "deliverySites"), "name"); !slices.Equal(got, []string{"Site A", "Site B"}) {
			t.Fatalf("deliverySites: want [Site A Site B], got %v", got)
		}
		// Another ordering party's default is its own.
		rec2 := e.mgmtOf(e.tokenA, o2)
		if get(rec2, "managementLinks.0.isDefault") != true || str(rec2, "managementLinks.0.id") != other {
			t.Fatalf("the default of another ordering party was touched: %v", get(rec2, "managementLinks"))
		}
		if got := ids(get(rec2, "billToParties"), "name"); !slices.Equal(got, []string{"Alpha"}) {
			t.Fatalf("billToParties of the other ordering party: %v", got)
		}
		// A bill-to party is not an ordering party.
		if got := ids(get(e.mgmtOf(e.tokenA, alpha), "billToParties"), "name"); len(got) != 0 {
			t.Fatalf("billToParties of a bill-to party: want none, got %v", got)
		}
	})
}

func TestManagementLinks_ConcurrentDefaultsLeaveExactlyOneDefaultLink(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		o := e.client(e.tokenA, "O1", "Ordonnateur", false)
		do, fact := e.typeID(e.tokenA, "DONORDRE"), e.typeID(e.tokenA, "CL_A_FACT")
		const n = 10
		billTo := make([]string, n)
		for i := range billTo {
			billTo[i] = e.prospect(e.tokenA, "Facturé "+string(rune('A'+i)))
		}
		results := make([]*result, n)
		errors := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				results[i], errors[i] = e.post(e.tokenA, createMgmtLink, mgmtInput(o, do, billTo[i], fact, true))
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
			case r.code() != "CONFLICT":
				t.Fatalf("request %d: want success or CONFLICT, got %+v", i, r.Errors)
			}
		}
		if created == 0 {
			t.Fatal("no request created its link")
		}
		rec := e.mgmtOf(e.tokenA, o)
		links, _ := get(rec, "managementLinks").([]any)
		if len(links) != created {
			t.Fatalf("%d requests succeeded but %d links exist", created, len(links))
		}
		var def []string
		for _, l := range links {
			if get(l, "isDefault") == true {
				def = append(def, str(l, "linkedThirdParty.id"))
			}
		}
		if len(def) != 1 {
			t.Fatalf("want exactly one default link, got %d: %v", len(def), links)
		}
		if got := str(rec, "billToParties.0.id"); got != def[0] {
			t.Fatalf("billToParties should start with the default %s, got %s", def[0], got)
		}
	})
}

func TestManagementLinks_ChangeNeedsTheRightOfEachSide(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		do, fact := e.typeID(e.tokenA, "DONORDRE"), e.typeID(e.tokenA, "CL_A_FACT")
		for i, tc := range []struct {
			name       string
			rights     []int
			firstKind  string // CLIENT or PROSPECT: the ordering party
			secondKind string
			code       string // "" for success
		}{
			{"client–prospect without 191518", []int{rRead, rReadClientMgmt, rReadProspectMgmt, rWriteProspectMgmt}, "CLIENT", "PROSPECT", "FORBIDDEN"},
			{"client–prospect without 191520", []int{rRead, rReadClientMgmt, rReadProspectMgmt, rWriteClientMgmt}, "CLIENT", "PROSPECT", "FORBIDDEN"},
			{"prospect–client without 191518", []int{rRead, rWriteProspectMgmt}, "PROSPECT", "CLIENT", "FORBIDDEN"},
			{"client–client without 191518", []int{rRead, rWriteProspectMgmt}, "CLIENT", "CLIENT", "FORBIDDEN"},
			{"read rights only", []int{rRead, rReadClientMgmt, rReadProspectMgmt}, "CLIENT", "PROSPECT", "FORBIDDEN"},
			{"client–prospect with both", []int{rRead, rWriteClientMgmt, rWriteProspectMgmt}, "CLIENT", "PROSPECT", ""},
			{"client–client with 191518", []int{rRead, rWriteClientMgmt}, "CLIENT", "CLIENT", ""},
			{"prospect–prospect with 191520", []int{rRead, rWriteProspectMgmt}, "PROSPECT", "PROSPECT", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.with(t)
				token := e.user(e.tokenA, "u"+string(rune('a'+i))+"@alpha.example", tc.rights...)
				party := func(kind, name string) string {
					if kind == "CLIENT" {
						return e.client(e.tokenA, "K"+string(rune('A'+i))+name, name, false)
					}
					return e.prospect(e.tokenA, name)
				}
				a, b := party(tc.firstKind, "Un"), party(tc.secondKind, "Deux")
				if tc.code == "" {
					e.ok(token, `mutation($in: CreateManagementLinkInput!) { createManagementLink(input: $in) { id } }`, mgmtInput(a, do, b, fact, false))
					if n := len(get(e.mgmtOf(e.tokenA, a), "managementLinks").([]any)); n != 1 {
						t.Fatalf("want the link created, got %d links", n)
					}
					return
				}
				e.fail(token, `mutation($in: CreateManagementLinkInput!) { createManagementLink(input: $in) { id } }`, mgmtInput(a, do, b, fact, false), tc.code)
				if n := len(get(e.mgmtOf(e.tokenA, a), "managementLinks").([]any)); n != 0 {
					t.Fatalf("a forbidden link was written")
				}
				// Nor may the user change or delete a link of these sides.
				l := e.mgmtLink(e.tokenA, a, "DONORDRE", b, "CL_A_FACT", false)
				e.failOneOf(token, `mutation($id: ID!) { updateManagementLink(id: $id, input: {isDefault: true}) { id } }`, map[string]any{"id": l}, "FORBIDDEN", "NOT_FOUND")
				e.failOneOf(token, `mutation($id: ID!) { deleteManagementLink(id: $id) }`, map[string]any{"id": l}, "FORBIDDEN", "NOT_FOUND")
				if got := get(e.mgmtOf(e.tokenA, a), "managementLinks"); len(got.([]any)) != 1 || get(got, "0.isDefault") != false {
					t.Fatalf("a forbidden change was written: %v", got)
				}
			})
		}
	})
}

// A new default unsets the previous one, which changes it: a previous
// default the user may not see or change stays, and the new default is
// refused.
func TestManagementLinks_NewDefaultCannotDisplaceADefaultTheUserMayNotChange(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		do, fact := e.typeID(e.tokenA, "DONORDRE"), e.typeID(e.tokenA, "CL_A_FACT")
		for i, tc := range []struct {
			name   string
			closed bool // the previous default's bill-to party is a closed client
			rights []int
		}{
			{"a client's link, without 191518", false, []int{rRead, rWrite, rReadProspectMgmt, rWriteProspectMgmt}},
			{"a closed client's link, without 191516", true, allExcept(rClosed)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.with(t)
				p := e.prospect(e.tokenA, fmt.Sprintf("Donneur %d", i))
				c := e.client(e.tokenA, fmt.Sprintf("DF%d", i), "Client facturé", tc.closed)
				old := e.mgmtLink(e.tokenA, p, "DONORDRE", c, "CL_A_FACT", true)
				other := e.prospect(e.tokenA, fmt.Sprintf("Autre %d", i))
				user := e.user(e.tokenA, fmt.Sprintf("df%d@alpha.example", i), tc.rights...)
				e.fail(user, createMgmtLink, mgmtInput(p, do, other, fact, true), "FORBIDDEN")
				n := e.ok(e.tokenA, `query($id: ID!) { node(id: $id) { ... on ManagementLink { isDefault } } }`, map[string]any{"id": old})
				if get(n, "node.isDefault") != true {
					t.Fatalf("the hidden default was unset: %v", n)
				}
				if got := get(e.mgmtOf(e.tokenA, p), "managementLinks").([]any); len(got) != 1 {
					t.Fatalf("the refused link was written: %v", got)
				}
				// Without isDefault, the link is theirs to create.
				e.ok(user, createMgmtLink, mgmtInput(p, do, other, fact, false))
				// And an administrator may displace the default.
				e.ok(e.tokenA, createMgmtLink, mgmtInput(p, do, e.prospect(e.tokenA, fmt.Sprintf("Troisième %d", i)), fact, true))
				n = e.ok(e.tokenA, `query($id: ID!) { node(id: $id) { ... on ManagementLink { isDefault } } }`, map[string]any{"id": old})
				if get(n, "node.isDefault") != false {
					t.Fatalf("the administrator's new default did not replace the old one: %v", n)
				}
			})
		}
	})
}

// Links are part of the address book: their own read rights without the
// right to read it show none.
func TestLinks_NeedTheRightToReadTheAddressBook(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		p, c := e.prospect(e.tokenA, "Donneur"), e.client(e.tokenA, "LR1", "Client", false)
		ml := e.mgmtLink(e.tokenA, p, "DONORDRE", c, "CL_A_FACT", true)
		fl := e.filLink(e.tokenA, c, p, "FILIALE")
		linksOnly := e.user(e.tokenA, "liens@alpha.example", rReadClientMgmt, rReadProspectMgmt, rReadClientFil, rReadProspectFil)
		for _, id := range []string{ml, fl} {
			e.fail(linksOnly, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id}, "NOT_FOUND")
		}
		// With it, the same rights show both.
		reader := e.user(e.tokenA, "lecteur-liens@alpha.example", rRead, rReadClientMgmt, rReadProspectMgmt, rReadClientFil, rReadProspectFil)
		for _, id := range []string{ml, fl} {
			if got := e.ok(reader, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id}); get(got, "node.id") != id {
				t.Fatalf("a reader with the link rights does not see %s: %v", id, got)
			}
		}
	})
}

func TestManagementLinks_ReadRightsOfBothSidesDecideWhatIsShown(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		c := e.client(e.tokenA, "C1", "Client", false)
		c2 := e.client(e.tokenA, "C2", "Client livré", false)
		p := e.prospect(e.tokenA, "Prospect")
		p2 := e.prospect(e.tokenA, "Prospect facturé")
		clientProspect := e.mgmtLink(e.tokenA, c, "DONORDRE", p, "CL_A_FACT", true)
		prospects := e.mgmtLink(e.tokenA, p, "DONORDRE", p2, "CL_A_FACT", true)
		clients := e.mgmtLink(e.tokenA, c, "DONORDRE", c2, "SITE_LIV", false)
		all := []string{clientProspect, prospects, clients}
		sides := map[string][]string{c: {clientProspect, clients}, p: {clientProspect, prospects}}
		for i, tc := range []struct {
			name    string
			rights  []int
			visible []string
		}{
			{"no link right", []int{rRead}, nil},
			{"without 191517 (prospects only)", []int{rRead, rReadProspectMgmt, rWriteClientMgmt}, []string{prospects}},
			{"without 191519 (clients only)", []int{rRead, rReadClientMgmt}, []string{clients}},
			{"both read rights", []int{rRead, rReadClientMgmt, rReadProspectMgmt}, all},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.with(t)
				token := e.user(e.tokenA, "r"+string(rune('a'+i))+"@alpha.example", tc.rights...)
				for _, l := range all {
					if slices.Contains(tc.visible, l) {
						e.nodeFound(token, l)
					} else {
						e.nodeNotFound(token, l)
					}
				}
				for side, links := range sides {
					var want []string
					for _, l := range links {
						if slices.Contains(tc.visible, l) {
							want = append(want, l)
						}
					}
					rec := e.mgmtOf(token, side)
					wantSet(t, "managementLinks of "+side, ids(get(rec, "managementLinks"), "id"), want)
					if side == c && !slices.Contains(tc.visible, clientProspect) {
						if got := ids(get(rec, "billToParties"), "id"); len(got) != 0 {
							t.Fatalf("billToParties shows a hidden link's party: %v", got)
						}
					}
				}
			})
		}
	})
}

func TestManagementLinks_FeatureFlagOffRefusesAndHidesThemUntilSwitchedOn(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		c := e.client(e.tokenA, "C1", "Donneur", false)
		p := e.prospect(e.tokenA, "Facturé")
		site := e.prospect(e.tokenA, "Site")
		other := e.prospect(e.tokenA, "Autre")
		l := e.mgmtLink(e.tokenA, c, "DONORDRE", p, "CL_A_FACT", true)
		s := e.mgmtLink(e.tokenA, c, "DONORDRE", site, "SITE_LIV", false)
		do, fact := e.typeID(e.tokenA, "DONORDRE"), e.typeID(e.tokenA, "CL_A_FACT")

		e.setFlag(e.tokenA, "MANAGEMENT_LINKS", false)
		e.fail(e.tokenA, createMgmtLink, mgmtInput(c, do, other, fact, false), "FEATURE_DISABLED")
		e.fail(e.tokenA, `mutation($id: ID!) { updateManagementLink(id: $id, input: {isDefault: false}) { id } }`, map[string]any{"id": l}, "FEATURE_DISABLED")
		e.fail(e.tokenA, `mutation($id: ID!) { deleteManagementLink(id: $id) }`, map[string]any{"id": l}, "FEATURE_DISABLED")
		rec := e.mgmtOf(e.tokenA, c)
		for _, f := range []string{"managementLinks", "billToParties", "deliverySites"} {
			if got, _ := get(rec, f).([]any); len(got) != 0 {
				t.Fatalf("%s with the feature off: want empty, got %v", f, got)
			}
		}
		e.nodeNotFound(e.tokenA, l)

		e.setFlag(e.tokenA, "MANAGEMENT_LINKS", true)
		rec = e.mgmtOf(e.tokenA, c)
		wantSet(t, "managementLinks", ids(get(rec, "managementLinks"), "id"), []string{l, s})
		if got := ids(get(rec, "billToParties"), "id"); !slices.Equal(got, []string{p}) {
			t.Fatalf("billToParties: %v", got)
		}
		if got := ids(get(rec, "deliverySites"), "id"); !slices.Equal(got, []string{site}) {
			t.Fatalf("deliverySites: %v", got)
		}
		if get(rec, "managementLinks.0.isDefault") != true {
			t.Fatalf("the default survived switching off: %v", get(rec, "managementLinks"))
		}
		e.nodeFound(e.tokenA, l)
		e.ok(e.tokenA, createMgmtLink, mgmtInput(c, do, other, fact, false))
	})
}

const updateMgmtLink = `mutation($id: ID!, $in: UpdateManagementLinkInput!) { updateManagementLink(id: $id, input: $in) {
	id isDefault thirdParty { id } type { code } linkedThirdParty { id } linkedType { code } } }`

func TestUpdateManagementLink_ChangesDefaultAndTypesUnderTheSameRules(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		o := e.client(e.tokenA, "O1", "Ordonnateur", false)
		b1 := e.prospect(e.tokenA, "Facturé Un")
		b2 := e.prospect(e.tokenA, "Facturé Deux")
		do, fact, site := e.typeID(e.tokenA, "DONORDRE"), e.typeID(e.tokenA, "CL_A_FACT"), e.typeID(e.tokenA, "SITE_LIV")
		l1 := e.mgmtLink(e.tokenA, o, "DONORDRE", b1, "CL_A_FACT", true)
		l2 := e.mgmtLink(e.tokenA, o, "DONORDRE", b2, "CL_A_FACT", false)
		state := func(e *env) (defaults map[string]bool, billTo, sites []string) {
			rec := e.mgmtOf(e.tokenA, o)
			defaults = map[string]bool{}
			for _, l := range get(rec, "managementLinks").([]any) {
				defaults[str(l, "id")], _ = get(l, "isDefault").(bool)
			}
			return defaults, ids(get(rec, "billToParties"), "id"), ids(get(rec, "deliverySites"), "id")
		}
		upd := func(e *env, id string, in map[string]any) map[string]any {
			e.t.Helper()
			return get(e.ok(e.tokenA, updateMgmtLink, map[string]any{"id": id, "in": in}), "updateManagementLink").(map[string]any)
		}

		t.Run("switching the default moves it", func(t *testing.T) {
			e := e.with(t)
			if got := upd(e, l2, map[string]any{"isDefault": true}); got["isDefault"] != true {
				t.Fatalf("updated: %v", got)
			}
			defaults, billTo, _ := state(e)
			if defaults[l1] || !defaults[l2] || !slices.Equal(billTo, []string{b2, b1}) {
				t.Fatalf("want l2 the only default and b2 first; got %v %v", defaults, billTo)
			}
		})
		t.Run("a default link cannot become a delivery site", func(t *testing.T) {
			e := e.with(t)
			e.fail(e.tokenA, updateMgmtLink, map[string]any{"id": l2, "in": map[string]any{"linkedTypeId": site}}, "BAD_USER_INPUT", "isDefault")
			e.fail(e.tokenA, updateMgmtLink, map[string]any{"id": l2, "in": map[string]any{"linkedTypeId": site, "isDefault": true}}, "BAD_USER_INPUT", "isDefault")
			defaults, billTo, sites := state(e)
			if !defaults[l2] || !slices.Equal(billTo, []string{b2, b1}) || len(sites) != 0 {
				t.Fatalf("a refused update changed the link: %v %v %v", defaults, billTo, sites)
			}
		})
		t.Run("a non-default link becomes a delivery site", func(t *testing.T) {
			e := e.with(t)
			got := upd(e, l2, map[string]any{"linkedTypeId": site, "isDefault": false})
			if got["isDefault"] != false || str(got, "linkedType.code") != "SITE_LIV" {
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
			{"FILIATION type", map[string]any{"linkedTypeId": e.typeID(e.tokenA, "FILIALE")}, "BAD_USER_INPUT", "linkedTypeId"},
		} {
			t.Run("refused: "+tc.name, func(t *testing.T) {
				e := e.with(t)
				if tc.field != "" {
					e.fail(e.tokenA, updateMgmtLink, map[string]any{"id": l1, "in": tc.in}, tc.code, tc.field)
				} else {
					e.fail(e.tokenA, updateMgmtLink, map[string]any{"id": l1, "in": tc.in}, tc.code)
				}
				n := e.nodeOf(l1)
				if str(n, "type.code") != "DONORDRE" || str(n, "linkedType.code") != "CL_A_FACT" {
					t.Fatalf("a refused update changed the link: %v", n)
				}
			})
		}
		t.Run("swapping the sides' types moves the ordering party", func(t *testing.T) {
			e := e.with(t)
			upd(e, l1, map[string]any{"typeId": fact, "linkedTypeId": do, "isDefault": true})
			if _, billTo, _ := state(e); len(billTo) != 0 {
				t.Fatalf("o is no more the ordering party of l1, yet bills to %v", billTo)
			}
			if got := ids(get(e.mgmtOf(e.tokenA, b1), "billToParties"), "id"); !slices.Equal(got, []string{o}) {
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
				e := e.with(t)
				other := e.mgmtLink(e.tokenA, tc.tp, tc.typ, tc.linked, tc.linkTyp, false)
				defer e.ok(e.tokenA, `mutation($id: ID!) { deleteManagementLink(id: $id) }`, map[string]any{"id": other})
				e.fail(e.tokenA, updateMgmtLink, map[string]any{"id": l2, "in": map[string]any{"linkedTypeId": fact}}, "CONFLICT")
				if n := e.nodeOf(l2); str(n, "linkedType.code") != "SITE_LIV" {
					t.Fatalf("the duplicate was written: %v", n)
				}
			})
		}
	})
}

// nodeOf reads a management link by ID with the administrator of A.
func (e *env) nodeOf(id string) map[string]any {
	e.t.Helper()
	n, _ := e.ok(e.tokenA, `query($id: ID!) { node(id: $id) { ... on ManagementLink { id isDefault type { code } linkedType { code } } } }`, map[string]any{"id": id})["node"].(map[string]any)
	if n == nil {
		e.t.Fatalf("management link %s not found", id)
	}
	return n
}

func TestDeleteManagementLink_RemovesItFromBothRecords(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		o := e.client(e.tokenA, "O1", "Ordonnateur", false)
		b := e.prospect(e.tokenA, "Facturé")
		s := e.prospect(e.tokenA, "Site")
		l := e.mgmtLink(e.tokenA, o, "DONORDRE", b, "CL_A_FACT", true)
		keep := e.mgmtLink(e.tokenA, o, "DONORDRE", s, "SITE_LIV", false)
		if got := str(e.ok(e.tokenA, `mutation($id: ID!) { deleteManagementLink(id: $id) }`, map[string]any{"id": l}), "deleteManagementLink"); got != l {
			t.Fatalf("deleteManagementLink returned %q, want %q", got, l)
		}
		e.nodeNotFound(e.tokenA, l)
		rec := e.mgmtOf(e.tokenA, o)
		if got := ids(get(rec, "managementLinks"), "id"); !slices.Equal(got, []string{keep}) {
			t.Fatalf("managementLinks after delete: %v", got)
		}
		if got := ids(get(rec, "billToParties"), "id"); len(got) != 0 {
			t.Fatalf("billToParties after delete: %v", got)
		}
		if got := ids(get(e.mgmtOf(e.tokenA, b), "managementLinks"), "id"); len(got) != 0 {
			t.Fatalf("the other side still shows the link: %v", got)
		}
		e.fail(e.tokenA, `mutation($id: ID!) { deleteManagementLink(id: $id) }`, map[string]any{"id": l}, "NOT_FOUND")
		// The ordering party can have a new default at once.
		e.mgmtLink(e.tokenA, o, "DONORDRE", b, "CL_A_FACT", true)
	})
}

func TestManagementLinks_AnotherOrganisationCannotUseOrSeeThem(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		_, loginA := e.companyIDs(e.tokenA)
		c := e.client(e.tokenA, "C1", "Client Alpha Confidentiel", false)
		p := e.prospect(e.tokenA, "Secret Alpha Corp")
		l := e.mgmtLink(e.tokenA, c, "DONORDRE", p, "CL_A_FACT", true)
		doA, factA := e.typeID(e.tokenA, "DONORDRE"), e.typeID(e.tokenA, "CL_A_FACT")
		cB := e.client(e.tokenB, "C1", "Client Bêta", false)
		pB := e.prospect(e.tokenB, "Prospect Bêta")
		doB, factB := e.typeID(e.tokenB, "DONORDRE"), e.typeID(e.tokenB, "CL_A_FACT")
		lB := e.mgmtLink(e.tokenB, cB, "DONORDRE", pB, "CL_A_FACT", false)

		for _, tc := range []struct {
			name, query string
			vars        map[string]any
			codes       []string
		}{
			{"link A's third parties", createMgmtLink, mgmtInput(c, doB, p, factB, false), []string{"BAD_USER_INPUT", "NOT_FOUND"}},
			{"link own third parties with A's types", createMgmtLink, mgmtInput(cB, doA, pB, factA, false), []string{"BAD_USER_INPUT", "NOT_FOUND"}},
			{"retype own link with A's type", updateMgmtLink, map[string]any{"id": lB, "in": map[string]any{"linkedTypeId": factA}}, []string{"BAD_USER_INPUT", "NOT_FOUND"}},
			{"update A's link", updateMgmtLink, map[string]any{"id": l, "in": map[string]any{"isDefault": false}}, []string{"NOT_FOUND"}},
			{"delete A's link", `mutation($id: ID!) { deleteManagementLink(id: $id) }`, map[string]any{"id": l}, []string{"NOT_FOUND"}},
			{"delete A's link type", deleteLinkType, map[string]any{"id": factA}, []string{"NOT_FOUND"}},
			{"define a type on A's company", createLinkType, map[string]any{"in": map[string]any{"code": "INTRUS", "label": "Intrus", "category": "MANAGEMENT", "companyId": loginA}}, []string{"BAD_USER_INPUT", "NOT_FOUND"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.with(t)
				r := e.failOneOf(e.tokenB, tc.query, tc.vars, tc.codes...)
				noSecret(t, r)
			})
		}
		e.nodeNotFound(e.tokenB, l)
		// A's link is untouched, B's too.
		if n := e.nodeOf(l); n["isDefault"] != true {
			t.Fatalf("A's link changed: %v", n)
		}
		e.nodeFound(e.tokenA, factA)
		if got := str(get(e.mgmtOf(e.tokenB, cB), "managementLinks"), "0.linkedType.code"); got != "CL_A_FACT" {
			t.Fatalf("B's link: %q", got)
		}
		if slices.Contains(ids(e.linkTypes(e.tokenB, ""), "code"), "INTRUS") || slices.Contains(ids(e.linkTypes(e.tokenA, ""), "code"), "INTRUS") {
			t.Fatal("a type was defined on another organisation's company")
		}
	})
}

func TestDeleteThirdParty_DeletesItsLinks(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		deleter := e.user(e.tokenA, "menage@alpha.example", rRead, rDelete) // sees no link
		for _, tc := range []struct{ name, token string }{
			{"by an administrator", e.tokenA},
			{"by a user who cannot see the links", deleter},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.with(t)
				o := e.prospect(e.tokenA, "Ordonnateur "+tc.name)
				b := e.prospect(e.tokenA, "Facturé "+tc.name)
				s := e.prospect(e.tokenA, "Filiale "+tc.name)
				mgmt := e.mgmtLink(e.tokenA, o, "DONORDRE", b, "CL_A_FACT", true)
				fil := e.filLink(e.tokenA, b, s, "FILIALE")
				e.ok(tc.token, deleteThirdParty, map[string]any{"id": b})
				e.nodeNotFound(e.tokenA, b)
				e.nodeNotFound(e.tokenA, mgmt)
				e.nodeNotFound(e.tokenA, fil)
				rec := e.mgmtOf(e.tokenA, o)
				if got := ids(get(rec, "managementLinks"), "id"); len(got) != 0 {
					t.Fatalf("the ordering party still has links: %v", got)
				}
				if got := ids(get(rec, "billToParties"), "id"); len(got) != 0 {
					t.Fatalf("the ordering party still bills to %v", got)
				}
				if got := e.filOf(e.tokenA, s); len(got) != 0 {
					t.Fatalf("the subsidiary still has filiation links: %v", got)
				}
				// Both survivors can be deleted in turn: nothing dangles.
				e.ok(e.tokenA, deleteThirdParty, map[string]any{"id": o})
				e.ok(e.tokenA, deleteThirdParty, map[string]any{"id": s})
			})
		}
	})
}

// unknownID is a well-formed ID that names nothing.
func unknownID(t *testing.T, like string) string {
	t.Helper()
	n, err := gid.Decode(like)
	if err != nil {
		t.Fatal(err)
	}
	return gid.Encode(n + 1000000)
}
