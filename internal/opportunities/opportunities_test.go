package opportunities_test

import (
	"fmt"
	"slices"
	"testing"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/testdb"
)

const (
	deleteOpportunity = `mutation($id: ID!) { deleteOpportunity(id: $id) }`
	opportunityNode   = `query($id: ID!) { node(id: $id) { ... on Opportunity { ` + apitest.OpportunityFields + ` activities(first: 50) { totalCount edges { node { id subject } } } } } }`
	opportunityList   = `query($where: OpportunityWhereInput, $orderBy: OpportunityOrder) {
  opportunities(first: 100, where: $where, orderBy: $orderBy) { totalCount edges { node { id name } } }
}`
)

// oppNames runs the opportunities query and returns the names in order.
func oppNames(e *apitest.Env, token string, where, orderBy map[string]any) []string {
	e.T.Helper()
	vars := map[string]any{}
	if where != nil {
		vars["where"] = where
	}
	if orderBy != nil {
		vars["orderBy"] = orderBy
	}
	d := e.OK(token, opportunityList, vars)
	var out []string
	for i := 0; ; i++ {
		n := apitest.Str(d, fmt.Sprintf("opportunities.edges.%d.node.name", i))
		if n == "" {
			break
		}
		out = append(out, n)
	}
	if n := int(apitest.Num(d, "opportunities.totalCount")); n != len(out) {
		e.T.Fatalf("opportunities: totalCount %d but %d edges", n, len(out))
	}
	return out
}

func contactIDsOf(o any) []string {
	var out []string
	for i := 0; ; i++ {
		id := apitest.Str(o, fmt.Sprintf("contacts.%d.id", i))
		if id == "" {
			return out
		}
		out = append(out, id)
	}
}

func TestCreateOpportunity_DefaultsToEURAndTheViewerAsOwnerAndLinksToItsRecords(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		writerID, writer := e.UserWithID(e.TokenA, "vendeur@alpha.example", apitest.RightRead, apitest.RightWrite)
		tp := e.Prospect(e.TokenA, "Acheteur")
		c1, c2 := e.Contact(e.TokenA, tp, "Bertin"), e.Contact(e.TokenA, tp, "Aubert")
		e.Contact(e.TokenA, tp, "Hors affaire")

		o := e.NewOpportunity(writer, map[string]any{"name": "  Renouvellement 2026 ", "thirdPartyId": tp})
		for field, want := range map[string]any{
			"name": "Renouvellement 2026", "currency": "EUR", "owner.id": writerID,
			"thirdParty.id": tp, "thirdParty.name": "Acheteur", "amount": nil, "stage": nil, "probability": nil, "expectedSigningDate": nil,
		} {
			if got := apitest.Get(o, field); got != want {
				t.Errorf("%s = %v, want %v", field, got, want)
			}
		}
		if len(contactIDsOf(o)) != 0 {
			t.Errorf("contacts = %v, want none", apitest.Get(o, "contacts"))
		}

		full := e.NewOpportunity(writer, map[string]any{
			"name": "Extension", "thirdPartyId": tp, "amount": 12500.5, "currency": "CHF", "stage": "Proposition",
			"probability": 60, "expectedSigningDate": "2026-02-15", "contactIds": []string{c1, c2},
		})
		for field, want := range map[string]any{
			"amount": 12500.5, "currency": "CHF", "stage": "Proposition", "probability": float64(60), "expectedSigningDate": "2026-02-15",
		} {
			if got := apitest.Get(full, field); got != want {
				t.Errorf("%s = %v, want %v", field, got, want)
			}
		}
		// Its contacts link to contact records of its third party.
		if got := contactIDsOf(full); !apitest.SameSet(got, []string{c1, c2}) {
			t.Errorf("contacts = %v, want %v", got, []string{c1, c2})
		}
		for i := range 2 {
			if apitest.Str(full, fmt.Sprintf("contacts.%d.thirdParty.id", i)) != tp {
				t.Errorf("contact %d's third party: %v", i, apitest.Get(full, fmt.Sprintf("contacts.%d", i)))
			}
		}
		// The record lists both (their order is TestThirdPartyOpportunities_…).
		rec := e.OK(e.TokenA, `query($id: ID!) { node(id: $id) { ... on ThirdParty { opportunities { id } } } }`, map[string]any{"id": tp})
		ids := []string{apitest.Str(rec, "node.opportunities.0.id"), apitest.Str(rec, "node.opportunities.1.id")}
		if !apitest.SameSet(ids, []string{apitest.Str(o, "id"), apitest.Str(full, "id")}) {
			t.Errorf("third party's opportunities: %v", apitest.Get(rec, "node.opportunities"))
		}
	})
}

