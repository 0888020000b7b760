package exports_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"carnet/internal/apitest"
	"carnet/internal/auth"
	"carnet/internal/db"
	"carnet/internal/exports"
	"carnet/internal/testdb"
)

const (
	startExport = `mutation($in: StartExportInput!) { startExport(input: $in) { id status kind format url } }`
	pollExport  = `query($id: ID!) { node(id: $id) { ... on Export { id status kind format rowCount nodeCount url error createdAt finishedAt } } }`
	graphOf     = `query($id: ID!) { filiationGraph(rootId: $id, depth: 10) { nodes { id name } edges { id } truncated } }`
	networkOf   = `query($id: ID!) { thirdParties(first: 0, where: {inFiliationNetworkOf: $id}) { totalCount } }`
)

// world is A's data: two filiation networks, management links, contacts,
// a closed client in the first network, accents and separators in names.
type world struct {
	parent, child, closed, partner, head, branch, site string
	closedName, closedContact                          string
}

func seed(e *apitest.Env) world {
	w := world{closedName: "Client Fermé Sàrl", closedContact: "Fermé-Contact"}
	a := e.TokenA
	w.parent = e.Client(a, "C001", "Société Mère Électrique", false)
	w.child = e.Prospect(a, `Filiale Nord; « Lille », "quai"`)
	w.closed = e.Client(a, "C002", w.closedName, true)
	w.partner = e.ThirdPartyOf(a, "SUPPLIER", "Fournisseur Ünïcode")
	w.head = e.Prospect(a, "Autre Groupe")
	w.branch = e.ThirdPartyOf(a, "OTHER", "Établissement Q")
	w.site = e.Client(a, "C003", "Site Été", false)
	e.ThirdPartyOf(a, "OTHER", "=HYPERLINK(\"x\")") // no link: in THIRD_PARTIES only
	e.FiliationLinkSides(a, w.child, "FILIALE", w.parent, "SOC_MERE")
	e.FiliationLinkSides(a, w.parent, "SOC_MERE", w.closed, "FILIALE")
	e.FiliationLinkSides(a, w.partner, "PARTENAIRE", w.child, "PARTENAIRE")
	e.FiliationLinkSides(a, w.head, "SIEGE", w.branch, "ETABLISSEMENT")
	e.ManagementLink(a, w.parent, "DONORDRE", w.child, "CL_A_FACT", true)
	e.ManagementLink(a, w.site, "SITE_LIV", w.parent, "DONORDRE", false)
	e.ManagementLink(a, w.parent, "DONORDRE", w.closed, "CL_A_FACT", false)
	e.Contact(a, w.parent, "Dupré")
	e.Contact(a, w.child, "Lefèvre")
	e.Contact(a, w.closed, w.closedContact)
	return w
}

// start starts an export and returns its ID.
func start(e *apitest.Env, token, kind, format string, root *string) string {
	e.T.Helper()
	in := map[string]any{"kind": kind, "format": format}
	if root != nil {
		in["rootId"] = *root
	}
	d := e.OK(token, startExport, map[string]any{"in": in})
	if s := apitest.Str(d, "startExport.status"); s != "PENDING" && s != "RUNNING" && s != "DONE" {
		e.T.Fatalf("startExport: status %q", s)
	}
	return apitest.Str(d, "startExport.id")
}

// wait polls an export until it is DONE and returns it.
func wait(e *apitest.Env, token, id string) map[string]any {
	e.T.Helper()
	for range 3000 {
		n, _ := e.OK(token, pollExport, map[string]any{"id": id})["node"].(map[string]any)
		switch apitest.Str(n, "status") {
		case "DONE":
			if apitest.Str(n, "url") == "" || apitest.Str(n, "finishedAt") == "" {
				e.T.Fatalf("export %s: DONE without url or finishedAt: %v", id, n)
			}
			return n
		case "FAILED":
			e.T.Fatalf("export %s failed: %v", id, n["error"])
		}
		time.Sleep(10 * time.Millisecond)
	}
	e.T.Fatalf("export %s: not DONE after 3000 polls", id)
	return nil
}

