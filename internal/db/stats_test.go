package db_test

import (
	"context"
	"testing"

	"entgo.io/ent/dialect"

	"carnet/internal/db"
	"carnet/internal/testdb"
)

// TestStatisticsUpkeep proves that Analyze (after bulk loads) and
// Optimize (at start, then hourly) each store the planner's statistics of
// an SQLite table never analysed: SQLite never gathers them by itself.
// Both are no-ops on PostgreSQL, whose autovacuum analyses.
func TestStatisticsUpkeep(t *testing.T) {
	for name, gather := range map[string]func(*db.DB, context.Context) error{
		"analyze":  (*db.DB).Analyze,
		"optimize": (*db.DB).Optimize,
	} {
		t.Run(name, func(t *testing.T) {
			testdb.ForEach(t, func(t *testing.T, d *db.DB) {
				ctx := context.Background()
				if d.Dialect != dialect.SQLite {
					if err := gather(d, ctx); err != nil {
						t.Fatal(err)
					}
					return
				}
				conn, err := d.SQL.Conn(ctx)
				if err != nil {
					t.Fatal(err)
				}
				// Rows to analyse (an empty table has no statistics),
				// without an organisation.
				for _, s := range []string{"PRAGMA foreign_keys = off", "INSERT INTO search_words (organisation_id, word) VALUES (1, 'a'), (1, 'b')", "PRAGMA foreign_keys = on"} {
					if _, err := conn.ExecContext(ctx, s); err != nil {
						t.Fatal(err)
					}
				}
				conn.Close()
				if err := gather(d, ctx); err != nil {
					t.Fatal(err)
				}
				var n int
				if err := d.SQL.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'search_words'").Scan(&n); err != nil {
					t.Fatal(err)
				}
				if n == 0 {
					t.Fatal("no statistics of search_words")
				}
			})
		})
	}
}
