package filiation_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"carnet/ent"
	"carnet/ent/schema/enum"
	"carnet/ent/thirdparty"
	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/gid"
	"carnet/internal/rights"
	"carnet/internal/testdb"
	"carnet/internal/viewer"
)

// group is a filiation group of organisation A:
//
//	Mère (client) ─FILIALE→ F1 (client) ─ETABLISSEMENT→ E1 (other)
//	     │          ─FILIALE→ F2 (prospect) ─PARTENAIRE→ P (supplier)
//	     └─PARTENAIRE→ E1 (closing a cycle Mère–F1–E1)
type group struct {
	ids   map[string]string // name → third party ID
	names map[string]string // third party ID → name
	links map[string]string // "A>B" → filiation link ID
}

func newGroup(e *apitest.Env) group {
	e.T.Helper()
	g := group{ids: map[string]string{}, names: map[string]string{}, links: map[string]string{}}
	add := func(name, id string) {
		g.ids[name], g.names[id] = id, name
	}
	add("Mère", e.Client(e.TokenA, "MERE", "Mère", false))
	add("F1", e.Client(e.TokenA, "F1", "F1", false))
	add("F2", e.Prospect(e.TokenA, "F2"))
	add("E1", e.ThirdPartyOf(e.TokenA, "OTHER", "E1"))
	add("P", e.ThirdPartyOf(e.TokenA, "SUPPLIER", "P"))
	for _, l := range [][3]string{
		{"Mère", "F1", "FILIALE"},
		{"Mère", "F2", "FILIALE"},
		{"F1", "E1", "ETABLISSEMENT"},
		{"F2", "P", "PARTENAIRE"},
		{"Mère", "E1", "PARTENAIRE"},
	} {
		g.links[l[0]+">"+l[1]] = e.FiliationLink(e.TokenA, g.ids[l[0]], g.ids[l[1]], l[2])
	}
	return g
}

const filiationGraphQuery = `query($root: ID!, $depth: Int, $dirs: [LinkDirection!]) {
	filiationGraph(rootId: $root, depth: $depth, directions: $dirs) {
		truncated nodes { id name } edges { id thirdParty { id } linkedThirdParty { id } type { code direction } linkedType { code direction } } } }`

// graphVars are the variables of filiationGraphQuery.
func graphVars(root string, depth int, dirs ...string) map[string]any {
	v := map[string]any{"root": root, "depth": depth}
	if dirs != nil {
		v["dirs"] = dirs
	}
	return v
}

// walked is a filiationGraph answer in names.
type walked struct {
	nodes     []string // names, in answer order
	edges     []string // "A>B" by names
	types     []string // edge type codes
	truncated bool
}

// checkedGraph decodes a filiationGraph answer and checks what must hold
// of every answer: each node once, the root first, edges only between
// returned nodes.
func checkedGraph(t *testing.T, data map[string]any, root string, names map[string]string) walked {
	t.Helper()
	var w walked
	w.truncated, _ = apitest.Get(data, "filiationGraph.truncated").(bool)
	nodeIDs := apitest.IDs(apitest.Get(data, "filiationGraph.nodes"), "id")
	if len(nodeIDs) == 0 || nodeIDs[0] != root {
		t.Fatalf("the root %s must come first: %v", root, nodeIDs)
	}
	seen := map[string]bool{}
	for _, id := range nodeIDs {
		if seen[id] {
			t.Fatalf("node %s (%s) appears twice", id, names[id])
		}
		seen[id] = true
		w.nodes = append(w.nodes, names[id])
	}
	edges, _ := apitest.Get(data, "filiationGraph.edges").([]any)
	seenEdge := map[string]bool{}
	for _, ed := range edges {
		a, b := apitest.Str(ed, "thirdParty.id"), apitest.Str(ed, "linkedThirdParty.id")
		if !seen[a] || !seen[b] {
			t.Fatalf("edge %s joins %s–%s, not both among the nodes %v", apitest.Str(ed, "id"), names[a], names[b], w.nodes)
		}
		if seenEdge[apitest.Str(ed, "id")] {
			t.Fatalf("edge %s appears twice", apitest.Str(ed, "id"))
		}
		seenEdge[apitest.Str(ed, "id")] = true
		w.edges = append(w.edges, names[a]+">"+names[b])
		w.types = append(w.types, apitest.Str(ed, "linkedType.code"))
	}
	return w
}

