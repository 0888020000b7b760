package server_test

import (
	"fmt"
	"slices"
	"testing"

	"carnet/internal/db"
	"carnet/internal/testdb"
)

const (
	oppFields         = `id name amount currency stage probability expectedSigningDate owner { id } thirdParty { id name } contacts { id lastName thirdParty { id } }`
	createOpportunity = `mutation($in: CreateOpportunityInput!) { createOpportunity(input: $in) { ` + oppFields + ` } }`
	updateOpportunity = `mutation($id: ID!, $in: UpdateOpportunityInput!) { updateOpportunity(id: $id, input: $in) { ` + oppFields + ` } }`
	deleteOpportunity = `mutation($id: ID!) { deleteOpportunity(id: $id) }`
	opportunityNode   = `query($id: ID!) { node(id: $id) { ... on Opportunity { ` + oppFields + ` activities(first: 50) { totalCount edges { node { id subject } } } } } }`
	opportunityList   = `query($where: OpportunityWhereInput, $orderBy: OpportunityOrder) {
  opportunities(first: 100, where: $where, orderBy: $orderBy) { totalCount edges { node { id name } } }
}`
)

// oppNames runs the opportunities query and returns the names in order.
func (e *env) oppNames(token string, where, orderBy map[string]any) []string {
	e.t.Helper()
	vars := map[string]any{}
	if where != nil {
		vars["where"] = where
	}
	if orderBy != nil {
		vars["orderBy"] = orderBy
	}
	d := e.ok(token, opportunityList, vars)
	var out []string
	for i := 0; ; i++ {
		n := str(d, fmt.Sprintf("opportunities.edges.%d.node.name", i))
		if n == "" {
			break
		}
		out = append(out, n)
	}
	if n := int(num(d, "opportunities.totalCount")); n != len(out) {
		e.t.Fatalf("opportunities: totalCount %d but %d edges", n, len(out))
	}
	return out
}

// createOpp creates an opportunity from in and returns it.
func (e *env) createOpp(token string, in map[string]any) map[string]any {
	e.t.Helper()
	o, _ := e.ok(token, createOpportunity, map[string]any{"in": in})["createOpportunity"].(map[string]any)
	return o
}

func contactIDsOf(o any) []string {
	var out []string
	for i := 0; ; i++ {
		id := str(o, fmt.Sprintf("contacts.%d.id", i))
		if id == "" {
			return out
		}
		out = append(out, id)
	}
}

func TestCreateOpportunity_DefaultsToEURAndTheViewerAsOwnerAndLinksToItsRecords(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		writerID, writer := e.userWithID(e.tokenA, "vendeur@alpha.example", rRead, rWrite)
		tp := e.prospect(e.tokenA, "Acheteur")
		c1, c2 := e.contact(e.tokenA, tp, "Bertin"), e.contact(e.tokenA, tp, "Aubert")
		e.contact(e.tokenA, tp, "Hors affaire")

		o := e.createOpp(writer, map[string]any{"name": "  Renouvellement 2026 ", "thirdPartyId": tp})
		for field, want := range map[string]any{
			"name": "Renouvellement 2026", "currency": "EUR", "owner.id": writerID,
			"thirdParty.id": tp, "thirdParty.name": "Acheteur", "amount": nil, "stage": nil, "probability": nil, "expectedSigningDate": nil,
		} {
			if got := get(o, field); got != want {
				t.Errorf("%s = %v, want %v", field, got, want)
			}
		}
		if len(contactIDsOf(o)) != 0 {
			t.Errorf("contacts = %v, want none", get(o, "contacts"))
		}

		full := e.createOpp(writer, map[string]any{
			"name": "Extension", "thirdPartyId": tp, "amount": 12500.5, "currency": "CHF", "stage": "Proposition",
			"probability": 60, "expectedSigningDate": "2026-02-15", "contactIds": []string{c1, c2},
		})
		for field, want := range map[string]any{
			"amount": 12500.5, "currency": "CHF", "stage": "Proposition", "probability": float64(60), "expectedSigningDate": "2026-02-15",
		} {
			if got := get(full, field); got != want {
				t.Errorf("%s = %v, want %v", field, got, want)
			}
		}
		// Its contacts link to contact records of its third party.
		if got := contactIDsOf(full); !sameIDSet(got, []string{c1, c2}) {
			t.Errorf("contacts = %v, want %v", got, []string{c1, c2})
		}
		for i := range 2 {
			if str(full, fmt.Sprintf("contacts.%d.thirdParty.id", i)) != tp {
				t.Errorf("contact %d's third party: %v", i, get(full, fmt.Sprintf("contacts.%d", i)))
			}
		}
		// The record lists both (their order is TestThirdPartyOpportunities_…).
		rec := e.ok(e.tokenA, `query($id: ID!) { node(id: $id) { ... on ThirdParty { opportunities { id } } } }`, map[string]any{"id": tp})
		ids := []string{str(rec, "node.opportunities.0.id"), str(rec, "node.opportunities.1.id")}
		if !sameIDSet(ids, []string{str(o, "id"), str(full, "id")}) {
			t.Errorf("third party's opportunities: %v", get(rec, "node.opportunities"))
		}
	})
}

