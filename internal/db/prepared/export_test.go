package prepared

import (
	"database/sql"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
)

// NewDriver is Driver keeping at most size statements.
func NewDriver(drv *entsql.Driver, db *sql.DB, size int) dialect.Driver {
	return newDriver(drv, db, size)
}

// Kept returns the SQL texts drv keeps prepared.
func Kept(drv dialect.Driver) []string { return drv.(*driver).cache.Keys() }
