package db

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pressly/goose/v3"

	"carnet/internal/duplicates"
)

// nameKeysVersion is the Go migration that fills the duplicate name keys
// of the third parties that existed before 20261207225004_duplicates: SQL
// cannot fold a name as search.Fold does, so the keys are computed here,
// by batches of rows in ID order, each batch its own statement set.
const nameKeysVersion = 20261207225005

// nameKeysMigration returns the backfill of name keys, for dialect's
// placeholders (? or $n).
func nameKeysMigration(postgres bool) *goose.Migration {
	q := func(s string) string {
		if !postgres {
			return s
		}
		out, n := []byte{}, 0
		for i := 0; i < len(s); i++ {
			if s[i] == '?' {
				n++
				out = append(out, fmt.Sprintf("$%d", n)...)
				continue
			}
			out = append(out, s[i])
		}
		return string(out)
	}
	up := func(ctx context.Context, db *sql.DB) error {
		last := 0
		for {
			rows, err := db.QueryContext(ctx, q("SELECT id, name FROM third_parties WHERE id > ? AND name_key = '' ORDER BY id LIMIT 1000"), last)
			if err != nil {
				return fmt.Errorf("db: name keys: %w", err)
			}
			type row struct {
				id   int
				name string
			}
			var batch []row
			for rows.Next() {
				var r row
				if err := rows.Scan(&r.id, &r.name); err != nil {
					rows.Close()
					return fmt.Errorf("db: name keys: %w", err)
				}
				batch = append(batch, r)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return fmt.Errorf("db: name keys: %w", err)
			}
			if len(batch) == 0 {
				return nil
			}
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				return fmt.Errorf("db: name keys: %w", err)
			}
			for _, r := range batch {
				key := duplicates.NameKey(r.name)
				if _, err := tx.ExecContext(ctx, q("UPDATE third_parties SET name_key = ?, name_key_reversed = ? WHERE id = ?"), key, duplicates.Reversed(key), r.id); err != nil {
					_ = tx.Rollback()
					return fmt.Errorf("db: name keys: %w", err)
				}
			}
			if err := tx.Commit(); err != nil {
				return fmt.Errorf("db: name keys: %w", err)
			}
			last = batch[len(batch)-1].id
		}
	}
	return goose.NewGoMigration(nameKeysVersion, &goose.GoFunc{RunDB: up, Mode: goose.TransactionDisabled}, &goose.GoFunc{Mode: goose.TransactionDisabled})
}
