package db_test

import (
	"context"
	"testing"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/gid"
	"carnet/internal/testdb"
)

// The third parties that existed before the duplicate name keys get
// theirs from the Go migration that follows the columns' creation.
func TestMigration_NameKeysFilledForExistingThirdParties(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := apitest.New(t, d)
		p := e.Prospect(e.TokenA, "SARL Garage Dupont-Frères")
		if err := d.MigrateDownBefore(ctx, "_duplicates"); err != nil {
			t.Fatal(err)
		}
		if err := d.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		id, _ := gid.Decode(p)
		var key, rev string
		q := "SELECT name_key, name_key_reversed FROM third_parties WHERE id = ?"
		if d.Dialect == "postgres" {
			q = "SELECT name_key, name_key_reversed FROM third_parties WHERE id = $1"
		}
		if err := d.SQL.QueryRowContext(ctx, q, id).Scan(&key, &rev); err != nil {
			t.Fatal(err)
		}
		if key != "dupont freres garage" || rev != "egarag sererf tnopud" {
			t.Fatalf("name keys: %q, %q", key, rev)
		}
	})
}