func TestFiliationGraph_WalksToTheDepthAndInTheDirectionsAsked(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		g := newGroup(e)
		all := []string{"Mère", "F1", "F2", "E1", "P"}
		for _, tc := range []struct {
			name      string
			root      string
			depth     int
			dirs      []string
			nodes     []string // as a set
			order     []string // when the order is fixed by the walk
			mustEdges []string
			edgeTypes []string // every edge is of one of these types; nil: any
		}{
			{name: "depth 0 is the root alone", root: "Mère", depth: 0, nodes: []string{"Mère"}, order: []string{"Mère"}},
			{name: "depth 1 from Mère", root: "Mère", depth: 1, nodes: []string{"Mère", "F1", "F2", "E1"},
				mustEdges: []string{"Mère>F1", "Mère>F2", "Mère>E1"}},
			{name: "depth 2 from Mère reaches E1 and P", root: "Mère", depth: 2, nodes: all,
				mustEdges: []string{"Mère>F1", "Mère>F2", "Mère>E1", "F2>P"}},
			{name: "depth 10 from Mère: each node once", root: "Mère", depth: 10, nodes: all,
				mustEdges: []string{"Mère>F1", "Mère>F2", "Mère>E1", "F2>P"}},
			{name: "DOWN from Mère is the subsidiaries chain, no partner", root: "Mère", depth: 3, dirs: []string{"DOWN"},
				nodes: []string{"Mère", "F1", "F2", "E1"}, mustEdges: []string{"Mère>F1", "Mère>F2", "F1>E1"},
				edgeTypes: []string{"FILIALE", "ETABLISSEMENT"}},
			{name: "DOWN from F1", root: "F1", depth: 3, dirs: []string{"DOWN"}, nodes: []string{"F1", "E1"},
				order: []string{"F1", "E1"}, mustEdges: []string{"F1>E1"}, edgeTypes: []string{"ETABLISSEMENT"}},
			{name: "UP from E1, depth 1, is its parent", root: "E1", depth: 1, dirs: []string{"UP"}, nodes: []string{"E1", "F1"},
				order: []string{"E1", "F1"}, mustEdges: []string{"F1>E1"}, edgeTypes: []string{"ETABLISSEMENT"}},
			{name: "UP from E1 walks to F1 then Mère", root: "E1", depth: 3, dirs: []string{"UP"}, nodes: []string{"E1", "F1", "Mère"},
				order: []string{"E1", "F1", "Mère"}, mustEdges: []string{"F1>E1", "Mère>F1"}, edgeTypes: []string{"ETABLISSEMENT", "FILIALE"}},
			{name: "TRANSVERSE from F2 is its partner", root: "F2", depth: 3, dirs: []string{"TRANSVERSE"}, nodes: []string{"F2", "P"},
				mustEdges: []string{"F2>P"}, edgeTypes: []string{"PARTENAIRE"}},
			{name: "UP and TRANSVERSE from P", root: "P", depth: 3, dirs: []string{"UP", "TRANSVERSE"},
				nodes: []string{"P", "F2", "Mère", "E1"}, order: []string{"P", "F2", "Mère", "E1"},
				mustEdges: []string{"F2>P", "Mère>F2", "Mère>E1"}, edgeTypes: []string{"PARTENAIRE", "FILIALE"}},
			{name: "all directions named are all directions", root: "E1", depth: 1, dirs: []string{"UP", "DOWN", "TRANSVERSE"},
				nodes: []string{"E1", "F1", "Mère"}, mustEdges: []string{"F1>E1", "Mère>E1"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				root := g.ids[tc.root]
				w := checkedGraph(t, e.OK(e.TokenA, filiationGraphQuery, graphVars(root, tc.depth, tc.dirs...)), root, g.names)
				apitest.WantSet(t, "nodes", w.nodes, tc.nodes)
				if tc.order != nil && !slices.Equal(w.nodes, tc.order) {
					t.Fatalf("walk order: want %v, got %v", tc.order, w.nodes)
				}
				for _, m := range tc.mustEdges {
					if !slices.Contains(w.edges, m) {
						t.Fatalf("edge %s missing: %v", m, w.edges)
					}
				}
				if tc.depth == 0 && len(w.edges) != 0 {
					t.Fatalf("depth 0 has no edges, got %v", w.edges)
				}
				for _, ty := range w.types {
					if tc.edgeTypes != nil && !slices.Contains(tc.edgeTypes, ty) {
						t.Fatalf("edge of type %s walked in directions %v: %v", ty, tc.dirs, w.edges)
					}
				}
				if w.truncated {
					t.Fatal("a small graph is not truncated")
				}
			})
		}
		t.Run("depth defaults to 3", func(t *testing.T) {
			e := e.With(t)
			// From P: F2 at depth 1, Mère at 2, F1 and E1 at 3.
			d := e.OK(e.TokenA, `query($root: ID!) { filiationGraph(rootId: $root) { truncated nodes { id name } edges { id thirdParty { id } linkedThirdParty { id } type { code direction } linkedType { code direction } } } }`,
				map[string]any{"root": g.ids["P"]})
			w := checkedGraph(t, d, g.ids["P"], g.names)
			apitest.WantSet(t, "nodes", w.nodes, all)
			d1 := e.OK(e.TokenA, filiationGraphQuery, graphVars(g.ids["P"], 2))
			if w1 := checkedGraph(t, d1, g.ids["P"], g.names); slices.Contains(w1.nodes, "E1") || slices.Contains(w1.nodes, "F1") {
				t.Fatalf("depth 2 from P should stop at Mère: %v", w1.nodes)
			}
		})
	})
}

func TestFiliationGraph_CyclesTerminateWithEachNodeOnce(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		names := map[string]string{}
		var ring []string
		for _, n := range []string{"R1", "R2", "R3"} {
			id := e.Client(e.TokenA, n, n, false)
			ring = append(ring, id)
			names[id] = n
		}
		// R1 → R2 → R3 → R1, each the parent of the next: a directed cycle.
		for i := range ring {
			e.FiliationLink(e.TokenA, ring[i], ring[(i+1)%3], "FILIALE")
		}
		for _, dirs := range [][]string{{"DOWN"}, {"UP"}, nil} {
			t.Run(fmt.Sprint(dirs), func(t *testing.T) {
				e := e.With(t)
				w := checkedGraph(t, e.OK(e.TokenA, filiationGraphQuery, graphVars(ring[0], 10, dirs...)), ring[0], names)
				apitest.WantSet(t, "nodes", w.nodes, []string{"R1", "R2", "R3"})
				apitest.WantSet(t, "edges", w.edges, []string{"R1>R2", "R2>R3", "R3>R1"})
			})
		}
	})
}

func TestFiliationGraph_DepthOutsideZeroToTenIsRefused(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		root := e.Client(e.TokenA, "R", "Racine", false)
		for _, depth := range []int{11, -1, 1000} {
			t.Run(fmt.Sprint(depth), func(t *testing.T) {
				e.With(t).Fail(e.TokenA, filiationGraphQuery, graphVars(root, depth), "BAD_USER_INPUT", "depth")
			})
		}
		for _, depth := range []int{0, 10} {
			e.OK(e.TokenA, filiationGraphQuery, graphVars(root, depth))
		}
	})
}

