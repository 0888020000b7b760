package search_test

import (
	"context"
	"database/sql"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"carnet/ent"
	"carnet/internal/db"
	"carnet/internal/search"
	"carnet/internal/testdb"
)

// recorder keeps the queries a client sends, with their arguments.
type recorder struct {
	dialect.Driver
	mu      sync.Mutex
	queries []recorded
}

type recorded struct {
	sql  string
	args []any
}

func (r *recorder) Query(ctx context.Context, query string, args, v any) error {
	a, _ := args.([]any)
	r.mu.Lock()
	r.queries = append(r.queries, recorded{query, a})
	r.mu.Unlock()
	return r.Driver.Query(ctx, query, args, v)
}

// TestSearchStatementsReadIndexesOnly explains every statement searches
// send to the search tables: none may scan a table, and the leading tier
// must read the partial index of leading words, with PostgreSQL's generic
// plans (those of prepared statements, where a bound parameter would not
// match the index's predicate). Sequential scans are disabled for the
// check, so that a tiny table's cheaper scan does not hide a missing
// index: a plan still scans when no index serves.
func TestSearchStatementsReadIndexesOnly(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		b := newBook(t, d)
		multiSeed(b)
		rec := &recorder{Driver: entsql.OpenDB(d.Dialect, d.SQL)}
		client := ent.NewClient(ent.Driver(rec))
		for _, q := range []string{"d", "du", "dupont", "grand zeb", "grand zebre", "pont", "etab dup", "qzx", "grand qzx", "7328"} {
			if _, err := search.Search(b.all, client, q, nil, nil); err != nil {
				t.Fatalf("%q: %v", q, err)
			}
		}
		if _, err := search.Search(b.open, client, "grand", nil, []search.Kind{search.Supplier, search.Contact}); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		conn, err := d.SQL.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if d.Dialect == dialect.Postgres {
			for _, s := range []string{"SET enable_seqscan = off", "SET plan_cache_mode = force_generic_plan"} {
				if _, err := conn.ExecContext(ctx, s); err != nil {
					t.Fatal(err)
				}
			}
		}
		checked, leadingTiers := 0, 0
		for _, q := range rec.queries {
			if !strings.Contains(q.sql, "search_entries") && !strings.Contains(q.sql, "search_words") {
				continue
			}
			plan := explain(t, ctx, conn, d.Dialect, q)
			checked++
			if scan := tableScan(plan); scan != "" {
				t.Errorf("%s\n%v\nscans a search table (%s):\n%s", q.sql, q.args, scan, plan)
			}
			if leadingTier.MatchString(strings.NewReplacer(`"`, "", "`", "", "(", " ").Replace(q.sql)) {
				leadingTiers++
				if !strings.Contains(plan, "searchentry_leading_word") {
					t.Errorf("%s\nreads the leading tier without its partial index:\n%s", q.sql, plan)
				}
			}
		}
		if checked < 15 || leadingTiers < 3 {
			t.Fatalf("only %d statements on the search tables, %d leading tiers: the check proves little", checked, leadingTiers)
		}
	})
}

// tableScan returns the first scan of a search table in plan, "" if none.
func tableScan(plan string) string {
	for _, scan := range scans.FindAllStringSubmatch(plan, -1) {
		if scan[1] == "" {
			return scan[0]
		}
	}
	return ""
}

var (
	// A PostgreSQL sequential scan, or a SQLite scan (of the table or of
	// a whole index) of a search table. The second group is set for
	// SQLite's trigram table read through its index (an FTS5 LIKE
	// constraint, "INDEX 0:L0"), which is no scan.
	scans = regexp.MustCompile(`(?:Seq Scan on|SCAN) search_\w+( VIRTUAL TABLE INDEX \d+:\S+)?`)
	// The leading tier's condition (quotes removed), as the partial index's.
	leadingTier = regexp.MustCompile(`(^|[^T]) search_entries\.leading\b`)
)

// explain returns the plan of a recorded query: on PostgreSQL its generic
// plan (PREPARE, then EXPLAIN EXECUTE with the arguments as literals).
func explain(t *testing.T, ctx context.Context, conn *sql.Conn, d string, q recorded) string {
	t.Helper()
	var (
		rows *sql.Rows
		err  error
	)
	if d == dialect.Postgres {
		if _, err := conn.ExecContext(ctx, "PREPARE plan_check AS "+q.sql); err != nil {
			t.Fatalf("prepare %s: %v", q.sql, err)
		}
		defer conn.ExecContext(ctx, "DEALLOCATE plan_check")
		lits := make([]string, len(q.args))
		for i, a := range q.args {
			lits[i] = literal(t, a)
		}
		rows, err = conn.QueryContext(ctx, "EXPLAIN EXECUTE plan_check("+strings.Join(lits, ", ")+")")
	} else {
		rows, err = conn.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q.sql, q.args...)
	}
	if err != nil {
		t.Fatalf("explain %s: %v", q.sql, err)
	}
	var lines []string
	for _, r := range testdb.Strings(t, rows) {
		lines = append(lines, r[len(r)-1]) // the plan line, or SQLite's detail
	}
	return strings.Join(lines, "\n")
}

// literal renders a statement argument as a PostgreSQL literal.
func literal(t *testing.T, a any) string {
	switch v := a.(type) {
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case bool:
		return strconv.FormatBool(v)
	case string:
		return "'" + strings.ReplaceAll(v, "'", "''") + "'"
	}
	t.Fatalf("argument %T %v", a, a)
	return ""
}
