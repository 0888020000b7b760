package audit_test

import (
	"fmt"
	"strings"
	"testing"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/testdb"
)

func TestAudit_TrailRecordsWhoChangedWhatAndOutlivesTheRecord(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		id := apitest.Str(e.OK(e.TokenA, apitest.CreateProspect, map[string]any{"in": map[string]any{"name": "Audité", "email": "a@audit.fr"}}), "createProspect.id")
		e.OK(e.TokenA, `mutation($id: ID!) { updateThirdParty(id: $id, expectedVersion: 1, input: {name: "Audité SA", email: null}) { version } }`, map[string]any{"id": id})
		e.OK(e.TokenA, `mutation($id: ID!) { deleteThirdParty(id: $id) }`, map[string]any{"id": id})

		const trail = `query($id: ID!) { auditEvents(first: 10, where: {recordId: $id}, orderBy: {field: CREATED_AT, direction: ASC}) {
			totalCount edges { node { action entity actor recordId changes { field old new } } } } }`
		got := e.OK(e.TokenA, trail, map[string]any{"id": id})
		if n := apitest.Get(got, "auditEvents.totalCount"); n != 3.0 {
			t.Fatalf("events: %v", got)
		}
		events := apitest.Get(got, "auditEvents.edges").([]any)
		actions := []string{}
		for _, ev := range events {
			actions = append(actions, apitest.Str(ev, "node.action"))
			if apitest.Str(ev, "node.entity") != "ThirdParty" || apitest.Str(ev, "node.actor") != "Administrator" || apitest.Str(ev, "node.recordId") != id {
				t.Fatalf("event: %v", ev)
			}
		}
		if strings.Join(actions, ",") != "CREATE,UPDATE,DELETE" {
			t.Fatalf("actions: %v", actions)
		}
		changes := map[string][2]any{}
		for _, c := range apitest.Get(events[1], "node.changes").([]any) {
			changes[apitest.Str(c, "field")] = [2]any{apitest.Get(c, "old"), apitest.Get(c, "new")}
		}
		if changes["name"] != [2]any{`"Audité"`, `"Audité SA"`} || changes["email"] != [2]any{`"a@audit.fr"`, nil} {
			t.Fatalf("update changes: %v", changes)
		}
		if _, ok := changes["version"]; ok {
			t.Fatalf("bookkeeping fields audited: %v", changes)
		}
		// Administrators only; other organisations see nothing.
		reader := e.User(e.TokenA, "auditeur@alpha.example", 100001)
		e.Fail(reader, trail, map[string]any{"id": id}, "FORBIDDEN")
		if n := apitest.Get(e.OK(e.TokenB, trail, map[string]any{"id": id}), "auditEvents.totalCount"); n != 0.0 {
			t.Fatalf("another organisation sees %v events", n)
		}
	})
}

