package links

import (
	"context"
	"fmt"

	"carnet/ent"
	"carnet/ent/organisation"
	"carnet/internal/auth"
	"carnet/internal/db/rowlock"
	"carnet/internal/viewer"
)

// Lock serialises the link changes of the viewer's organisation until the
// transaction of client ends: duplicate checks in either direction,
// defaults, and filiation networks read, then write, rows that two
// writers would otherwise both see unchanged (two mirrored links both
// created; networks merged from stale minimums).
//
// It locks the organisation's row (rowlock.ForNoKeyUpdate: the inserts that
// reference the organisation do not wait for it).
func Lock(ctx context.Context, client *ent.Client) error {
	v := viewer.FromContext(ctx)
	if v == nil {
		return nil
	}
	_, err := client.Organisation.Query().Where(organisation.ID(v.OrgID)).
		Unique(false).Modify(rowlock.ForNoKeyUpdate).IDs(auth.System(ctx))
	if err != nil {
		return fmt.Errorf("links: lock the organisation's links: %w", err)
	}
	return nil
}