// download GETs url with token.
func download(e *apitest.Env, token, url string) (int, http.Header, []byte) {
	e.T.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.T.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, body
}

// export starts, waits for and downloads an export; it checks the
// download's headers.
func export(e *apitest.Env, token, kind, format string, root *string) (map[string]any, []byte) {
	e.T.Helper()
	n := wait(e, token, start(e, token, kind, format, root))
	status, h, body := download(e, token, apitest.Str(n, "url"))
	if status != http.StatusOK {
		e.T.Fatalf("download %s %s: %d %s", kind, format, status, body)
	}
	ext := map[string]string{"JSONL": ".jsonl", "CSV": ".csv", "GRAPHML": ".graphml", "GEXF": ".gexf"}[format]
	if cd := h.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment; filename=\"carnet-") || !strings.Contains(cd, ext+`"`) {
		e.T.Fatalf("Content-Disposition %q", cd)
	}
	if h.Get("Content-Type") == "" {
		e.T.Fatal("no Content-Type")
	}
	return n, body
}

// jsonl decodes JSON Lines.
func jsonl(t *testing.T, body []byte) []map[string]any {
	t.Helper()
	var rows []map[string]any
	for _, line := range bytes.Split(bytes.TrimRight(body, "\n"), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		rows = append(rows, m)
	}
	return rows
}

// csvRows decodes a CSV export: a BOM, `;`, a header; rows as maps.
func csvRows(t *testing.T, body []byte) []map[string]string {
	t.Helper()
	if !bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("CSV without a UTF-8 byte order mark: %q", body[:min(len(body), 20)])
	}
	r := csv.NewReader(bytes.NewReader(body[3:]))
	r.Comma = ';'
	all, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]string
	for _, rec := range all[1:] {
		m := map[string]string{}
		for i, c := range all[0] {
			m[c] = rec[i]
		}
		rows = append(rows, m)
	}
	return rows
}

func column[M ~map[string]V, V any](rows []M, key string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, strings.TrimPrefix(toString(r[key]), "'"))
	}
	return out
}

func toString(v any) string {
	s, _ := v.(string)
	return s
}

// graphML is what the tests read of a GraphML file.
type graphML struct {
	Nodes []struct {
		ID   string `xml:"id,attr"`
		Data []struct {
			Key   string `xml:"key,attr"`
			Value string `xml:",chardata"`
		} `xml:"data"`
	} `xml:"graph>node"`
	Edges []struct {
		ID     string `xml:"id,attr"`
		Source string `xml:"source,attr"`
		Target string `xml:"target,attr"`
	} `xml:"graph>edge"`
}

// gexf is what the tests read of a GEXF file.
type gexf struct {
	Nodes []struct {
		ID    string `xml:"id,attr"`
		Label string `xml:"label,attr"`
	} `xml:"graph>nodes>node"`
	Edges []struct {
		ID     string `xml:"id,attr"`
		Source string `xml:"source,attr"`
		Target string `xml:"target,attr"`
		Label  string `xml:"label,attr"`
	} `xml:"graph>edges>edge"`
}

// apiGraph is the union of filiationGraph from each root, as the API
// shows it to token.
func apiGraph(e *apitest.Env, token string, roots ...string) (nodes, edges []string) {
	e.T.Helper()
	seenN, seenE := map[string]bool{}, map[string]bool{}
	for _, r := range roots {
		g := e.OK(token, graphOf, map[string]any{"id": r})
		for _, id := range apitest.IDs(apitest.Get(g, "filiationGraph.nodes"), "id") {
			if !seenN[id] {
				seenN[id] = true
				nodes = append(nodes, id)
			}
		}
		for _, id := range apitest.IDs(apitest.Get(g, "filiationGraph.edges"), "id") {
			if !seenE[id] {
				seenE[id] = true
				edges = append(edges, id)
			}
		}
	}
	return nodes, edges
}

