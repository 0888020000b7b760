package activities_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/testdb"
)

const (
	updateActivity = `mutation($id: ID!, $in: UpdateActivityInput!) { updateActivity(id: $id, input: $in) { id type subject notes date dueDate done author { id } } }`
	deleteActivity = `mutation($id: ID!) { deleteActivity(id: $id) }`
	activityNode   = `query($id: ID!) { node(id: $id) { id ... on Activity { type subject notes date dueDate done author { id } } } }`
	activitiesOf   = `query($id: ID!) { node(id: $id) {
  ... on ThirdParty { activities(first: 50) { totalCount edges { node { id } } } }
  ... on Contact { activities(first: 50) { totalCount edges { node { id } } } }
  ... on Opportunity { activities(first: 50) { totalCount edges { node { id } } } }
} }`
)

// activityIDs lists the activities of a record, in the API's order.
func activityIDs(e *apitest.Env, token, record string) []string {
	e.T.Helper()
	d := e.OK(token, activitiesOf, map[string]any{"id": record})
	var out []string
	for i := 0; ; i++ {
		id := apitest.Str(d, fmt.Sprintf("node.activities.edges.%d.node.id", i))
		if id == "" {
			break
		}
		out = append(out, id)
	}
	if n := int(apitest.Num(d, "node.activities.totalCount")); n != len(out) {
		e.T.Fatalf("activities of %s: totalCount %d but %d edges", record, n, len(out))
	}
	return out
}

// sameInstant compares a Time the API returned with an RFC 3339 instant.
func sameInstant(t *testing.T, got any, want string) bool {
	t.Helper()
	s, ok := got.(string)
	if !ok {
		return false
	}
	g, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("time %q: %v", s, err)
	}
	w, _ := time.Parse(time.RFC3339Nano, want)
	return g.Equal(w)
}

func TestCreateActivity_OnAContactAThirdPartyOrAnOpportunityIsListedThereNewestFirst(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		writerID, writer := e.UserWithID(e.TokenA, "commercial@alpha.example", apitest.RightRead, apitest.RightWrite)
		tp := e.Prospect(e.TokenA, "Sujet")
		c := e.Contact(e.TokenA, tp, "Durand")
		opp := e.Opportunity(e.TokenA, tp, "Affaire")
		subjects := map[string]string{"contact": c, "third party": tp, "opportunity": opp}
		created := map[string][2]string{} // the dated activity and the undated one of each subject
		for _, name := range []string{"contact", "third party", "opportunity"} {
			t.Run(name, func(t *testing.T) {
				e := e.With(t)
				subject := subjects[name]
				first := e.OK(writer, apitest.CreateActivity, map[string]any{"in": map[string]any{
					"subjectId": subject, "type": "CALL", "subject": "  Appel de découverte  ", "notes": "Intéressé",
					"date": "2026-03-02T09:30:00Z",
				}})
				a := first["createActivity"]
				for field, want := range map[string]any{"type": "CALL", "subject": "Appel de découverte", "notes": "Intéressé", "done": false, "author.id": writerID} {
					if got := apitest.Get(a, field); got != want {
						t.Errorf("%s = %v, want %v", field, got, want)
					}
				}
				if !sameInstant(t, apitest.Get(a, "date"), "2026-03-02T09:30:00Z") || apitest.Get(a, "dueDate") != nil {
					t.Errorf("date %v dueDate %v", apitest.Get(a, "date"), apitest.Get(a, "dueDate"))
				}
				time.Sleep(2 * time.Millisecond) // distinct creation times
				second := e.OK(writer, apitest.CreateActivity, map[string]any{"in": map[string]any{
					"subjectId": subject, "type": "TASK", "subject": "Envoyer le devis", "dueDate": "2026-03-09T17:00:00Z", "done": true,
				}})
				b := second["createActivity"]
				if apitest.Get(b, "type") != "TASK" || apitest.Get(b, "done") != true || apitest.Get(b, "notes") != nil || !sameInstant(t, apitest.Get(b, "dueDate"), "2026-03-09T17:00:00Z") {
					t.Errorf("second activity: %v", b)
				}
				created[name] = [2]string{apitest.Str(a, "id"), apitest.Str(b, "id")}
				// The undated one is listed at its creation (now), after the
				// one dated in March.
				want := []string{apitest.Str(b, "id"), apitest.Str(a, "id")}
				if name == "third party" {
					want = []string{apitest.Str(b, "id"), created["contact"][1], apitest.Str(a, "id"), created["contact"][0]}
				}
				if got := activityIDs(e, e.TokenA, subject); strings.Join(got, ",") != strings.Join(want, ",") {
					t.Errorf("activities of the %s = %v, want newest first %v", name, got, want)
				}
			})
		}
		// The third party lists its contact's and its opportunity's too: by
		// date (the creation time when there is none), then the latest
		// recorded first.
		want := []string{created["opportunity"][1], created["third party"][1], created["contact"][1],
			created["opportunity"][0], created["third party"][0], created["contact"][0]}
		if got := activityIDs(e, e.TokenA, tp); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("the third party lists %v, want %v", got, want)
		}
	})
}

