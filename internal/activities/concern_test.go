package activities_test

import (
	"strings"
	"testing"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/testdb"
)

const createConcerned = `mutation($in: CreateActivityInput!) { createActivity(input: $in) {
  id thirdParty { id } contact { id } opportunity { id } } }`

func TestCreateActivity_FromAnOpportunityOrAContactConcernsItsThirdPartyAndShowsOnItsRecord(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		cl := e.Client(e.TokenA, "CL07", "Client suivi", false)
		c := e.Contact(e.TokenA, cl, "Martin")
		opp := e.Opportunity(e.TokenA, cl, "Renouvellement")
		for _, tc := range []struct {
			name                   string
			in                     map[string]any
			wantContact, wantOpp   string
			listedOnContact, onOpp bool
		}{
			{"from the opportunity", map[string]any{"opportunityId": opp}, "", opp, false, true},
			{"from the opportunity, naming a contact", map[string]any{"opportunityId": opp, "contactId": c}, c, opp, true, true},
			{"on the contact", map[string]any{"contactId": c}, c, "", true, false},
			{"on the client, naming all", map[string]any{"thirdPartyId": cl, "contactId": c, "opportunityId": opp}, c, opp, true, true},
			{"on the client", map[string]any{"thirdPartyId": cl}, "", "", false, false},
			{"subjectId (deprecated) of the opportunity", map[string]any{"subjectId": opp}, "", opp, false, true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				in := map[string]any{"type": "CALL", "subject": tc.name}
				for k, v := range tc.in {
					in[k] = v
				}
				a := e.OK(e.TokenA, createConcerned, map[string]any{"in": in})["createActivity"]
				id := apitest.Str(a, "id")
				if apitest.Str(a, "thirdParty.id") != cl || apitest.Str(a, "contact.id") != tc.wantContact || apitest.Str(a, "opportunity.id") != tc.wantOpp {
					t.Fatalf("createActivity = %v", a)
				}
				n := e.OK(e.TokenA, `query($id: ID!) { node(id: $id) { ... on Activity { thirdParty { id } contact { id } opportunity { id } } } }`, map[string]any{"id": id})["node"]
				if apitest.Str(n, "thirdParty.id") != cl || apitest.Str(n, "contact.id") != tc.wantContact || apitest.Str(n, "opportunity.id") != tc.wantOpp {
					t.Fatalf("read back: %v", n)
				}
				for record, want := range map[string]bool{cl: true, c: tc.listedOnContact, opp: tc.onOpp} {
					got := activityIDs(e, e.TokenA, record)
					if (len(got) > 0 && got[0] == id) != want {
						t.Errorf("activities of %s = %v: newest is %s: %v", record, got, id, want)
					}
				}
			})
		}
	})
}

func TestCreateActivity_AContactOrAnOpportunityOfAnotherThirdPartyIsRefusedOnItsField(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		tp := e.Prospect(e.TokenA, "Prospect")
		c := e.Contact(e.TokenA, tp, "Durand")
		opp := e.Opportunity(e.TokenA, tp, "Affaire")
		other := e.Prospect(e.TokenA, "Autre")
		otherC := e.Contact(e.TokenA, other, "Autre")
		otherOpp := e.Opportunity(e.TokenA, other, "Autre affaire")
		bTP := e.Prospect(e.TokenB, "Chez B")
		for _, tc := range []struct {
			name        string
			in          map[string]any
			code, field string
		}{
			{"no ID at all", map[string]any{}, "BAD_USER_INPUT", "thirdPartyId"},
			{"another third party's contact", map[string]any{"thirdPartyId": tp, "contactId": otherC}, "BAD_USER_INPUT", "contactId"},
			{"another third party's opportunity", map[string]any{"thirdPartyId": tp, "opportunityId": otherOpp}, "BAD_USER_INPUT", "opportunityId"},
			{"a contact and an opportunity of different third parties", map[string]any{"contactId": c, "opportunityId": otherOpp}, "BAD_USER_INPUT", "opportunityId"},
			{"subjectId with thirdPartyId", map[string]any{"subjectId": c, "thirdPartyId": tp}, "BAD_USER_INPUT", "subjectId"},
			{"a contact as thirdPartyId", map[string]any{"thirdPartyId": c}, "NOT_FOUND", "thirdPartyId"},
			{"an opportunity as contactId", map[string]any{"contactId": opp}, "NOT_FOUND", "contactId"},
			{"another organisation's third party", map[string]any{"thirdPartyId": bTP}, "NOT_FOUND", "thirdPartyId"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				in := map[string]any{"type": "NOTE", "subject": "Refusée"}
				for k, v := range tc.in {
					in[k] = v
				}
				e.Fail(e.TokenA, createConcerned, map[string]any{"in": in}, tc.code, tc.field)
			})
		}
		for _, record := range []string{tp, other} {
			if got := activityIDs(e, e.TokenA, record); len(got) != 0 {
				t.Errorf("a refused creation left activities on %s: %v", record, got)
			}
		}
	})
}