// apiManagement is every management link token sees, and the third
// parties they join, from each record's managementLinks.
func apiManagement(e *apitest.Env, token string, records ...string) (nodes, edges []string) {
	e.T.Helper()
	seenN, seenE := map[string]bool{}, map[string]bool{}
	for _, r := range records {
		for _, l := range apitest.Get(e.ManagementOf(token, r), "managementLinks").([]any) {
			if id := apitest.Str(l, "id"); !seenE[id] {
				seenE[id] = true
				edges = append(edges, id)
			}
			for _, k := range []string{"thirdParty.id", "linkedThirdParty.id"} {
				if id := apitest.Str(l, k); !seenN[id] {
					seenN[id] = true
					nodes = append(nodes, id)
				}
			}
		}
	}
	return nodes, edges
}

func TestExport_EveryKindAndFormat_HoldsWhatTheAPIShows(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		w := seed(e)
		a := e.TokenA

		t.Run("THIRD_PARTIES", func(t *testing.T) {
			e := e.With(t)
			want := e.CountThirdParties(a)
			n, body := export(e, a, "THIRD_PARTIES", "JSONL", nil)
			rows := jsonl(t, body)
			if len(rows) != want || int(apitest.Num(n, "rowCount")) != want || n["nodeCount"] != nil {
				t.Fatalf("JSONL: %d rows, rowCount %v, nodeCount %v; the API counts %d", len(rows), n["rowCount"], n["nodeCount"], want)
			}
			if !contains(column(rows, "name"), "Société Mère Électrique") || rows[0]["kindLabel"] == "" {
				t.Fatalf("JSONL rows: %v", rows)
			}
			n, body = export(e, a, "THIRD_PARTIES", "CSV", nil)
			crows := csvRows(t, body)
			if len(crows) != want || int(apitest.Num(n, "rowCount")) != want {
				t.Fatalf("CSV: %d rows, rowCount %v; the API counts %d", len(crows), n["rowCount"], want)
			}
			names := column(crows, "name")
			if kinds := column(crows, "kind"); !contains(kinds, "CLIENT") || !contains(kinds, "PROSPECT") || !contains(column(crows, "statusLabel"), "Client fermé") {
				t.Fatalf("CSV kinds %q", kinds)
			}
			for _, name := range []string{"Société Mère Électrique", `Filiale Nord; « Lille », "quai"`, w.closedName} {
				if !contains(names, name) {
					t.Fatalf("CSV names %q lack %q", names, name)
				}
			}
			// A formula is defused: it reads as text in a spreadsheet.
			if !bytes.Contains(body, []byte(`"'=HYPERLINK(""x"")"`)) {
				t.Fatalf("CSV formula not defused:\n%s", body)
			}
		})

		t.Run("CONTACTS", func(t *testing.T) {
			e := e.With(t)
			want := e.CountContacts(a)
			for _, f := range []string{"JSONL", "CSV"} {
				n, body := export(e, a, "CONTACTS", f, nil)
				var names, tps []string
				if f == "JSONL" {
					rows := jsonl(t, body)
					names, tps = column(rows, "lastName"), column(rows, "thirdPartyName")
				} else {
					rows := csvRows(t, body)
					names, tps = column(rows, "lastName"), column(rows, "thirdPartyName")
				}
				if len(names) != want || int(apitest.Num(n, "rowCount")) != want {
					t.Fatalf("%s: %d rows, rowCount %v; the API counts %d", f, len(names), n["rowCount"], want)
				}
				if !contains(names, "Lefèvre") || !contains(tps, "Société Mère Électrique") {
					t.Fatalf("%s: %q %q", f, names, tps)
				}
			}
		})

		t.Run("FILIATION_GRAPH", func(t *testing.T) {
			e := e.With(t)
			nodes, edges := apiGraph(e, a, w.parent, w.head)
			n, body := export(e, a, "FILIATION_GRAPH", "GRAPHML", nil)
			var g graphML
			if err := xml.Unmarshal(body, &g); err != nil {
				t.Fatalf("GraphML: %v\n%s", err, body)
			}
			if len(g.Nodes) != len(nodes) || len(g.Edges) != len(edges) ||
				int(apitest.Num(n, "nodeCount")) != len(nodes) || int(apitest.Num(n, "rowCount")) != len(edges) {
				t.Fatalf("GraphML: %d nodes, %d edges (counts %v, %v); the API shows %d, %d\n%s",
					len(g.Nodes), len(g.Edges), n["nodeCount"], n["rowCount"], len(nodes), len(edges), body)
			}
			// Parent to child, whichever side the link was created from.
			if !hasEdge(g, w.parent, w.child) || !hasEdge(g, w.parent, w.closed) || !hasEdge(g, w.head, w.branch) {
				t.Fatalf("GraphML edges are not parent → child:\n%s", body)
			}
			if !bytes.Contains(body, []byte("Société mère / Filiale")) || !bytes.Contains(body, []byte(">Client<")) {
				t.Fatalf("GraphML without readable labels:\n%s", body)
			}

			_, body = export(e, a, "FILIATION_GRAPH", "GEXF", nil)
			var x gexf
			if err := xml.Unmarshal(body, &x); err != nil {
				t.Fatalf("GEXF: %v\n%s", err, body)
			}
			if len(x.Nodes) != len(nodes) || len(x.Edges) != len(edges) {
				t.Fatalf("GEXF: %d nodes, %d edges; the API shows %d, %d", len(x.Nodes), len(x.Edges), len(nodes), len(edges))
			}

			for _, f := range []string{"JSONL", "CSV"} {
				n, body := export(e, a, "FILIATION_GRAPH", f, nil)
				var ids []string
				if f == "JSONL" {
					ids = column(jsonl(t, body), "id")
				} else {
					ids = column(csvRows(t, body), "id")
				}
				apitest.WantSet(t, f+" edges", ids, edges)
				if int(apitest.Num(n, "rowCount")) != len(edges) {
					t.Fatalf("%s: rowCount %v", f, n["rowCount"])
				}
			}

			// One network: the members thirdParties lists, the links of
			// filiationGraph.
			nodes, edges = apiGraph(e, a, w.parent)
			members := int(apitest.Num(e.OK(a, networkOf, map[string]any{"id": w.parent}), "thirdParties.totalCount"))
			n, body = export(e, a, "FILIATION_GRAPH", "GRAPHML", &w.parent)
			g = graphML{}
			if err := xml.Unmarshal(body, &g); err != nil {
				t.Fatal(err)
			}
			if len(g.Nodes) != members || len(g.Nodes) != len(nodes) || len(g.Edges) != len(edges) || int(apitest.Num(n, "nodeCount")) != members {
				t.Fatalf("network: %d nodes (nodeCount %v), %d edges; thirdParties counts %d, filiationGraph %d, %d", len(g.Nodes), n["nodeCount"], len(g.Edges), members, len(nodes), len(edges))
			}
			if hasNode(g, w.head) {
				t.Fatal("network export holds another network's node")
			}
		})

		t.Run("MANAGEMENT_LINKS", func(t *testing.T) {
			e := e.With(t)
			nodes, edges := apiManagement(e, a, w.parent, w.child, w.closed, w.site)
			n, body := export(e, a, "MANAGEMENT_LINKS", "GRAPHML", nil)
			var g graphML
			if err := xml.Unmarshal(body, &g); err != nil {
				t.Fatal(err)
			}
			if len(g.Nodes) != len(nodes) || len(g.Edges) != len(edges) || int(apitest.Num(n, "rowCount")) != len(edges) {
				t.Fatalf("GraphML: %d nodes, %d edges; the API shows %d, %d", len(g.Nodes), len(g.Edges), len(nodes), len(edges))
			}
			// From the ordering party, whichever side it was entered on.
			if !hasEdge(g, w.parent, w.site) || !bytes.Contains(body, []byte("Site de livraison")) {
				t.Fatalf("management edges:\n%s", body)
			}
			_, body = export(e, a, "MANAGEMENT_LINKS", "GEXF", nil)
			var x gexf
			if err := xml.Unmarshal(body, &x); err != nil || len(x.Edges) != len(edges) {
				t.Fatalf("GEXF: %v, %d edges; want %d", err, len(x.Edges), len(edges))
			}
			for _, f := range []string{"JSONL", "CSV"} {
				_, body := export(e, a, "MANAGEMENT_LINKS", f, nil)
				var ids []string
				if f == "JSONL" {
					ids = column(jsonl(t, body), "id")
				} else {
					ids = column(csvRows(t, body), "id")
				}
				apitest.WantSet(t, f+" edges", ids, edges)
			}
		})
	})
}

