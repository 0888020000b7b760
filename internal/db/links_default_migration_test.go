package db_test

import (
	"context"
	"fmt"
	"testing"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/gid"
	"carnet/internal/testdb"
)

// The migration to one default link per record keeps, of a record's
// defaults written under the previous rule (one per ordering party, so a
// bill-to party could hold several), the most recent.
func TestMigration_OneDefaultPerRecordKeepsTheMostRecent(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := apitest.New(t, d)
		o1 := e.Client(e.TokenA, "O1", "Donneur un", false)
		o2 := e.Client(e.TokenA, "O2", "Donneur deux", false)
		b, other := e.Prospect(e.TokenA, "Facturé"), e.Prospect(e.TokenA, "Autre")
		l1 := e.ManagementLink(e.TokenA, o1, "DONORDRE", b, "CL_A_FACT", true)
		l2 := e.ManagementLink(e.TokenA, o2, "DONORDRE", b, "CL_A_FACT", false)
		l3 := e.ManagementLink(e.TokenA, other, "CL_A_FACT", o1, "DONORDRE", false)

		if err := d.MigrateDownBefore(ctx, "_links_one_default_per_record_data"); err != nil {
			t.Fatal(err)
		}
		// As the previous rule allowed: b default for o1 and for o2.
		id, _ := gid.Decode(l2)
		if _, err := d.SQL.ExecContext(ctx, fmt.Sprintf("UPDATE management_links SET is_default = true WHERE id = %d", id)); err != nil {
			t.Fatal(err)
		}
		if err := d.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		isDefault := func(l string) bool {
			v, _ := apitest.Get(e.OK(e.TokenA, `query($id: ID!) { node(id: $id) { ... on ManagementLink { isDefault } } }`, map[string]any{"id": l}), "node.isDefault").(bool)
			return v
		}
		if isDefault(l1) || !isDefault(l2) || isDefault(l3) {
			t.Fatalf("want only the most recent default l2: l1 %v, l2 %v, l3 %v", isDefault(l1), isDefault(l2), isDefault(l3))
		}
		// The new rule holds from now on: o1 may take a default again.
		e.OK(e.TokenA, `mutation($id: ID!) { updateManagementLink(id: $id, input: {isDefault: true}) { id } }`, map[string]any{"id": l3})
		if !isDefault(l3) || !isDefault(l2) {
			t.Fatalf("after the migration: l2 %v, l3 %v", isDefault(l2), isDefault(l3))
		}
	})
}
