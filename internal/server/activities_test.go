package server_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"carnet/internal/db"
	"carnet/internal/testdb"
)

const (
	createActivity = `mutation($in: CreateActivityInput!) { createActivity(input: $in) { id type subject notes date dueDate done author { id } } }`
	updateActivity = `mutation($id: ID!, $in: UpdateActivityInput!) { updateActivity(id: $id, input: $in) { id type subject notes date dueDate done author { id } } }`
	deleteActivity = `mutation($id: ID!) { deleteActivity(id: $id) }`
	activityNode   = `query($id: ID!) { node(id: $id) { id ... on Activity { type subject notes date dueDate done author { id } } } }`
	activitiesOf   = `query($id: ID!) { node(id: $id) {
  ... on ThirdParty { activities(first: 50) { totalCount edges { node { id } } } }
  ... on Contact { activities(first: 50) { totalCount edges { node { id } } } }
  ... on Opportunity { activities(first: 50) { totalCount edges { node { id } } } }
} }`
)

// activity records an activity on subject with token and returns its ID.
func (e *env) activity(token, subject, title string) string {
	e.t.Helper()
	d := e.ok(token, createActivity, map[string]any{"in": map[string]any{"subjectId": subject, "type": "NOTE", "subject": title}})
	return str(d, "createActivity.id")
}

// activityIDs lists the activities of a record, in the API's order.
func (e *env) activityIDs(token, record string) []string {
	e.t.Helper()
	d := e.ok(token, activitiesOf, map[string]any{"id": record})
	var out []string
	for i := 0; ; i++ {
		id := str(d, fmt.Sprintf("node.activities.edges.%d.node.id", i))
		if id == "" {
			break
		}
		out = append(out, id)
	}
	if n := int(num(d, "node.activities.totalCount")); n != len(out) {
		e.t.Fatalf("activities of %s: totalCount %d but %d edges", record, n, len(out))
	}
	return out
}

