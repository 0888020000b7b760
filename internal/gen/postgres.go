package gen

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"carnet/internal/duplicates"
	"carnet/internal/search"
)

// useBulk decides whether a PostgreSQL load rebuilds the indexes (see the
// package documentation).
func (w *writer) useBulk(ctx context.Context, n int) (bool, error) {
	if n < bulkMin {
		return false, nil
	}
	var existing int
	if err := w.d.SQL.QueryRowContext(ctx, "SELECT count(*) FROM third_parties").Scan(&existing); err != nil {
		return false, fmt.Errorf("gen: count third parties: %w", err)
	}
	return n >= existing/bulkFactor, nil
}

// execer runs statements (a *sql.Tx or *sql.Conn).
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// reservePostgres reserves n IDs of table's identity sequence and returns
// the first. The caller holds a lock on table that keeps inserts out.
func reservePostgres(ctx context.Context, tx execer, table string, n int) (int, error) {
	if n == 0 {
		return 0, nil
	}
	var seq string
	if err := tx.QueryRowContext(ctx, "SELECT pg_get_serial_sequence($1, 'id')", table).Scan(&seq); err != nil {
		return 0, fmt.Errorf("gen: sequence of %s: %w", table, err)
	}
	var first int
	if err := tx.QueryRowContext(ctx, "SELECT nextval($1::regclass)", seq).Scan(&first); err != nil {
		return 0, fmt.Errorf("gen: sequence of %s: %w", table, err)
	}
	if err := checkBlock(table, first, n); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, "SELECT setval($1::regclass, $2)", seq, first+n-1); err != nil {
		return 0, fmt.Errorf("gen: reserve IDs of %s: %w", table, err)
	}
	return first, nil
}

// reserve reserves the plan's ID blocks.
func (p *plan) reservePostgres(ctx context.Context, tx execer) error {
	var err error
	if p.tpStart, err = reservePostgres(ctx, tx, "third_parties", p.n); err != nil {
		return err
	}
	p.contactStart, err = reservePostgres(ctx, tx, "contacts", p.totalContacts)
	return err
}

// loadPostgres writes each chunk in a transaction of its own, indexes in
// place.
func (w *writer) loadPostgres(ctx context.Context, p *plan, start time.Time) (Stats, error) {
	var st Stats
	// Reserve the ID blocks; the lock waits for the inserts in flight and
	// keeps new ones out until the sequences have moved.
	tx, err := w.d.SQL.BeginTx(ctx, nil)
	if err != nil {
		return st, fmt.Errorf("gen: begin: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "LOCK TABLE third_parties, contacts IN SHARE ROW EXCLUSIVE MODE"); err != nil {
		return st, fmt.Errorf("gen: lock: %w", err)
	}
	if err := p.reservePostgres(ctx, tx); err != nil {
		return st, err
	}
	if err := tx.Commit(); err != nil {
		return st, fmt.Errorf("gen: commit: %w", err)
	}

	conn, err := w.d.SQL.Conn(ctx)
	if err != nil {
		return st, fmt.Errorf("gen: connect: %w", err)
	}
	defer conn.Close()
	pr := &progress{out: w.out, n: p.n, start: start}
	err = p.generate(ctx, p.encodeCopy, func(k int, b *batch) error {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("gen: begin: %w", err)
		}
		defer tx.Rollback()
		if err := copyBatch(ctx, conn, b); err != nil {
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("gen: commit: %w", err)
		}
		st.ThirdParties += b.nTP
		st.Contacts += b.nContacts
		st.Entries += b.nEntries
		pr.report(st)
		return nil
	})
	return st, err
}