func TestExport_WithoutRight191516_HoldsNoClosedClient(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		w := seed(e)
		u := e.User(e.TokenA, "sans-fermes@alpha.example", apitest.AllRightsExcept(apitest.RightClosed)...)

		_, body := export(e, u, "THIRD_PARTIES", "CSV", nil)
		rows := csvRows(t, body)
		if len(rows) != e.CountThirdParties(u) || contains(column(rows, "name"), w.closedName) || contains(column(rows, "id"), w.closed) {
			t.Fatalf("third parties without 191516: %d rows (the API counts %d): %q", len(rows), e.CountThirdParties(u), column(rows, "name"))
		}
		if len(rows) != e.CountThirdParties(e.TokenA)-1 {
			t.Fatalf("%d rows; want one fewer than the administrator's %d", len(rows), e.CountThirdParties(e.TokenA))
		}
		_, body = export(e, u, "CONTACTS", "JSONL", nil)
		crows := jsonl(t, body)
		if len(crows) != e.CountContacts(u) || contains(column(crows, "lastName"), w.closedContact) {
			t.Fatalf("contacts without 191516: %q", column(crows, "lastName"))
		}
		for _, kind := range []string{"FILIATION_GRAPH", "MANAGEMENT_LINKS"} {
			_, body = export(e, u, kind, "GRAPHML", nil)
			var g graphML
			if err := xml.Unmarshal(body, &g); err != nil {
				t.Fatal(err)
			}
			if hasNode(g, w.closed) || bytes.Contains(body, []byte(w.closedName)) {
				t.Fatalf("%s without 191516 shows the closed client:\n%s", kind, body)
			}
			var nodes, edges []string
			if kind == "FILIATION_GRAPH" {
				nodes, edges = apiGraph(e, u, w.parent, w.head)
			} else {
				nodes, edges = apiManagement(e, u, w.parent, w.child, w.site)
			}
			if len(g.Nodes) != len(nodes) || len(g.Edges) != len(edges) {
				t.Fatalf("%s: %d nodes, %d edges; the API shows this user %d, %d", kind, len(g.Nodes), len(g.Edges), len(nodes), len(edges))
			}
		}
	})
}

