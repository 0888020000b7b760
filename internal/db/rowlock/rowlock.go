// Package rowlock locks the rows an ent query reads until its
// transaction ends, on PostgreSQL; SQLite runs one writing transaction at
// a time, so there it does nothing. A leaf package: ent's privacy rules
// reach code that locks (internal/links), and internal/db imports them.
//
// Use with Modify; the query must not be DISTINCT (ent's IDs are: use
// Unique(false)).
package rowlock

import (
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
)

// ForUpdate locks the rows against any change. Deletions lock the record
// first, so that no child (an activity, a document) is inserted under it
// between the deletion of its children and its own: the insert waits,
// then finds the record gone.
func ForUpdate(s *sql.Selector) { on(s, sql.LockUpdate) }

// ForNoKeyUpdate locks a row that others reference: the inserts that
// reference it (FOR KEY SHARE) do not wait for it.
func ForNoKeyUpdate(s *sql.Selector) { on(s, sql.LockNoKeyUpdate) }

// ForKeyShare locks a row that a new row is about to reference, as the
// foreign key's check would, but before the other rows the insert
// references: a deletion locks the record first, then its children, so a
// creation that locks them in the same order never deadlocks with it.
func ForKeyShare(s *sql.Selector) { on(s, sql.LockKeyShare) }

func on(s *sql.Selector, strength sql.LockStrength) {
	if s.Dialect() == dialect.Postgres {
		s.For(strength)
	}
}