func TestFiliationGraph_ClosedClientAndItsEdgesAreHiddenWithout191516(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		names := map[string]string{}
		party := func(id, name string) string { names[id] = name; return id }
		mere := party(e.Client(e.TokenA, "M", "Mère", false), "Mère")
		closed := party(e.Client(e.TokenA, "X", "Fermée", true), "Fermée")
		open := party(e.Client(e.TokenA, "O", "Ouverte", false), "Ouverte")
		toClosed := e.FiliationLink(e.TokenA, mere, closed, "FILIALE")
		toOpen := e.FiliationLink(e.TokenA, mere, open, "FILIALE")
		closedOpen := e.FiliationLink(e.TokenA, closed, open, "PARTENAIRE")
		for _, tc := range []struct {
			name       string
			rights     []int
			nodes      []string
			edges      []string
			linksOfMum []string
		}{
			{"without 191516", []int{apitest.RightRead, apitest.RightReadClientFil}, []string{"Mère", "Ouverte"}, []string{"Mère>Ouverte"}, []string{toOpen}},
			{"with 191516", []int{apitest.RightRead, apitest.RightReadClientFil, apitest.RightClosed}, []string{"Mère", "Fermée", "Ouverte"}, []string{"Mère>Fermée", "Mère>Ouverte", "Fermée>Ouverte"}, []string{toClosed, toOpen}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				token := e.User(e.TokenA, strings.ReplaceAll(tc.name, " ", "")+"@alpha.example", tc.rights...)
				w := checkedGraph(t, e.OK(token, filiationGraphQuery, graphVars(mere, 3)), mere, names)
				apitest.WantSet(t, "nodes", w.nodes, tc.nodes)
				apitest.WantSet(t, "edges", w.edges, tc.edges)
				apitest.WantSet(t, "network", network(e, token, mere), tc.nodes)
				apitest.WantSet(t, "filiationLinks of Mère", e.FiliationLinksOf(token, mere), tc.linksOfMum)
				if slices.Contains(tc.nodes, "Fermée") {
					e.NodeFound(token, closedOpen)
				} else {
					e.NodeNotFound(token, closedOpen)
				}
			})
		}
	})
}

// The walk shows a node when the viewer may open the filiation tab of at
// least one record it is reached from: it goes on only from records whose
// tab opens (a supplier's or an other's opens with the right to read).
func TestFiliationGraph_ShowsWhatIsReachedFromRecordsWhoseTabTheViewerMayOpen(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		g := newGroup(e)
		gID := e.Client(e.TokenA, "G", "G", false)
		g.ids["G"], g.names[gID] = gID, "G"
		e.FiliationLink(e.TokenA, g.ids["F2"], gID, "FILIALE")
		clients := e.User(e.TokenA, "clients@alpha.example", apitest.RightRead, apitest.RightReadClientFil)
		prospects := e.User(e.TokenA, "prospects@alpha.example", apitest.RightRead, apitest.RightReadProspectFil)
		for _, tc := range []struct {
			name, token, root string
			nodes, edges      []string
		}{
			{"clients' tabs from Mère", clients, "Mère",
				[]string{"Mère", "F1", "F2", "E1"}, []string{"Mère>F1", "Mère>F2", "F1>E1", "Mère>E1"}},
			{"prospects' tabs from F2", prospects, "F2",
				[]string{"F2", "Mère", "P", "G"}, []string{"Mère>F2", "F2>P", "F2>G"}},
			{"prospects' tabs from the supplier P", prospects, "P",
				[]string{"P", "F2", "Mère", "G"}, []string{"F2>P", "Mère>F2", "F2>G"}},
			{"prospects' tabs from Mère, whose tab they may not open", prospects, "Mère",
				[]string{"Mère"}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := checkedGraph(t, e.OK(tc.token, filiationGraphQuery, graphVars(g.ids[tc.root], 3)), g.ids[tc.root], g.names)
				apitest.WantSet(t, "nodes", w.nodes, tc.nodes)
				apitest.WantSet(t, "edges", w.edges, tc.edges)
			})
		}
	})
}

func TestFiliationGraph_NeedsAReadRightAndARootOfTheOrganisation(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		g := newGroup(e)
		noRight := e.User(e.TokenA, "lecteur@alpha.example", apitest.RightRead, apitest.RightWriteClientFil, apitest.RightWriteProspectFil)
		e.Fail(noRight, filiationGraphQuery, graphVars(g.ids["Mère"], 1), "FORBIDDEN")
		prospectsOnly := e.User(e.TokenA, "prospects@alpha.example", apitest.RightRead, apitest.RightReadProspectFil)
		e.OK(prospectsOnly, filiationGraphQuery, graphVars(g.ids["F2"], 1))

		r := e.Fail(e.TokenB, filiationGraphQuery, graphVars(g.ids["Mère"], 3), "NOT_FOUND")
		if r.Data != nil && r.Data["filiationGraph"] != nil {
			t.Fatalf("B got A's graph: %v", r.Data)
		}
		e.Fail(e.TokenA, filiationGraphQuery, graphVars(apitest.UnknownID(t, g.ids["Mère"]), 3), "NOT_FOUND")
	})
}