func TestCreateOpportunity_RefusesBadInputWithItsFieldAndWritesNothing(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		tp := e.Prospect(e.TokenA, "Exigeant")
		other := e.Prospect(e.TokenA, "Autre")
		otherContact := e.Contact(e.TokenA, other, "Ailleurs")
		mine := e.Contact(e.TokenA, tp, "Ici")
		bTP := e.Prospect(e.TokenB, "Chez B")
		bContact := e.Contact(e.TokenB, bTP, "Chez B")
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
				e := e.With(t)
				in := map[string]any{"name": "Affaire", "thirdPartyId": tp}
				for k, v := range tc.in {
					in[k] = v
				}
				e.Fail(e.TokenA, apitest.CreateOpportunity, map[string]any{"in": in}, "BAD_USER_INPUT", tc.field)
			})
		}
		if got := oppNames(e, e.TokenA, nil, nil); len(got) != 0 {
			t.Errorf("refused creates wrote opportunities: %v", got)
		}
		if got := oppNames(e, e.TokenB, nil, nil); len(got) != 0 {
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

func newPortfolio(e *apitest.Env) *portfolio {
	e.T.Helper()
	p := &portfolio{ids: map[string]string{}}
	var tok1, tok2 string
	p.u1, tok1 = e.UserWithID(e.TokenA, "u1@alpha.example", apitest.RightRead, apitest.RightWrite)
	p.u2, tok2 = e.UserWithID(e.TokenA, "u2@alpha.example", apitest.RightRead, apitest.RightWrite)
	p.tp1, p.tp2, p.tp3 = e.Prospect(e.TokenA, "Tiers Un"), e.Prospect(e.TokenA, "Tiers Deux"), e.Prospect(e.TokenA, "Tiers Trois")
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
		p.ids[o.name] = apitest.Str(e.NewOpportunity(o.tok, in), "id")
	}
	return p
}

func TestOpportunities_PortfolioFiltersByOwnerStageAndThirdParty(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
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
				e := e.With(t)
				if got := oppNames(e, e.TokenA, tc.where, byName); !slices.Equal(got, tc.want) {
					t.Errorf("got %v, want %v", got, tc.want)
				}
			})
		}
	})
}

func TestOpportunities_FilterBySigningDateRangeAndOrderBySigningDateAmountOrName(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
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
				e := e.With(t)
				if got := oppNames(e, e.TokenA, tc.where, tc.orderBy); !slices.Equal(got, tc.want) {
					t.Errorf("got %v, want %v", got, tc.want)
				}
			})
		}
	})
}

func TestThirdPartyOpportunities_AreOrderedByExpectedSigningDate(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		tp := e.Prospect(e.TokenA, "Calendrier")
		for _, o := range []struct{ name, date string }{{"Mars", "2026-03-01"}, {"Janvier", "2026-01-10"}, {"Février", "2026-02-20"}} {
			e.NewOpportunity(e.TokenA, map[string]any{"name": o.name, "thirdPartyId": tp, "expectedSigningDate": o.date})
		}
		rec := e.OK(e.TokenA, `query($id: ID!) { node(id: $id) { ... on ThirdParty { opportunities { name } } } }`, map[string]any{"id": tp})
		var got []string
		for i := range 3 {
			got = append(got, apitest.Str(rec, fmt.Sprintf("node.opportunities.%d.name", i)))
		}
		if want := []string{"Janvier", "Février", "Mars"}; !slices.Equal(got, want) {
			t.Errorf("third party's opportunities %v, want %v", got, want)
		}
	})
}