func TestExport_OnlyItsRequesterAndAdministratorsReadIt(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		e.Prospect(e.TokenA, "Secret Alpha")
		u := e.User(e.TokenA, "lecteur@alpha.example", apitest.RightRead)
		other := e.User(e.TokenA, "autre@alpha.example", apitest.RightRead)
		id := start(e, u, "THIRD_PARTIES", "CSV", nil)
		n := wait(e, u, id)
		url := apitest.Str(n, "url")

		// Another organisation: nothing, neither the file nor the node.
		if status, _, body := download(e, e.TokenB, url); status != http.StatusNotFound || bytes.Contains(body, []byte("Secret")) {
			t.Fatalf("B's download: %d %s", status, body)
		}
		e.NodeNotFound(e.TokenB, id)
		// Another user of A without administration: the same.
		if status, _, _ := download(e, other, url); status != http.StatusNotFound {
			t.Fatalf("another user's download: %d", status)
		}
		e.NodeNotFound(other, id)
		// A's administrator: yes.
		if status, _, body := download(e, e.TokenA, url); status != http.StatusOK || !bytes.Contains(body, []byte("Secret Alpha")) {
			t.Fatalf("administrator's download: %d %s", status, body)
		}
		e.NodeFound(e.TokenA, id)
		// Without a token: 401.
		if status, _, _ := download(e, "", url); status != http.StatusUnauthorized {
			t.Fatalf("download without a token: %d", status)
		}
	})
}