func TestFiliationGraph_PastOneThousandNodesIsTruncated(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		rootGID := e.Client(e.TokenA, "STAR", "Étoile", false)
		root, _ := gid.Decode(rootGID)
		filiale, _ := gid.Decode(e.TypeID(e.TokenA, "FILIALE"))
		ctx := viewer.NewContext(context.Background(), &viewer.Viewer{
			OrgID: e.A.Organisation.ID, UserID: e.A.Admin.ID, CompanyID: e.A.LoginCompany.ID,
			Rights: rights.NewSet(rights.AllCodes()...), ManagementLinks: true, FiliationLinks: true,
		})
		// 1,001 leaves in one transaction, then the links by bulks of 25,
		// each in its own transaction as API clients would write them.
		const leaves = 1001
		var created []*ent.ThirdParty
		err := db.WithTx(ctx, d.Client, func(tx *ent.Client) error {
			tps := make([]*ent.ThirdPartyCreate, leaves)
			for i := range tps {
				tps[i] = tx.ThirdParty.Create().SetKind(enum.Supplier).SetStatus(thirdparty.StatusACTIVE).SetName(fmt.Sprintf("Branche %04d", i))
			}
			var err error
			created, err = tx.ThirdParty.CreateBulk(tps...).Save(ctx)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for chunk := range slices.Chunk(created, 25) {
			err := db.WithTx(ctx, d.Client, func(tx *ent.Client) error {
				links := make([]*ent.FiliationLinkCreate, len(chunk))
				for i, tp := range chunk {
					links[i] = tx.FiliationLink.Create().SetThirdPartyID(root).SetLinkedThirdPartyID(tp.ID).SetTypeID(filiale).SetLinkedTypeID(filiale)
				}
				return tx.FiliationLink.CreateBulk(links...).Exec(ctx)
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		q := `query($root: ID!, $depth: Int) { filiationGraph(rootId: $root, depth: $depth) { truncated nodes { id } edges { id } } }`
		data := e.OK(e.TokenA, q, map[string]any{"root": rootGID, "depth": 1})
		nodes := apitest.IDs(apitest.Get(data, "filiationGraph.nodes"), "id")
		if apitest.Get(data, "filiationGraph.truncated") != true || len(nodes) != 1000 {
			t.Fatalf("want truncated with 1000 nodes, got truncated %v with %d nodes", apitest.Get(data, "filiationGraph.truncated"), len(nodes))
		}
		if nodes[0] != rootGID {
			t.Fatalf("the root must come first, got %s", nodes[0])
		}
		if len(slices.Compact(slices.Sorted(slices.Values(nodes)))) != len(nodes) {
			t.Fatal("a node appears twice")
		}
		if n := len(apitest.IDs(apitest.Get(data, "filiationGraph.edges"), "id")); n != 999 {
			t.Fatalf("want the 999 edges to the returned leaves, got %d", n)
		}
		data = e.OK(e.TokenA, q, map[string]any{"root": rootGID, "depth": 0})
		if apitest.Get(data, "filiationGraph.truncated") != false || len(apitest.IDs(apitest.Get(data, "filiationGraph.nodes"), "id")) != 1 {
			t.Fatalf("depth 0 of the star: %v", data)
		}
		if n := apitest.Num(e.OK(e.TokenA, `query($id: ID!) { thirdParties(first: 1, where: {inFiliationNetworkOf: $id}) { totalCount } }`, map[string]any{"id": rootGID}), "thirdParties.totalCount"); n != leaves+1 {
			t.Fatalf("network of the star: want %d members, got %v", leaves+1, n)
		}
	})
}

const networkQuery = `query($of: ID!, $after: Cursor) { thirdParties(first: 2, after: $after, where: {inFiliationNetworkOf: $of}) {
	totalCount pageInfo { hasNextPage endCursor } edges { node { id name } } } }`

// network lists, two by two, the names of the members of the filiation
// network of id, checking the pages on the way.
func network(e *apitest.Env, token, id string) []string {
	e.T.Helper()
	var out []string
	var after any
	total := -1
	for page := 0; ; page++ {
		if page > 100 {
			e.T.Fatal("pagination does not end")
		}
		d := e.OK(token, networkQuery, map[string]any{"of": id, "after": after})
		edges, _ := apitest.Get(d, "thirdParties.edges").([]any)
		if len(edges) > 2 {
			e.T.Fatalf("page of %d with first: 2", len(edges))
		}
		if total < 0 {
			total = int(apitest.Num(d, "thirdParties.totalCount"))
		} else if n := int(apitest.Num(d, "thirdParties.totalCount")); n != total {
			e.T.Fatalf("totalCount changed between pages: %d then %d", total, n)
		}
		out = append(out, apitest.IDs(edges, "node.name")...)
		if apitest.Get(d, "thirdParties.pageInfo.hasNextPage") != true {
			break
		}
		after = apitest.Str(d, "thirdParties.pageInfo.endCursor")
	}
	if len(out) != total {
		e.T.Fatalf("pages gave %d members, totalCount says %d: %v", len(out), total, out)
	}
	if len(slices.Compact(slices.Sorted(slices.Values(out)))) != len(out) {
		e.T.Fatalf("a member is listed twice: %v", out)
	}
	return out
}

func TestFiliationNetwork_ListsExactlyTheGroupPageByPage(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		g := newGroup(e)
		lone := e.Prospect(e.TokenA, "Seul")
		pair := e.Prospect(e.TokenA, "Autre groupe")
		pairMate := e.Client(e.TokenA, "AG", "Autre groupe bis", false)
		e.FiliationLink(e.TokenA, pair, pairMate, "PARTENAIRE")
		all := []string{"Mère", "F1", "F2", "E1", "P"}
		for _, member := range all {
			t.Run("from "+member, func(t *testing.T) {
				apitest.WantSet(t, "network", network(e.With(t), e.TokenA, g.ids[member]), all)
			})
		}
		t.Run("a third party without links is alone", func(t *testing.T) {
			apitest.WantSet(t, "network", network(e.With(t), e.TokenA, lone), []string{"Seul"})
		})
		t.Run("another group", func(t *testing.T) {
			apitest.WantSet(t, "network", network(e.With(t), e.TokenA, pairMate), []string{"Autre groupe", "Autre groupe bis"})
		})
		t.Run("needs a filiation read right", func(t *testing.T) {
			e := e.With(t)
			token := e.User(e.TokenA, "lecteur@alpha.example", apitest.RightRead)
			e.Fail(token, networkQuery, map[string]any{"of": g.ids["Mère"]}, "FORBIDDEN")
		})
		t.Run("another organisation's ID is answered like an unknown ID", func(t *testing.T) {
			e := e.With(t)
			unknown := e.FailOneOf(e.TokenB, networkQuery, map[string]any{"of": apitest.UnknownID(t, g.ids["Mère"])}, "BAD_USER_INPUT", "NOT_FOUND")
			other := e.Do(e.TokenB, networkQuery, map[string]any{"of": g.ids["Mère"]})
			if other.Code() != unknown.Code() || other.Messages() != unknown.Messages() {
				t.Fatalf("A's ID: %+v; unknown ID: %+v", other.Errors, unknown.Errors)
			}
			if n := len(apitest.IDs(apitest.Get(other.Data, "thirdParties.edges"), "node.id")); n != 0 {
				t.Fatalf("B listed %d of A's third parties", n)
			}
		})
	})
}

func TestFiliationNetwork_DeletingTheLinkThatJoinsABranchSplitsIt(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		g := newGroup(e)
		e.OK(e.TokenA, `mutation($id: ID!) { deleteFiliationLink(id: $id) }`, map[string]any{"id": g.links["Mère>F2"]})
		apitest.WantSet(t, "network of Mère", network(e, e.TokenA, g.ids["Mère"]), []string{"Mère", "F1", "E1"})
		apitest.WantSet(t, "network of P", network(e, e.TokenA, g.ids["P"]), []string{"F2", "P"})
		w := checkedGraph(t, e.OK(e.TokenA, filiationGraphQuery, graphVars(g.ids["Mère"], 10)), g.ids["Mère"], g.names)
		apitest.WantSet(t, "graph of Mère", w.nodes, []string{"Mère", "F1", "E1"})
		// Deleting a link inside a cycle splits nothing.
		e.OK(e.TokenA, `mutation($id: ID!) { deleteFiliationLink(id: $id) }`, map[string]any{"id": g.links["F1>E1"]})
		apitest.WantSet(t, "network of E1", network(e, e.TokenA, g.ids["E1"]), []string{"Mère", "F1", "E1"})
		// Joining again merges.
		e.FiliationLink(e.TokenA, g.ids["P"], g.ids["E1"], "PARTENAIRE")
		apitest.WantSet(t, "network of F2", network(e, e.TokenA, g.ids["F2"]), []string{"Mère", "F1", "F2", "E1", "P"})
	})
}

