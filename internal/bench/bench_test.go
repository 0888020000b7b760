package bench_test

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"carnet/ent"
	"carnet/internal/admin"
	"carnet/internal/bench"
	"carnet/internal/db"
	"carnet/internal/gen"
	"carnet/internal/testdb"
)

func TestSearchBench(t *testing.T) {
	d := testdb.Open(t, dialect.SQLite)
	ctx := context.Background()
	for _, org := range []string{"Alpha", "Bêta"} {
		err := db.WithTx(ctx, d.Client, func(tx *ent.Client) error {
			_, err := admin.CreateOrganisation(ctx, tx, org, "admin@"+strings.ToLower(org[:4])+".example")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := gen.Run(ctx, d, org, 500, 1, io.Discard); err != nil {
			t.Fatal(err)
		}
	}

	var out strings.Builder
	rep, err := bench.SearchBench(ctx, d, "Alpha", bench.Config{Duration: time.Second, Concurrency: 2}, &out)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + out.String())
	want := []string{bench.ClassShortPrefix, bench.ClassPrefix, bench.ClassMultiWord, bench.ClassInfix, bench.ClassNoHit}
	if len(rep.Classes) != len(want) {
		t.Fatalf("%d classes, want %v", len(rep.Classes), want)
	}
	for i, c := range rep.Classes {
		if c.Class != want[i] {
			t.Errorf("class %d is %q, want %q", i, c.Class, want[i])
		}
		if c.Queries == 0 {
			t.Errorf("%s: no queries", c.Class)
		}
		for mode, s := range map[string]bench.Stats{"e2e": c.EndToEnd, "direct": c.Direct} {
			if s.Count == 0 || s.Errors != 0 || s.Throughput <= 0 {
				t.Errorf("%s %s: %d requests, %d errors (%s), %.0f req/s", c.Class, mode, s.Count, s.Errors, s.FirstError, s.Throughput)
			}
			if !(0 < s.P50 && s.P50 <= s.P95 && s.P95 <= s.P99 && s.P99 <= s.Max) {
				t.Errorf("%s %s: p50 %s, p95 %s, p99 %s, max %s", c.Class, mode, s.P50, s.P95, s.P99, s.Max)
			}
		}
		if c.Ratio <= 0 {
			t.Errorf("%s: ratio %v", c.Class, c.Ratio)
		}
	}
	byClass := map[string]bench.ClassReport{}
	for _, c := range rep.Classes {
		byClass[c.Class] = c
	}
	if h := byClass[bench.ClassNoHit].Direct.Hits; h != 0 {
		t.Errorf("no-hit queries found %.1f hits on average", h)
	}
	for _, c := range []string{bench.ClassShortPrefix, bench.ClassPrefix, bench.ClassMultiWord} {
		if byClass[c].Direct.Hits < 1 || byClass[c].EndToEnd.Hits < 1 {
			t.Errorf("%s queries taken from the data found %.1f (direct) / %.1f (e2e) hits on average",
				c, byClass[c].Direct.Hits, byClass[c].EndToEnd.Hits)
		}
	}
	if f := rep.Floor; f.Count == 0 || f.Errors != 0 || !(0 < f.P50 && f.P50 <= f.P99) || f.Hits != 0 {
		t.Errorf("floor: %d requests, %d errors (%s), p50 %s, p99 %s, %.1f hits", f.Count, f.Errors, f.FirstError, f.P50, f.P99, f.Hits)
	}
	for _, s := range []string{"class", "p99", "prefix 1-2", "no-hit", "floor: { __typename }"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("table without %q", s)
		}
	}

	// Custom queries form one class.
	rep, err = bench.SearchBench(ctx, d, "Alpha", bench.Config{Duration: 200 * time.Millisecond, Concurrency: 1, Queries: []string{"a", "zzz"}}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Classes) != 1 || rep.Classes[0].Class != bench.ClassCustom || rep.Classes[0].EndToEnd.Count == 0 {
		t.Errorf("custom queries: %+v", rep.Classes)
	}
	if _, err := bench.SearchBench(ctx, d, "Nobody", bench.Config{Duration: time.Millisecond}, io.Discard); err == nil {
		t.Error("unknown organisation accepted")
	}
}