func TestOpportunity_ActivitiesAddedFromItShowOnItNewestFirst(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		tp := e.Prospect(e.TokenA, "Actif")
		opp, other := e.Opportunity(e.TokenA, tp, "Principale"), e.Opportunity(e.TokenA, tp, "Secondaire")
		first := e.Activity(e.TokenA, opp, "Premier appel")
		second := e.Activity(e.TokenA, opp, "Relance")
		e.Activity(e.TokenA, other, "Ailleurs")
		n := e.OK(e.TokenA, opportunityNode, map[string]any{"id": opp})
		got := []string{apitest.Str(n, "node.activities.edges.0.node.id"), apitest.Str(n, "node.activities.edges.1.node.id")}
		if apitest.Num(n, "node.activities.totalCount") != 2 || !slices.Equal(got, []string{second, first}) {
			t.Errorf("opportunity's activities: %v, want [%s %s]", apitest.Get(n, "node.activities"), second, first)
		}
	})
}

func TestUpdateOpportunity_ReplacesContactsAbsentIsUnchangedNullClears(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		tp := e.Prospect(e.TokenA, "Évolutif")
		c1, c2, c3 := e.Contact(e.TokenA, tp, "Un"), e.Contact(e.TokenA, tp, "Deux"), e.Contact(e.TokenA, tp, "Trois")
		otherContact := e.Contact(e.TokenA, e.Prospect(e.TokenA, "Autre"), "Ailleurs")
		u2, _ := e.UserWithID(e.TokenA, "reprise@alpha.example", apitest.RightRead, apitest.RightWrite)
		o := e.NewOpportunity(e.TokenA, map[string]any{
			"name": "Contrat", "thirdPartyId": tp, "amount": 1000, "stage": "Qualification", "probability": 20,
			"expectedSigningDate": "2026-06-30", "contactIds": []string{c1, c2},
		})
		id := apitest.Str(o, "id")
		upd := func(in map[string]any) any {
			t.Helper()
			return e.OK(e.TokenA, apitest.UpdateOpportunity, map[string]any{"id": id, "in": in})["updateOpportunity"]
		}

		got := upd(map[string]any{"contactIds": []string{c3, c2}})
		if !apitest.SameSet(contactIDsOf(got), []string{c2, c3}) {
			t.Errorf("contacts after replace: %v, want [%s %s]", contactIDsOf(got), c2, c3)
		}
		if apitest.Str(got, "stage") != "Qualification" || apitest.Num(got, "amount") != 1000 || apitest.Str(got, "expectedSigningDate") != "2026-06-30" {
			t.Errorf("absent fields changed: %v", got)
		}
		got = upd(map[string]any{"stage": "Proposition", "probability": 50})
		if !apitest.SameSet(contactIDsOf(got), []string{c2, c3}) || apitest.Str(got, "stage") != "Proposition" || apitest.Num(got, "probability") != 50 {
			t.Errorf("contacts must stay when contactIds is absent: %v", got)
		}
		got = upd(map[string]any{"amount": nil, "expectedSigningDate": nil, "stage": nil, "ownerId": u2})
		if apitest.Get(got, "amount") != nil || apitest.Get(got, "expectedSigningDate") != nil || apitest.Get(got, "stage") != nil || apitest.Str(got, "owner.id") != u2 || apitest.Str(got, "name") != "Contrat" {
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
				e := e.With(t)
				e.Fail(e.TokenA, apitest.UpdateOpportunity, map[string]any{"id": id, "in": tc.in}, "BAD_USER_INPUT", tc.field)
				n := e.OK(e.TokenA, opportunityNode, map[string]any{"id": id})["node"]
				if ids := contactIDsOf(n); len(ids) != 1 || ids[0] != c1 || apitest.Num(n, "probability") != 50 || apitest.Str(n, "currency") != "EUR" || apitest.Str(n, "name") != "Contrat" {
					t.Errorf("a refused update changed the opportunity: %v", n)
				}
			})
		}
	})
}

