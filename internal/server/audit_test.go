package server_test

import (
	"strings"
	"testing"

	"carnet/internal/db"
	"carnet/internal/testdb"
)

func TestAudit_TrailRecordsWhoChangedWhatAndOutlivesTheRecord(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		id := str(e.ok(e.tokenA, createProspect, map[string]any{"in": map[string]any{"name": "Audité", "email": "a@audit.fr"}}), "createProspect.id")
		e.ok(e.tokenA, `mutation($id: ID!) { updateThirdParty(id: $id, expectedVersion: 1, input: {name: "Audité SA", email: null}) { version } }`, map[string]any{"id": id})
		e.ok(e.tokenA, `mutation($id: ID!) { deleteThirdParty(id: $id) }`, map[string]any{"id": id})

		const trail = `query($id: ID!) { auditEvents(first: 10, where: {recordId: $id}, orderBy: {field: CREATED_AT, direction: ASC}) {
			totalCount edges { node { action entity actor recordId changes { field old new } } } } }`
		got := e.ok(e.tokenA, trail, map[string]any{"id": id})
		if n := get(got, "auditEvents.totalCount"); n != 3.0 {
			t.Fatalf("events: %v", got)
		}
		events := get(got, "auditEvents.edges").([]any)
		actions := []string{}
		for _, ev := range events {
			actions = append(actions, str(ev, "node.action"))
			if str(ev, "node.entity") != "ThirdParty" || str(ev, "node.actor") != "Administrator" || str(ev, "node.recordId") != id {
				t.Fatalf("event: %v", ev)
			}
		}
		if strings.Join(actions, ",") != "CREATE,UPDATE,DELETE" {
			t.Fatalf("actions: %v", actions)
		}
		changes := map[string][2]any{}
		for _, c := range get(events[1], "node.changes").([]any) {
			changes[str(c, "field")] = [2]any{get(c, "old"), get(c, "new")}
		}
		if changes["name"] != [2]any{`"Audité"`, `"Audité SA"`} || changes["email"] != [2]any{`"a@audit.fr"`, nil} {
			t.Fatalf("update changes: %v", changes)
		}
		if _, ok := changes["version"]; ok {
			t.Fatalf("bookkeeping fields audited: %v", changes)
		}
		// Administrators only; other organisations see nothing.
		reader := e.user(e.tokenA, "auditeur@alpha.example", 100001)
		e.fail(reader, trail, map[string]any{"id": id}, "FORBIDDEN")
		if n := get(e.ok(e.tokenB, trail, map[string]any{"id": id}), "auditEvents.totalCount"); n != 0.0 {
			t.Fatalf("another organisation sees %v events", n)
		}
	})
}