func TestStartExport_ImpossibleCombinationsAreRefusedAndRecordNothing(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		tp := e.Prospect(e.TokenA, "Racine")
		foreign := e.Prospect(e.TokenB, "Racine de B")
		root := func(s string) map[string]any { return map[string]any{"rootId": s} }
		for _, tc := range []struct {
			name, kind, format string
			extra              map[string]any
			code, field        string
		}{
			{"GraphML of contacts", "CONTACTS", "GRAPHML", nil, "BAD_USER_INPUT", "format"},
			{"GEXF of third parties", "THIRD_PARTIES", "GEXF", nil, "BAD_USER_INPUT", "format"},
			{"rootId on third parties", "THIRD_PARTIES", "CSV", root(tp), "BAD_USER_INPUT", "rootId"},
			{"rootId on management links", "MANAGEMENT_LINKS", "GRAPHML", root(tp), "BAD_USER_INPUT", "rootId"},
			{"an unknown root", "FILIATION_GRAPH", "GRAPHML", root(apitest.UnknownID(t, tp)), "NOT_FOUND", ""},
			{"another organisation's root", "FILIATION_GRAPH", "GEXF", root(foreign), "NOT_FOUND", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := map[string]any{"kind": tc.kind, "format": tc.format}
				for k, v := range tc.extra {
					in[k] = v
				}
				if tc.field != "" {
					e.Fail(e.TokenA, startExport, map[string]any{"in": in}, tc.code, tc.field)
				} else {
					apitest.NoSecret(t, e.Fail(e.TokenA, startExport, map[string]any{"in": in}, tc.code))
				}
			})
		}
		// Without the right to read the address book: FORBIDDEN.
		none := e.User(e.TokenA, "rien@alpha.example", apitest.RightAdmin)
		e.Fail(none, startExport, map[string]any{"in": map[string]any{"kind": "CONTACTS", "format": "CSV"}}, "FORBIDDEN")
		if n, err := d.Client.Export.Query().Count(auth.System(context.Background())); err != nil || n != 0 {
			t.Fatalf("refused exports recorded %d rows (%v)", n, err)
		}
	})
}

func TestStartExport_OneUnfinishedExportPerOrganisation(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		e.Prospect(e.TokenA, "Un")
		in := map[string]any{"in": map[string]any{"kind": "THIRD_PARTIES", "format": "JSONL"}}
		first := apitest.Str(e.OK(e.TokenA, startExport, in), "startExport.id")
		// Either the first is still under way (CONFLICT) or it is done
		// (a second one starts): never two at once.
		r := e.Do(e.TokenA, startExport, in)
		if r.Code() != "" && r.Code() != "CONFLICT" {
			t.Fatalf("second export: %+v", r.Errors)
		}
		wait(e, e.TokenA, first)
		if r.Code() == "" {
			wait(e, e.TokenA, apitest.Str(r.Data, "startExport.id"))
		}
		// B is not held up by A.
		wait(e, e.TokenB, start(e, e.TokenB, "THIRD_PARTIES", "CSV", nil))
	})
}

func TestExport_Interrupted_FailsAndKeepsNoFile(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		// One row per page and a long pause: the export is half-written
		// when the runner stops.
		u, runner := apitest.NewExports(t, d, exports.Options{PageSize: 1, Pause: time.Hour})
		for _, name := range []string{"Un", "Deux", "Trois"} {
			u.Prospect(u.TokenA, name)
		}
		id := start(u.Env, u.TokenA, "THIRD_PARTIES", "CSV", nil)
		for i := 0; ; i++ {
			n := u.OK(u.TokenA, pollExport, map[string]any{"id": id})["node"]
			if apitest.Str(n, "status") == "RUNNING" && apitest.Num(n, "rowCount") >= 1 {
				break
			}
			if i == 3000 {
				t.Fatalf("export not under way: %v", n)
			}
			time.Sleep(10 * time.Millisecond)
		}
		if err := runner.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
		n := u.OK(u.TokenA, pollExport, map[string]any{"id": id})["node"]
		if apitest.Str(n, "status") != "FAILED" || !strings.Contains(apitest.Str(n, "error"), "interrompu") || n.(map[string]any)["url"] != nil {
			t.Fatalf("interrupted export: %v", n)
		}
		if files := u.StoreFiles(); len(files) != 0 {
			t.Fatalf("an interrupted export left files: %v", files)
		}
	})
}

