package server_test

import (
	"fmt"
	"sync"
	"testing"

	"carnet/internal/db"
	"carnet/internal/testdb"
)

// race runs n copies of a request at once and counts answers by code
// ("" for success).
func (e *env) race(n int, token, query string, vars func(i int) map[string]any) map[string]int {
	e.t.Helper()
	var mu sync.Mutex
	codes := map[string]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			code := e.answer(token, query, vars(i))
			mu.Lock()
			codes[code]++
			mu.Unlock()
		}(i)
	}
	close(start)
	wg.Wait()
	return codes
}

// answer sends a request and gives its code ("" for success).
func (e *env) answer(token, query string, vars map[string]any) string {
	r, err := e.post(token, query, vars)
	if err != nil {
		return "transport error"
	}
	return r.code()
}

func TestConcurrency_FiftyWritersOfOneVersionLetExactlyOneWin(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		id := e.prospect(e.tokenA, "Disputé")
		codes := e.race(50, e.tokenA, `mutation($id: ID!, $n: String!) { updateThirdParty(id: $id, expectedVersion: 1, input: {name: $n}) { version } }`,
			func(i int) map[string]any { return map[string]any{"id": id, "n": fmt.Sprintf("Écrivain %d", i)} })
		if codes[""] != 1 || codes["CONFLICT"] != 49 {
			t.Fatalf("want 1 success and 49 CONFLICT, got %v", codes)
		}
		v := e.ok(e.tokenA, `query($id: ID!) { node(id: $id) { ... on ThirdParty { version } } }`, map[string]any{"id": id})
		if get(v, "node.version") != 2.0 {
			t.Fatalf("version after the race: %v", v)
		}
	})
}

func TestConcurrency_TwentyUpsertsOfOneCodeMakeOneClient(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		codes := e.race(20, e.tokenA, `mutation($n: String!) { upsertClient(input: {code: "C-RACE", name: $n}) { id } }`,
			func(i int) map[string]any { return map[string]any{"n": fmt.Sprintf("Client %d", i)} })
		if codes[""] < 1 || codes[""]+codes["CONFLICT"] != 20 {
			t.Fatalf("upserts: %v (successes, or CONFLICT for the racing creates)", codes)
		}
		n := e.ok(e.tokenA, `{ thirdParties(where: {code: "C-RACE"}) { totalCount } }`, nil)
		if get(n, "thirdParties.totalCount") != 1.0 {
			t.Fatalf("clients of code C-RACE: %v", n)
		}
	})
}

// Link changes of one organisation run one at a time: filiation networks
// merged side by side end as one, and a link and its mirror created side
// by side are one link and a CONFLICT.
func TestConcurrency_LinksCreatedSideBySide(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		par, part := e.typeID(e.tokenA, "FILIALE"), e.typeID(e.tokenA, "PARTENAIRE")
		do, fact := e.typeID(e.tokenA, "DONORDRE"), e.typeID(e.tokenA, "CL_A_FACT")
		network := `query($id: ID!) { thirdParties(where: {inFiliationNetworkOf: $id}) { totalCount } }`
		for round := range 5 {
			var ids []string
			for i := range 4 {
				ids = append(ids, e.prospect(e.tokenA, fmt.Sprintf("Groupe %d-%d", round, i)))
			}
			// A chain of four linked by three writers at once.
			codes := e.race(3, e.tokenA, createFilLink, func(i int) map[string]any { return filInput(ids[i], ids[i+1], par) })
			if codes[""] != 3 {
				t.Fatalf("round %d: chain links: %v", round, codes)
			}
			for _, id := range ids {
				if n := num(e.ok(e.tokenA, network, map[string]any{"id": id}), "thirdParties.totalCount"); n != 4 {
					t.Fatalf("round %d: the network of %s holds %v third parties, want 4", round, id, n)
				}
			}
			// A partner link and its mirror.
			codes = e.race(2, e.tokenA, createFilLink, func(i int) map[string]any {
				return filInput(ids[i], ids[1-i], part)
			})
			if codes[""] != 1 || codes["CONFLICT"] != 1 {
				t.Fatalf("round %d: a filiation link and its mirror: %v", round, codes)
			}
			a, b := e.prospect(e.tokenA, fmt.Sprintf("Donneur %d", round)), e.prospect(e.tokenA, fmt.Sprintf("Facturé %d", round))
			codes = e.race(2, e.tokenA, createMgmtLink, func(i int) map[string]any {
				if i == 0 {
					return mgmtInput(a, do, b, fact, false)
				}
				return mgmtInput(b, fact, a, do, false)
			})
			if codes[""] != 1 || codes["CONFLICT"] != 1 {
				t.Fatalf("round %d: a management link and its mirror: %v", round, codes)
			}
		}
	})
}

