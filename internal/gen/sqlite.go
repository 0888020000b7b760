package gen

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// SQLite batches: rows per INSERT statement and chunks per transaction.
const (
	sqliteRowsPerInsert = 500
	sqliteChunksPerTx   = 10
)

// reserveSQLite reserves n IDs of table and returns the first: the block
// starts after both the table's sequence and its highest ID, and the
// sequence moves past it, so AUTOINCREMENT never hands them out again.
// The caller holds SQLite's write lock (an immediate transaction).
func reserveSQLite(ctx context.Context, tx *sql.Tx, table string, n int) (int, error) {
	if n == 0 {
		return 0, nil
	}
	var seq, maxID sql.NullInt64
	err := tx.QueryRowContext(ctx, "SELECT seq FROM sqlite_sequence WHERE name = ?", table).Scan(&seq)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("gen: sequence of %s: %w", table, err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT max(id) FROM "`+table+`"`).Scan(&maxID); err != nil {
		return 0, fmt.Errorf("gen: highest ID of %s: %w", table, err)
	}
	first := max(seq.Int64, maxID.Int64) + 1
	if err := checkBlock(table, int(first), n); err != nil {
		return 0, err
	}
	last := first + int64(n) - 1
	if seq.Valid {
		_, err = tx.ExecContext(ctx, "UPDATE sqlite_sequence SET seq = ? WHERE name = ?", last, table)
	} else {
		_, err = tx.ExecContext(ctx, "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", table, last)
	}
	if err != nil {
		return 0, fmt.Errorf("gen: reserve IDs of %s: %w", table, err)
	}
	return int(first), nil
}

// loadSQLite writes the chunks with multi-row INSERTs, sqliteChunksPerTx
// chunks per transaction.
func (w *writer) loadSQLite(ctx context.Context, p *plan, start time.Time) (Stats, error) {
	var st Stats
	tx, err := w.d.SQL.BeginTx(ctx, nil) // immediate: takes the write lock
	if err != nil {
		return st, fmt.Errorf("gen: begin: %w", err)
	}
	defer func() {
		if tx != nil {
			_ = tx.Rollback()
		}
	}()
	if p.tpStart, err = reserveSQLite(ctx, tx, "third_parties", p.n); err != nil {
		return st, err
	}
	if p.contactStart, err = reserveSQLite(ctx, tx, "contacts", p.totalContacts); err != nil {
		return st, err
	}
	ins := newSQLiteInserters(tx)
	pr := &progress{out: w.out, n: p.n, start: start}
	last := p.chunks() - 1
	err = p.generate(ctx, nil, func(k int, b *batch) error {
		args := make([]any, 0, len(tpColumns))
		for i := range b.tps {
			if err := ins.tp.add(ctx, p.tpArgs(args[:0], &b.tps[i])...); err != nil {
				return err
			}
		}
		// Contacts need their third parties, entries nothing: flush in order.
		if err := ins.tp.flush(ctx); err != nil {
			return err
		}
		for i := range b.contacts {
			if err := ins.contact.add(ctx, p.contactArgs(args[:0], &b.contacts[i])...); err != nil {
				return err
			}
		}
		if err := ins.contact.flush(ctx); err != nil {
			return err
		}
		for i := range b.entries {
			if err := ins.entry.add(ctx, p.entryArgs(args[:0], &b.entries[i])...); err != nil {
				return err
			}
		}
		if (k+1)%sqliteChunksPerTx != 0 && k != last {
			st.add(b)
			return nil
		}
		if err := ins.flush(ctx); err != nil {
			return err
		}
		ins.close()
		err := tx.Commit()
		tx = nil
		if err != nil {
			return fmt.Errorf("gen: commit: %w", err)
		}
		st.add(b)
		pr.report(st)
		if k == last {
			return nil
		}
		if tx, err = w.d.SQL.BeginTx(ctx, nil); err != nil {
			return fmt.Errorf("gen: begin: %w", err)
		}
		ins = newSQLiteInserters(tx)
		return nil
	})
	ins.close()
	return st, err
}

func (st *Stats) add(b *batch) {
	st.ThirdParties += b.nTP
	st.Contacts += b.nContacts
	st.Entries += b.nEntries
}

// sqliteInserters are the inserters of one transaction.
type sqliteInserters struct {
	tp, contact, entry *inserter
}

func newSQLiteInserters(tx *sql.Tx) *sqliteInserters {
	return &sqliteInserters{
		tp:      &inserter{tx: tx, table: "third_parties", columns: tpColumns},
		contact: &inserter{tx: tx, table: "contacts", columns: contactColumns},
		entry:   &inserter{tx: tx, table: "search_entries", columns: entryColumns},
	}
}

// flush writes the pending rows, in foreign-key order.
func (s *sqliteInserters) flush(ctx context.Context) error {
	for _, in := range []*inserter{s.tp, s.contact, s.entry} {
		if err := in.flush(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (s *sqliteInserters) close() {
	for _, in := range []*inserter{s.tp, s.contact, s.entry} {
		if in.full != nil {
			in.full.Close()
			in.full = nil
		}
	}
}

// inserter batches rows of a table into multi-row INSERTs through a
// prepared statement.
type inserter struct {
	tx      *sql.Tx
	table   string
	columns []string
	full    *sql.Stmt // sqliteRowsPerInsert rows
	args    []any
	rows    int
}

// insertSQL returns an INSERT of rows rows.
func insertSQL(table string, columns []string, rows int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO "` + table + `" ("` + strings.Join(columns, `", "`) + `") VALUES `)
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(columns)), ", ") + ")"
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(one)
	}
	return b.String()
}

// add queues a row, writing a full batch.
func (in *inserter) add(ctx context.Context, values ...any) error {
	in.args = append(in.args, values...)
	in.rows++
	if in.rows < sqliteRowsPerInsert {
		return nil
	}
	if in.full == nil {
		s, err := in.tx.PrepareContext(ctx, insertSQL(in.table, in.columns, sqliteRowsPerInsert))
		if err != nil {
			return fmt.Errorf("gen: prepare insert into %s: %w", in.table, err)
		}
		in.full = s
	}
	if _, err := in.full.ExecContext(ctx, in.args...); err != nil {
		return fmt.Errorf("gen: insert into %s: %w", in.table, err)
	}
	in.args, in.rows = in.args[:0], 0
	return nil
}

// flush writes the rows queued.
func (in *inserter) flush(ctx context.Context) error {
	if in.rows == 0 {
		return nil
	}
	if _, err := in.tx.ExecContext(ctx, insertSQL(in.table, in.columns, in.rows), in.args...); err != nil {
		return fmt.Errorf("gen: insert into %s: %w", in.table, err)
	}
	in.args, in.rows = in.args[:0], 0
	return nil
}