func TestFiliationNetwork_DeletingAThirdPartyInTheMiddleSplitsIt(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		// A chain A – B – C – D; A was created first, so its ID names the
		// network.
		chain := map[string]string{}
		for _, n := range []string{"A", "B", "C", "D"} {
			chain[n] = e.Prospect(e.TokenA, n)
		}
		e.FiliationLink(e.TokenA, chain["A"], chain["B"], "FILIALE")
		e.FiliationLink(e.TokenA, chain["B"], chain["C"], "FILIALE")
		e.FiliationLink(e.TokenA, chain["C"], chain["D"], "ETABLISSEMENT")
		apitest.WantSet(t, "network", network(e, e.TokenA, chain["D"]), []string{"A", "B", "C", "D"})

		e.OK(e.TokenA, apitest.DeleteThirdParty, map[string]any{"id": chain["B"]})
		apitest.WantSet(t, "network of A", network(e, e.TokenA, chain["A"]), []string{"A"})
		apitest.WantSet(t, "network of C", network(e, e.TokenA, chain["C"]), []string{"C", "D"})
		if got := e.FiliationLinksOf(e.TokenA, chain["A"]); len(got) != 0 {
			t.Fatalf("A still has links: %v", got)
		}
		// A joins a new group: C and D, once of A's network, stay apart.
		newcomer := e.Prospect(e.TokenA, "E")
		e.FiliationLink(e.TokenA, chain["A"], newcomer, "PARTENAIRE")
		apitest.WantSet(t, "network of A", network(e, e.TokenA, chain["A"]), []string{"A", "E"})
		apitest.WantSet(t, "network of D", network(e, e.TokenA, chain["D"]), []string{"C", "D"})
	})
}

func TestCreateFiliationLink_JoinsThirdPartiesOfAnyKind(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		n := 0
		party := func(kind string) string {
			n++
			name := fmt.Sprintf("%s %d", kind, n)
			switch kind {
			case "CLIENT":
				return e.Client(e.TokenA, fmt.Sprintf("K%d", n), name, false)
			case "PROSPECT":
				return e.Prospect(e.TokenA, name)
			}
			return e.ThirdPartyOf(e.TokenA, kind, name)
		}
		for _, tc := range []struct{ kind, linkedKind, typ, direction string }{
			{"CLIENT", "PROSPECT", "FILIALE", "DOWN"},
			{"CLIENT", "SUPPLIER", "SOC_MERE", "UP"},
			{"PROSPECT", "OTHER", "ETABLISSEMENT", "DOWN"},
			{"SUPPLIER", "SUPPLIER", "PARTENAIRE", "TRANSVERSE"},
			{"OTHER", "CLIENT", "SIEGE", "UP"},
			{"SUPPLIER", "OTHER", "FILIALE", "DOWN"},
			{"PROSPECT", "PROSPECT", "PARTENAIRE", "TRANSVERSE"},
		} {
			t.Run(tc.kind+"–"+tc.linkedKind, func(t *testing.T) {
				e := e.With(t)
				a, b := party(tc.kind), party(tc.linkedKind)
				l := apitest.Get(e.OK(e.TokenA, apitest.CreateFiliationLink, apitest.FiliationInput(a, b, e.TypeID(e.TokenA, tc.typ))), "createFiliationLink")
				if apitest.Str(l, "thirdParty.id") != a || apitest.Str(l, "thirdParty.kind") != tc.kind || apitest.Str(l, "linkedThirdParty.id") != b ||
					apitest.Str(l, "linkedThirdParty.kind") != tc.linkedKind || apitest.Str(l, "linkedType.code") != tc.typ || apitest.Str(l, "linkedType.direction") != tc.direction {
					t.Fatalf("created: %v", l)
				}
				for _, side := range []string{a, b} {
					if got := e.FiliationLinksOf(e.TokenA, side); !slices.Equal(got, []string{apitest.Str(l, "id")}) {
						t.Fatalf("filiationLinks of %s: %v", side, got)
					}
				}
			})
		}
	})
}

func TestCreateFiliationLink_RefusesWrongTypeSelfLinkAndDuplicates(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		c := e.Client(e.TokenA, "C1", "Mère", false)
		s := e.ThirdPartyOf(e.TokenA, "SUPPLIER", "Filiale fournisseur")
		first := e.FiliationLink(e.TokenA, c, s, "FILIALE")
		otherCompany := apitest.Str(e.OK(e.TokenA, apitest.CreateCompany, map[string]any{"in": map[string]any{"name": "Alpha Logistique"}}), "createCompany.id")
		foreignType := e.NewLinkType(e.TokenA, otherCompany, "AILLEURS", "FILIATION", "DOWN")
		filiale := e.TypeID(e.TokenA, "FILIALE")
		for _, tc := range []struct {
			name  string
			vars  map[string]any
			code  string
			field string
		}{
			{"MANAGEMENT type", apitest.FiliationInput(c, s, e.TypeID(e.TokenA, "DONORDRE")), "BAD_USER_INPUT", "typeId"},
			{"type of a company neither login nor shared", apitest.FiliationInput(c, s, foreignType), "BAD_USER_INPUT", "typeId"},
			{"a third party's ID as type", apitest.FiliationInput(c, s, c), "BAD_USER_INPUT", "typeId"},
			{"self-link", apitest.FiliationInput(c, c, filiale), "BAD_USER_INPUT", "linkedThirdPartyId"},
			{"unknown third party", apitest.FiliationInput(apitest.UnknownID(t, c), s, filiale), "BAD_USER_INPUT", "thirdPartyId"},
			{"duplicate", apitest.FiliationInput(c, s, filiale), "CONFLICT", ""},
			{"duplicate the other way round", apitest.FiliationInput(s, c, e.TypeID(e.TokenA, "SOC_MERE")), "CONFLICT", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				if tc.field != "" {
					e.Fail(e.TokenA, apitest.CreateFiliationLink, tc.vars, tc.code, tc.field)
				} else {
					e.Fail(e.TokenA, apitest.CreateFiliationLink, tc.vars, tc.code)
				}
				if got := e.FiliationLinksOf(e.TokenA, c); !slices.Equal(got, []string{first}) {
					t.Fatalf("a refused link was written: %v", got)
				}
			})
		}
		t.Run("another type between the same pair is no duplicate", func(t *testing.T) {
			e := e.With(t)
			second := e.FiliationLink(e.TokenA, s, c, "PARTENAIRE")
			apitest.WantSet(t, "links", e.FiliationLinksOf(e.TokenA, c), []string{first, second})
		})
	})
}

