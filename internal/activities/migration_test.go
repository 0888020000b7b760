package activities_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"entgo.io/ent/dialect"

	"carnet/internal/testdb"
)

// beforeThirdPartyActivities is the last migration before activities
// concerned a third party (each had exactly one of third_party_id,
// contact_id, opportunity_id).
const beforeThirdPartyActivities = 20261207225959

// TestMigration_EveryActivityGetsTheThirdPartyOfItsContactOrOpportunity
// writes activities as the previous schema had them, migrates, and checks
// that each concerns the third party of its subject, keeps its contact or
// opportunity and its fields, is listed at its date (its creation when it
// has none), and that one concerning nothing is gone.
func TestMigration_EveryActivityGetsTheThirdPartyOfItsContactOrOpportunity(t *testing.T) {
	for _, dia := range testdb.Dialects() {
		t.Run(dia, func(t *testing.T) {
			ctx := context.Background()
			d := testdb.OpenUpTo(t, dia, beforeThirdPartyActivities)
			q := func(s string) string {
				if dia == dialect.Postgres {
					return strings.ReplaceAll(s, "`", `"`)
				}
				return s
			}
			insert := func(stmt string) int64 {
				t.Helper()
				var id int64
				if err := d.SQL.QueryRowContext(ctx, q(stmt+" RETURNING `id`")).Scan(&id); err != nil {
					t.Fatalf("%s: %v", stmt, err)
				}
				return id
			}
			const ts = "'2026-01-05 10:00:00+00:00', '2026-01-05 10:00:00+00:00'"
			org := insert("INSERT INTO `organisations` (`created_at`, `updated_at`, `name`) VALUES (" + ts + ", 'Org')")
			tp := insert(fmt.Sprintf("INSERT INTO `third_parties` (`created_at`, `updated_at`, `kind`, `status`, `name`, `organisation_id`) VALUES (%s, 'CLIENT', 'ACTIVE', 'Client', %d)", ts, org))
			c := insert(fmt.Sprintf("INSERT INTO `contacts` (`created_at`, `updated_at`, `last_name`, `organisation_id`, `third_party_id`) VALUES (%s, 'Durand', %d, %d)", ts, org, tp))
			opp := insert(fmt.Sprintf("INSERT INTO `opportunities` (`created_at`, `updated_at`, `name`, `organisation_id`, `third_party_id`) VALUES (%s, 'Affaire', %d, %d)", ts, org, tp))
			activity := func(subject, date, col string, id int64) {
				t.Helper()
				cols, vals := "", ""
				if col != "" {
					cols, vals = ", `"+col+"`", fmt.Sprintf(", %d", id)
				}
				insert(fmt.Sprintf("INSERT INTO `activities` (`created_at`, `updated_at`, `type`, `subject`, `notes`, `date`, `done`, `organisation_id`%s) VALUES (%s, 'CALL', '%s', 'notes %s', %s, true, %d%s)",
					cols, ts, subject, subject, date, org, vals))
			}
			activity("own", "'2026-03-01 09:00:00+00:00'", "third_party_id", tp)
			activity("of the contact", "NULL", "contact_id", c)
			activity("of the opportunity", "'2026-02-01 09:00:00+00:00'", "opportunity_id", opp)
			activity("of nothing", "NULL", "", 0)

			if err := d.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			rows, err := d.SQL.QueryContext(ctx, q("SELECT `subject`, `notes`, `third_party_id`, `contact_id`, `opportunity_id`, "+
				"CASE WHEN `done` THEN 'done' ELSE 'not done' END, "+
				"CASE WHEN `listed_at` = COALESCE(`date`, `created_at`) THEN 'listed at its date' ELSE 'listed elsewhere' END FROM `activities` ORDER BY `subject`"))
			if err != nil {
				t.Fatal(err)
			}
			got := testdb.Strings(t, rows)
			want := [][]string{
				{"of the contact", "notes of the contact", fmt.Sprint(tp), fmt.Sprint(c), "<nil>", "done", "listed at its date"},
				{"of the opportunity", "notes of the opportunity", fmt.Sprint(tp), "<nil>", fmt.Sprint(opp), "done", "listed at its date"},
				{"own", "notes own", fmt.Sprint(tp), "<nil>", "<nil>", "done", "listed at its date"},
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("after the migration:\n got %v\nwant %v", got, want)
			}
		})
	}
}
