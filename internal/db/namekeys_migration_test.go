package db_test

import (
	"context"
	"strings"
	"testing"

	"carnet/internal/testdb"

	"entgo.io/ent/dialect"
)

// beforeDuplicates is the last migration before the duplicate name keys'
// columns (20261207225004_duplicates).
const beforeDuplicates = 20261207225003

// The third parties that existed before the duplicate name keys get
// theirs from the Go migration that follows the columns' creation.
func TestMigration_NameKeysFilledForExistingThirdParties(t *testing.T) {
	for _, dia := range testdb.Dialects() {
		t.Run(dia, func(t *testing.T) {
			ctx := context.Background()
			d := testdb.OpenUpTo(t, dia, beforeDuplicates)
			q := func(s string) string {
				if dia == dialect.Postgres {
					return strings.ReplaceAll(s, "`", `"`)
				}
				return s
			}
			var org, tp int64
			const ts = "'2026-01-05 10:00:00+00:00', '2026-01-05 10:00:00+00:00'"
			if err := d.SQL.QueryRowContext(ctx, q("INSERT INTO `organisations` (`created_at`, `updated_at`, `name`) VALUES ("+ts+", 'Org') RETURNING `id`")).Scan(&org); err != nil {
				t.Fatal(err)
			}
			stmt := "INSERT INTO `third_parties` (`created_at`, `updated_at`, `kind`, `status`, `name`, `organisation_id`) VALUES (" + ts + ", 'PROSPECT', 'ACTIVE', 'SARL Garage Dupont-Frères', ?) RETURNING `id`"
			if dia == dialect.Postgres {
				stmt = strings.Replace(stmt, "?", "$1", 1)
			}
			if err := d.SQL.QueryRowContext(ctx, q(stmt), org).Scan(&tp); err != nil {
				t.Fatal(err)
			}
			if err := d.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			var key, rev string
			sel := "SELECT name_key, name_key_reversed FROM third_parties WHERE id = ?"
			if dia == dialect.Postgres {
				sel = "SELECT name_key, name_key_reversed FROM third_parties WHERE id = $1"
			}
			if err := d.SQL.QueryRowContext(ctx, sel, tp).Scan(&key, &rev); err != nil {
				t.Fatal(err)
			}
			if key != "dupont freres garage" || rev != "egarag sererf tnopud" {
				t.Fatalf("name keys: %q, %q", key, rev)
			}
		})
	}
}
