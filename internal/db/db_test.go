package db_test

import (
	"bytes"
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql/schema"
	"github.com/lib/pq"

	"carnet/internal/db"
	"carnet/internal/testdb"
)

// TestMigrationsMatchSchema proves that the committed migrations of each
// dialect build exactly the tables ent/schema declares: a forgotten
// migrategen run fails here.
func TestMigrationsMatchSchema(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		var buf bytes.Buffer
		opts := []schema.MigrateOption{schema.WithDropColumn(true), schema.WithDropIndex(true)}
		if d.Dialect == dialect.SQLite {
			opts = append(opts, schema.WithDiffHook(db.SQLiteKeyColumns))
		}
		if err := d.Client.Schema.WriteTo(context.Background(), &buf, opts...); err != nil {
			t.Fatal(err)
		}
		var pending []string
		for _, line := range strings.Split(buf.String(), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || line == "BEGIN;" || line == "COMMIT;" || strings.HasPrefix(line, "--") {
				continue
			}
			pending = append(pending, line)
		}
		if len(pending) > 0 {
			t.Fatalf("the migrations differ from ent/schema; run go run ./cmd/migrategen -name NAME:\n%s", strings.Join(pending, "\n"))
		}
	})
}

// TestMigrateIsIdempotent proves that migrating an up-to-date database
// (every start does) changes nothing and does not fail.
func TestMigrateIsIdempotent(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		if err := d.Migrate(context.Background()); err != nil {
			t.Fatalf("second migration: %v", err)
		}
	})
}

func TestOpenRefusesUnknownURL(t *testing.T) {
	_, err := db.Open(context.Background(), "mysql://localhost/carnet")
	if err == nil || !strings.Contains(err.Error(), "sqlite: or postgres://") {
		t.Fatalf("want a clear error, got %v", err)
	}
}

// TestUnavailable tells a database that is away from a statement that
// failed.
func TestUnavailable(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{driver.ErrBadConn, true},
		{fmt.Errorf("ent: %w", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}), true},
		{syscall.ECONNRESET, true},
		{&pq.Error{Code: "57P01"}, true},  // admin shutdown
		{&pq.Error{Code: "57P03"}, true},  // cannot connect now (starting up)
		{&pq.Error{Code: "08006"}, true},  // connection failure
		{&pq.Error{Code: "23505"}, false}, // unique violation
		{&pq.Error{Code: "40001"}, false}, // serialisation failure
		{errors.New("boom"), false},
		{context.DeadlineExceeded, false},
	} {
		if got := db.Unavailable(tc.err); got != tc.want {
			t.Errorf("Unavailable(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}
