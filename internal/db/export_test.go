package db

import (
	"context"
	"fmt"
	"strings"
)

// MigrateDownBefore rolls the database back to just before the migration
// whose file name contains name, so that a test can write data as the
// previous schema held it and migrate it up again.
func (d *DB) MigrateDownBefore(ctx context.Context, name string) error {
	p, err := d.migrations(ctx) // with the Go migrations
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