func TestCreateOpportunity_RefusesBadInputWithItsFieldAndWritesNothing(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		tp := e.prospect(e.tokenA, "Exigeant")
		other := e.prospect(e.tokenA, "Autre")
		otherContact := e.contact(e.tokenA, other, "Ailleurs")
		mine := e.contact(e.tokenA, tp, "Ici")
		bTP := e.prospect(e.tokenB, "Chez B")
		bContact := e.contact(e.tokenB, bTP, "Chez B")
		for _, tc := range []struct {
			name  string
			in    map[string]any
			field string
		}{
			{"probability 101", map[string]any{"probability": 101}, "probability"},
			{"probability -1", map[string]any{"probability": -1}, "probability"},
			{"negative amount", map[string]any{"amount": -0.01}, "amount"},
			{"currency euro", map[string]any{"currency": "euro"}, "currency"},
			{"currency of two letters", map[string]any{"currency": "EU"}, "currency"},
			{"blank name", map[string]any{"name": "   "}, "name"},
			{"contact of another third party", map[string]any{"contactIds": []string{mine, otherContact}}, "contactIds"},
			{"contact of another organisation", map[string]any{"contactIds": []string{bContact}}, "contactIds"},
			{"a third party as a contact", map[string]any{"contactIds": []string{tp}}, "contactIds"},
			{"another organisation's third party", map[string]any{"thirdPartyId": bTP}, "thirdPartyId"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.with(t)
				in := map[string]any{"name": "Affaire", "thirdPartyId": tp}
				for k, v := range tc.in {
					in[k] = v
				}
				e.fail(e.tokenA, createOpportunity, map[string]any{"in": in}, "BAD_USER_INPUT", tc.field)
			})
		}
		if got := e.oppNames(e.tokenA, nil, nil); len(got) != 0 {
			t.Errorf("refused creates wrote opportunities: %v", got)
		}
		if got := e.oppNames(e.tokenB, nil, nil); len(got) != 0 {
			t.Errorf("refused creates wrote opportunities in B: %v", got)
		}
	})
}

// portfolio is a set of opportunities of two owners, three third parties,
// with stages, amounts and signing dates.
type portfolio struct {
	u1, u2, tp1, tp2, tp3 string
	ids                   map[string]string // name → ID
}

func newPortfolio(e *env) *portfolio {
	e.t.Helper()
	p := &portfolio{ids: map[string]string{}}
	var tok1, tok2 string
	p.u1, tok1 = e.userWithID(e.tokenA, "u1@alpha.example", rRead, rWrite)
	p.u2, tok2 = e.userWithID(e.tokenA, "u2@alpha.example", rRead, rWrite)
	p.tp1, p.tp2, p.tp3 = e.prospect(e.tokenA, "Tiers Un"), e.prospect(e.tokenA, "Tiers Deux"), e.prospect(e.tokenA, "Tiers Trois")
	for _, o := range []struct {
		tok, tp, name, stage string
		amount               float64
		date                 any
	}{
		{tok1, p.tp1, "Delta", "Proposition", 4000, "2026-01-01"},
		{tok1, p.tp1, "Alpha", "Qualification", 1000, "2025-12-31"},
		{tok1, p.tp2, "Echo", "Proposition", 500, "2026-03-31"},
		{tok2, p.tp2, "Bravo", "Négociation", 9000, "2026-04-01"},
		{tok2, p.tp3, "Charlie", "Proposition", 2500, "2026-02-15"},
		{tok2, p.tp3, "Foxtrot", "Gagnée", 7000, nil},
	} {
		in := map[string]any{"name": o.name, "thirdPartyId": o.tp, "stage": o.stage, "amount": o.amount}
		if o.date != nil {
			in["expectedSigningDate"] = o.date
		}
		p.ids[o.name] = str(e.createOpp(o.tok, in), "id")
	}
	return p
}

