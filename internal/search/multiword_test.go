package search_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"carnet/ent"
	"carnet/ent/schema/enum"
	"carnet/ent/thirdparty"
	"carnet/internal/db"
	"carnet/internal/search"
	"carnet/internal/testdb"
)

func TestTermsHoldEveryWordAndMarkTheLeadingOnes(t *testing.T) {
	code, siren := "C0042", "732829320"
	entries := search.ThirdPartyEntries(1, enum.Prospect, thirdparty.StatusDRAFT, "Établissements Dupond", nil, &code, &siren, nil)
	want := "  etablissements dupond c0042 732829320"
	for _, e := range entries {
		if e.Terms != want {
			t.Fatalf("terms of %q: %q, want %q", e.Word, e.Terms, want)
		}
	}
	first := "Jean-Pierre"
	entries = search.ContactEntries(2, 1, false, &first, "Le Gall")
	if got := entries[0].Terms; got != "  le gall  jean pierre" {
		t.Fatalf("contact terms %q", got)
	}
	words, leading := search.Terms("  le gall  jean pierre")
	if !slices.Equal(words, []string{"le", "gall", "jean", "pierre"}) || !slices.Equal(leading, []bool{true, false, true, false}) {
		t.Fatalf("parsed %q %v", words, leading)
	}
}

// multiSeed adds records where words of multi-word queries are common
// apart and rare together.
func multiSeed(b *book) {
	seed(b)
	p, c := enum.Prospect, enum.Client
	draft, active := thirdparty.StatusDRAFT, thirdparty.StatusACTIVE
	b.thirdParty("grandzebre", p, draft, "Grand Zèbre", nil)
	b.thirdParty("zebregrand", c, active, "Zèbre Grand Ouest", nil)
	b.thirdParty("grandes", p, draft, "Les Grandes Zébrures", func(c *ent.ThirdPartyCreate) { c.SetCode("GZ1") })
	b.thirdParty("legrand", c, active, "Legrand Zèbres", nil)
	for _, n := range []string{"Grand Garage", "Grand Hôtel", "Granderie", "Grandin Frères", "Zèbra Conseil"} {
		b.thirdParty(n, p, draft, n, nil)
	}
	b.contact("grandc", b.ids["grandzebre"], "Zébulon", "Grand")
	b.contact("zgrand", b.ids["zebregrand"], "Grand", "Zébert")
}

// TestMultiWordQueriesRankTheSameByEitherPath checks that reading the
// matches of a rare word (fewMatches) ranks exactly as the tiers do.
func TestMultiWordQueriesRankTheSameByEitherPath(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		b := newBook(t, d)
		multiSeed(b)
		queries := []string{
			"grand zeb", "zeb grand", "gra ze", "z gran", "grand zebre ouest", "zebre grand",
			"ebr gra", "rand zeb", "les zeb", "zeb gz1",
			"etab dup", "pierre dup", "dup pierre", "dupont jean", "jean dupont", "dup c0042",
			"dup 7328", "pont dup", "le dup", "clos dupontel", "dupontel anne", "anne dupontel",
			"services neuf", "eco reu", "dupont", "xyz grand", "grand grand", "dupont qzx",
		}
		var nonEmpty int
		for _, ctx := range []context.Context{b.all, b.open} {
			for _, q := range queries {
				for _, kinds := range [][]search.Kind{nil, {search.Client}, {search.Contact, search.Prospect}} {
					restore := search.SetRareEnough(0)
					want := b.labels(ctx, q, kinds...)
					restore()
					got := b.labels(ctx, q, kinds...)
					if !slices.Equal(got, want) {
						t.Errorf("%q %v: by a rare word %q, by the tiers %q", q, kinds, got, want)
					}
					if len(got) > 0 {
						nonEmpty++
					}
				}
			}
		}
		if nonEmpty < len(queries) {
			t.Fatalf("only %d searches found something: the comparison proves little", nonEmpty)
		}
		// The rare word's path is taken: one read (both words' in one
		// statement each, the head's skipped) and the hits, where the
		// tiers take the exact label, leading, other-word and infix tiers.
		var statements atomic.Int64
		counted := ent.NewClient(ent.Driver(dialect.DebugWithContext(entsql.OpenDB(d.Dialect, d.SQL),
			func(context.Context, ...any) { statements.Add(1) })))
		cost := func(q string, rare int) int64 {
			defer search.SetRareEnough(rare)()
			statements.Store(0)
			if _, err := search.Search(b.all, counted, q, nil, nil); err != nil {
				t.Fatal(err)
			}
			return statements.Load()
		}
		if fast, tiers := cost("grand zeb", 1000), cost("grand zeb", 0); fast > 3 || tiers <= 3 {
			t.Fatalf("grand zeb: %d statements by the rare word, %d by the tiers", fast, tiers)
		}
		// A word that starts no word at all: one read, no hit to load.
		if n := cost("grand qzx", 1000); n != 1 {
			t.Fatalf("grand qzx: %d statements, want 1", n)
		}
		// The order itself: the exact label, then the driving word leading.
		if got := b.labels(b.all, "grand zebre"); len(got) < 2 || got[0] != "Grand Zèbre" {
			t.Fatalf("grand zebre: %q", got)
		}
	})
}

// TestTermsBackfillMatchesTheHooks runs the migration's backfill on
// entries the hooks wrote, terms cleared: it must write the same terms.
func TestTermsBackfillMatchesTheHooks(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		b := newBook(t, d)
		multiSeed(b)
		read := func() []string {
			rows, err := d.SQL.Query("SELECT record_id, word, terms FROM search_entries ORDER BY id")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out []string
			for rows.Next() {
				var id int
				var w, terms string
				if err := rows.Scan(&id, &w, &terms); err != nil {
					t.Fatal(err)
				}
				out = append(out, strings.Join([]string{w, terms}, "|"))
			}
			return out
		}
		want := read()
		if _, err := d.SQL.Exec("UPDATE search_entries SET terms = ''"); err != nil {
			t.Fatal(err)
		}
		dir := map[string]string{dialect.SQLite: "sqlite", dialect.Postgres: "postgres"}[d.Dialect]
		files, _ := filepath.Glob(filepath.Join("..", "db", "migrations", dir, "*_search_terms.sql"))
		if len(files) != 1 {
			t.Fatalf("migration files %v", files)
		}
		src, err := os.ReadFile(files[0])
		if err != nil {
			t.Fatal(err)
		}
		up, _, _ := strings.Cut(string(src), "-- +goose Down")
		i := strings.Index(up, "UPDATE ")
		backfill, _, _ := strings.Cut(up[i:], ";\n")
		if _, err := d.SQL.Exec(backfill); err != nil {
			t.Fatalf("%s: %v", backfill, err)
		}
		if got := read(); !slices.Equal(got, want) {
			t.Fatalf("backfill wrote\n%q\nhooks wrote\n%q", got, want)
		}
	})
}
