package db

import (
	"fmt"

	atlas "ariga.io/atlas/sql/schema"
	"entgo.io/ent/dialect/sql/schema"

	entschema "carnet/ent/schema"
)

// SQLiteKeyColumns is the schema diff hook of SQLite's migrations
// (migrategen, and the test that checks them against ent/schema): it
// appends entschema.SQLiteKeyColumns to the keys of their indexes in the
// desired schema, since SQLite has no INCLUDE.
func SQLiteKeyColumns(next schema.Differ) schema.Differ {
	return schema.DiffFunc(func(current, desired *atlas.Schema) ([]atlas.Change, error) {
		for _, t := range desired.Tables {
			for _, idx := range t.Indexes {
				for _, name := range entschema.SQLiteKeyColumns[idx.Name] {
					c, ok := t.Column(name)
					if !ok {
						return nil, fmt.Errorf("db: index %s: no column %s in %s", idx.Name, name, t.Name)
					}
					idx.AddParts(&atlas.IndexPart{C: c})
				}
			}
		}
		return next.Diff(current, desired)
	})
}