func TestAudit_LinksActivitiesAndTokensAreAuditedAndCascadesRecorded(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		c := e.Client(e.TokenA, "C-AUD", "Client audité", false)
		p := e.Prospect(e.TokenA, "Prospect lié")
		link := e.ManagementLink(e.TokenA, c, "DONORDRE", p, "CL_A_FACT", false)
		act := e.Activity(e.TokenA, p, "Appel")
		e.User(e.TokenA, "lecteur@alpha.example", 100001)

		const byEntity = `query($e: String!) { auditEvents(first: 50, where: {entity: $e}, orderBy: {field: CREATED_AT, direction: ASC}) {
			edges { node { action recordId actor changes { field old new } } } } }`
		events := func(entity string) []any {
			l, _ := apitest.Get(e.OK(e.TokenA, byEntity, map[string]any{"e": entity}), "auditEvents.edges").([]any)
			return l
		}
		// Deleting the prospect cascades to its link and its activity:
		// each deletion is recorded, with the values the record had.
		e.OK(e.TokenA, `mutation($id: ID!) { deleteThirdParty(id: $id) }`, map[string]any{"id": p})
		for _, want := range []struct{ entity, id string }{{"ManagementLink", link}, {"Activity", act}} {
			evs := events(want.entity)
			var actions []string
			for _, ev := range evs {
				if apitest.Str(ev, "node.recordId") != want.id {
					t.Fatalf("%s event of another record: %v", want.entity, ev)
				}
				actions = append(actions, apitest.Str(ev, "node.action"))
			}
			if strings.Join(actions, ",") != "CREATE,DELETE" {
				t.Fatalf("%s events: %v", want.entity, evs)
			}
			if apitest.Str(evs[0], "node.actor") != "Administrator" {
				t.Fatalf("%s actor: %v", want.entity, evs[0])
			}
		}
		if got := fmt.Sprint(events("Activity")[1]); !strings.Contains(got, `"Appel"`) {
			t.Fatalf("deleted activity's subject not kept: %s", got)
		}
		// Tokens: issued and the user created are recorded, the hash never.
		tokens := events("Token")
		if len(tokens) == 0 {
			t.Fatal("no token event")
		}
		for _, ev := range tokens {
			for _, ch := range apitest.Get(ev, "node.changes").([]any) {
				if f := apitest.Str(ch, "field"); f == "hash" || f == "last_used_at" {
					t.Fatalf("token event records %s: %v", f, ev)
				}
			}
		}
		if len(events("User")) == 0 {
			t.Fatal("no user event")
		}
		// Another organisation sees none of it.
		got := e.OK(e.TokenB, byEntity, map[string]any{"e": "ManagementLink"})
		if l, _ := apitest.Get(got, "auditEvents.edges").([]any); len(l) != 0 {
			t.Fatalf("organisation B sees A's link events: %v", l)
		}
	})
}

// An opportunity's contacts are audited as one of its fields: on
// creation, and when they change.
func TestAudit_OpportunityContactsAreAudited(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		tp := e.Prospect(e.TokenA, "Affaire")
		c1, c2 := e.Contact(e.TokenA, tp, "Un"), e.Contact(e.TokenA, tp, "Deux")
		o := e.NewOpportunity(e.TokenA, map[string]any{"name": "Deal", "thirdPartyId": tp, "contactIds": []string{c1}})
		e.OK(e.TokenA, apitest.UpdateOpportunity, map[string]any{"id": apitest.Str(o, "id"), "in": map[string]any{"contactIds": []string{c2}}})
		const trail = `query($id: ID!) { auditEvents(first: 10, where: {recordId: $id}, orderBy: {field: CREATED_AT, direction: ASC}) {
			edges { node { action changes { field old new } } } } }`
		events := apitest.Get(e.OK(e.TokenA, trail, map[string]any{"id": apitest.Str(o, "id")}), "auditEvents.edges").([]any)
		if len(events) != 2 || apitest.Str(events[1], "node.action") != "UPDATE" {
			t.Fatalf("events: %v", events)
		}
		field := func(ev any, name string) (any, any, bool) {
			for _, c := range apitest.Get(ev, "node.changes").([]any) {
				if apitest.Str(c, "field") == name {
					return apitest.Get(c, "old"), apitest.Get(c, "new"), true
				}
			}
			return nil, nil, false
		}
		if old, nw, ok := field(events[0], "contacts"); !ok || old != nil || nw == nil {
			t.Fatalf("creation's contacts: %v", events[0])
		}
		old, nw, ok := field(events[1], "contacts")
		if !ok || old == nil || nw == nil || old == nw {
			t.Fatalf("update's contacts: %v", events[1])
		}
		// Another change leaves the contacts out.
		e.OK(e.TokenA, apitest.UpdateOpportunity, map[string]any{"id": apitest.Str(o, "id"), "in": map[string]any{"name": "Deal 2"}})
		events = apitest.Get(e.OK(e.TokenA, trail, map[string]any{"id": apitest.Str(o, "id")}), "auditEvents.edges").([]any)
		if _, _, ok := field(events[2], "contacts"); ok || len(events) != 3 {
			t.Fatalf("a change of name recorded the contacts: %v", events[2])
		}
	})
}
