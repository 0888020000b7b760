package prepared_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"carnet/internal/db"
	"carnet/internal/db/prepared"
	"carnet/internal/testdb"
)

// probe makes a small table and returns a driver on d keeping size
// statements, with the query of a row's name by ID in variant k (k
// "AND k = k" conditions: another text, the same answer).
func probe(t *testing.T, d *db.DB, size int) (dialect.Driver, func(k int) string) {
	t.Helper()
	ctx := context.Background()
	for _, q := range []string{
		"CREATE TABLE prepared_probe (id integer PRIMARY KEY, name text NOT NULL)",
		"INSERT INTO prepared_probe (id, name) VALUES (1, 'un'), (2, 'deux'), (3, 'trois')",
	} {
		if _, err := d.SQL.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	param := "?"
	if d.Dialect == dialect.Postgres {
		param = "$1"
	}
	query := func(k int) string {
		return "SELECT name FROM prepared_probe WHERE id = " + param + strings.Repeat(fmt.Sprintf(" AND %d = %d", k, k), k)
	}
	return prepared.NewDriver(entsql.OpenDB(d.Dialect, d.SQL), d.SQL, size), query
}

// name runs query for id through drv.
func name(ctx context.Context, drv interface {
	Query(ctx context.Context, query string, args, v any) error
}, query string, id int) (string, error) {
	var rows entsql.Rows
	if err := drv.Query(ctx, query, []any{id}, &rows); err != nil {
		return "", err
	}
	defer rows.Close()
	var out string
	if !rows.Next() {
		return "", fmt.Errorf("no row for %d", id)
	}
	if err := rows.Scan(&out); err != nil {
		return "", err
	}
	return out, rows.Close()
}

var names = map[int]string{1: "un", 2: "deux", 3: "trois"}

func TestMarkedQueriesArePreparedOnceAndAnswerTheSame(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		drv, query := probe(t, d, 8)
		ctx := context.Background()
		marked := prepared.With(ctx)
		for _, id := range []int{1, 2, 3, 2} {
			for _, c := range []context.Context{ctx, marked} {
				got, err := name(c, drv, query(0), id)
				if err != nil || got != names[id] {
					t.Fatalf("id %d: got %q, %v; want %q", id, got, err, names[id])
				}
			}
		}
		if _, err := name(ctx, drv, query(1), 1); err != nil {
			t.Fatal(err)
		}
		// In a transaction, statements run as ent sends them.
		tx, err := drv.Tx(marked)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := name(marked, tx, query(2), 3); err != nil || got != "trois" {
			t.Fatalf("in a transaction: got %q, %v", got, err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if kept := prepared.Kept(drv); !slices.Equal(kept, []string{query(0)}) {
			t.Fatalf("kept %q, want only the marked query outside a transaction", kept)
		}
	})
}

// serverStatements returns the statements the one connection of d holds
// prepared on PostgreSQL.
func serverStatements(t *testing.T, d *db.DB) []string {
	t.Helper()
	rows, err := d.SQL.QueryContext(context.Background(), "SELECT statement FROM pg_prepared_statements ORDER BY statement")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func TestEvictedStatementsAreClosedOnTheServer(t *testing.T) {
	if !slices.Contains(testdb.Dialects(), dialect.Postgres) {
		t.Skip("PostgreSQL only (pg_prepared_statements); " + testdb.PostgresEnv + " is not set")
	}
	d := testdb.Open(t, dialect.Postgres)
	d.SQL.SetMaxOpenConns(1) // one connection: the one pg_prepared_statements shows
	drv, query := probe(t, d, 2)
	ctx := prepared.With(context.Background())
	for k := range 3 {
		if _, err := name(ctx, drv, query(k), 1); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{query(1), query(2)}
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := serverStatements(t, d)
		if slices.Equal(got, want) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server holds %q, want the two kept %q", got, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestConcurrentQueriesSurviveEvictions(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		drv, query := probe(t, d, 3) // 10 texts for 3 places: evictions all along
		ctx := prepared.With(context.Background())
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 100 {
					id := 1 + (g+i)%3
					got, err := name(ctx, drv, query((g*7+i)%10), id)
					if err == nil && got != names[id] {
						err = fmt.Errorf("id %d: got %q", id, got)
					}
					if err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if n := len(prepared.Kept(drv)); n != 3 {
			t.Errorf("%d statements kept, want 3", n)
		}
	})
}
