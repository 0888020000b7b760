package filiation

import (
	"context"
	"fmt"
	"slices"

	entgo "entgo.io/ent"

	"carnet/ent"
	"carnet/ent/filiationlink"
	"carnet/ent/hook"
	"carnet/ent/thirdparty"
	"carnet/internal/auth"
	"carnet/internal/links"
)

// NetworkHook keeps third parties' network_id (the smallest ID of their
// filiation component) in step with every link created or deleted, in
// the same transaction.
func NetworkHook(next entgo.Mutator) entgo.Mutator {
	return hook.FiliationLinkFunc(func(ctx context.Context, m *ent.FiliationLinkMutation) (entgo.Value, error) {
		sys := auth.System(ctx)
		client := m.Client()
		// Networks are read, then written: one writer at a time (deletes
		// of third parties come here too, not through CreateLink).
		if err := links.Lock(ctx, client); err != nil {
			return nil, err
		}
		switch {
		case m.Op().Is(entgo.OpCreate):
			v, err := next.Mutate(ctx, m)
			if err != nil {
				return nil, err
			}
			fl := v.(*ent.FiliationLink)
			return v, merge(sys, client, fl.ThirdPartyID, fl.LinkedThirdPartyID)
		case m.Op().Is(entgo.OpDelete | entgo.OpDeleteOne):
			ids, err := m.IDs(sys)
			if err != nil {
				return nil, fmt.Errorf("filiation: links to delete: %w", err)
			}
			links, err := client.FiliationLink.Query().Where(filiationlink.IDIn(ids...)).All(sys)
			if err != nil {
				return nil, fmt.Errorf("filiation: links to delete: %w", err)
			}
			v, err := next.Mutate(ctx, m)
			if err != nil {
				return nil, err
			}
			var ends []int
			for _, l := range links {
				ends = append(ends, l.ThirdPartyID, l.LinkedThirdPartyID)
			}
			return v, recompute(sys, client, ends)
		}
		return next.Mutate(ctx, m)
	})
}

// networkOf returns the network of a third party (its own ID when alone).
func networkOf(tp *ent.ThirdParty) int {
	if tp.NetworkID != nil {
		return *tp.NetworkID
	}
	return tp.ID
}

// merge joins the networks of a and b.
func merge(ctx context.Context, client *ent.Client, a, b int) error {
	tps, err := client.ThirdParty.Query().Where(thirdparty.IDIn(a, b)).All(ctx)
	if err != nil || len(tps) != 2 {
		return fmt.Errorf("filiation: merge networks of %d and %d: %v", a, b, err)
	}
	na, nb := networkOf(tps[0]), networkOf(tps[1])
	to := min(na, nb)
	err = client.ThirdParty.Update().
		Where(
			thirdparty.Or(thirdparty.NetworkIDIn(na, nb), thirdparty.IDIn(a, b)),
			thirdparty.Or(thirdparty.NetworkIDIsNil(), thirdparty.NetworkIDNEQ(to)), // only rows that change
		).
		SetNetworkID(to).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("filiation: merge networks: %w", err)
	}
	return nil
}

// recompute gives the components of ends their network IDs again after
// links were removed: a component may have split, and a third party left
// without links has no network.
func recompute(ctx context.Context, client *ent.Client, ends []int) error {
	done := map[int]bool{}
	for _, e := range ends {
		if done[e] {
			continue
		}
		members, err := component(ctx, client, e)
		if err != nil {
			return err
		}
		for _, id := range members {
			done[id] = true
		}
		update := client.ThirdParty.Update().Where(thirdparty.IDIn(members...))
		if len(members) == 1 {
			update.ClearNetworkID()
		} else {
			update.SetNetworkID(slices.Min(members))
		}
		if err := update.Exec(ctx); err != nil {
			return fmt.Errorf("filiation: renumber network: %w", err)
		}
	}
	return nil
}

// component returns the IDs connected to start by filiation links, level
// by level (one query per level).
func component(ctx context.Context, client *ent.Client, start int) ([]int, error) {
	seen := map[int]bool{start: true}
	frontier := []int{start}
	for len(frontier) > 0 {
		var next []int
		for chunk := range slices.Chunk(frontier, 500) {
			links, err := client.FiliationLink.Query().
				Where(filiationlink.Or(filiationlink.ThirdPartyIDIn(chunk...), filiationlink.LinkedThirdPartyIDIn(chunk...))).
				All(ctx)
			if err != nil {
				return nil, fmt.Errorf("filiation: component of %d: %w", start, err)
			}
			for _, l := range links {
				for _, id := range []int{l.ThirdPartyID, l.LinkedThirdPartyID} {
					if !seen[id] {
						seen[id] = true
						next = append(next, id)
					}
				}
			}
		}
		frontier = next
	}
	out := make([]int, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	slices.Sort(out)
	return out, nil
}
