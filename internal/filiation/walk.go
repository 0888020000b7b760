package filiation

import (
	"context"
	"fmt"
	"slices"

	"carnet/ent"
	"carnet/ent/filiationlink"
	"carnet/ent/linktype"
	"carnet/ent/thirdparty"
	"carnet/internal/errs"
	"carnet/internal/links"
	"carnet/internal/viewer"
)

// Limits of a walk.
const (
	DefaultDepth = 3
	MaxDepth     = 10
	MaxNodes     = 1000
)

// Graph is the part of a filiation graph reached by a walk.
type Graph struct {
	Nodes     []*ent.ThirdParty    `json:"nodes"`
	Edges     []*ent.FiliationLink `json:"edges"`
	Truncated bool                 `json:"truncated"`
}

// Walk returns the third parties reachable from root through at most
// depth links, moving only in directions (all when empty): UP from a
// subsidiary to its parent, DOWN the other way, TRANSVERSE between
// partners (see Toward: the direction of the side walked to, else the
// inverse of the side walked from's, else TRANSVERSE). Each third party is visited once, so cycles never loop; past
// MaxNodes the walk stops and says it was truncated. Nodes and edges the
// viewer may not see are left out (privacy applies to every query).
//
// Which nodes are shown follows the tabs (links.TabKinds): the root, when
// the viewer sees it, and every node reached from a shown node whose
// filiation tab the viewer may open. A node whose tab the viewer may not
// open is shown (it is on a tab they opened) but the walk goes no further
// from it.
func Walk(ctx context.Context, client *ent.Client, rootID int, depth *int, directions []linktype.Direction) (*Graph, error) {
	if err := RequireRead(ctx); err != nil {
		return nil, err
	}
	d := DefaultDepth
	if depth != nil {
		d = *depth
	}
	if d < 0 || d > MaxDepth {
		return nil, errs.Invalid("depth", "depth must be between 0 and %d", MaxDepth)
	}
	root, err := client.ThirdParty.Get(ctx, rootID)
	if err != nil {
		if ent.IsNotFound(err) {
			return nil, errs.E(errs.NotFound, "no third party with this ID")
		}
		return nil, fmt.Errorf("filiation: walk: %w", err)
	}
	follow := func(dir linktype.Direction) bool { return len(directions) == 0 || slices.Contains(directions, dir) }
	// The organisation's filiation types, once: links then need no join.
	types, err := client.LinkType.Query().Where(linktype.CategoryEQ(linktype.CategoryFILIATION)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("filiation: walk types: %w", err)
	}
	typeOf := make(map[int]*ent.LinkType, len(types))
	for _, t := range types {
		typeOf[t.ID] = t
	}

	g := &Graph{}
	visited := map[int]bool{rootID: true}
	order := []int{rootID}
	byID := map[int]*ent.ThirdParty{rootID: root}
	edges := map[int]*ent.FiliationLink{}
	v := viewer.FromContext(ctx)
	// opens keeps the nodes whose tab the viewer may open: only those are
	// walked from.
	opens := func(ids []int) []int {
		var out []int
		for _, id := range ids {
			if n := byID[id]; n != nil && links.MayOpenTab(v, linktype.CategoryFILIATION, n.Kind) {
				out = append(out, id)
			}
		}
		return out
	}
	frontier := opens([]int{rootID})
	for level := 0; level < d && len(frontier) > 0 && !g.Truncated; level++ {
		inFrontier := map[int]bool{}
		for _, id := range frontier {
			inFrontier[id] = true
		}
		var next []int
		for chunk := range slices.Chunk(frontier, 500) {
			links, err := client.FiliationLink.Query().
				Where(filiationlink.Or(filiationlink.ThirdPartyIDIn(chunk...), filiationlink.LinkedThirdPartyIDIn(chunk...))).
				Order(ent.Asc(filiationlink.FieldID)).
				All(ctx)
			if err != nil {
				return nil, fmt.Errorf("filiation: walk: %w", err)
			}
			for _, l := range links {
				l.Edges.Type, l.Edges.LinkedType = typeOf[l.TypeID], typeOf[l.LinkedTypeID]
				for _, hop := range []struct {
					from, to int
					dir      linktype.Direction
				}{
					{l.ThirdPartyID, l.LinkedThirdPartyID, Toward(l.Edges.Type, l.Edges.LinkedType)},
					{l.LinkedThirdPartyID, l.ThirdPartyID, Toward(l.Edges.LinkedType, l.Edges.Type)},
				} {
					if !inFrontier[hop.from] || !follow(hop.dir) {
						continue
					}
					if !visited[hop.to] {
						if len(visited) >= MaxNodes {
							g.Truncated = true
							continue
						}
						visited[hop.to] = true
						order = append(order, hop.to)
						next = append(next, hop.to)
					}
					edges[l.ID] = l
				}
			}
		}
		// The level's nodes, to know whose tab opens (hidden ones stay out).
		for chunk := range slices.Chunk(next, 500) {
			nodes, err := client.ThirdParty.Query().Where(thirdparty.IDIn(chunk...)).All(ctx)
			if err != nil {
				return nil, fmt.Errorf("filiation: walk nodes: %w", err)
			}
			for _, n := range nodes {
				byID[n.ID] = n
			}
		}
		frontier = opens(next)
	}

	for _, id := range order {
		if n := byID[id]; n != nil {
			g.Nodes = append(g.Nodes, n)
		}
	}
	for _, l := range edges {
		if byID[l.ThirdPartyID] != nil && byID[l.LinkedThirdPartyID] != nil {
			g.Edges = append(g.Edges, l)
		}
	}
	slices.SortFunc(g.Edges, func(a, b *ent.FiliationLink) int { return a.ID - b.ID })
	return g, nil
}