func TestOpportunities_PortfolioFiltersByOwnerStageAndThirdParty(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		p := newPortfolio(e)
		byName := map[string]any{"field": "NAME", "direction": "ASC"}
		for _, tc := range []struct {
			name  string
			where map[string]any
			want  []string
		}{
			{"everything", nil, []string{"Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"}},
			{"owner u1", map[string]any{"ownerId": p.u1}, []string{"Alpha", "Delta", "Echo"}},
			{"owner u2", map[string]any{"ownerId": p.u2}, []string{"Bravo", "Charlie", "Foxtrot"}},
			{"stage Proposition", map[string]any{"stage": "Proposition"}, []string{"Charlie", "Delta", "Echo"}},
			{"stage Négociation", map[string]any{"stage": "Négociation"}, []string{"Bravo"}},
			{"third party 2", map[string]any{"thirdPartyId": p.tp2}, []string{"Bravo", "Echo"}},
			{"owner u1 and stage Proposition", map[string]any{"ownerId": p.u1, "stage": "Proposition"}, []string{"Delta", "Echo"}},
			{"owner u2 and third party 1", map[string]any{"ownerId": p.u2, "thirdPartyId": p.tp1}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.with(t)
				if got := e.oppNames(e.tokenA, tc.where, byName); !slices.Equal(got, tc.want) {
					t.Errorf("got %v, want %v", got, tc.want)
				}
			})
		}
	})
}

func TestOpportunities_SigningCalendarAndOrderByAmountAndName(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		newPortfolio(e)
		quarter := map[string]any{"expectedSigningDateGTE": "2026-01-01", "expectedSigningDateLT": "2026-04-01"}
		for _, tc := range []struct {
			name    string
			where   map[string]any
			orderBy map[string]any
			want    []string
		}{
			{"first quarter of 2026 by signing date", quarter, map[string]any{"field": "EXPECTED_SIGNING_DATE", "direction": "ASC"},
				[]string{"Delta", "Charlie", "Echo"}},
			{"first quarter of 2026 by signing date, latest first", quarter, map[string]any{"field": "EXPECTED_SIGNING_DATE", "direction": "DESC"},
				[]string{"Echo", "Charlie", "Delta"}},
			{"from 2026-04-01", map[string]any{"expectedSigningDateGTE": "2026-04-01"}, map[string]any{"field": "EXPECTED_SIGNING_DATE", "direction": "ASC"},
				[]string{"Bravo"}},
			{"no signing date", map[string]any{"expectedSigningDateIsNil": true}, nil, []string{"Foxtrot"}},
			{"by amount", nil, map[string]any{"field": "AMOUNT", "direction": "ASC"},
				[]string{"Echo", "Alpha", "Charlie", "Delta", "Foxtrot", "Bravo"}},
			{"by amount, largest first", nil, map[string]any{"field": "AMOUNT", "direction": "DESC"},
				[]string{"Bravo", "Foxtrot", "Delta", "Charlie", "Alpha", "Echo"}},
			{"by name", nil, map[string]any{"field": "NAME", "direction": "ASC"},
				[]string{"Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"}},
			{"by name, descending", nil, map[string]any{"field": "NAME", "direction": "DESC"},
				[]string{"Foxtrot", "Echo", "Delta", "Charlie", "Bravo", "Alpha"}},
			{"Proposition by amount", map[string]any{"stage": "Proposition"}, map[string]any{"field": "AMOUNT", "direction": "DESC"},
				[]string{"Delta", "Charlie", "Echo"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.with(t)
				if got := e.oppNames(e.tokenA, tc.where, tc.orderBy); !slices.Equal(got, tc.want) {
					t.Errorf("got %v, want %v", got, tc.want)
				}
			})
		}
	})
}

