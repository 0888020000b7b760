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

// TestSQLiteSearchPlansAtScale explains, on SQLite, every statement a
// search sends — the tiers, the vocabulary, the loading of the hits —
// with the statistics of an organisation of 100,000 third parties: the
// small test database is analysed, then its search and record tables get
// the figures a full ANALYZE stored after carnet gen --third-parties
// 100000 (statsAt100k), as SQLite allows, so that the plans are those a
// real database gets, not those of a few rows where anything is cheap.
// Tiers must read a covering index (the leading tier its partial one),
// infixes find their words through the trigram table and search_words'
// primary key, hits load by primary key; no big table is scanned.
func TestSQLiteSearchPlansAtScale(t *testing.T) {
	d := testdb.Open(t, dialect.SQLite)
	b := newBook(t, d)
	multiSeed(b)
	rec := &recorder{Driver: entsql.OpenDB(d.Dialect, d.SQL)}
	client := ent.NewClient(ent.Driver(rec))
	for _, q := range []string{"d", "du", "dupont", "grand zeb", "grand zebre", "pont", "rand", "etab dup", "qzx", "grand qzx", "7328"} {
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
	if err := d.Analyze(ctx); err != nil {
		t.Fatal(err)
	}
	// modernc's SQLite keeps samples too (STAT4): the small database's
	// would contradict the figures.
	if _, err := conn.ExecContext(ctx, "DELETE FROM sqlite_stat4"); err != nil {
		t.Fatal(err)
	}
	for _, s := range statsAt100k {
		if _, err := conn.ExecContext(ctx, "DELETE FROM sqlite_stat1 WHERE tbl = ? AND idx = ?", s[0], s[1]); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.ExecContext(ctx, "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", s[0], s[1], s[2]); err != nil {
			t.Fatal(err)
		}
	}
	// Reloads the statistics on this connection.
	if _, err := conn.ExecContext(ctx, "ANALYZE sqlite_schema"); err != nil {
		t.Fatal(err)
	}
	read := map[string]int{}
	for _, q := range rec.queries {
		m := fromTable.FindStringSubmatch(q.sql)
		if m == nil {
			continue
		}
		table := m[1]
		plan := explain(t, ctx, conn, d.Dialect, q)
		read[table]++
		fail := func(why string) { t.Errorf("%s\n%v\n%s:\n%s", q.sql, q.args, why, plan) }
		if scan := bigTableScan.FindString(plan); scan != "" {
			fail("scans a big table (" + scan + ")")
		}
		switch table {
		case "search_entries":
			if !strings.Contains(plan, "USING COVERING INDEX searchentry_") {
				fail("reads search entries beyond their word index")
			}
			if leadingTier.MatchString(strings.ReplaceAll(q.sql, "`", "")) && !strings.Contains(plan, "searchentry_leading_word") {
				fail("reads the leading tier without its partial index")
			}
		case "search_words":
			if !strings.Contains(plan, "search_words USING INTEGER PRIMARY KEY") || !strings.Contains(plan, "search_word_trigrams VIRTUAL TABLE INDEX") {
				fail("finds infix words without the trigram table")
			}
		case "third_parties", "contacts":
			if !strings.Contains(plan, table+" USING INTEGER PRIMARY KEY") {
				fail("loads hits other than by primary key")
			}
		}
	}
	if read["search_entries"] < 15 || read["search_words"] < 3 || read["third_parties"] < 3 || read["contacts"] < 2 {
		t.Fatalf("statements read %v: the check proves little", read)
	}
}

var (
	// The table a statement reads first.
	fromTable = regexp.MustCompile("FROM `(\\w+)`")
	// A SQLite scan of a big table (the trigram table read through its
	// LIKE index is named search_word_trigrams).
	bigTableScan = regexp.MustCompile(`SCAN (search_entries|search_words|third_parties|contacts)\b`)
)

// statsAt100k are sqlite_stat1 rows (table, index, stat) that a full
// ANALYZE stored after carnet gen --third-parties 100000 (205k contacts,
// 1.08M search entries, 267k vocabulary words).
var statsAt100k = [][3]string{
	{"contacts", "contact_organisation_id_created_at_id", "204975 204975 204975 1"},
	{"contacts", "contact_organisation_id_first_name_id", "204975 204975 977 1"},
	{"contacts", "contact_organisation_id_last_name_id", "204975 204975 493 1"},
	{"contacts", "contact_organisation_id_updated_at_id", "204975 204975 204975 1"},
	{"contacts", "contact_third_party_id", "204975 3"},
	{"search_entries", "searchentry_leading_word", "509851 509851 50 3 1 1 1 1 1"},
	{"search_entries", "searchentry_organisation_id_word_label_record_id", "1083815 1083815 5 2 1 1 1 1 1"},
	{"search_entries", "searchentry_record_id", "1083815 4"},
	{"search_entries", "searchentry_third_party_id", "1083815 11"},
	{"search_words", "searchword_organisation_id_word", "267427 267427 1"},
	{"search_words", "searchword_word_trgm", "267427 1"},
	{"third_parties", "thirdparty_organisation_id_code", "100000 100000 2"},
	{"third_parties", "thirdparty_organisation_id_code_id", "100000 100000 2 1"},
	{"third_parties", "thirdparty_organisation_id_created_at_id", "100000 100000 100000 1"},
	{"third_parties", "thirdparty_organisation_id_kind_code_id", "100000 100000 25000 2 1"},
	{"third_parties", "thirdparty_organisation_id_kind_status", "100000 100000 25000 16667"},
	{"third_parties", "thirdparty_organisation_id_name_id", "100000 100000 2 1"},
	{"third_parties", "thirdparty_organisation_id_network_id", "100000 100000 80"},
	{"third_parties", "thirdparty_organisation_id_siren", "100000 100000 1"},
	{"third_parties", "thirdparty_organisation_id_updated_at_id", "100000 100000 100000 1"},
	{"third_parties", "thirdparty_owner_id", "100000 100000"},
	// The duplicates' indexes came after that ANALYZE: their figures are
	// estimated from the columns' distinct values in gen's data (nearly
	// one row per e-mail, phone, SIRET, VAT number and name key), not
	// measured. Without a row, SQLite would guess them selective and read
	// an organisation's whole index instead of the primary key.
	{"contacts", "contact_organisation_id_email", "204975 204975 2"},
	{"contacts", "contact_organisation_id_mobile", "204975 204975 2"},
	{"contacts", "contact_organisation_id_direct_line", "204975 204975 2"},
	{"third_parties", "thirdparty_organisation_id_siret", "100000 100000 1"},
	{"third_parties", "thirdparty_organisation_id_vat_number", "100000 100000 1"},
	{"third_parties", "thirdparty_organisation_id_email", "100000 100000 2"},
	{"third_parties", "thirdparty_organisation_id_phone", "100000 100000 2"},
	{"third_parties", "thirdparty_organisation_id_name_key_postal_code", "100000 100000 2 1"},
	{"third_parties", "thirdparty_organisation_id_name_key_reversed", "100000 100000 2"},
}