func TestDeleteOpportunity_DeletesItsActivitiesAndNeedsRight100003(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		tp := e.Prospect(e.TokenA, "Perdu")
		opp, kept := e.Opportunity(e.TokenA, tp, "Abandonnée"), e.Opportunity(e.TokenA, tp, "Gardée")
		a1, a2 := e.Activity(e.TokenA, opp, "Un"), e.Activity(e.TokenA, opp, "Deux")
		k := e.Activity(e.TokenA, kept, "Gardée")
		onTP := e.Activity(e.TokenA, tp, "Sur le tiers")

		writer := e.User(e.TokenA, "sans-suppression@alpha.example", apitest.RightRead, apitest.RightWrite)
		e.Fail(writer, deleteOpportunity, map[string]any{"id": opp}, "FORBIDDEN")
		if n := e.OK(e.TokenA, opportunityNode, map[string]any{"id": opp}); apitest.Num(n, "node.activities.totalCount") != 2 {
			t.Fatalf("a refused delete changed the opportunity: %v", n)
		}

		if got := apitest.Str(e.OK(e.TokenA, deleteOpportunity, map[string]any{"id": opp}), "deleteOpportunity"); got != opp {
			t.Errorf("deleteOpportunity returned %q, want %q", got, opp)
		}
		for _, id := range []string{opp, a1, a2} {
			e.Fail(e.TokenA, apitest.NodeID, map[string]any{"id": id}, "NOT_FOUND")
		}
		for _, id := range []string{kept, k, onTP} {
			e.OK(e.TokenA, apitest.NodeID, map[string]any{"id": id})
		}
		e.Fail(e.TokenA, deleteOpportunity, map[string]any{"id": opp}, "NOT_FOUND")
		if got := oppNames(e, e.TokenA, nil, nil); !slices.Equal(got, []string{"Gardée"}) {
			t.Errorf("opportunities after delete: %v", got)
		}
	})
}

func TestDeleteThirdParty_DeletesItsOpportunitiesAndTheirActivities(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		tp := e.Prospect(e.TokenA, "Disparu")
		c := e.Contact(e.TokenA, tp, "Lié")
		other := e.Prospect(e.TokenA, "Présent")
		o1 := apitest.Str(e.NewOpportunity(e.TokenA, map[string]any{"name": "Une", "thirdPartyId": tp, "contactIds": []string{c}}), "id")
		o2 := e.Opportunity(e.TokenA, tp, "Deux")
		act := e.Activity(e.TokenA, o1, "Sur l'affaire")
		stays := e.Opportunity(e.TokenA, other, "Reste")
		e.OK(e.TokenA, apitest.DeleteThirdParty, map[string]any{"id": tp})
		for _, id := range []string{o1, o2, act} {
			e.Fail(e.TokenA, apitest.NodeID, map[string]any{"id": id}, "NOT_FOUND")
		}
		e.OK(e.TokenA, apitest.NodeID, map[string]any{"id": stays})
		if got := oppNames(e, e.TokenA, nil, nil); !slices.Equal(got, []string{"Reste"}) {
			t.Errorf("opportunities after deleting the third party: %v", got)
		}
	})
}