func TestThirdPartyOpportunities_AreOrderedByExpectedSigningDate(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		tp := e.prospect(e.tokenA, "Calendrier")
		for _, o := range []struct{ name, date string }{{"Mars", "2026-03-01"}, {"Janvier", "2026-01-10"}, {"Février", "2026-02-20"}} {
			e.createOpp(e.tokenA, map[string]any{"name": o.name, "thirdPartyId": tp, "expectedSigningDate": o.date})
		}
		rec := e.ok(e.tokenA, `query($id: ID!) { node(id: $id) { ... on ThirdParty { opportunities { name } } } }`, map[string]any{"id": tp})
		var got []string
		for i := range 3 {
			got = append(got, str(rec, fmt.Sprintf("node.opportunities.%d.name", i)))
		}
		if want := []string{"Janvier", "Février", "Mars"}; !slices.Equal(got, want) {
			t.Errorf("third party's opportunities %v, want %v", got, want)
		}
	})
}

func TestOpportunity_ActivitiesAddedFromItShowOnItNewestFirst(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		tp := e.prospect(e.tokenA, "Actif")
		opp, other := e.opportunity(e.tokenA, tp, "Principale"), e.opportunity(e.tokenA, tp, "Secondaire")
		first := e.activity(e.tokenA, opp, "Premier appel")
		second := e.activity(e.tokenA, opp, "Relance")
		e.activity(e.tokenA, other, "Ailleurs")
		n := e.ok(e.tokenA, opportunityNode, map[string]any{"id": opp})
		got := []string{str(n, "node.activities.edges.0.node.id"), str(n, "node.activities.edges.1.node.id")}
		if num(n, "node.activities.totalCount") != 2 || !slices.Equal(got, []string{second, first}) {
			t.Errorf("opportunity's activities: %v, want [%s %s]", get(n, "node.activities"), second, first)
		}
	})
}

func TestUpdateOpportunity_ReplacesContactsAbsentIsUnchangedNullClears(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		tp := e.prospect(e.tokenA, "Évolutif")
		c1, c2, c3 := e.contact(e.tokenA, tp, "Un"), e.contact(e.tokenA, tp, "Deux"), e.contact(e.tokenA, tp, "Trois")
		otherContact := e.contact(e.tokenA, e.prospect(e.tokenA, "Autre"), "Ailleurs")
		u2, _ := e.userWithID(e.tokenA, "reprise@alpha.example", rRead, rWrite)
		o := e.createOpp(e.tokenA, map[string]any{
			"name": "Contrat", "thirdPartyId": tp, "amount": 1000, "stage": "Qualification", "probability": 20,
			"expectedSigningDate": "2026-06-30", "contactIds": []string{c1, c2},
		})
		id := str(o, "id")
		upd := func(in map[string]any) any {
			t.Helper()
			return e.ok(e.tokenA, updateOpportunity, map[string]any{"id": id, "in": in})["updateOpportunity"]
		}

		got := upd(map[string]any{"contactIds": []string{c3, c2}})
		if !sameIDSet(contactIDsOf(got), []string{c2, c3}) {
			t.Errorf("contacts after replace: %v, want [%s %s]", contactIDsOf(got), c2, c3)
		}
		if str(got, "stage") != "Qualification" || num(got, "amount") != 1000 || str(got, "expectedSigningDate") != "2026-06-30" {
			t.Errorf("absent fields changed: %v", got)
		}
		got = upd(map[string]any{"stage": "Proposition", "probability": 50})
		if !sameIDSet(contactIDsOf(got), []string{c2, c3}) || str(got, "stage") != "Proposition" || num(got, "probability") != 50 {
			t.Errorf("contacts must stay when contactIds is absent: %v", got)
		}
		got = upd(map[string]any{"amount": nil, "expectedSigningDate": nil, "stage": nil, "ownerId": u2})
		if get(got, "amount") != nil || get(got, "expectedSigningDate") != nil || get(got, "stage") != nil || str(got, "owner.id") != u2 || str(got, "name") != "Contrat" {
			t.Errorf("after clearing: %v", got)
		}
		got = upd(map[string]any{"contactIds": []string{}})
		if len(contactIDsOf(got)) != 0 {
			t.Errorf("contactIds [] must remove every contact: %v", contactIDsOf(got))
		}
		upd(map[string]any{"contactIds": []string{c1}})

		for _, tc := range []struct {
			name  string
			in    map[string]any
			field string
		}{
			{"contact of another third party", map[string]any{"contactIds": []string{otherContact}}, "contactIds"},
			{"probability 101", map[string]any{"probability": 101}, "probability"},
			{"negative amount", map[string]any{"amount": -5}, "amount"},
			{"currency euro", map[string]any{"currency": "euro"}, "currency"},
			{"name null", map[string]any{"name": nil}, "name"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.with(t)
				e.fail(e.tokenA, updateOpportunity, map[string]any{"id": id, "in": tc.in}, "BAD_USER_INPUT", tc.field)
				n := e.ok(e.tokenA, opportunityNode, map[string]any{"id": id})["node"]
				if ids := contactIDsOf(n); len(ids) != 1 || ids[0] != c1 || num(n, "probability") != 50 || str(n, "currency") != "EUR" || str(n, "name") != "Contrat" {
					t.Errorf("a refused update changed the opportunity: %v", n)
				}
			})
		}
	})
}