func TestThirdPartyActivities_WhereNarrowsByContactOpportunityTypeAndDate(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		tp := e.Prospect(e.TokenA, "Filtré")
		c := e.Contact(e.TokenA, tp, "Durand")
		opp := e.Opportunity(e.TokenA, tp, "Affaire")
		mk := func(in map[string]any) string {
			in["subject"] = "a"
			return apitest.Str(e.OK(e.TokenA, createConcerned, map[string]any{"in": in}), "createActivity.id")
		}
		own := mk(map[string]any{"thirdPartyId": tp, "type": "NOTE", "date": "2026-01-10T10:00:00Z"})
		ofContact := mk(map[string]any{"contactId": c, "type": "CALL", "date": "2026-02-10T10:00:00Z"})
		ofOpp := mk(map[string]any{"opportunityId": opp, "type": "MEETING", "date": "2026-03-10T10:00:00Z"})
		both := mk(map[string]any{"opportunityId": opp, "contactId": c, "type": "CALL", "date": "2026-04-10T10:00:00Z"})
		for _, tc := range []struct {
			name  string
			where map[string]any
			want  []string
		}{
			{"everything, newest first", map[string]any{}, []string{both, ofOpp, ofContact, own}},
			{"by contact", map[string]any{"hasContactWith": []any{map[string]any{"id": c}}}, []string{both, ofContact}},
			{"by opportunity", map[string]any{"hasOpportunityWith": []any{map[string]any{"id": opp}}}, []string{both, ofOpp}},
			{"by type", map[string]any{"typeIn": []any{"CALL", "NOTE"}}, []string{both, ofContact, own}},
			{"by date range", map[string]any{"dateGTE": "2026-02-01T00:00:00Z", "dateLT": "2026-04-01T00:00:00Z"}, []string{ofOpp, ofContact}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				d := e.OK(e.TokenA, `query($id: ID!, $w: ActivityWhereInput) { node(id: $id) { ... on ThirdParty {
					activities(first: 10, where: $w) { edges { node { id } } } } } }`, map[string]any{"id": tp, "w": tc.where})
				got := apitest.Names(apitest.Get(d, "node.activities.edges"), "node.id")
				if strings.Join(got, ",") != strings.Join(tc.want, ",") {
					t.Errorf("got %v, want %v", got, tc.want)
				}
			})
		}
	})
}

func TestUpdateActivity_ANewOrClearedDateMovesItInTheList(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		tp := e.Prospect(e.TokenA, "Daté")
		mk := func(date any) string {
			return apitest.Str(e.OK(e.TokenA, createConcerned, map[string]any{"in": map[string]any{
				"thirdPartyId": tp, "type": "NOTE", "subject": "a", "date": date}}), "createActivity.id")
		}
		march, undated, may := mk("2001-03-01T10:00:00Z"), mk(nil), mk("2001-05-01T10:00:00Z")
		check := func(step string, want ...string) {
			t.Helper()
			if got := activityIDs(e, e.TokenA, tp); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("%s: %v, want %v", step, got, want)
			}
		}
		check("created", undated, may, march) // undated: listed at its creation, today
		e.OK(e.TokenA, updateActivity, map[string]any{"id": march, "in": map[string]any{"date": "2099-01-01T00:00:00Z"}})
		check("march moved to 2099", march, undated, may)
		e.OK(e.TokenA, updateActivity, map[string]any{"id": march, "in": map[string]any{"date": nil}})
		check("its date cleared: listed at its creation, before the undated one", undated, march, may)
		e.OK(e.TokenA, updateActivity, map[string]any{"id": undated, "in": map[string]any{"date": "2001-04-01T10:00:00Z"}})
		check("the undated one dated in April", march, may, undated)
	})
}
