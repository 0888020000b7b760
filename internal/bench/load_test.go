package bench_test

import (
	"context"
	"io"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"carnet/ent"
	"carnet/internal/admin"
	"carnet/internal/bench"
	"carnet/internal/db"
	"carnet/internal/gen"
	"carnet/internal/testdb"
)

// TestLoadBench runs the load mix for a second at a low rate with a
// failing operation injected: every request is counted once, the valid
// operations all succeed (contact updates carry the version they last
// read, on two hot contacts), and the failing one counts as errors under
// its extensions.code.
func TestLoadBench(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		err := db.WithTx(ctx, d.Client, func(tx *ent.Client) error {
			_, err := admin.CreateOrganisation(ctx, tx, "Alpha", "admin@alpha.example")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := gen.Run(ctx, d, "Alpha", 300, 1, io.Discard); err != nil {
			t.Fatal(err)
		}

		var out strings.Builder
		rep, err := bench.LoadBench(ctx, d, "Alpha", bench.LoadConfig{
			Rate: 60, Duration: time.Second, MaxContacts: 2,
			Mix:   map[string]int{bench.OpUpdateContact: 30, bench.OpListClients: 5, bench.OpListContacts: 5},
			Extra: []bench.Operation{{Name: "badSearch", Weight: 30, Query: `query Bad { search(query: "") { label } }`}},
		}, &out)
		if err != nil {
			t.Fatal(err)
		}
		t.Log("\n" + out.String())

		byName := map[string]bench.OpStats{}
		sum := 0
		for _, s := range rep.Ops {
			byName[s.Name] = s
			sum += s.Requests
		}
		want := []string{"badSearch", bench.OpListClients, bench.OpListContacts}
		for op, w := range bench.DefaultMix {
			if w > 0 {
				want = append(want, op)
			}
		}
		slices.Sort(want)
		if got := slices.Sorted(maps.Keys(byName)); !slices.Equal(got, want) {
			t.Fatalf("operations %v, want %v (notes %v)", got, want, rep.Notes)
		}
		if rep.All.Requests < 30 || sum != rep.All.Requests {
			t.Fatalf("%d requests in all, %d summed over operations", rep.All.Requests, sum)
		}
		bad := byName["badSearch"]
		if bad.Requests == 0 || bad.OK != 0 || bad.Errors["BAD_USER_INPUT"] != bad.Requests || len(bad.Errors) != 1 {
			t.Errorf("badSearch: %d requests, %d ok, errors %v", bad.Requests, bad.OK, bad.Errors)
		}
		if len(rep.All.Errors) != 1 || rep.All.Errors["BAD_USER_INPUT"] != bad.Requests || rep.All.OK != rep.All.Requests-bad.Requests {
			t.Errorf("all: %d requests, %d ok, errors %v", rep.All.Requests, rep.All.OK, rep.All.Errors)
		}
		for _, s := range rep.Ops {
			if s.Name == "badSearch" {
				continue
			}
			if len(s.Errors) != 0 || s.OK != s.Requests {
				t.Errorf("%s: %d requests, %d ok, errors %v (%v)", s.Name, s.Requests, s.OK, s.Errors, s.FirstError)
			}
		}
		if u := byName[bench.OpUpdateContact]; u.OK < 3 {
			t.Errorf("only %d contact updates succeeded: the hot contacts were not updated again", u.OK)
		}
		a := rep.All
		if !(0 < a.P50 && a.P50 <= a.P95 && a.P95 <= a.P99 && a.P99 <= a.Max) || a.Rate <= 0 || a.Throughput <= 0 {
			t.Errorf("all: p50 %s p95 %s p99 %s max %s, %.1f req/s, %.1f ok/s", a.P50, a.P95, a.P99, a.Max, a.Rate, a.Throughput)
		}
		for _, s := range []string{"operation", "p99", "badSearch", "BAD_USER_INPUT", "updateContact"} {
			if !strings.Contains(out.String(), s) {
				t.Errorf("report without %q", s)
			}
		}

		if _, err := bench.LoadBench(ctx, d, "Alpha", bench.LoadConfig{Duration: time.Millisecond, Mix: map[string]int{"nope": 1}}, io.Discard); err == nil {
			t.Error("an unknown operation in the mix was accepted")
		}
	})
}