func TestDeleteOpportunity_DeletesItsActivitiesAndNeedsRight100003(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		tp := e.prospect(e.tokenA, "Perdu")
		opp, kept := e.opportunity(e.tokenA, tp, "Abandonnée"), e.opportunity(e.tokenA, tp, "Gardée")
		a1, a2 := e.activity(e.tokenA, opp, "Un"), e.activity(e.tokenA, opp, "Deux")
		k := e.activity(e.tokenA, kept, "Gardée")
		onTP := e.activity(e.tokenA, tp, "Sur le tiers")

		writer := e.user(e.tokenA, "sans-suppression@alpha.example", rRead, rWrite)
		e.fail(writer, deleteOpportunity, map[string]any{"id": opp}, "FORBIDDEN")
		if n := e.ok(e.tokenA, opportunityNode, map[string]any{"id": opp}); num(n, "node.activities.totalCount") != 2 {
			t.Fatalf("a refused delete changed the opportunity: %v", n)
		}

		if got := str(e.ok(e.tokenA, deleteOpportunity, map[string]any{"id": opp}), "deleteOpportunity"); got != opp {
			t.Errorf("deleteOpportunity returned %q, want %q", got, opp)
		}
		for _, id := range []string{opp, a1, a2} {
			e.fail(e.tokenA, nodeID, map[string]any{"id": id}, "NOT_FOUND")
		}
		for _, id := range []string{kept, k, onTP} {
			e.ok(e.tokenA, nodeID, map[string]any{"id": id})
		}
		e.fail(e.tokenA, deleteOpportunity, map[string]any{"id": opp}, "NOT_FOUND")
		if got := e.oppNames(e.tokenA, nil, nil); !slices.Equal(got, []string{"Gardée"}) {
			t.Errorf("opportunities after delete: %v", got)
		}
	})
}

func TestDeleteThirdParty_DeletesItsOpportunitiesAndTheirActivities(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		tp := e.prospect(e.tokenA, "Disparu")
		c := e.contact(e.tokenA, tp, "Lié")
		other := e.prospect(e.tokenA, "Présent")
		o1 := str(e.createOpp(e.tokenA, map[string]any{"name": "Une", "thirdPartyId": tp, "contactIds": []string{c}}), "id")
		o2 := e.opportunity(e.tokenA, tp, "Deux")
		act := e.activity(e.tokenA, o1, "Sur l'affaire")
		stays := e.opportunity(e.tokenA, other, "Reste")
		e.ok(e.tokenA, deleteThirdParty, map[string]any{"id": tp})
		for _, id := range []string{o1, o2, act} {
			e.fail(e.tokenA, nodeID, map[string]any{"id": id}, "NOT_FOUND")
		}
		e.ok(e.tokenA, nodeID, map[string]any{"id": stays})
		if got := e.oppNames(e.tokenA, nil, nil); !slices.Equal(got, []string{"Reste"}) {
			t.Errorf("opportunities after deleting the third party: %v", got)
		}
	})
}