// loadPostgresBulk writes everything in one transaction, without the
// secondary indexes and foreign keys, which it then rebuilds.
func (w *writer) loadPostgresBulk(ctx context.Context, p *plan, start time.Time) (Stats, error) {
	var st Stats
	conn, err := w.d.SQL.Conn(ctx)
	if err != nil {
		return st, fmt.Errorf("gen: connect: %w", err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return st, fmt.Errorf("gen: begin: %w", err)
	}
	defer tx.Rollback()
	for _, s := range []string{
		"SET LOCAL maintenance_work_mem = '512MB'",
		"SET LOCAL work_mem = '256MB'", // the vocabulary's set of words
		"SET LOCAL synchronous_commit = off",
		"LOCK TABLE " + strings.Join(bulkTables, ", ") + " IN ACCESS EXCLUSIVE MODE",
	} {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return st, fmt.Errorf("gen: %s: %w", s, err)
		}
	}
	if err := p.reservePostgres(ctx, tx); err != nil {
		return st, err
	}
	indexes, fks, err := dropIndexes(ctx, tx)
	if err != nil {
		return st, err
	}
	fmt.Fprintf(w.out, "gen: bulk mode: dropped %d indexes and %d foreign keys, rebuilt after the load (%s)\n",
		len(indexes), len(fks), since(start))

	pr := &progress{out: w.out, n: p.n, start: start}
	err = p.generate(ctx, p.encodeCopy, func(k int, b *batch) error {
		if err := copyBatch(ctx, conn, b); err != nil {
			return err
		}
		st.ThirdParties += b.nTP
		st.Contacts += b.nContacts
		st.Entries += b.nEntries
		pr.report(st)
		return nil
	})
	if err != nil {
		return st, err
	}
	if p.types == nil {
		fmt.Fprintln(w.out, noLinkTypes)
	} else if err := p.copyLinks(ctx, conn, &st); err != nil {
		return st, err
	}
	t := time.Now()
	if _, err := tx.ExecContext(ctx, vocabularyBulk, p.orgID); err != nil {
		return st, fmt.Errorf("gen: search vocabulary: %w", err)
	}
	fmt.Fprintf(w.out, "gen: search vocabulary %s\n", since(t))
	for _, ix := range indexes {
		t := time.Now()
		if _, err := tx.ExecContext(ctx, ix.def); err != nil {
			return st, fmt.Errorf("gen: recreate index %s: %w", ix.name, err)
		}
		fmt.Fprintf(w.out, "gen: index %s %s\n", ix.name, since(t))
	}
	for _, fk := range fks {
		t := time.Now()
		q := "ALTER TABLE " + fk.table + " ADD CONSTRAINT " + quoteIdent(fk.name) + " " + fk.def
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return st, fmt.Errorf("gen: recreate foreign key %s: %w", fk.name, err)
		}
		fmt.Fprintf(w.out, "gen: foreign key %s %s\n", fk.name, since(t))
	}
	t = time.Now()
	if err := tx.Commit(); err != nil {
		return st, fmt.Errorf("gen: commit: %w", err)
	}
	fmt.Fprintf(w.out, "gen: commit %s\n", since(t))
	return st, nil
}

// bulkTables are the tables bulk mode locks and writes, their secondary
// indexes and foreign keys dropped meanwhile.
var bulkTables = []string{"third_parties", "contacts", "search_entries", "search_words", "management_links", "filiation_links"}

// vocabularyBulk adds the organisation's new words to its vocabulary (what
// the index hooks do row by row) with one set operation: the unique index
// that ON CONFLICT needs is dropped in bulk mode.
const vocabularyBulk = `INSERT INTO search_words (organisation_id, word)
	SELECT $1, word FROM (
		SELECT word FROM search_entries WHERE organisation_id = $1
		EXCEPT SELECT word FROM search_words WHERE organisation_id = $1) AS new_words`

// copyLinks copies the plan's links (bulk mode).
func (p *plan) copyLinks(ctx context.Context, conn *sql.Conn, st *Stats) error {
	lr := p.links()
	now := p.now.UTC().Format("2006-01-02 15:04:05.999999-07")
	// organisation_id, created_at, updated_at, then the row's values.
	prefix := fmt.Appendf(nil, "%d\t%s\t%s", p.orgID, now, now)
	for _, c := range []struct {
		stmt string
		rows [][]any
	}{{mgmtCopy, lr.mgmt}, {filCopy, lr.fil}} {
		if err := copyIn(ctx, conn, c.stmt, linkText(prefix, c.rows)); err != nil {
			return err
		}
	}
	st.ManagementLinks, st.FiliationLinks = len(lr.mgmt), len(lr.fil)
	return nil
}

