package filiation_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"carnet/ent"
	"carnet/ent/filiationlink"
	"carnet/ent/linktype"
	"carnet/ent/schema/enum"
	"carnet/ent/thirdparty"
	"carnet/internal/admin"
	"carnet/internal/db"
	"carnet/internal/filiation"
	"carnet/internal/rights"
	"carnet/internal/testdb"
	"carnet/internal/viewer"
)

// beforeTwoSided is the last migration of one-type filiation links: the
// one before 20261207230001_filiation_two_sided_types.
const beforeTwoSided = 20261207230001 - 1

// TestMigration_CarriesOneTypeLinksOverToTwoSides writes filiation links
// with the previous schema (one type, whose direction said where the
// linked third party stands), migrates, and checks each side's type and
// the walk from both ends.
func TestMigration_CarriesOneTypeLinksOverToTwoSides(t *testing.T) {
	for _, dia := range testdb.Dialects() {
		t.Run(dia, func(t *testing.T) {
			ctx := context.Background()
			raw := "sqlite:" + filepath.Join(t.TempDir(), "carnet.db")
			if dia == dialect.Postgres {
				raw = testdb.PostgresSchemaURL(t)
			}
			d, err := db.Open(ctx, raw)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { d.Close() })
			if err := d.MigrateTo(ctx, beforeTwoSided); err != nil {
				t.Fatal(err)
			}
			// Tables other than filiation_links are as today: ent writes them.
			org := func(name string) (*admin.Bootstrap, context.Context) {
				var b *admin.Bootstrap
				err := db.WithTx(ctx, d.Client, func(tx *ent.Client) error {
					var err error
					b, err = admin.CreateOrganisation(ctx, tx, name, strings.ToLower(name)+"@example.com")
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				return b, viewer.NewContext(ctx, &viewer.Viewer{
					OrgID: b.Organisation.ID, UserID: b.Admin.ID, CompanyID: b.LoginCompany.ID,
					Rights: rights.NewSet(rights.AllCodes()...), ManagementLinks: true, FiliationLinks: true,
				})
			}
			b1, ctx1 := org("Un")
			b2, ctx2 := org("Deux")
			tp := func(ctx context.Context, name string) int {
				t.Helper()
				x, err := d.Client.ThirdParty.Create().SetKind(enum.Client).SetStatus(thirdparty.StatusACTIVE).SetName(name).Save(ctx)
				if err != nil {
					t.Fatal(err)
				}
				return x.ID
			}
			typeID := func(ctx context.Context, code string) int {
				t.Helper()
				id, err := d.Client.LinkType.Query().Where(linktype.Code(code)).OnlyID(ctx)
				if err != nil {
					t.Fatalf("type %s: %v", code, err)
				}
				return id
			}
			groupe, err := d.Client.LinkType.Create().SetCompanyID(b1.SharedCompany.ID).SetCode("GROUPE").SetLabel("Groupe").
				SetCategory(linktype.CategoryFILIATION).Save(ctx1)
			if err != nil {
				t.Fatal(err)
			}
			mere, fille, fille2, p, q := tp(ctx1, "Mère"), tp(ctx1, "Fille"), tp(ctx1, "Fille 2"), tp(ctx1, "P"), tp(ctx1, "Q")
			sub, top := tp(ctx2, "Sub"), tp(ctx2, "Top")
			// Organisation Deux has no DOWN type: the migration creates one.
			if _, err := d.Client.LinkType.Delete().Where(linktype.DirectionEQ(linktype.DirectionDOWN)).Exec(ctx2); err != nil {
				t.Fatal(err)
			}
			insert := "INSERT INTO filiation_links (created_at, updated_at, organisation_id, third_party_id, linked_third_party_id, type_id) VALUES (?, ?, ?, ?, ?, ?)"
			if dia == dialect.Postgres {
				insert = "INSERT INTO filiation_links (created_at, updated_at, organisation_id, third_party_id, linked_third_party_id, type_id) VALUES ($1, $2, $3, $4, $5, $6)"
			}
			now := time.Now().UTC()
			old := func(orgID, from, to, typ int) {
				t.Helper()
				if _, err := d.SQL.ExecContext(ctx, insert, now, now, orgID, from, to, typ); err != nil {
					t.Fatal(err)
				}
			}
			old(b1.Organisation.ID, mere, fille, typeID(ctx1, "FILIALE"))   // DOWN: the linked Fille stands below
			old(b1.Organisation.ID, fille2, mere, typeID(ctx1, "SOC_MERE")) // UP: the linked Mère stands above
			old(b1.Organisation.ID, p, q, groupe.ID)                        // no direction
			old(b1.Organisation.ID, fille, mere, typeID(ctx1, "SOC_MERE"))  // the first link again, spelt the other way
			old(b2.Organisation.ID, sub, top, typeID(ctx2, "SOC_MERE"))     // no DOWN type to pair with
			var firstID int
			if err := d.SQL.QueryRowContext(ctx, "SELECT min(id) FROM filiation_links").Scan(&firstID); err != nil {
				t.Fatal(err)
			}

			if err := d.Migrate(ctx); err != nil {
				t.Fatal(err)
			}

			sides := func(ctx context.Context) []string {
				t.Helper()
				ls, err := d.Client.FiliationLink.Query().WithType().WithLinkedType().WithThirdParty().WithLinkedThirdParty().
					Order(ent.Asc(filiationlink.FieldID)).All(ctx)
				if err != nil {
					t.Fatal(err)
				}
				var out []string
				for _, l := range ls {
					out = append(out, fmt.Sprintf("%s %s > %s %s", l.Edges.ThirdParty.Name, l.Edges.Type.Code, l.Edges.LinkedThirdParty.Name, l.Edges.LinkedType.Code))
				}
				return out
			}
			want1 := []string{"Mère SOC_MERE > Fille FILIALE", "Fille 2 FILIALE > Mère SOC_MERE", "P GROUPE > Q GROUPE"}
			if got := sides(ctx1); !slices.Equal(got, want1) {
				t.Fatalf("organisation Un: want %q, got %q", want1, got)
			}
			if got, want := sides(ctx2), []string{"Sub SOC_MERE_INV > Top SOC_MERE"}; !slices.Equal(got, want) {
				t.Fatalf("organisation Deux: want %q, got %q", want, got)
			}
			inv, err := d.Client.LinkType.Query().Where(linktype.Code("SOC_MERE_INV")).Only(ctx2)
			if err != nil || inv.Label != "Société mère (inverse)" || inv.Direction == nil || *inv.Direction != linktype.DirectionDOWN ||
				inv.CompanyID != b2.SharedCompany.ID || inv.Category != linktype.CategoryFILIATION {
				t.Fatalf("created counterpart: %+v (%v)", inv, err)
			}
			if n, err := d.Client.FiliationLink.Query().Where(filiationlink.ID(firstID)).Count(ctx1); err != nil || n != 1 {
				t.Fatalf("the first of two spellings of one relation must stay: %d (%v)", n, err)
			}

			one := 1
			walk := func(ctx context.Context, root int, dir linktype.Direction) []string {
				t.Helper()
				g, err := filiation.Walk(ctx, d.Client, root, &one, []linktype.Direction{dir})
				if err != nil {
					t.Fatal(err)
				}
				var names []string
				for _, n := range g.Nodes {
					names = append(names, n.Name)
				}
				return names
			}
			for _, tc := range []struct {
				ctx  context.Context
				root int
				dir  linktype.Direction
				want []string
			}{
				{ctx1, mere, linktype.DirectionDOWN, []string{"Mère", "Fille", "Fille 2"}},
				{ctx1, mere, linktype.DirectionUP, []string{"Mère"}},
				{ctx1, fille, linktype.DirectionUP, []string{"Fille", "Mère"}},
				{ctx1, fille2, linktype.DirectionUP, []string{"Fille 2", "Mère"}},
				{ctx1, fille2, linktype.DirectionDOWN, []string{"Fille 2"}},
				{ctx1, p, linktype.DirectionTRANSVERSE, []string{"P", "Q"}},
				{ctx1, q, linktype.DirectionTRANSVERSE, []string{"Q", "P"}},
				{ctx2, top, linktype.DirectionDOWN, []string{"Top", "Sub"}},
				{ctx2, sub, linktype.DirectionUP, []string{"Sub", "Top"}},
			} {
				if got := walk(tc.ctx, tc.root, tc.dir); !slices.Equal(got, tc.want) {
					t.Errorf("%s from %v: want %v, got %v", tc.dir, tc.want[0], tc.want, got)
				}
			}
			// The relation is filled as the hook fills it: a new spelling of an old link is refused.
			_, err = d.Client.FiliationLink.Create().SetThirdPartyID(fille).SetTypeID(typeID(ctx1, "FILIALE")).
				SetLinkedThirdPartyID(mere).SetLinkedTypeID(typeID(ctx1, "SOC_MERE")).Save(ctx1)
			if !ent.IsConstraintError(err) {
				t.Fatalf("the same relation after the migration: want a constraint error, got %v", err)
			}
		})
	}
}