func TestOpportunities_WritingNeedsRight100002AndClosedClientsNeed191516(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		tp := e.Prospect(e.TokenA, "Ouvert")
		opp := e.Opportunity(e.TokenA, tp, "Ouverte")
		reader := e.User(e.TokenA, "lecteur@alpha.example", apitest.RightRead, apitest.RightDelete)
		e.Fail(reader, apitest.CreateOpportunity, map[string]any{"in": map[string]any{"name": "Non", "thirdPartyId": tp}}, "FORBIDDEN")
		e.Fail(reader, apitest.UpdateOpportunity, map[string]any{"id": opp, "in": map[string]any{"name": "Non"}}, "FORBIDDEN")
		if got := oppNames(e, e.TokenA, nil, nil); !slices.Equal(got, []string{"Ouverte"}) {
			t.Errorf("after refusals: %v", got)
		}

		cl := e.Client(e.TokenA, "CL09", "Client fermé", false)
		hidden := e.Opportunity(e.TokenA, cl, "Cachée")
		e.Client(e.TokenA, "CL09", "Client fermé", true)
		blind := e.User(e.TokenA, "sans-fermes@alpha.example", apitest.RightRead, apitest.RightWrite, apitest.RightDelete)
		seer := e.User(e.TokenA, "avec-fermes@alpha.example", apitest.RightRead, apitest.RightClosed)
		if got := oppNames(e, blind, nil, nil); !slices.Equal(got, []string{"Ouverte"}) {
			t.Errorf("without 191516: %v", got)
		}
		e.Fail(blind, apitest.NodeID, map[string]any{"id": hidden}, "NOT_FOUND")
		e.Fail(blind, apitest.UpdateOpportunity, map[string]any{"id": hidden, "in": map[string]any{"name": "Vue"}}, "NOT_FOUND")
		e.Fail(blind, deleteOpportunity, map[string]any{"id": hidden}, "NOT_FOUND")
		if got := oppNames(e, seer, nil, map[string]any{"field": "NAME", "direction": "ASC"}); !slices.Equal(got, []string{"Cachée", "Ouverte"}) {
			t.Errorf("with 191516: %v", got)
		}
	})
}

func TestOpportunities_AnotherOrganisationCannotSeeChangeOrUseThem(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		tp := e.Prospect(e.TokenA, "Chez A")
		c := e.Contact(e.TokenA, tp, "Contact A")
		opp := e.Opportunity(e.TokenA, tp, "Secrète")
		me := e.MeID(e.TokenA)
		bTP := e.Prospect(e.TokenB, "Chez B")
		e.Opportunity(e.TokenB, bTP, "De B")

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
				e := e.With(t)
				if got := oppNames(e, e.TokenB, tc.where, nil); slices.Contains(got, "Secrète") {
					t.Errorf("B sees A's opportunity: %v", got)
				}
			})
		}
		e.Fail(e.TokenB, apitest.NodeID, map[string]any{"id": opp}, "NOT_FOUND")
		e.Fail(e.TokenB, apitest.UpdateOpportunity, map[string]any{"id": opp, "in": map[string]any{"name": "Volée"}}, "NOT_FOUND")
		e.Fail(e.TokenB, deleteOpportunity, map[string]any{"id": opp}, "NOT_FOUND")
		e.Fail(e.TokenB, apitest.CreateActivity, map[string]any{"in": map[string]any{"subjectId": opp, "type": "NOTE", "subject": "Espion"}}, "NOT_FOUND")
		e.Fail(e.TokenB, apitest.CreateOpportunity, map[string]any{"in": map[string]any{"name": "Chez A", "thirdPartyId": bTP, "contactIds": []string{c}}}, "BAD_USER_INPUT", "contactIds")
		e.Fail(e.TokenA, apitest.UpdateOpportunity, map[string]any{"id": opp, "in": map[string]any{"ownerId": e.MeID(e.TokenB)}}, "BAD_USER_INPUT", "ownerId")
		n := e.OK(e.TokenA, opportunityNode, map[string]any{"id": opp})["node"]
		if apitest.Str(n, "name") != "Secrète" || apitest.Str(n, "owner.id") != me || apitest.Num(n, "activities.totalCount") != 0 {
			t.Errorf("A's opportunity after B's attempts: %v", n)
		}
		if got := oppNames(e, e.TokenB, nil, nil); !slices.Equal(got, []string{"De B"}) {
			t.Errorf("B's opportunities: %v", got)
		}
	})
}