// A change is made from a record's tab: a creation needs the change right
// of the kind of thirdPartyId (either filiation right for a supplier or
// an other third party), whatever the linked party's kind; an update or a
// deletion that of either record's kind.
func TestFiliationLinks_ChangeNeedsTheRightOfTheRecordsTab(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		filiale := e.TypeID(e.TokenA, "FILIALE")
		reads := []int{apitest.RightRead, apitest.RightReadClientFil, apitest.RightReadProspectFil}
		with := func(rs ...int) []int { return append(slices.Clone(reads), rs...) }
		party := func(e *apitest.Env, kind, name string) string {
			switch kind {
			case "CLIENT":
				return e.Client(e.TokenA, "K"+strings.ReplaceAll(name, " ", ""), name, false)
			case "PROSPECT":
				return e.Prospect(e.TokenA, name)
			}
			return e.ThirdPartyOf(e.TokenA, kind, name)
		}
		for i, tc := range []struct {
			name         string
			rights       []int
			kind, linked string
			code         string // "" for success
		}{
			{"client's record with 191522", with(apitest.RightWriteClientFil), "CLIENT", "PROSPECT", ""},
			{"client's record with 191524 only", with(apitest.RightWriteProspectFil), "CLIENT", "SUPPLIER", "FORBIDDEN"},
			{"prospect's record with 191524", with(apitest.RightWriteProspectFil), "PROSPECT", "CLIENT", ""},
			{"prospect's record with 191522 only", with(apitest.RightWriteClientFil), "PROSPECT", "OTHER", "FORBIDDEN"},
			{"supplier's record without a change right", reads, "SUPPLIER", "CLIENT", "FORBIDDEN"},
			{"supplier's record with 191522", with(apitest.RightWriteClientFil), "SUPPLIER", "PROSPECT", ""},
			{"other's record with 191524", with(apitest.RightWriteProspectFil), "OTHER", "CLIENT", ""},
			{"client's record with management rights only", with(apitest.RightWriteClientMgmt, apitest.RightWriteProspectMgmt), "CLIENT", "CLIENT", "FORBIDDEN"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				token := e.User(e.TokenA, fmt.Sprintf("f%d@alpha.example", i), tc.rights...)
				a, b := party(e, tc.kind, fmt.Sprintf("Un %d", i)), party(e, tc.linked, fmt.Sprintf("Deux %d", i))
				if tc.code == "" {
					e.OK(token, apitest.CreateFiliationLink, apitest.FiliationInput(a, b, filiale))
					if got := e.FiliationLinksOf(e.TokenA, a); len(got) != 1 {
						t.Fatalf("want the link created, got %v", got)
					}
					return
				}
				e.Fail(token, apitest.CreateFiliationLink, apitest.FiliationInput(a, b, filiale), tc.code)
				if got := e.FiliationLinksOf(e.TokenA, a); len(got) != 0 {
					t.Fatalf("a forbidden link was written: %v", got)
				}
			})
		}
		for i, tc := range []struct {
			name         string
			rights       []int
			kind, linked string
			code         string
		}{
			{"191524 only, the prospect is the linked party", with(apitest.RightWriteProspectFil), "CLIENT", "PROSPECT", ""},
			{"191522 only, the client is the linked party", with(apitest.RightWriteClientFil), "PROSPECT", "CLIENT", ""},
			{"191522 only, client–supplier", with(apitest.RightWriteClientFil), "SUPPLIER", "CLIENT", ""},
			{"191524 only, client–client", with(apitest.RightWriteProspectFil), "CLIENT", "CLIENT", "FORBIDDEN"},
			{"management rights only", with(apitest.RightWriteClientMgmt, apitest.RightWriteProspectMgmt), "CLIENT", "PROSPECT", "FORBIDDEN"},
		} {
			t.Run("update and delete: "+tc.name, func(t *testing.T) {
				e := e.With(t)
				token := e.User(e.TokenA, fmt.Sprintf("fud%d@alpha.example", i), tc.rights...)
				a, b := party(e, tc.kind, fmt.Sprintf("Trois %d", i)), party(e, tc.linked, fmt.Sprintf("Quatre %d", i))
				l := e.FiliationLink(e.TokenA, a, b, "FILIALE")
				upd := `mutation($id: ID!, $t: ID!) { updateFiliationLink(id: $id, input: {typeId: $t}) { id } }`
				vars := map[string]any{"id": l, "t": e.TypeID(e.TokenA, "PARTENAIRE")}
				del := `mutation($id: ID!) { deleteFiliationLink(id: $id) }`
				typeOf := func() string {
					return apitest.Str(e.OK(e.TokenA, `query($id: ID!) { node(id: $id) { ... on FiliationLink { linkedType { code } } } }`, map[string]any{"id": l}), "node.linkedType.code")
				}
				if tc.code != "" {
					e.Fail(token, upd, vars, tc.code)
					e.Fail(token, del, map[string]any{"id": l}, tc.code)
					if got := typeOf(); got != "FILIALE" {
						t.Fatalf("a forbidden change was written: type %q", got)
					}
					return
				}
				e.OK(token, upd, vars)
				if got := typeOf(); got != "PARTENAIRE" {
					t.Fatalf("update not written: type %q", got)
				}
				e.OK(token, del, map[string]any{"id": l})
				e.NodeNotFound(e.TokenA, l)
			})
		}
	})
}

