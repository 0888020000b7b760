package links

import (
	"context"
	"fmt"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"carnet/ent"
	"carnet/ent/organisation"
	"carnet/internal/auth"
	"carnet/internal/viewer"
)

// Lock serialises the link changes of the viewer's organisation until the
// transaction of client ends: duplicate checks in either direction,
// defaults, and filiation networks read, then write, rows that two
// writers would otherwise both see unchanged (two mirrored links both
// created; networks merged from stale minimums).
//
// It locks the organisation's row FOR NO KEY UPDATE, which the inserts
// that reference the organisation (FOR KEY SHARE) do not wait for. On
// PostgreSQL only: SQLite runs one writing transaction at a time.
func Lock(ctx context.Context, client *ent.Client) error {
	v := viewer.FromContext(ctx)
	if v == nil {
		return nil
	}
	_, err := client.Organisation.Query().Where(organisation.ID(v.OrgID)).
		Modify(func(s *sql.Selector) {
			if s.Dialect() == dialect.Postgres {
				s.For(sql.LockNoKeyUpdate)
			}
		}).
		IDs(auth.System(ctx))
	if err != nil {
		return fmt.Errorf("links: lock the organisation's links: %w", err)
	}
	return nil
}