func TestExport_Expired_AnswersNotFoundThenIsRemoved(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		u, _ := apitest.NewExports(t, d, exports.Options{Expiry: time.Nanosecond})
		u.Prospect(u.TokenA, "Éphémère")
		first := start(u.Env, u.TokenA, "THIRD_PARTIES", "CSV", nil)
		n := wait(u.Env, u.TokenA, first)
		if status, _, _ := download(u.Env, u.TokenA, apitest.Str(n, "url")); status != http.StatusNotFound {
			t.Fatalf("expired export's download: %d", status)
		}
		// The next export removes the expired one, row and file.
		wait(u.Env, u.TokenA, start(u.Env, u.TokenA, "THIRD_PARTIES", "JSONL", nil))
		u.NodeNotFound(u.TokenA, first)
		var kept []string
		for _, f := range u.StoreFiles() {
			if strings.Contains(f, "exports") && !strings.HasSuffix(f, ".attrs") {
				kept = append(kept, f)
			}
		}
		if len(kept) != 1 || !strings.HasSuffix(kept[0], ".jsonl") {
			t.Fatalf("files kept: %v; want the second export's only", kept)
		}
	})
}

// TestExport_GraphLoadsInNetworkx loads the GraphML and GEXF exports with
// networkx, as a BI user would, and compares its counts with the API's.
func TestExport_GraphLoadsInNetworkx(t *testing.T) {
	if err := exec.Command("python3", "-c", "import networkx").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("python3 with networkx is needed under CI (apt-get install python3-networkx): %v", err)
		}
		t.Skip("python3 with networkx is not installed (apt-get install python3-networkx): skipped outside CI")
	}
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		w := seed(e)
		dir := t.TempDir()
		for _, tc := range []struct{ kind, format, read string }{
			{"FILIATION_GRAPH", "GRAPHML", "read_graphml"},
			{"FILIATION_GRAPH", "GEXF", "read_gexf"},
			{"MANAGEMENT_LINKS", "GRAPHML", "read_graphml"},
			{"MANAGEMENT_LINKS", "GEXF", "read_gexf"},
		} {
			var nodes, edges []string
			if tc.kind == "FILIATION_GRAPH" {
				nodes, edges = apiGraph(e, e.TokenA, w.parent, w.head)
			} else {
				nodes, edges = apiManagement(e, e.TokenA, w.parent, w.child, w.closed, w.site)
			}
			_, body := export(e, e.TokenA, tc.kind, tc.format, nil)
			path := filepath.Join(dir, tc.kind+"."+strings.ToLower(tc.format))
			if err := os.WriteFile(path, body, 0o600); err != nil {
				t.Fatal(err)
			}
			script := `import sys, json, networkx as nx
g = nx.` + tc.read + `(sys.argv[1])
names = sorted(str(d.get("name") or d.get("label")) for _, d in g.nodes(data=True))
print(json.dumps({"directed": g.is_directed(), "nodes": g.number_of_nodes(), "edges": g.number_of_edges(), "names": names}))`
			out, err := exec.Command("python3", "-c", script, path).CombinedOutput()
			if err != nil {
				t.Fatalf("%s %s in networkx: %v\n%s", tc.kind, tc.format, err, out)
			}
			var got struct {
				Directed     bool
				Nodes, Edges int
				Names        []string
			}
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("%s: %s", err, out)
			}
			if !got.Directed || got.Nodes != len(nodes) || got.Edges != len(edges) || !contains(got.Names, "Société Mère Électrique") {
				t.Fatalf("%s %s in networkx: %+v; the API shows %d nodes, %d edges", tc.kind, tc.format, got, len(nodes), len(edges))
			}
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func hasNode(g graphML, id string) bool {
	for _, n := range g.Nodes {
		if n.ID == id {
			return true
		}
	}
	return false
}

func hasEdge(g graphML, from, to string) bool {
	for _, e := range g.Edges {
		if e.Source == from && e.Target == to {
			return true
		}
	}
	return false
}