// Whoever may open a record's filiation tab sees all its links (191521 a
// client's, 191523 a prospect's; a supplier's or an other's needs only the
// right to read the address book); node(id) finds a link when the viewer
// may open the tab of either record.
func TestFiliationLinks_ATabShowsAllTheRecordsLinksToWhoeverMayOpenIt(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		c := e.Client(e.TokenA, "C1", "Client", false)
		c2 := e.Client(e.TokenA, "C2", "Client deux", false)
		p := e.Prospect(e.TokenA, "Prospect")
		s := e.ThirdPartyOf(e.TokenA, "SUPPLIER", "Fournisseur")
		o := e.ThirdPartyOf(e.TokenA, "OTHER", "Autre")
		clientSupplier := e.FiliationLink(e.TokenA, c, s, "FILIALE")
		prospectOther := e.FiliationLink(e.TokenA, p, o, "FILIALE")
		clientProspect := e.FiliationLink(e.TokenA, c, p, "PARTENAIRE")
		supplierOther := e.FiliationLink(e.TokenA, s, o, "PARTENAIRE")
		clients := e.FiliationLink(e.TokenA, c, c2, "FILIALE")
		all := []string{clientSupplier, prospectOther, clientProspect, supplierOther, clients}
		suppliers := map[string][]string{s: {clientSupplier, supplierOther}, o: {prospectOther, supplierOther}}
		tabs := func(m map[string][]string) map[string][]string {
			for k, v := range suppliers {
				m[k] = v
			}
			return m
		}
		for i, tc := range []struct {
			name    string
			rights  []int
			visible []string
			tabs    map[string][]string
		}{
			{"no filiation right", []int{apitest.RightRead}, []string{clientSupplier, prospectOther, supplierOther},
				tabs(map[string][]string{c: nil, p: nil, c2: nil})},
			{"change rights without read rights", []int{apitest.RightRead, apitest.RightWriteClientFil, apitest.RightWriteProspectFil},
				[]string{clientSupplier, prospectOther, supplierOther}, tabs(map[string][]string{c: nil, p: nil})},
			{"191521 only", []int{apitest.RightRead, apitest.RightReadClientFil}, all,
				tabs(map[string][]string{c: {clientSupplier, clientProspect, clients}, c2: {clients}, p: nil})},
			{"191523 only", []int{apitest.RightRead, apitest.RightReadProspectFil}, []string{clientSupplier, prospectOther, clientProspect, supplierOther},
				tabs(map[string][]string{c: nil, p: {prospectOther, clientProspect}})},
			{"both read rights", []int{apitest.RightRead, apitest.RightReadClientFil, apitest.RightReadProspectFil}, all,
				tabs(map[string][]string{c: {clientSupplier, clientProspect, clients}, p: {prospectOther, clientProspect}})},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				token := e.User(e.TokenA, fmt.Sprintf("r%d@alpha.example", i), tc.rights...)
				for _, l := range all {
					if slices.Contains(tc.visible, l) {
						e.NodeFound(token, l)
					} else {
						e.NodeNotFound(token, l)
					}
				}
				for record, want := range tc.tabs {
					apitest.WantSet(t, "filiationLinks of "+record, e.FiliationLinksOf(token, record), want)
				}
			})
		}
	})
}

func TestFiliationLinks_FeatureFlagOffRefusesAndHidesThemUntilSwitchedOn(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		g := newGroup(e)
		mere, f1 := g.ids["Mère"], g.ids["F1"]
		loose := e.Prospect(e.TokenA, "Isolé")
		l := g.links["Mère>F1"]

		e.SetFlag(e.TokenA, "FILIATION_LINKS", false)
		e.Fail(e.TokenA, apitest.CreateFiliationLink, apitest.FiliationInput(loose, f1, e.TypeID(e.TokenA, "FILIALE")), "FEATURE_DISABLED")
		e.Fail(e.TokenA, `mutation($id: ID!, $t: ID!) { updateFiliationLink(id: $id, input: {typeId: $t}) { id } }`,
			map[string]any{"id": l, "t": e.TypeID(e.TokenA, "SIEGE")}, "FEATURE_DISABLED")
		e.Fail(e.TokenA, `mutation($id: ID!) { deleteFiliationLink(id: $id) }`, map[string]any{"id": l}, "FEATURE_DISABLED")
		e.Fail(e.TokenA, filiationGraphQuery, graphVars(mere, 3), "FEATURE_DISABLED")
		e.Fail(e.TokenA, networkQuery, map[string]any{"of": mere}, "FEATURE_DISABLED")
		for _, id := range []string{mere, f1} {
			if got := e.FiliationLinksOf(e.TokenA, id); len(got) != 0 {
				t.Fatalf("filiationLinks with the feature off: %v", got)
			}
		}
		e.NodeNotFound(e.TokenA, l)

		e.SetFlag(e.TokenA, "FILIATION_LINKS", true)
		e.NodeFound(e.TokenA, l)
		if got := e.FiliationLinksOf(e.TokenA, f1); !slices.Contains(got, l) {
			t.Fatalf("filiationLinks after switching on: %v", got)
		}
		w := checkedGraph(t, e.OK(e.TokenA, filiationGraphQuery, graphVars(mere, 3)), mere, g.names)
		apitest.WantSet(t, "graph", w.nodes, []string{"Mère", "F1", "F2", "E1", "P"})
		apitest.WantSet(t, "network", network(e, e.TokenA, mere), []string{"Mère", "F1", "F2", "E1", "P"})
		e.FiliationLink(e.TokenA, loose, f1, "FILIALE")
	})
}

const updateFilLink = `mutation($id: ID!, $t: ID, $lt: ID) { updateFiliationLink(id: $id, input: {typeId: $t, linkedTypeId: $lt}) {
	id type { code direction } linkedType { code direction } thirdParty { id } linkedThirdParty { id } } }`

