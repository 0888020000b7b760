package faults

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"carnet/internal/testdb"
)

// TestTwoProcessesServeTheSameData runs two `carnet serve` processes, A
// and B, on one PostgreSQL database: whatever is written or configured
// through A is what B serves on its next request, what is granted or
// revoked once B's token cache hears of it (NOTIFY, about 1 ms; polled
// for up to 5 s), and optimistic locking holds across them.
func TestTwoProcessesServeTheSameData(t *testing.T) {
	requirePostgres(t)
	dbURL := testdb.PostgresSchemaURL(t)
	admin := initOrg(t, dbURL, "Répliques SA")
	// One bucket for both, as replicas must share (here a directory).
	bucket := "CARNET_BLOB_URL=file://" + filepath.ToSlash(t.TempDir()) + "?create_dir=true&no_tmp_dir=true"
	a := startCarnet(t, "A", dbURL, bucket)
	b := startCarnet(t, "B", dbURL, bucket)

	const (
		node    = `query($id: ID!) { node(id: $id) { ... on ThirdParty { name version contacts(first: 10) { edges { node { lastName } } } } } }`
		update  = `mutation($id: ID!, $v: Int!, $n: String) { updateThirdParty(id: $id, expectedVersion: $v, input: {name: $n}) { name version } }`
		prospec = `mutation($n: String!) { createProspect(input: {name: $n}) { id name version } }`
	)

	t.Run("records", func(t *testing.T) {
		id := str(a.ok(admin, prospec, map[string]any{"n": "Tonnellerie Meunier"}), "createProspect.id")
		if got := b.ok(admin, node, map[string]any{"id": id}); str(got, "node.name") != "Tonnellerie Meunier" || num(got, "node.version") != 1 {
			t.Fatalf("B after A's create: %v", got)
		}
		if hits, _ := get(b.ok(admin, `{ search(query: "tonnel") { label } }`, nil), "search").([]any); len(hits) != 1 {
			t.Fatalf("B's search after A's create: %v", hits)
		}
		a.ok(admin, `mutation($id: ID!) { createContact(input: {thirdPartyId: $id, lastName: "Meunier", firstName: "Anaïs"}) { id } }`, map[string]any{"id": id})
		got := b.ok(admin, node, map[string]any{"id": id})
		if edges, _ := get(got, "node.contacts.edges").([]any); len(edges) != 1 || str(edges[0], "node.lastName") != "Meunier" {
			t.Fatalf("B after A's contact: %v", got)
		}
		a.ok(admin, update, map[string]any{"id": id, "v": 1, "n": "Tonnellerie Meunier & Fils"})
		if got := b.ok(admin, node, map[string]any{"id": id}); str(got, "node.name") != "Tonnellerie Meunier & Fils" || num(got, "node.version") != 2 {
			t.Fatalf("B after A's update: %v", got)
		}
		// B's write on the version it read, A sees it.
		b.ok(admin, update, map[string]any{"id": id, "v": 2, "n": "Meunier Tonnellerie"})
		if got := a.ok(admin, node, map[string]any{"id": id}); str(got, "node.name") != "Meunier Tonnellerie" || num(got, "node.version") != 3 {
			t.Fatalf("A after B's update: %v", got)
		}
		a.fail(admin, update, map[string]any{"id": id, "v": 2, "n": "stale"}, "CONFLICT")
		a.ok(admin, `mutation($id: ID!) { deleteThirdParty(id: $id) }`, map[string]any{"id": id})
		if got := b.gql(admin, node, map[string]any{"id": id}); !(got.ok() && get(got.Data, "node") == nil) && got.code() != "NOT_FOUND" {
			t.Fatalf("B after A's delete: %s", got)
		}
		b.fail(admin, update, map[string]any{"id": id, "v": 3, "n": "ghost"}, "NOT_FOUND")
	})

	t.Run("documents", func(t *testing.T) {
		id := str(a.ok(admin, prospec, map[string]any{"n": "Archives Dupré"}), "createProspect.id")
		content := "devis n° 42 — 1 250,00 €\n"
		doc := a.upload(admin, id, "devis.txt", content)
		path := strings.TrimPrefix(str(doc, "url"), "http://"+a.addr)
		if status, body := b.download(admin, path); status != http.StatusOK || body != content {
			t.Fatalf("B downloading what A stored: %d %q", status, body)
		}
		a.ok(admin, `mutation($id: ID!) { deleteDocument(id: $id) }`, map[string]any{"id": str(doc, "id")})
		if status, _ := b.download(admin, path); status != http.StatusNotFound {
			t.Fatalf("B downloading what A deleted: %d, want 404", status)
		}
	})

	t.Run("optimistic locking across processes", func(t *testing.T) {
		id := str(a.ok(admin, prospec, map[string]any{"n": "Course"}), "createProspect.id")
		const rounds = 20
		var winsA, winsB int
		for v := 1; v <= rounds; v++ {
			var wg sync.WaitGroup
			start := make(chan struct{})
			res := make([]*response, 2)
			for i, p := range []*proc{a, b} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					res[i] = p.gql(admin, update, map[string]any{"id": id, "v": v, "n": p.name + " " + string(rune('a'+v))})
				}()
			}
			close(start)
			wg.Wait()
			okA, okB := res[0].ok(), res[1].ok()
			if okA == okB {
				t.Fatalf("round %d: A %s; B %s; want exactly one winner", v, res[0], res[1])
			}
			loser, winner := res[1], "A"
			if okB {
				loser, winner = res[0], "B"
				winsB++
			} else {
				winsA++
			}
			if loser.code() != "CONFLICT" {
				t.Fatalf("round %d: the loser got %s, want CONFLICT", v, loser)
			}
			got := b.ok(admin, node, map[string]any{"id": id})
			if num(got, "node.version") != v+1 || !strings.HasPrefix(str(got, "node.name"), winner+" ") {
				t.Fatalf("round %d: %v after %s won", v, got, winner)
			}
		}
		t.Logf("%d rounds of concurrent updates of one version through A and B: A won %d, B won %d, the other always CONFLICT", rounds, winsA, winsB)
	})

	t.Run("tokens and rights", func(t *testing.T) {
		me := a.ok(admin, `{ me { company { id } } }`, nil)
		u := a.ok(admin, `mutation($in: CreateUserInput!) { createUser(input: $in) { id } }`, map[string]any{"in": map[string]any{
			"email": "rep@repliques.example", "name": "Rep", "companyId": str(me, "me.company.id"), "rights": []int{100001, 100002}}})
		userID := str(u, "createUser.id")
		created := a.ok(admin, `mutation($id: ID!) { createToken(userId: $id, name: "replicas") { token info { id } } }`, map[string]any{"id": userID})
		token, tokenID := str(created, "createToken.token"), str(created, "createToken.info.id")

		// A token created on A works on B at once.
		b.ok(token, prospec, map[string]any{"n": "Créé par le commercial"})
		// A right removed on A is gone on B once it hears of it.
		a.ok(admin, `mutation($id: ID!) { updateUserRights(id: $id, rights: [100001]) { rights } }`, map[string]any{"id": userID})
		b.failSoon(token, prospec, map[string]any{"n": "refusé ?"}, "FORBIDDEN")
		// A token revoked on A is refused by A at once, by B once it hears
		// of it.
		a.ok(admin, `mutation($id: ID!) { revokeToken(id: $id) }`, map[string]any{"id": tokenID})
		a.fail(token, `{ me { name } }`, nil, "UNAUTHENTICATED")
		b.failSoon(token, `{ me { name } }`, nil, "UNAUTHENTICATED")
	})

	t.Run("feature flags and SIRENE settings", func(t *testing.T) {
		const features = `{ me { organisation { features sireneConfigured } } }`
		const setFlag = `mutation($on: Boolean!) { setFeatureFlag(flag: MANAGEMENT_LINKS, enabled: $on) { features } }`
		hasFlag := func(p *proc) bool {
			return slices.Contains(strs(get(p.ok(admin, features, nil), "me.organisation.features")), "MANAGEMENT_LINKS")
		}
		initially := hasFlag(b)
		a.ok(admin, setFlag, map[string]any{"on": !initially})
		soon(t, "B to see MANAGEMENT_LINKS switched on A", func() bool { return hasFlag(b) != initially })
		a.ok(admin, setFlag, map[string]any{"on": initially})
		soon(t, "B to see MANAGEMENT_LINKS switched back on A", func() bool { return hasFlag(b) == initially })

		// Two SIRENE stand-ins that answer the same SIRET with different
		// names: B must use the settings A saved last.
		one, two := sireneStub(t, "PREMIER"), sireneStub(t, "SECOND")
		const configure = `mutation($on: Boolean!, $u: String, $k: String) { configureSirene(input: {enabled: $on, baseUrl: $u, apiKey: $k}) { sireneConfigured } }`
		const lookup = `{ sireneLookup(identifier: "20000982700037") { name } }`
		b.fail(admin, lookup, nil, "FEATURE_DISABLED")
		a.ok(admin, configure, map[string]any{"on": true, "u": one.URL, "k": "key-1"})
		if got := b.ok(admin, lookup, nil); !strings.Contains(str(got, "sireneLookup.name"), "PREMIER") {
			t.Fatalf("B after A configured SIRENE: %v", got)
		}
		a.ok(admin, configure, map[string]any{"on": true, "u": two.URL, "k": "key-2"})
		if got := b.ok(admin, lookup, nil); !strings.Contains(str(got, "sireneLookup.name"), "SECOND") {
			t.Fatalf("B after A changed the SIRENE connection: %v", got)
		}
		a.ok(admin, configure, map[string]any{"on": false})
		b.fail(admin, lookup, nil, "FEATURE_DISABLED")
		if got := b.ok(admin, features, nil); get(got, "me.organisation.sireneConfigured") != false {
			t.Fatalf("B after A switched SIRENE off: %v", got)
		}
		if one.calls.Load() != 1 || two.calls.Load() != 1 {
			t.Fatalf("SIRENE calls: %d and %d, want 1 each", one.calls.Load(), two.calls.Load())
		}
	})
}