func TestUpdateActivity_AbsentFieldIsUnchangedNullClearsAndRequiredFieldsCannotBeCleared(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		tp := e.Prospect(e.TokenA, "Suivi")
		a := apitest.Str(e.OK(e.TokenA, apitest.CreateActivity, map[string]any{"in": map[string]any{
			"subjectId": tp, "type": "MEETING", "subject": "Rendez-vous", "notes": "Apporter la plaquette",
			"date": "2026-05-04T14:00:00Z", "dueDate": "2026-05-10T12:00:00Z", "done": true,
		}}), "createActivity.id")

		// Only the subject changes.
		got := e.OK(e.TokenA, updateActivity, map[string]any{"id": a, "in": map[string]any{"subject": "Rendez-vous client"}})["updateActivity"]
		if apitest.Str(got, "subject") != "Rendez-vous client" || apitest.Str(got, "notes") != "Apporter la plaquette" || apitest.Str(got, "type") != "MEETING" ||
			apitest.Get(got, "done") != true || !sameInstant(t, apitest.Get(got, "date"), "2026-05-04T14:00:00Z") || !sameInstant(t, apitest.Get(got, "dueDate"), "2026-05-10T12:00:00Z") {
			t.Fatalf("after changing the subject only: %v", got)
		}
		// null clears notes and date; the rest stays.
		got = e.OK(e.TokenA, updateActivity, map[string]any{"id": a, "in": map[string]any{"notes": nil, "date": nil, "done": false}})["updateActivity"]
		if apitest.Get(got, "notes") != nil || apitest.Get(got, "date") != nil || apitest.Get(got, "done") != false ||
			apitest.Str(got, "subject") != "Rendez-vous client" || !sameInstant(t, apitest.Get(got, "dueDate"), "2026-05-10T12:00:00Z") {
			t.Fatalf("after clearing notes and date: %v", got)
		}
		// Read back: the change is stored, not only answered.
		n := e.OK(e.TokenA, activityNode, map[string]any{"id": a})["node"]
		if apitest.Get(n, "notes") != nil || apitest.Get(n, "date") != nil || apitest.Str(n, "subject") != "Rendez-vous client" {
			t.Fatalf("read back: %v", n)
		}

		for _, tc := range []struct {
			name  string
			in    map[string]any
			field string
		}{
			{"subject null", map[string]any{"subject": nil}, "subject"},
			{"subject blank", map[string]any{"subject": "   "}, "subject"},
			{"subject over 200 characters", map[string]any{"subject": strings.Repeat("é", 201)}, "subject"},
			{"type null", map[string]any{"type": nil}, "type"},
			{"notes over 10,000 characters", map[string]any{"notes": strings.Repeat("n", 10001)}, "notes"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				e.Fail(e.TokenA, updateActivity, map[string]any{"id": a, "in": tc.in}, "BAD_USER_INPUT", tc.field)
				if n := e.OK(e.TokenA, activityNode, map[string]any{"id": a})["node"]; apitest.Str(n, "subject") != "Rendez-vous client" || apitest.Str(n, "type") != "MEETING" || apitest.Get(n, "notes") != nil {
					t.Errorf("a refused update changed the activity: %v", n)
				}
			})
		}
	})
}

