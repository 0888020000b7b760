package exports

import (
	"context"
	"fmt"
	"io"
	"slices"

	"carnet/ent"
	"carnet/ent/export"
	"carnet/ent/filiationlink"
	"carnet/ent/linktype"
	"carnet/ent/managementlink"
	"carnet/ent/thirdparty"
	"carnet/internal/filiation"
	"carnet/internal/gid"
	"carnet/internal/labels"
	"carnet/internal/lang"
)

// graph is a link graph to write: third parties as nodes, links as
// directed edges (parent to child, ordering party to the other side).
type graph struct {
	kind  export.Kind
	nodes []node
	edges []edge
}

// node is a third party of a graph.
type node struct {
	id               int
	name, kind, city string
	code             *string
}

// edge is a link of a graph, from source to target.
type edge struct {
	id, source, target int
	// label names the link: the two sides' type labels (filiation, e.g.
	// « Société mère / Filiale »), the target side's (management, e.g.
	// « Client à facturer »).
	label                  string
	sourceType, targetType string
	// direction is DOWN (parent to child) or TRANSVERSE (partners) for
	// filiation links; empty for management links.
	direction string
	isDefault *bool
}

// graph reads the links of j the viewer sees and the third parties they
// join (with a root: every member of its filiation network). A link is
// kept when the viewer sees both of its ends.
func (r *Runner) graph(ctx context.Context, j job, p *progress) (*graph, error) {
	types, err := r.client.LinkType.Query().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("exports: link types: %w", err)
	}
	typeOf := make(map[int]*ent.LinkType, len(types))
	for _, t := range types {
		typeOf[t.ID] = t
	}
	g := &graph{kind: j.kind}
	var ends []int
	var members map[int]*ent.ThirdParty
	if j.rootID != nil {
		if members, err = r.network(ctx, *j.rootID, p); err != nil {
			return nil, err
		}
		ids := make([]int, 0, len(members))
		for id := range members {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		seen := map[int]bool{}
		for len(ids) > 0 {
			n := min(len(ids), 500)
			ls, err := r.client.FiliationLink.Query().
				Where(filiationlink.Or(filiationlink.ThirdPartyIDIn(ids[:n]...), filiationlink.LinkedThirdPartyIDIn(ids[:n]...))).
				Order(ent.Asc(filiationlink.FieldID)).All(ctx)
			if err != nil {
				return nil, fmt.Errorf("exports: network links: %w", err)
			}
			for _, l := range ls {
				if !seen[l.ID] {
					seen[l.ID] = true
					g.edges = append(g.edges, filiationEdge(l, typeOf))
				}
			}
			ids = ids[n:]
		}
	} else if j.kind == export.KindFILIATION_GRAPH {
		err = pages(ctx, r.opt.PageSize, p, func(after int) ([]int, error) {
			ls, err := r.client.FiliationLink.Query().Where(filiationlink.IDGT(after)).
				Order(ent.Asc(filiationlink.FieldID)).Limit(r.opt.PageSize).All(ctx)
			ids := make([]int, len(ls))
			for i, l := range ls {
				ids[i] = l.ID
				g.edges = append(g.edges, filiationEdge(l, typeOf))
				ends = append(ends, l.ThirdPartyID, l.LinkedThirdPartyID)
			}
			return ids, err
		})
	} else {
		err = pages(ctx, r.opt.PageSize, p, func(after int) ([]int, error) {
			ls, err := r.client.ManagementLink.Query().Where(managementlink.IDGT(after)).
				Order(ent.Asc(managementlink.FieldID)).Limit(r.opt.PageSize).All(ctx)
			ids := make([]int, len(ls))
			for i, l := range ls {
				ids[i] = l.ID
				g.edges = append(g.edges, managementEdge(l, typeOf))
				ends = append(ends, l.ThirdPartyID, l.LinkedThirdPartyID)
			}
			return ids, err
		})
	}
	if err != nil {
		return nil, fmt.Errorf("exports: links: %w", err)
	}
	if members == nil {
		if members, err = r.thirdPartiesByID(ctx, ends); err != nil {
			return nil, err
		}
	}
	ids := make([]int, 0, len(members))
	for id := range members {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		tp := members[id]
		city := ""
		if tp.City != nil {
			city = *tp.City
		}
		g.nodes = append(g.nodes, node{id: tp.ID, name: tp.Name, code: tp.Code, kind: labels.Kind(tp.Kind, j.lang), city: city})
	}
	g.edges = slices.DeleteFunc(g.edges, func(e edge) bool { return members[e.source] == nil || members[e.target] == nil })
	slices.SortFunc(g.edges, func(a, b edge) int { return a.id - b.id })
	return g, nil
}