// linkText renders link rows (integers, booleans, relations) as COPY text, each
// after prefix.
func linkText(prefix []byte, rows [][]any) []byte {
	t := make([]byte, 0, len(rows)*(len(prefix)+60))
	for _, r := range rows {
		t = append(t, prefix...)
		for _, v := range r {
			switch v := v.(type) {
			case int:
				t = append(t, '\t')
				t = strconv.AppendInt(t, int64(v), 10)
			case bool:
				t = boolField(t, v)
			case string: // a relation: digits and colons, nothing to escape
				t = append(t, '\t')
				t = append(t, v...)
			default:
				panic(fmt.Sprintf("gen: link value %T", v))
			}
		}
		t = append(t, '\n')
	}
	return t
}

// schemaObject is an index or a constraint to recreate.
type schemaObject struct {
	table, name, def string
}

// dropIndexes drops the secondary indexes and the foreign keys of the
// tables gen writes and returns their definitions.
func dropIndexes(ctx context.Context, tx *sql.Tx) (indexes, fks []schemaObject, err error) {
	var regs []string
	for _, t := range bulkTables {
		regs = append(regs, "'"+t+"'::regclass")
	}
	oids := "(" + strings.Join(regs, ", ") + ")"
	rows, err := tx.QueryContext(ctx, `
		SELECT x.indrelid::regclass::text, x.indexrelid::regclass::text, pg_get_indexdef(x.indexrelid)
		FROM pg_index x
		WHERE x.indrelid IN `+oids+`
		  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
		ORDER BY x.indrelid, x.indexrelid`)
	if err != nil {
		return nil, nil, fmt.Errorf("gen: read indexes: %w", err)
	}
	if indexes, err = scanObjects(rows); err != nil {
		return nil, nil, fmt.Errorf("gen: read indexes: %w", err)
	}
	rows, err = tx.QueryContext(ctx, `
		SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
		FROM pg_constraint
		WHERE contype = 'f' AND conrelid IN `+oids+`
		ORDER BY conrelid, conname`)
	if err != nil {
		return nil, nil, fmt.Errorf("gen: read foreign keys: %w", err)
	}
	if fks, err = scanObjects(rows); err != nil {
		return nil, nil, fmt.Errorf("gen: read foreign keys: %w", err)
	}
	for _, fk := range fks {
		if _, err := tx.ExecContext(ctx, "ALTER TABLE "+fk.table+" DROP CONSTRAINT "+quoteIdent(fk.name)); err != nil {
			return nil, nil, fmt.Errorf("gen: drop foreign key %s: %w", fk.name, err)
		}
	}
	for _, ix := range indexes {
		if _, err := tx.ExecContext(ctx, "DROP INDEX "+ix.name); err != nil {
			return nil, nil, fmt.Errorf("gen: drop index %s: %w", ix.name, err)
		}
	}
	return indexes, fks, nil
}