func TestDeleteActivity_RemovesItFromItsRecordAndReturnsItsID(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		tp := e.Prospect(e.TokenA, "Effacé")
		gone, stays := e.Activity(e.TokenA, tp, "À effacer"), e.Activity(e.TokenA, tp, "À garder")
		if got := apitest.Str(e.OK(e.TokenA, deleteActivity, map[string]any{"id": gone}), "deleteActivity"); got != gone {
			t.Errorf("deleteActivity returned %q, want %q", got, gone)
		}
		e.Fail(e.TokenA, activityNode, map[string]any{"id": gone}, "NOT_FOUND")
		if got := activityIDs(e, e.TokenA, tp); len(got) != 1 || got[0] != stays {
			t.Errorf("activities after delete: %v, want [%s]", got, stays)
		}
		e.Fail(e.TokenA, deleteActivity, map[string]any{"id": gone}, "NOT_FOUND")
		e.Fail(e.TokenA, updateActivity, map[string]any{"id": gone, "in": map[string]any{"subject": "Zombie"}}, "NOT_FOUND")
	})
}

func TestActivities_SubjectMustBeAContactThirdPartyOrOpportunityOfTheOrganisation(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		tp := e.Prospect(e.TokenA, "Chez A")
		bTP := e.Prospect(e.TokenB, "Chez B")
		bContact := e.Contact(e.TokenB, bTP, "Bernard")
		bOpp := e.Opportunity(e.TokenB, bTP, "Affaire de B")
		bActivity := e.Activity(e.TokenB, bTP, "Note de B")
		aActivity := e.Activity(e.TokenA, tp, "Note de A")
		for _, tc := range []struct {
			name, subject, code string
		}{
			{"unknown ID", base64.RawURLEncoding.EncodeToString([]byte("carnet:987654321")), "NOT_FOUND"},
			{"a user", e.MeID(e.TokenA), "NOT_FOUND"},
			{"an activity", aActivity, "NOT_FOUND"},
			{"another organisation's third party", bTP, "NOT_FOUND"},
			{"another organisation's contact", bContact, "NOT_FOUND"},
			{"another organisation's opportunity", bOpp, "NOT_FOUND"},
			{"not an ID", "hello", "BAD_USER_INPUT"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				e.Fail(e.TokenA, apitest.CreateActivity, map[string]any{"in": map[string]any{"subjectId": tc.subject, "type": "NOTE", "subject": "Perdu"}}, tc.code)
			})
		}
		if got := activityIDs(e, e.TokenB, bTP); len(got) != 1 || got[0] != bActivity {
			t.Errorf("B's third party's activities: %v, want only B's own", got)
		}
		// A cannot see, change or delete B's activity.
		e.Fail(e.TokenA, activityNode, map[string]any{"id": bActivity}, "NOT_FOUND")
		e.Fail(e.TokenA, updateActivity, map[string]any{"id": bActivity, "in": map[string]any{"subject": "Piraté"}}, "NOT_FOUND")
		e.Fail(e.TokenA, deleteActivity, map[string]any{"id": bActivity}, "NOT_FOUND")
		if n := e.OK(e.TokenB, activityNode, map[string]any{"id": bActivity})["node"]; apitest.Str(n, "subject") != "Note de B" {
			t.Errorf("B's activity after A's attempts: %v", n)
		}
	})
}

func TestActivities_WritingNeedsRight100002AndARefusalChangesNothing(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		tp := e.Prospect(e.TokenA, "Droits")
		a := e.Activity(e.TokenA, tp, "Existante")
		for _, tc := range []struct {
			name, email string
			rights      []int
		}{
			{"read only", "r@alpha.example", []int{apitest.RightRead}},
			{"read, delete and documents", "rdd@alpha.example", []int{apitest.RightRead, apitest.RightDelete, apitest.RightManageDocs}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				token := e.User(e.TokenA, tc.email, tc.rights...)
				e.Fail(token, apitest.CreateActivity, map[string]any{"in": map[string]any{"subjectId": tp, "type": "NOTE", "subject": "Refusée"}}, "FORBIDDEN")
				e.Fail(token, updateActivity, map[string]any{"id": a, "in": map[string]any{"subject": "Refusée"}}, "FORBIDDEN")
				e.Fail(token, deleteActivity, map[string]any{"id": a}, "FORBIDDEN")
				if got := activityIDs(e, e.TokenA, tp); len(got) != 1 || got[0] != a {
					t.Errorf("activities after refusals: %v", got)
				}
				if n := e.OK(token, activityNode, map[string]any{"id": a})["node"]; apitest.Str(n, "subject") != "Existante" {
					t.Errorf("activity after refusals: %v", n)
				}
			})
		}
	})
}

