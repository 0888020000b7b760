package duplicates_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"carnet/ent"
	"carnet/internal/admin"
	"carnet/internal/db"
	"carnet/internal/duplicates"
	"carnet/internal/gen"
	"carnet/internal/rights"
	"carnet/internal/testdb"
	"carnet/internal/viewer"
)

// BenchmarkGroups pages through the stewards' report of a generated
// organisation (100,000 third parties, CARNET_BENCH_THIRD_PARTIES to
// change it): each op reads the first three pages of 100 groups; the
// look-up of one record's candidates is measured beside it. PostgreSQL
// when CARNET_TEST_POSTGRES_URL is set, else SQLite.
//
//	go test -run=^$ -bench=Groups -benchtime=5x ./internal/duplicates/
func BenchmarkGroups(b *testing.B) {
	n := 100_000
	if s := os.Getenv("CARNET_BENCH_THIRD_PARTIES"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	dia := dialect.SQLite
	if os.Getenv(testdb.PostgresEnv) != "" {
		dia = dialect.Postgres
	}
	d := testdb.Open(b, dia)
	ctx := context.Background()
	var org *admin.Bootstrap
	if err := db.WithTx(ctx, d.Client, func(tx *ent.Client) (err error) {
		org, err = admin.CreateOrganisation(ctx, tx, "Doublons", "d@example.com")
		return err
	}); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if _, err := gen.Run(ctx, d, "Doublons", n, 1, io.Discard); err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: generated %d third parties in %s", dia, n, time.Since(start).Round(time.Second))
	vctx := viewer.NewContext(ctx, &viewer.Viewer{
		OrgID: org.Organisation.ID, UserID: org.Admin.ID, CompanyID: org.LoginCompany.ID,
		Rights: rights.NewSet(rights.AllCodes()...),
	})
	logPlans(b, d, org.Organisation.ID)
	first := 100
	b.Run("three-pages-of-100", func(b *testing.B) {
		groups := 0
		for b.Loop() {
			var after *string
			groups = 0
			for range 3 {
				page, err := duplicates.Groups(vctx, d.Client, &first, after)
				if err != nil {
					b.Fatal(err)
				}
				groups += len(page.Edges)
				if !page.PageInfo.HasNextPage {
					break
				}
				after = page.PageInfo.EndCursor
			}
		}
		b.ReportMetric(float64(groups), "groups")
	})
	tp, err := d.Client.ThirdParty.Query().Order(ent.Desc("id")).First(vctx)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("candidates-of-one-record", func(b *testing.B) {
		for b.Loop() {
			if _, err := duplicates.Candidates(vctx, d.Client, &tp.ID, nil, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// logPlans logs the plans of the statements the look-ups and the report
// send (their shape: ent adds the privacy rules' conditions).
func logPlans(b *testing.B, d *db.DB, orgID int) {
	explain, ph := "EXPLAIN QUERY PLAN ", func(i int) string { return "?" }
	if d.Dialect == dialect.Postgres {
		explain, ph = "EXPLAIN ", func(i int) string { return "$" + strconv.Itoa(i) }
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{"SELECT siren, count(*) FROM third_parties WHERE organisation_id = " + ph(1) + " AND siren IS NOT NULL AND siren <> '' GROUP BY siren HAVING count(*) > 1 ORDER BY siren LIMIT 101", []any{orgID}},
		{"SELECT name_key, postal_code, count(*) FROM third_parties WHERE organisation_id = " + ph(1) + " AND name_key <> '' AND postal_code IS NOT NULL GROUP BY name_key, postal_code HAVING count(*) > 1 ORDER BY name_key, postal_code LIMIT 101", []any{orgID}},
		{"SELECT id FROM third_parties WHERE organisation_id = " + ph(1) + " AND siret = " + ph(2) + " AND id <> " + ph(3) + " LIMIT 20", []any{orgID, "73282932000074", 0}},
		{"SELECT id, name_key FROM third_parties WHERE organisation_id = " + ph(1) + " AND name_key >= " + ph(2) + " AND name_key < " + ph(3) + " LIMIT 500", []any{orgID, "boul", "boum"}},
	} {
		rows, err := d.SQL.QueryContext(context.Background(), explain+q.sql, q.args...)
		if err != nil {
			b.Fatal(err)
		}
		cols, _ := rows.Columns()
		plan := ""
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				b.Fatal(err)
			}
			plan += "\n    " + fmt.Sprint(vals[len(vals)-1])
		}
		rows.Close()
		b.Logf("%s%s", q.sql, plan)
	}
}
