package filiation_test

import (
	"context"
	"io"
	"os"
	"testing"

	"entgo.io/ent/dialect"

	"carnet/ent"
	"carnet/ent/filiationlink"
	"carnet/ent/linktype"
	"carnet/ent/thirdparty"
	"carnet/internal/admin"
	"carnet/internal/db"
	"carnet/internal/filiation"
	"carnet/internal/gen"
	"carnet/internal/rights"
	"carnet/internal/testdb"
	"carnet/internal/viewer"
)

// BenchmarkWalk compares the two ways of walking a filiation graph to
// depth 5 from a branch (it reaches its whole group: up to the parent and
// down to the sites) in a generated network of 100,000 third parties:
// one query per depth level with the frontier batched (filiation.Walk, the
// implementation kept), and one recursive CTE followed by the nodes'
// query. PostgreSQL when CARNET_TEST_POSTGRES_URL is set, else SQLite.
//
//	CARNET_TEST_POSTGRES_URL=… go test -run=^$ -bench=Walk -benchtime=200x ./internal/filiation/
func BenchmarkWalk(b *testing.B) {
	dia := dialect.SQLite
	if os.Getenv(testdb.PostgresEnv) != "" {
		dia = dialect.Postgres
	}
	d := testdb.Open(b, dia)
	ctx := context.Background()
	var org *admin.Bootstrap
	if err := db.WithTx(ctx, d.Client, func(tx *ent.Client) (err error) {
		org, err = admin.CreateOrganisation(ctx, tx, "Réseau", "r@example.com")
		return err
	}); err != nil {
		b.Fatal(err)
	}
	if _, err := gen.Run(ctx, d, "Réseau", 100_000, 1, io.Discard); err != nil {
		b.Fatal(err)
	}
	vctx := viewer.NewContext(ctx, &viewer.Viewer{
		OrgID: org.Organisation.ID, UserID: org.Admin.ID, CompanyID: org.LoginCompany.ID,
		Rights: rights.NewSet(rights.AllCodes()...), FiliationLinks: true,
	})
	// A branch of a group in the middle of the network.
	links, err := d.Client.FiliationLink.Query().Order(filiationlink.ByID()).All(vctx)
	if err != nil || len(links) == 0 {
		b.Fatalf("no links: %v", err)
	}
	branch := links[len(links)/2+5].LinkedThirdPartyID
	run(b, d, vctx, org.Organisation.ID, "depth5-group", branch, 5)

	// Then join every group's parent to the first one (PARTENAIRE): one
	// component of 50,000 third parties. From a branch at depth 10 the
	// level-by-level walk stops at the 1,000-node cap; the CTE must
	// enumerate the whole component before any cap can apply.
	parents, err := d.Client.FiliationLink.Query().
		Where(filiationlink.HasTypeWith(linktype.Code("FILIALE"))).
		GroupBy(filiationlink.FieldThirdPartyID).Ints(vctx)
	if err != nil || len(parents) < 2 {
		b.Fatalf("group parents: %d, %v", len(parents), err)
	}
	partner, err := d.Client.LinkType.Query().Where(linktype.Code("PARTENAIRE")).Only(vctx)
	if err != nil {
		b.Fatal(err)
	}
	var creates []*ent.FiliationLinkCreate
	for _, p := range parents[1:] {
		creates = append(creates, d.Client.FiliationLink.Create().SetThirdPartyID(parents[0]).SetLinkedThirdPartyID(p).SetTypeID(partner.ID))
	}
	for len(creates) > 0 {
		n := min(200, len(creates))
		if err := d.Client.FiliationLink.CreateBulk(creates[:n]...).Exec(vctx); err != nil {
			b.Fatal(err)
		}
		creates = creates[n:]
	}
	run(b, d, vctx, org.Organisation.ID, "depth10-hub", branch, 10)
}

// run benchmarks both walks from start to depth.
func run(b *testing.B, d *db.DB, vctx context.Context, orgID int, name string, start, depth int) {
	b.Run(name+"/level-by-level", func(b *testing.B) {
		var nodes int
		for b.Loop() {
			g, err := filiation.Walk(vctx, d.Client, start, &depth, nil)
			if err != nil {
				b.Fatal(err)
			}
			nodes = len(g.Nodes)
		}
		b.ReportMetric(float64(nodes), "nodes")
	})
	b.Run(name+"/recursive-CTE", func(b *testing.B) {
		q := `WITH RECURSIVE walk(id, depth) AS (
			SELECT CAST(? AS BIGINT), 0
			UNION
			SELECT CASE WHEN l.third_party_id = w.id THEN l.linked_third_party_id ELSE l.third_party_id END, w.depth + 1
			FROM walk w JOIN filiation_links l ON l.third_party_id = w.id OR l.linked_third_party_id = w.id
			WHERE w.depth < ? AND l.organisation_id = ?)
		SELECT DISTINCT id FROM walk`
		if d.Dialect == dialect.Postgres {
			q = `WITH RECURSIVE walk(id, depth) AS (
			SELECT CAST($1 AS BIGINT), 0
			UNION
			SELECT CASE WHEN l.third_party_id = w.id THEN l.linked_third_party_id ELSE l.third_party_id END, w.depth + 1
			FROM walk w JOIN filiation_links l ON l.third_party_id = w.id OR l.linked_third_party_id = w.id
			WHERE w.depth < $2 AND l.organisation_id = $3)
		SELECT DISTINCT id FROM walk`
		}
		var nodes int
		for b.Loop() {
			rows, err := d.SQL.QueryContext(vctx, q, start, depth, orgID)
			if err != nil {
				b.Fatal(err)
			}
			var ids []int
			for rows.Next() {
				var id int
				if err := rows.Scan(&id); err != nil {
					b.Fatal(err)
				}
				ids = append(ids, id)
			}
			rows.Close()
			tps, err := d.Client.ThirdParty.Query().Where(thirdparty.IDIn(ids...)).All(vctx)
			if err != nil {
				b.Fatal(err)
			}
			nodes = len(tps)
		}
		b.ReportMetric(float64(nodes), "nodes")
	})
}
