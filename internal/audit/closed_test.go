package audit_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"entgo.io/ent/dialect"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/testdb"
)

const everyEvent = `{ auditEvents(first: 100) { edges { node { entity recordId } } } }`

// eventRecords lists the record IDs of the trail that token reads.
func eventRecords(e *apitest.Env, token string) []string {
	var ids []string
	for _, n := range apitest.Get(e.OK(token, everyEvent, nil), "auditEvents.edges").([]any) {
		ids = append(ids, apitest.Str(n, "node.recordId"))
	}
	return ids
}

// TestAudit_ClosedClientsTrailNeedsRight191516: an administrator without
// 191516 reads no event of a closed client, of its contacts, activities,
// opportunities and links (listed or by recordId); with 191516, all. The
// events written before the migration are given their third parties by
// its backfill, which this test replays.
func TestAudit_ClosedClientsTrailNeedsRight191516(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		integration := e.User(e.TokenA, "erp@alpha.example", apitest.RightIntegrate)
		closed := e.Client(integration, "C-FERME", "Client Fermé", false)
		open := e.Client(integration, "C-OUVERT", "Client Ouvert", false)
		prospect := e.Prospect(e.TokenA, "Prospect Ouvert")
		contact := e.Contact(e.TokenA, closed, "Fermé-Contact")
		opp := e.Opportunity(e.TokenA, closed, "Affaire fermée")
		hidden := []string{
			closed, contact, opp,
			e.Activity(e.TokenA, contact, "Appel au contact"),
			e.Activity(e.TokenA, opp, "Note sur l'affaire"),
			e.Activity(e.TokenA, closed, "Note sur le client"),
			e.ManagementLink(e.TokenA, open, "DONORDRE", closed, "CL_A_FACT", false),
		}
		visible := []string{open, prospect, e.Contact(e.TokenA, prospect, "Ouvert-Contact"), e.Activity(e.TokenA, prospect, "Note")}
		e.Client(integration, "C-FERME", "Client Fermé", true)

		admin := e.User(e.TokenA, "admin2@alpha.example", apitest.AllRightsExcept(apitest.RightClosed)...)
		check := func(t *testing.T) {
			t.Helper()
			got := eventRecords(e, admin)
			for _, id := range hidden {
				if slices.Contains(got, id) {
					t.Errorf("an administrator without 191516 reads events of %s, which is or hangs on a closed client", id)
				}
				r := e.OK(admin, `query($id: ID!) { auditEvents(where: {recordId: $id}) { totalCount } }`, map[string]any{"id": id})
				if n := apitest.Num(r, "auditEvents.totalCount"); n != 0 {
					t.Errorf("%v events of %s by recordId without 191516", n, id)
				}
			}
			for _, id := range visible {
				if !slices.Contains(got, id) {
					t.Errorf("events of %s (open) are missing", id)
				}
			}
			all := eventRecords(e, e.TokenA)
			for _, id := range slices.Concat(hidden, visible) {
				if !slices.Contains(all, id) {
					t.Errorf("an administrator with 191516 misses the events of %s", id)
				}
			}
		}
		check(t)

		// The backfill gives older events (written without third parties)
		// the same ones.
		snapshot := func() string {
			rows, err := d.SQL.Query("SELECT id, entity, COALESCE(third_party_id, 0), COALESCE(linked_third_party_id, 0) FROM audit_events ORDER BY id")
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, r := range testdb.Strings(t, rows) {
				b.WriteString(strings.Join(r, " ") + "\n")
			}
			return b.String()
		}
		want := snapshot()
		if _, err := d.SQL.Exec("UPDATE audit_events SET third_party_id = NULL, linked_third_party_id = NULL"); err != nil {
			t.Fatal(err)
		}
		dir := "sqlite"
		if d.Dialect == dialect.Postgres {
			dir = "postgres"
		}
		files, _ := filepath.Glob(filepath.Join("..", "db", "migrations", dir, "*_audit_third_party_backfill.sql"))
		if len(files) != 1 {
			t.Fatalf("backfill migration: %v", files)
		}
		text, err := os.ReadFile(files[0])
		if err != nil {
			t.Fatal(err)
		}
		up, _, _ := strings.Cut(string(text), "-- +goose Down")
		if _, err := d.SQL.Exec(up); err != nil {
			t.Fatalf("backfill: %v", err)
		}
		if got := snapshot(); got != want {
			t.Errorf("after the backfill:\n%s\nwritten by the hook:\n%s", got, want)
		}
		check(t)
	})
}