func TestUpdateFiliationLink_ChangesTheTypeUnderTheSameRules(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		a := e.Client(e.TokenA, "A", "Filiale", false)
		b := e.Client(e.TokenA, "B", "Mère", false)
		l := e.FiliationLink(e.TokenA, a, b, "FILIALE")
		got := apitest.Get(e.OK(e.TokenA, updateFilLink, map[string]any{"id": l, "t": e.TypeID(e.TokenA, "SOC_MERE")}), "updateFiliationLink")
		if apitest.Str(got, "linkedType.code") != "SOC_MERE" || apitest.Str(got, "linkedType.direction") != "UP" || apitest.Str(got, "type.code") != "FILIALE" ||
			apitest.Str(got, "thirdParty.id") != a || apitest.Str(got, "linkedThirdParty.id") != b {
			t.Fatalf("updated: %v", got)
		}
		// The walk follows the new direction: b is now a's parent.
		names := map[string]string{a: "Filiale", b: "Mère"}
		w := checkedGraph(t, e.OK(e.TokenA, filiationGraphQuery, graphVars(a, 1, "UP")), a, names)
		apitest.WantSet(t, "UP from a", w.nodes, []string{"Filiale", "Mère"})

		typeOf := func(e *apitest.Env) string {
			return apitest.Str(e.OK(e.TokenA, `query($id: ID!) { node(id: $id) { ... on FiliationLink { linkedType { code } } } }`, map[string]any{"id": l}), "node.linkedType.code")
		}
		same := e.FiliationLink(e.TokenA, a, b, "PARTENAIRE")
		mirrored := e.FiliationLink(e.TokenA, b, a, "SIEGE")
		for _, tc := range []struct {
			name, typ, linkedTyp, code, field string
		}{
			{"MANAGEMENT type", "DONORDRE", "", "BAD_USER_INPUT", "typeId"},
			{"MANAGEMENT linked type", "FILIALE", "DONORDRE", "BAD_USER_INPUT", "linkedTypeId"},
			{"contradicting directions", "FILIALE", "ETABLISSEMENT", "BAD_USER_INPUT", "linkedTypeId"},
			{"duplicate of another link", "PARTENAIRE", "", "CONFLICT", ""},
			{"duplicate of another link the other way round", "SIEGE", "FILIALE", "CONFLICT", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				vars := map[string]any{"id": l, "t": e.TypeID(e.TokenA, tc.typ)}
				if tc.linkedTyp != "" {
					vars["lt"] = e.TypeID(e.TokenA, tc.linkedTyp)
				}
				if tc.field != "" {
					e.Fail(e.TokenA, updateFilLink, vars, tc.code, tc.field)
				} else {
					e.Fail(e.TokenA, updateFilLink, vars, tc.code)
				}
				if got := typeOf(e); got != "SOC_MERE" {
					t.Fatalf("a refused update changed the type to %s", got)
				}
			})
		}
		t.Run("delete", func(t *testing.T) {
			e := e.With(t)
			for _, id := range []string{l, same, mirrored} {
				if got := apitest.Str(e.OK(e.TokenA, `mutation($id: ID!) { deleteFiliationLink(id: $id) }`, map[string]any{"id": id}), "deleteFiliationLink"); got != id {
					t.Fatalf("deleteFiliationLink returned %q, want %q", got, id)
				}
				e.NodeNotFound(e.TokenA, id)
			}
			if got := e.FiliationLinksOf(e.TokenA, a); len(got) != 0 {
				t.Fatalf("links left: %v", got)
			}
			apitest.WantSet(t, "network", network(e, e.TokenA, a), []string{"Filiale"})
			e.Fail(e.TokenA, `mutation($id: ID!) { deleteFiliationLink(id: $id) }`, map[string]any{"id": l}, "NOT_FOUND")
		})
	})
}

func TestFiliationLinks_AnotherOrganisationCannotUseOrSeeThem(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		c := e.Client(e.TokenA, "C1", "Client Alpha Confidentiel", false)
		p := e.Prospect(e.TokenA, "Secret Alpha Corp")
		l := e.FiliationLink(e.TokenA, c, p, "FILIALE")
		filialeA := e.TypeID(e.TokenA, "FILIALE")
		cB := e.Client(e.TokenB, "C1", "Client Bêta", false)
		pB := e.Prospect(e.TokenB, "Prospect Bêta")
		lB := e.FiliationLink(e.TokenB, cB, pB, "FILIALE")
		for _, tc := range []struct {
			name, query string
			vars        map[string]any
			codes       []string
		}{
			{"link A's third parties", apitest.CreateFiliationLink, apitest.FiliationInput(c, p, e.TypeID(e.TokenB, "FILIALE")), []string{"BAD_USER_INPUT", "NOT_FOUND"}},
			{"link one of A's third parties to one of B's", apitest.CreateFiliationLink, apitest.FiliationInput(cB, p, e.TypeID(e.TokenB, "FILIALE")), []string{"BAD_USER_INPUT", "NOT_FOUND"}},
			{"link own third parties with A's type", apitest.CreateFiliationLink, apitest.FiliationInput(pB, cB, filialeA), []string{"BAD_USER_INPUT", "NOT_FOUND"}},
			{"retype own link with A's type", updateFilLink, map[string]any{"id": lB, "t": filialeA}, []string{"BAD_USER_INPUT", "NOT_FOUND"}},
			{"update A's link", updateFilLink, map[string]any{"id": l, "t": e.TypeID(e.TokenB, "SIEGE")}, []string{"NOT_FOUND"}},
			{"delete A's link", `mutation($id: ID!) { deleteFiliationLink(id: $id) }`, map[string]any{"id": l}, []string{"NOT_FOUND"}},
			{"graph of A's third party", filiationGraphQuery, graphVars(c, 3), []string{"NOT_FOUND"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.With(t)
				apitest.NoSecret(t, e.FailOneOf(e.TokenB, tc.query, tc.vars, tc.codes...))
			})
		}
		e.NodeNotFound(e.TokenB, l)
		if got := e.FiliationLinksOf(e.TokenA, c); !slices.Equal(got, []string{l}) {
			t.Fatalf("A's links changed: %v", got)
		}
		if got := e.FiliationLinksOf(e.TokenB, cB); !slices.Equal(got, []string{lB}) {
			t.Fatalf("B's links changed: %v", got)
		}
		apitest.WantSet(t, "B's network", network(e, e.TokenB, cB), []string{"Client Bêta", "Prospect Bêta"})
	})
}