func TestActivities_OfAClosedClientAreHiddenWithout191516(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		cl := e.Client(e.TokenA, "CL01", "Client fermé", false)
		c := e.Contact(e.TokenA, cl, "Caché")
		opp := e.Opportunity(e.TokenA, cl, "Affaire cachée")
		acts := map[string]string{
			"on the client":      e.Activity(e.TokenA, cl, "Sur le client"),
			"on its contact":     e.Activity(e.TokenA, c, "Sur le contact"),
			"on its opportunity": e.Activity(e.TokenA, opp, "Sur l'affaire"),
		}
		e.Client(e.TokenA, "CL01", "Client fermé", true) // closes it
		open := e.Prospect(e.TokenA, "Ouvert")
		openAct := e.Activity(e.TokenA, open, "Visible")

		blind := e.User(e.TokenA, "sans-fermes@alpha.example", apitest.RightRead, apitest.RightWrite)
		seer := e.User(e.TokenA, "avec-fermes@alpha.example", apitest.RightRead, apitest.RightWrite, apitest.RightClosed)
		for name, id := range acts {
			t.Run(name, func(t *testing.T) {
				e := e.With(t)
				e.Fail(blind, activityNode, map[string]any{"id": id}, "NOT_FOUND")
				e.Fail(blind, updateActivity, map[string]any{"id": id, "in": map[string]any{"subject": "Vu"}}, "NOT_FOUND")
				e.Fail(blind, deleteActivity, map[string]any{"id": id}, "NOT_FOUND")
				if n := e.OK(seer, activityNode, map[string]any{"id": id})["node"]; apitest.Str(n, "id") != id {
					t.Errorf("with 191516 the activity is not shown: %v", n)
				}
			})
		}
		e.Fail(blind, apitest.CreateActivity, map[string]any{"in": map[string]any{"subjectId": cl, "type": "NOTE", "subject": "Non"}}, "NOT_FOUND")
		if got := activityIDs(e, blind, open); len(got) != 1 || got[0] != openAct {
			t.Errorf("an open record's activities without 191516: %v", got)
		}
		// Through an open record's contact and opportunity too.
		openContact := e.Contact(e.TokenA, open, "Visible")
		openOpp := e.Opportunity(e.TokenA, open, "Affaire visible")
		for _, subject := range []string{openContact, openOpp} {
			act := e.Activity(e.TokenA, subject, "Visible aussi")
			if n := e.OK(blind, activityNode, map[string]any{"id": act})["node"]; apitest.Str(n, "id") != act {
				t.Errorf("an open record's activity without 191516: %v", n)
			}
		}
		if got := activityIDs(e, seer, cl); len(got) != 3 {
			t.Errorf("the closed client's activities with 191516: %v, want its 3", got)
		}
		for _, record := range []string{cl, c, opp} {
			e.Fail(blind, activitiesOf, map[string]any{"id": record}, "NOT_FOUND")
		}
	})
}

func TestDeleteThirdPartyOrContact_DeletesTheirActivities(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		tp := e.Prospect(e.TokenA, "Parti")
		c1 := e.Contact(e.TokenA, tp, "Un")
		c2 := e.Contact(e.TokenA, tp, "Deux")
		opp := e.Opportunity(e.TokenA, tp, "Affaire")
		other := e.Prospect(e.TokenA, "Resté")
		acts := map[string]string{
			"tp":    e.Activity(e.TokenA, tp, "tp"),
			"c1":    e.Activity(e.TokenA, c1, "c1"),
			"c2":    e.Activity(e.TokenA, c2, "c2"),
			"opp":   e.Activity(e.TokenA, opp, "opp"),
			"other": e.Activity(e.TokenA, other, "other"),
		}
		check := func(step string, gone ...string) {
			t.Helper()
			for k, id := range acts {
				r := e.Do(e.TokenA, activityNode, map[string]any{"id": id})
				isGone := strings.Contains(" "+strings.Join(gone, " ")+" ", " "+k+" ")
				if isGone && r.Code() != "NOT_FOUND" {
					t.Errorf("%s: activity %s still answers: %v %+v", step, k, r.Data, r.Errors)
				}
				if !isGone && len(r.Errors) > 0 {
					t.Errorf("%s: activity %s went too: %+v", step, k, r.Errors)
				}
			}
		}
		e.OK(e.TokenA, apitest.DeleteContact, map[string]any{"id": c1})
		check("after deleteContact", "c1")
		e.OK(e.TokenA, apitest.DeleteThirdParty, map[string]any{"id": tp})
		check("after deleteThirdParty", "c1", "tp", "c2", "opp")
	})
}
