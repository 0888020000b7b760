package db

import (
	"context"
	"fmt"
	"io/fs"
	"strings"

	"entgo.io/ent/dialect"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"
)

// MigrateDownBefore rolls the database back to just before the migration
// whose file name contains name, so that a test can write data as the
// previous schema held it and migrate it up again.
func (d *DB) MigrateDownBefore(ctx context.Context, name string) error {
	dir, gooseDialect := "migrations/sqlite", database.DialectSQLite3
	if d.Dialect == dialect.Postgres {
		dir, gooseDialect = "migrations/postgres", database.DialectPostgres
	}
	sub, err := fs.Sub(migrations, dir)
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(gooseDialect, d.SQL, sub)
	if err != nil {
		return err
	}
	for _, s := range p.ListSources() {
		if strings.Contains(s.Path, name) {
			_, err := p.DownTo(ctx, s.Version-1)
			return err
		}
	}
	return fmt.Errorf("no migration named %s", name)
}