// Revocations of one token side by side revoke it once: one change in
// the audit trail, as a revocation sent twice in a row.
func TestConcurrency_RevocationsOfOneTokenSideBySide(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		me := str(e.ok(e.tokenA, `{ me { id } }`, nil), "me.id")
		for round := range 10 {
			created := e.ok(e.tokenA, `mutation($id: ID!) { createToken(userId: $id, name: "révoqué") { info { id } } }`, map[string]any{"id": me})
			id := str(created, "createToken.info.id")
			codes := e.race(6, e.tokenA, `mutation($id: ID!) { revokeToken(id: $id) }`, func(int) map[string]any { return map[string]any{"id": id} })
			if codes[""] != 6 {
				t.Fatalf("round %d: revocations: %v", round, codes)
			}
			events := e.ok(e.tokenA, `query($id: ID!) { auditEvents(where: {recordId: $id}) { edges { node { action } } } }`, map[string]any{"id": id})
			updates := 0
			for _, ed := range get(events, "auditEvents.edges").([]any) {
				if str(ed, "node.action") == "UPDATE" {
					updates++
				}
			}
			if updates != 1 {
				t.Fatalf("round %d: %d UPDATE events for six revocations side by side, want 1", round, updates)
			}
		}
	})
}

// together runs fs at once and waits for them.
func together(fs ...func()) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, f := range fs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			f()
		}()
	}
	close(start)
	wg.Wait()
}

// A record deleted while an activity is created on it, or on one of its
// contacts, or a link to it: either the child is deleted with it or its
// creation fails cleanly; it is never left without an owner, and the
// locks of both never wait for each other (a deadlock is INTERNAL).
func TestConcurrency_DeletionBesideACreationLeavesNoOrphan(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		const create = `mutation($in: CreateActivityInput!) { createActivity(input: $in) { id } }`
		fil := e.typeID(e.tokenA, "FILIALE")
		var mu sync.Mutex
		codes := map[string]int{}
		post := func(q string, vars map[string]any) {
			code := e.answer(e.tokenA, q, vars)
			mu.Lock()
			codes[code]++
			mu.Unlock()
		}
		for round := range 15 {
			tp := e.prospect(e.tokenA, fmt.Sprintf("Supprimé %d", round))
			other := e.prospect(e.tokenA, fmt.Sprintf("Lié %d", round))
			c := e.contact(e.tokenA, tp, fmt.Sprintf("Contact %d", round))
			together(
				func() { post(`mutation($id: ID!) { deleteThirdParty(id: $id) }`, map[string]any{"id": tp}) },
				func() {
					post(create, map[string]any{"in": map[string]any{"subjectId": tp, "type": "NOTE", "subject": "sur la fiche"}})
				},
				func() {
					post(create, map[string]any{"in": map[string]any{"subjectId": c, "type": "NOTE", "subject": "sur le contact"}})
				},
				func() { post(createFilLink, filInput(other, tp, fil)) },
			)
		}
		if codes["INTERNAL"] > 0 || codes["transport error"] > 0 {
			t.Fatalf("answers: %v", codes)
		}
		var orphans int
		if err := d.SQL.QueryRow(`SELECT count(*) FROM activities WHERE third_party_id IS NULL AND contact_id IS NULL AND opportunity_id IS NULL`).Scan(&orphans); err != nil {
			t.Fatal(err)
		}
		if orphans != 0 {
			t.Fatalf("%d activities left without a record", orphans)
		}
	})
}