func scanObjects(rows *sql.Rows) ([]schemaObject, error) {
	defer rows.Close()
	var out []schemaObject
	for rows.Next() {
		var o schemaObject
		if err := rows.Scan(&o.table, &o.name, &o.def); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// quoteIdent quotes a PostgreSQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// copyStatement returns the COPY … FROM STDIN statement of table.
func copyStatement(table string, columns []string) string {
	quoted := make([]string, len(columns))
	for i, c := range columns {
		quoted[i] = quoteIdent(c)
	}
	return "COPY " + quoteIdent(table) + " (" + strings.Join(quoted, ", ") + ") FROM STDIN"
}

var (
	tpCopy      = copyStatement("third_parties", tpColumns)
	contactCopy = copyStatement("contacts", contactColumns)
	entryCopy   = copyStatement("search_entries", entryColumns)
	mgmtCopy    = copyStatement("management_links", strings.Split(mgmtColumns, ", "))
	filCopy     = copyStatement("filiation_links", strings.Split(filColumns, ", "))
)

// copyBatch copies a chunk, in foreign-key order, in the transaction open
// on conn.
func copyBatch(ctx context.Context, conn *sql.Conn, b *batch) error {
	for _, c := range []struct {
		stmt string
		data []byte
	}{{tpCopy, b.tpText}, {contactCopy, b.contactText}, {entryCopy, b.entryText}} {
		if err := copyIn(ctx, conn, c.stmt, c.data); err != nil {
			return err
		}
	}
	return nil
}

// copyData is lib/pq's COPY statement: CopyData sends raw lines of COPY
// text, without a database/sql round of conversions per value.
type copyData interface {
	CopyData(ctx context.Context, line string) (driver.Result, error)
}

// copyIn runs a COPY FROM STDIN of data (COPY text format rows, each
// ending with a newline) on conn, which must be in a transaction.
func copyIn(ctx context.Context, conn *sql.Conn, stmt string, data []byte) error {
	if len(data) == 0 {
		return nil
	}
	err := conn.Raw(func(dc any) error {
		prep, ok := dc.(driver.ConnPrepareContext)
		if !ok {
			return errors.New("the PostgreSQL driver cannot prepare statements")
		}
		s, err := prep.PrepareContext(ctx, stmt)
		if err != nil {
			return err
		}
		cd, ok := s.(copyData)
		if !ok {
			s.Close()
			return errors.New("the PostgreSQL driver (lib/pq) has no CopyData")
		}
		// CopyData appends the final newline itself.
		_, err = cd.CopyData(ctx, string(data[:len(data)-1]))
		if cerr := s.Close(); err == nil { // Close ends the COPY and reports its errors
			err = cerr
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("gen: %s: %w", strings.Fields(stmt)[1], err)
	}
	return nil
}

// encodeCopy renders a chunk as COPY text and drops its rows.
func (p *plan) encodeCopy(b *batch) {
	now := []byte(p.now.UTC().Format("2006-01-02 15:04:05.999999-07"))
	org := strconv.AppendInt(nil, int64(p.orgID), 10)
	owner := strconv.AppendInt(nil, int64(p.ownerID), 10)

	t := make([]byte, 0, len(b.tps)*420)
	for i := range b.tps {
		r := &b.tps[i]
		t = strconv.AppendInt(t, int64(r.id), 10)
		t = append(t, '\t')
		t = append(t, now...)
		t = append(t, '\t')
		t = append(t, now...)
		t = field(t, string(r.p.kind))
		t = field(t, string(r.p.status))
		t = append(t, "\t1"...)
		t = nullable(t, r.code)
		t = field(t, r.name)
		t = field(t, r.legalName)
		t = field(t, r.siren)
		t = field(t, r.siret)
		t = field(t, r.ape)
		t = field(t, r.vat)
		t = field(t, r.line1)
		if r.line2 == "" {
			t = append(t, "\t\\N"...)
		} else {
			t = field(t, r.line2)
		}
		t = field(t, r.postal)
		t = field(t, r.city)
		t = field(t, r.country)
		t = field(t, r.phone)
		t = field(t, r.email)
		t = field(t, r.website)
		t = append(t, '\t')
		t = append(t, org...)
		t = append(t, '\t')
		t = append(t, owner...)
		if n, ok := p.network(r.id); ok {
			t = append(t, '\t')
			t = strconv.AppendInt(t, int64(n), 10)
		} else {
			t = append(t, "\t\\N"...)
		}
		key := duplicates.NameKey(r.name) // as duplicates.NameKeyHook would
		t = field(t, key)
		t = field(t, duplicates.Reversed(key))
		t = append(t, '\n')
	}
	b.tpText = t

	t = make([]byte, 0, len(b.contacts)*200)
	for i := range b.contacts {
		c := &b.contacts[i]
		t = strconv.AppendInt(t, int64(c.id), 10)
		t = append(t, '\t')
		t = append(t, now...)
		t = append(t, '\t')
		t = append(t, now...)
		t = append(t, "\t1"...)
		t = field(t, c.civility)
		t = field(t, c.first)
		t = field(t, c.last)
		t = field(t, c.job)
		t = field(t, c.direct)
		t = field(t, c.mobile)
		t = field(t, c.email)
		t = append(t, '\t')
		t = append(t, org...)
		t = append(t, '\t')
		t = strconv.AppendInt(t, int64(c.tpID), 10)
		t = append(t, '\n')
	}
	b.contactText = t

	t = make([]byte, 0, len(b.entries)*60)
	for i := range b.entries {
		e := &b.entries[i]
		t = appendEntry(t, e, org)
	}
	b.entryText = t
	b.tps, b.contacts, b.entries = nil, nil, nil
}

func appendEntry(t []byte, e *search.Entry, org []byte) []byte {
	t = strconv.AppendInt(t, int64(e.RecordID), 10)
	t = append(t, '\t')
	t = strconv.AppendInt(t, int64(e.ThirdPartyID), 10)
	t = field(t, string(e.Kind))
	t = boolField(t, e.Closed)
	t = field(t, e.Word)
	t = boolField(t, e.Leading)
	t = field(t, e.Label)
	t = field(t, e.Terms)
	t = append(t, '\t')
	t = append(t, org...)
	return append(t, '\n')
}

func boolField(t []byte, v bool) []byte {
	if v {
		return append(t, "\tt"...)
	}
	return append(t, "\tf"...)
}

func nullable(t []byte, s *string) []byte {
	if s == nil {
		return append(t, "\t\\N"...)
	}
	return field(t, *s)
}

// field appends a tab and s escaped for COPY's text format.
func field(t []byte, s string) []byte {
	t = append(t, '\t')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			t = append(t, '\\', '\\')
		case '\t':
			t = append(t, '\\', 't')
		case '\n':
			t = append(t, '\\', 'n')
		case '\r':
			t = append(t, '\\', 'r')
		default:
			t = append(t, c)
		}
	}
	return t
}

// allowParallel lets PostgreSQL use parallel workers on tables while gen
// runs (index builds, the vocabulary's scan of every entry), where a
// migration forbids them for the searches' sake (parallel_workers = 0),
// and returns the function that puts the tables' setting back.
func allowParallel(ctx context.Context, db *sql.DB, tables ...string) (restore func(), err error) {
	var undo []string
	restore = func() {
		ctx := context.WithoutCancel(ctx)
		for _, q := range undo {
			_, _ = db.ExecContext(ctx, q)
		}
	}
	for _, t := range tables {
		var opts string
		err := db.QueryRowContext(ctx,
			"SELECT coalesce(array_to_string(reloptions, ','), '') FROM pg_class WHERE oid = to_regclass($1)", t).Scan(&opts)
		if err != nil {
			return restore, fmt.Errorf("gen: read the settings of %s: %w", t, err)
		}
		for _, o := range strings.Split(opts, ",") {
			v, ok := strings.CutPrefix(o, "parallel_workers=")
			if !ok {
				continue
			}
			n, err := strconv.Atoi(v)
			if err != nil {
				return restore, fmt.Errorf("gen: parallel_workers of %s: %w", t, err)
			}
			if _, err := db.ExecContext(ctx, "ALTER TABLE "+quoteIdent(t)+" RESET (parallel_workers)"); err != nil {
				return restore, fmt.Errorf("gen: allow parallel workers on %s: %w", t, err)
			}
			undo = append(undo, fmt.Sprintf("ALTER TABLE %s SET (parallel_workers = %d)", quoteIdent(t), n))
		}
	}
	return restore, nil
}
