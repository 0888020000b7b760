// Package testdb gives tests fresh, migrated databases: always SQLite,
// and PostgreSQL too when CARNET_TEST_POSTGRES_URL is set (CI sets it).
// A set but unreachable PostgreSQL fails the test: it is never skipped.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"entgo.io/ent/dialect"

	"carnet/internal/db"
)

// PostgresEnv names the variable holding the PostgreSQL server's URL.
const PostgresEnv = "CARNET_TEST_POSTGRES_URL"

// Dialects lists the dialects under test.
func Dialects() []string {
	if os.Getenv(PostgresEnv) != "" {
		return []string{dialect.SQLite, dialect.Postgres}
	}
	return []string{dialect.SQLite}
}

// ForEach runs fn as a subtest on a fresh database of each dialect.
func ForEach(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	for _, dia := range Dialects() {
		t.Run(dia, func(t *testing.T) {
			fn(t, Open(t, dia))
		})
	}
}

// Open returns a fresh migrated database of dialect, removed after t.
func Open(t testing.TB, dia string) *db.DB {
	t.Helper()
	return OpenUpTo(t, dia, 0)
}

// OpenUpTo returns a fresh database of dialect migrated up to version
// included (every migration when 0), removed after t: a data migration's
// test writes rows as the schema of version had them, then migrates on.
func OpenUpTo(t testing.TB, dia string, version int64) *db.DB {
	t.Helper()
	ctx := context.Background()
	var rawURL string
	switch dia {
	case dialect.SQLite:
		rawURL = "sqlite:" + filepath.Join(t.TempDir(), "carnet.db")
	case dialect.Postgres:
		rawURL = PostgresSchemaURL(t)
	default:
		t.Fatalf("testdb: unknown dialect %q", dia)
	}
	d, err := db.Open(ctx, rawURL)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	migrate := d.Migrate
	if version != 0 {
		migrate = func(ctx context.Context) error { return d.MigrateTo(ctx, version) }
	}
	if err := migrate(ctx); err != nil {
		d.Close()
		t.Fatalf("testdb: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// PostgresSchemaURL creates an empty schema of its own on the server of
// CARNET_TEST_POSTGRES_URL, dropped after t, and returns the server's
// URL with that schema first on its search path. It does not migrate.
// An unreachable server fails t.
func PostgresSchemaURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Fatalf("testdb: %s is not set", PostgresEnv)
	}
	admin, err := sql.Open("postgres", base)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("testdb: PostgreSQL at %s is unreachable or refuses: %v", PostgresEnv, err)
	}
	t.Cleanup(func() { _, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE") })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("testdb: %s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	return u.String()
}

// Strings reads every row of rows as strings (NULL as "<nil>", bytes as
// text) and closes rows.
func Strings(t testing.TB, rows *sql.Rows) [][]string {
	t.Helper()
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			row[i] = fmt.Sprint(v)
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