// network reads the members of root's filiation network the viewer sees
// (root alone when it has no filiation link), by pages.
func (r *Runner) network(ctx context.Context, rootID int, p *progress) (map[int]*ent.ThirdParty, error) {
	root, err := r.client.ThirdParty.Get(ctx, rootID)
	if err != nil {
		return nil, fmt.Errorf("exports: root: %w", err)
	}
	members := map[int]*ent.ThirdParty{root.ID: root}
	if root.NetworkID == nil {
		return members, nil
	}
	err = pages(ctx, r.opt.PageSize, p, func(after int) ([]int, error) {
		tps, err := r.client.ThirdParty.Query().Where(thirdparty.NetworkID(*root.NetworkID), thirdparty.IDGT(after)).
			Order(ent.Asc(thirdparty.FieldID)).Limit(r.opt.PageSize).All(ctx)
		ids := make([]int, len(tps))
		for i, tp := range tps {
			ids[i] = tp.ID
			members[tp.ID] = tp
		}
		return ids, err
	})
	return members, err
}

// pages calls read with the last ID read until a page comes back short.
// Reading pages does not count as rows written: p only paces them.
func pages(ctx context.Context, size int, p *progress, read func(after int) ([]int, error)) error {
	after := 0
	for {
		ids, err := read(after)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		after = ids[len(ids)-1]
		if err := p.page(0); err != nil {
			return err
		}
		if len(ids) < size {
			return ctx.Err()
		}
	}
}

// filiationEdge orients a filiation link from parent to child: from the
// side the other side's direction says is above (filiation.Toward),
// else as entered (partners, types without direction).
func filiationEdge(l *ent.FiliationLink, typeOf map[int]*ent.LinkType) edge {
	t, lt := typeOf[l.TypeID], typeOf[l.LinkedTypeID]
	e := edge{id: l.ID, source: l.ThirdPartyID, target: l.LinkedThirdPartyID, sourceType: typeLabel(t), targetType: typeLabel(lt)}
	switch filiation.Toward(t, lt) {
	case linktype.DirectionUP: // the linked party is the parent
		e.source, e.target, e.sourceType, e.targetType = e.target, e.source, e.targetType, e.sourceType
		e.direction = string(linktype.DirectionDOWN)
	case linktype.DirectionDOWN:
		e.direction = string(linktype.DirectionDOWN)
	default:
		e.direction = string(linktype.DirectionTRANSVERSE)
	}
	e.label = e.sourceType
	if e.targetType != e.sourceType {
		e.label += " / " + e.targetType
	}
	return e
}

// managementEdge orients a management link from the ordering party to
// the other side, labelled with the other side's type.
func managementEdge(l *ent.ManagementLink, typeOf map[int]*ent.LinkType) edge {
	e := edge{id: l.ID, source: l.ThirdPartyID, target: l.LinkedThirdPartyID,
		sourceType: typeLabel(typeOf[l.TypeID]), targetType: typeLabel(typeOf[l.LinkedTypeID]), isDefault: &l.IsDefault}
	if l.OrderingPartyID == l.LinkedThirdPartyID {
		e.source, e.target, e.sourceType, e.targetType = e.target, e.source, e.targetType, e.sourceType
	}
	e.label = e.targetType
	return e
}

func typeLabel(t *ent.LinkType) string {
	if t == nil {
		return ""
	}
	return t.Label
}

// edgeColumns are the columns of a graph's edges in JSONL or CSV.
var edgeColumns = []string{"id", "source", "sourceCode", "sourceName", "target", "targetCode", "targetName",
	"label", "sourceType", "targetType", "direction", "isDefault"}

// write writes g in format: GraphML or GEXF, else its edges as a table.
func (g *graph) write(w io.Writer, format export.Format, l lang.Language) (counts, error) {
	nodes := len(g.nodes)
	c := counts{rows: len(g.edges), nodes: &nodes}
	switch format {
	case export.FormatGRAPHML:
		return c, writeGraphML(w, g)
	case export.FormatGEXF:
		return c, writeGEXF(w, g)
	}
	byID := make(map[int]*node, len(g.nodes))
	for i := range g.nodes {
		byID[g.nodes[i].id] = &g.nodes[i]
	}
	t, err := newTable(w, format, edgeColumns)
	if err != nil {
		return c, err
	}
	for _, e := range g.edges {
		s, d := byID[e.source], byID[e.target]
		var dir any
		if e.direction != "" {
			dir = e.direction
		}
		if err := t.row([]any{gid.Encode(e.id), gid.Encode(e.source), s.code, s.name, gid.Encode(e.target), d.code, d.name,
			e.label, e.sourceType, e.targetType, dir, e.isDefault}); err != nil {
			return c, err
		}
	}
	return c, t.close()
}