// opportunity creates an opportunity named name with third party tp.
func (e *env) opportunity(token, tp, name string) string {
	e.t.Helper()
	d := e.ok(token, `mutation($in: CreateOpportunityInput!) { createOpportunity(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"name": name, "thirdPartyId": tp}})
	return str(d, "createOpportunity.id")
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
		e := newEnv(t, d)
		writerID, writer := e.userWithID(e.tokenA, "commercial@alpha.example", rRead, rWrite)
		tp := e.prospect(e.tokenA, "Sujet")
		c := e.contact(e.tokenA, tp, "Durand")
		opp := e.opportunity(e.tokenA, tp, "Affaire")
		subjects := map[string]string{"contact": c, "third party": tp, "opportunity": opp}
		for _, name := range []string{"contact", "third party", "opportunity"} {
			t.Run(name, func(t *testing.T) {
				e := e.with(t)
				subject := subjects[name]
				first := e.ok(writer, createActivity, map[string]any{"in": map[string]any{
					"subjectId": subject, "type": "CALL", "subject": "  Appel de découverte  ", "notes": "Intéressé",
					"date": "2026-03-02T09:30:00Z",
				}})
				a := first["createActivity"]
				for field, want := range map[string]any{"type": "CALL", "subject": "Appel de découverte", "notes": "Intéressé", "done": false, "author.id": writerID} {
					if got := get(a, field); got != want {
						t.Errorf("%s = %v, want %v", field, got, want)
					}
				}
				if !sameInstant(t, get(a, "date"), "2026-03-02T09:30:00Z") || get(a, "dueDate") != nil {
					t.Errorf("date %v dueDate %v", get(a, "date"), get(a, "dueDate"))
				}
				time.Sleep(2 * time.Millisecond) // distinct creation times
				second := e.ok(writer, createActivity, map[string]any{"in": map[string]any{
					"subjectId": subject, "type": "TASK", "subject": "Envoyer le devis", "dueDate": "2026-03-09T17:00:00Z", "done": true,
				}})
				b := second["createActivity"]
				if get(b, "type") != "TASK" || get(b, "done") != true || get(b, "notes") != nil || !sameInstant(t, get(b, "dueDate"), "2026-03-09T17:00:00Z") {
					t.Errorf("second activity: %v", b)
				}
				want := []string{str(b, "id"), str(a, "id")}
				if got := e.activityIDs(e.tokenA, subject); strings.Join(got, ",") != strings.Join(want, ",") {
					t.Errorf("activities of the %s = %v, want newest first %v", name, got, want)
				}
			})
		}
		// Each activity shows on its own subject only.
		if n := len(e.activityIDs(e.tokenA, tp)); n != 2 {
			t.Errorf("the third party lists %d activities, want its own 2", n)
		}
	})
}

func TestUpdateActivity_AbsentFieldIsUnchangedNullClearsAndRequiredFieldsCannotBeCleared(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		tp := e.prospect(e.tokenA, "Suivi")
		a := str(e.ok(e.tokenA, createActivity, map[string]any{"in": map[string]any{
			"subjectId": tp, "type": "MEETING", "subject": "Rendez-vous", "notes": "Apporter la plaquette",
			"date": "2026-05-04T14:00:00Z", "dueDate": "2026-05-10T12:00:00Z", "done": true,
		}}), "createActivity.id")

		// Only the subject changes.
		got := e.ok(e.tokenA, updateActivity, map[string]any{"id": a, "in": map[string]any{"subject": "Rendez-vous client"}})["updateActivity"]
		if str(got, "subject") != "Rendez-vous client" || str(got, "notes") != "Apporter la plaquette" || str(got, "type") != "MEETING" ||
			get(got, "done") != true || !sameInstant(t, get(got, "date"), "2026-05-04T14:00:00Z") || !sameInstant(t, get(got, "dueDate"), "2026-05-10T12:00:00Z") {
			t.Fatalf("after changing the subject only: %v", got)
		}
		// null clears notes and date; the rest stays.
		got = e.ok(e.tokenA, updateActivity, map[string]any{"id": a, "in": map[string]any{"notes": nil, "date": nil, "done": false}})["updateActivity"]
		if get(got, "notes") != nil || get(got, "date") != nil || get(got, "done") != false ||
			str(got, "subject") != "Rendez-vous client" || !sameInstant(t, get(got, "dueDate"), "2026-05-10T12:00:00Z") {
			t.Fatalf("after clearing notes and date: %v", got)
		}
		// Read back: the change is stored, not only answered.
		n := e.ok(e.tokenA, activityNode, map[string]any{"id": a})["node"]
		if get(n, "notes") != nil || get(n, "date") != nil || str(n, "subject") != "Rendez-vous client" {
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
				e := e.with(t)
				e.fail(e.tokenA, updateActivity, map[string]any{"id": a, "in": tc.in}, "BAD_USER_INPUT", tc.field)
				if n := e.ok(e.tokenA, activityNode, map[string]any{"id": a})["node"]; str(n, "subject") != "Rendez-vous client" || str(n, "type") != "MEETING" || get(n, "notes") != nil {
					t.Errorf("a refused update changed the activity: %v", n)
				}
			})
		}
	})
}

func TestDeleteActivity_RemovesItFromItsRecordAndReturnsItsID(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		tp := e.prospect(e.tokenA, "Effacé")
		gone, stays := e.activity(e.tokenA, tp, "À effacer"), e.activity(e.tokenA, tp, "À garder")
		if got := str(e.ok(e.tokenA, deleteActivity, map[string]any{"id": gone}), "deleteActivity"); got != gone {
			t.Errorf("deleteActivity returned %q, want %q", got, gone)
		}
		e.fail(e.tokenA, activityNode, map[string]any{"id": gone}, "NOT_FOUND")
		if got := e.activityIDs(e.tokenA, tp); len(got) != 1 || got[0] != stays {
			t.Errorf("activities after delete: %v, want [%s]", got, stays)
		}
		e.fail(e.tokenA, deleteActivity, map[string]any{"id": gone}, "NOT_FOUND")
		e.fail(e.tokenA, updateActivity, map[string]any{"id": gone, "in": map[string]any{"subject": "Zombie"}}, "NOT_FOUND")
	})
}

func TestActivities_SubjectMustBeAContactThirdPartyOrOpportunityOfTheOrganisation(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		tp := e.prospect(e.tokenA, "Chez A")
		bTP := e.prospect(e.tokenB, "Chez B")
		bContact := e.contact(e.tokenB, bTP, "Bernard")
		bOpp := e.opportunity(e.tokenB, bTP, "Affaire de B")
		bActivity := e.activity(e.tokenB, bTP, "Note de B")
		aActivity := e.activity(e.tokenA, tp, "Note de A")
		for _, tc := range []struct {
			name, subject, code string
		}{
			{"unknown ID", base64.RawURLEncoding.EncodeToString([]byte("carnet:987654321")), "NOT_FOUND"},
			{"a user", e.meID(e.tokenA), "NOT_FOUND"},
			{"an activity", aActivity, "NOT_FOUND"},
			{"another organisation's third party", bTP, "NOT_FOUND"},
			{"another organisation's contact", bContact, "NOT_FOUND"},
			{"another organisation's opportunity", bOpp, "NOT_FOUND"},
			{"not an ID", "hello", "BAD_USER_INPUT"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.with(t)
				e.fail(e.tokenA, createActivity, map[string]any{"in": map[string]any{"subjectId": tc.subject, "type": "NOTE", "subject": "Perdu"}}, tc.code)
			})
		}
		if got := e.activityIDs(e.tokenB, bTP); len(got) != 1 || got[0] != bActivity {
			t.Errorf("B's third party's activities: %v, want only B's own", got)
		}
		// A cannot see, change or delete B's activity.
		e.fail(e.tokenA, activityNode, map[string]any{"id": bActivity}, "NOT_FOUND")
		e.fail(e.tokenA, updateActivity, map[string]any{"id": bActivity, "in": map[string]any{"subject": "Piraté"}}, "NOT_FOUND")
		e.fail(e.tokenA, deleteActivity, map[string]any{"id": bActivity}, "NOT_FOUND")
		if n := e.ok(e.tokenB, activityNode, map[string]any{"id": bActivity})["node"]; str(n, "subject") != "Note de B" {
			t.Errorf("B's activity after A's attempts: %v", n)
		}
	})
}

func TestActivities_WritingNeedsRight100002AndARefusalChangesNothing(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		tp := e.prospect(e.tokenA, "Droits")
		a := e.activity(e.tokenA, tp, "Existante")
		for _, tc := range []struct {
			name, email string
			rights      []int
		}{
			{"read only", "r@alpha.example", []int{rRead}},
			{"read, delete and documents", "rdd@alpha.example", []int{rRead, rDelete, rManageDocs}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.with(t)
				token := e.user(e.tokenA, tc.email, tc.rights...)
				e.fail(token, createActivity, map[string]any{"in": map[string]any{"subjectId": tp, "type": "NOTE", "subject": "Refusée"}}, "FORBIDDEN")
				e.fail(token, updateActivity, map[string]any{"id": a, "in": map[string]any{"subject": "Refusée"}}, "FORBIDDEN")
				e.fail(token, deleteActivity, map[string]any{"id": a}, "FORBIDDEN")
				if got := e.activityIDs(e.tokenA, tp); len(got) != 1 || got[0] != a {
					t.Errorf("activities after refusals: %v", got)
				}
				if n := e.ok(token, activityNode, map[string]any{"id": a})["node"]; str(n, "subject") != "Existante" {
					t.Errorf("activity after refusals: %v", n)
				}
			})
		}
	})
}

func TestActivities_OfAClosedClientAreHiddenWithout191516(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		cl := e.client(e.tokenA, "CL01", "Client fermé", false)
		c := e.contact(e.tokenA, cl, "Caché")
		opp := e.opportunity(e.tokenA, cl, "Affaire cachée")
		acts := map[string]string{
			"on the client":      e.activity(e.tokenA, cl, "Sur le client"),
			"on its contact":     e.activity(e.tokenA, c, "Sur le contact"),
			"on its opportunity": e.activity(e.tokenA, opp, "Sur l'affaire"),
		}
		e.client(e.tokenA, "CL01", "Client fermé", true) // closes it
		open := e.prospect(e.tokenA, "Ouvert")
		openAct := e.activity(e.tokenA, open, "Visible")

		blind := e.user(e.tokenA, "sans-fermes@alpha.example", rRead, rWrite)
		seer := e.user(e.tokenA, "avec-fermes@alpha.example", rRead, rWrite, rClosed)
		for name, id := range acts {
			t.Run(name, func(t *testing.T) {
				e := e.with(t)
				e.fail(blind, activityNode, map[string]any{"id": id}, "NOT_FOUND")
				e.fail(blind, updateActivity, map[string]any{"id": id, "in": map[string]any{"subject": "Vu"}}, "NOT_FOUND")
				e.fail(blind, deleteActivity, map[string]any{"id": id}, "NOT_FOUND")
				if n := e.ok(seer, activityNode, map[string]any{"id": id})["node"]; str(n, "id") != id {
					t.Errorf("with 191516 the activity is not shown: %v", n)
				}
			})
		}
		e.fail(blind, createActivity, map[string]any{"in": map[string]any{"subjectId": cl, "type": "NOTE", "subject": "Non"}}, "NOT_FOUND")
		if got := e.activityIDs(blind, open); len(got) != 1 || got[0] != openAct {
			t.Errorf("an open record's activities without 191516: %v", got)
		}
		// Through an open record's contact and opportunity too.
		openContact := e.contact(e.tokenA, open, "Visible")
		openOpp := e.opportunity(e.tokenA, open, "Affaire visible")
		for _, subject := range []string{openContact, openOpp} {
			act := e.activity(e.tokenA, subject, "Visible aussi")
			if n := e.ok(blind, activityNode, map[string]any{"id": act})["node"]; str(n, "id") != act {
				t.Errorf("an open record's activity without 191516: %v", n)
			}
		}
		if got := e.activityIDs(seer, cl); len(got) != 1 || got[0] != acts["on the client"] {
			t.Errorf("the closed client's activities with 191516: %v", got)
		}
	})
}

func TestDeleteThirdPartyOrContact_DeletesTheirActivities(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		tp := e.prospect(e.tokenA, "Parti")
		c1 := e.contact(e.tokenA, tp, "Un")
		c2 := e.contact(e.tokenA, tp, "Deux")
		opp := e.opportunity(e.tokenA, tp, "Affaire")
		other := e.prospect(e.tokenA, "Resté")
		acts := map[string]string{
			"tp":    e.activity(e.tokenA, tp, "tp"),
			"c1":    e.activity(e.tokenA, c1, "c1"),
			"c2":    e.activity(e.tokenA, c2, "c2"),
			"opp":   e.activity(e.tokenA, opp, "opp"),
			"other": e.activity(e.tokenA, other, "other"),
		}
		check := func(step string, gone ...string) {
			t.Helper()
			for k, id := range acts {
				r := e.do(e.tokenA, activityNode, map[string]any{"id": id})
				isGone := strings.Contains(" "+strings.Join(gone, " ")+" ", " "+k+" ")
				if isGone && r.code() != "NOT_FOUND" {
					t.Errorf("%s: activity %s still answers: %v %+v", step, k, r.Data, r.Errors)
				}
				if !isGone && len(r.Errors) > 0 {
					t.Errorf("%s: activity %s went too: %+v", step, k, r.Errors)
				}
			}
		}
		e.ok(e.tokenA, deleteContact, map[string]any{"id": c1})
		check("after deleteContact", "c1")
		e.ok(e.tokenA, deleteThirdParty, map[string]any{"id": tp})
		check("after deleteThirdParty", "c1", "tp", "c2", "opp")
	})
}
