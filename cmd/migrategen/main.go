// Command migrategen writes a new versioned migration for each dialect
// from the difference between ent/schema and the migrations already in
// internal/db/migrations. SQLite uses an in-memory dev database;
// PostgreSQL a temporary database on the server of -postgres.
//
//	go run ./cmd/migrategen -name add_activities
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log"
	"net/url"
	"strings"

	atlasmigrate "ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/sqltool"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"
	_ "github.com/lib/pq"
	_ "modernc.org/sqlite"

	"carnet/ent/migrate"
	"carnet/internal/db"
)

func main() {
	name := flag.String("name", "", "migration name")
	pg := flag.String("postgres", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "PostgreSQL server for the dev database")
	rehash := flag.Bool("rehash", false, "only recompute atlas.sum of both folders (after adding a hand-written migration)")
	flag.Parse()
	if *rehash {
		for _, path := range []string{"internal/db/migrations/sqlite", "internal/db/migrations/postgres"} {
			dir, err := sqltool.NewGooseDir(path)
			if err != nil {
				log.Fatal(err)
			}
			sum, err := dir.Checksum()
			if err != nil {
				log.Fatal(err)
			}
			if err := atlasmigrate.WriteSumFile(dir, sum); err != nil {
				log.Fatal(err)
			}
		}
		return
	}
	if *name == "" {
		log.Fatal("migrategen: -name is required")
	}
	ctx := context.Background()

	lite, err := sql.Open("sqlite", "file:migrategen?mode=memory&_pragma=foreign_keys(1)")
	if err != nil {
		log.Fatal(err)
	}
	lite.SetMaxOpenConns(1)
	if err := diff(ctx, lite, dialect.SQLite, "internal/db/migrations/sqlite", *name); err != nil {
		log.Fatalf("migrategen: sqlite: %v", err)
	}

	admin, err := sql.Open("postgres", *pg)
	if err != nil {
		log.Fatal(err)
	}
	const devDB = "carnet_migrategen_dev"
	if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+devDB); err != nil {
		log.Fatalf("migrategen: postgres: %v", err)
	}
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+devDB); err != nil {
		log.Fatalf("migrategen: postgres: %v", err)
	}
	defer admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+devDB)
	u, _ := url.Parse(*pg)
	u.Path = "/" + devDB
	dev, err := sql.Open("postgres", u.String())
	if err != nil {
		log.Fatal(err)
	}
	if _, err := dev.ExecContext(ctx, db.PostgresPrelude); err != nil {
		log.Fatalf("migrategen: postgres: %v", err)
	}
	err = diff(ctx, dev, dialect.Postgres, "internal/db/migrations/postgres", *name)
	dev.Close()
	if err != nil {
		log.Fatalf("migrategen: postgres: %v", err)
	}
}

func diff(ctx context.Context, conn *sql.DB, dia, path, name string) error {
	dir, err := sqltool.NewGooseDir(path)
	if err != nil {
		return err
	}
	opts := []schema.MigrateOption{
		schema.WithDir(dir),
		schema.WithFormatter(sqltool.GooseFormatter),
		schema.WithMigrationMode(schema.ModeReplay),
		schema.WithDialect(dia),
		schema.WithDropColumn(true),
		schema.WithDropIndex(true),
	}
	if dia == dialect.SQLite {
		opts = append(opts, schema.WithDiffHook(db.SQLiteKeyColumns))
	}
	err = migrate.NewSchema(entsql.OpenDB(dia, conn)).NamedDiff(ctx, name, opts...)
	if err != nil && strings.Contains(err.Error(), "no changes") {
		fmt.Println(path + ": no changes")
		return nil
	}
	return err
}