func TestOpportunities_WritingNeedsRight100002AndClosedClientsNeed191516(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		tp := e.prospect(e.tokenA, "Ouvert")
		opp := e.opportunity(e.tokenA, tp, "Ouverte")
		reader := e.user(e.tokenA, "lecteur@alpha.example", rRead, rDelete)
		e.fail(reader, createOpportunity, map[string]any{"in": map[string]any{"name": "Non", "thirdPartyId": tp}}, "FORBIDDEN")
		e.fail(reader, updateOpportunity, map[string]any{"id": opp, "in": map[string]any{"name": "Non"}}, "FORBIDDEN")
		if got := e.oppNames(e.tokenA, nil, nil); !slices.Equal(got, []string{"Ouverte"}) {
			t.Errorf("after refusals: %v", got)
		}

		cl := e.client(e.tokenA, "CL09", "Client fermé", false)
		hidden := e.opportunity(e.tokenA, cl, "Cachée")
		e.client(e.tokenA, "CL09", "Client fermé", true)
		blind := e.user(e.tokenA, "sans-fermes@alpha.example", rRead, rWrite, rDelete)
		seer := e.user(e.tokenA, "avec-fermes@alpha.example", rRead, rClosed)
		if got := e.oppNames(blind, nil, nil); !slices.Equal(got, []string{"Ouverte"}) {
			t.Errorf("without 191516: %v", got)
		}
		e.fail(blind, nodeID, map[string]any{"id": hidden}, "NOT_FOUND")
		e.fail(blind, updateOpportunity, map[string]any{"id": hidden, "in": map[string]any{"name": "Vue"}}, "NOT_FOUND")
		e.fail(blind, deleteOpportunity, map[string]any{"id": hidden}, "NOT_FOUND")
		if got := e.oppNames(seer, nil, map[string]any{"field": "NAME", "direction": "ASC"}); !slices.Equal(got, []string{"Cachée", "Ouverte"}) {
			t.Errorf("with 191516: %v", got)
		}
	})
}

func TestOpportunities_AnotherOrganisationCannotSeeChangeOrUseThem(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		tp := e.prospect(e.tokenA, "Chez A")
		c := e.contact(e.tokenA, tp, "Contact A")
		opp := e.opportunity(e.tokenA, tp, "Secrète")
		me := e.meID(e.tokenA)
		bTP := e.prospect(e.tokenB, "Chez B")
		e.opportunity(e.tokenB, bTP, "De B")

		for _, tc := range []struct {
			name  string
			where map[string]any
		}{
			{"everything", nil},
			{"A's third party", map[string]any{"thirdPartyId": tp}},
			{"A's owner", map[string]any{"ownerId": me}},
			{"A's name", map[string]any{"name": "Secrète"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.with(t)
				if got := e.oppNames(e.tokenB, tc.where, nil); slices.Contains(got, "Secrète") {
					t.Errorf("B sees A's opportunity: %v", got)
				}
			})
		}
		e.fail(e.tokenB, nodeID, map[string]any{"id": opp}, "NOT_FOUND")
		e.fail(e.tokenB, updateOpportunity, map[string]any{"id": opp, "in": map[string]any{"name": "Volée"}}, "NOT_FOUND")
		e.fail(e.tokenB, deleteOpportunity, map[string]any{"id": opp}, "NOT_FOUND")
		e.fail(e.tokenB, createActivity, map[string]any{"in": map[string]any{"subjectId": opp, "type": "NOTE", "subject": "Espion"}}, "NOT_FOUND")
		e.fail(e.tokenB, createOpportunity, map[string]any{"in": map[string]any{"name": "Chez A", "thirdPartyId": bTP, "contactIds": []string{c}}}, "BAD_USER_INPUT", "contactIds")
		e.fail(e.tokenA, updateOpportunity, map[string]any{"id": opp, "in": map[string]any{"ownerId": e.meID(e.tokenB)}}, "BAD_USER_INPUT", "ownerId")
		n := e.ok(e.tokenA, opportunityNode, map[string]any{"id": opp})["node"]
		if str(n, "name") != "Secrète" || str(n, "owner.id") != me || num(n, "activities.totalCount") != 0 {
			t.Errorf("A's opportunity after B's attempts: %v", n)
		}
		if got := e.oppNames(e.tokenB, nil, nil); !slices.Equal(got, []string{"De B"}) {
			t.Errorf("B's opportunities: %v", got)
		}
	})
}