// soon polls cond for up to 5 s: what B's token cache hears of through
// NOTIFY (about 1 ms after A's commit; the bound is for a loaded
// machine, TestRevocationOnOneProcessRefusedByTheOther measures it).
func soon(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(200 * time.Microsecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited 5 s for %s", what)
		}
	}
}

// failSoon runs a request until it fails with code (5 s at most).
func (p *proc) failSoon(token, query string, vars map[string]any, code string) {
	p.t.Helper()
	soon(p.t, fmt.Sprintf("carnet %s to answer %s", p.name, code), func() bool {
		r := p.gql(token, query, vars)
		return r.Err == nil && r.code() == code
	})
}

// stub is a SIRENE stand-in.
type stub struct {
	*httptest.Server
	calls atomic.Int64
}

// sireneStub answers SIRET 20000982700037 with the recorded fixture, its
// name replaced by marker; anything else is 404.
func sireneStub(t *testing.T, marker string) *stub {
	t.Helper()
	fixture, err := os.ReadFile("../sirene/testdata/siret_company.json")
	if err != nil {
		t.Fatal(err)
	}
	body := strings.ReplaceAll(string(fixture), "DECHETS DE CORSE", marker)
	s := &stub{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path != "/siret/20000982700037" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(s.Close)
	return s
}

// strs is a decoded JSON list of strings.
func strs(v any) []string {
	var out []string
	l, _ := v.([]any)
	for _, x := range l {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// upload stores a document on owner through the multipart endpoint and
// returns it (id, url).
func (p *proc) upload(token, owner, filename, content string) map[string]any {
	p.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	ops, _ := json.Marshal(map[string]any{
		"query":     `mutation($o: ID!, $f: Upload!) { uploadDocument(ownerId: $o, file: $f) { id url } }`,
		"variables": map[string]any{"o": owner, "f": nil},
	})
	_ = w.WriteField("operations", string(ops))
	_ = w.WriteField("map", `{"0": ["variables.f"]}`)
	fw, _ := w.CreateFormFile("0", filename)
	_, _ = io.WriteString(fw, content)
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, "http://"+p.addr+"/graphql", &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("GraphQL-Require-Preflight", "1")
	resp, err := client.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	var r response
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &r); err != nil || len(r.Errors) > 0 {
		p.t.Fatalf("carnet %s: upload: HTTP %d %s", p.name, resp.StatusCode, b)
	}
	doc, _ := r.Data["uploadDocument"].(map[string]any)
	return doc
}

// download GETs path with token and returns the status and body.
func (p *proc) download(token, path string) (int, string) {
	p.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, "http://"+p.addr+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
