package server_test

import (
	"fmt"
	"sync"
	"testing"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/testdb"
)

// race runs n copies of a request at once and counts answers by code
// ("" for success).
func race(e *apitest.Env, n int, token, query string, vars func(i int) map[string]any) map[string]int {
	e.T.Helper()
	var mu sync.Mutex
	codes := map[string]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			code := answerCode(e, token, query, vars(i))
			mu.Lock()
			codes[code]++
			mu.Unlock()
		}(i)
	}
	close(start)
	wg.Wait()
	return codes
}

// answerCode sends a request and gives its code ("" for success).
func answerCode(e *apitest.Env, token, query string, vars map[string]any) string {
	r, err := e.Post(token, query, vars)
	if err != nil {
		return "transport error"
	}
	return r.Code()
}

func TestConcurrency_FiftyWritersOfOneVersionLetExactlyOneWin(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		id := e.Prospect(e.TokenA, "Disputé")
		codes := race(e, 50, e.TokenA, `mutation($id: ID!, $n: String!) { updateThirdParty(id: $id, expectedVersion: 1, input: {name: $n}) { version } }`,
			func(i int) map[string]any { return map[string]any{"id": id, "n": fmt.Sprintf("Écrivain %d", i)} })
		if codes[""] != 1 || codes["CONFLICT"] != 49 {
			t.Fatalf("want 1 success and 49 CONFLICT, got %v", codes)
		}
		v := e.OK(e.TokenA, `query($id: ID!) { node(id: $id) { ... on ThirdParty { version } } }`, map[string]any{"id": id})
		if apitest.Get(v, "node.version") != 2.0 {
			t.Fatalf("version after the race: %v", v)
		}
	})
}

func TestConcurrency_TwentyUpsertsOfOneCodeMakeOneClient(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		codes := race(e, 20, e.TokenA, `mutation($n: String!) { upsertClient(input: {code: "C-RACE", name: $n}) { id } }`,
			func(i int) map[string]any { return map[string]any{"n": fmt.Sprintf("Client %d", i)} })
		if codes[""] < 1 || codes[""]+codes["CONFLICT"] != 20 {
			t.Fatalf("upserts: %v (successes, or CONFLICT for the racing creates)", codes)
		}
		n := e.OK(e.TokenA, `{ thirdParties(where: {code: "C-RACE"}) { totalCount } }`, nil)
		if apitest.Get(n, "thirdParties.totalCount") != 1.0 {
			t.Fatalf("clients of code C-RACE: %v", n)
		}
	})
}

// Link changes of one organisation run one at a time: filiation networks
// merged side by side end as one, and a link and its mirror created side
// by side are one link and a CONFLICT.
func TestConcurrency_LinksCreatedSideBySide(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		par, part := e.TypeID(e.TokenA, "FILIALE"), e.TypeID(e.TokenA, "PARTENAIRE")
		do, fact := e.TypeID(e.TokenA, "DONORDRE"), e.TypeID(e.TokenA, "CL_A_FACT")
		network := `query($id: ID!) { thirdParties(where: {inFiliationNetworkOf: $id}) { totalCount } }`
		for round := range 5 {
			var ids []string
			for i := range 4 {
				ids = append(ids, e.Prospect(e.TokenA, fmt.Sprintf("Groupe %d-%d", round, i)))
			}
			// A chain of four linked by three writers at once.
			codes := race(e, 3, e.TokenA, apitest.CreateFiliationLink, func(i int) map[string]any { return apitest.FiliationInput(ids[i], ids[i+1], par) })
			if codes[""] != 3 {
				t.Fatalf("round %d: chain links: %v", round, codes)
			}
			for _, id := range ids {
				if n := apitest.Num(e.OK(e.TokenA, network, map[string]any{"id": id}), "thirdParties.totalCount"); n != 4 {
					t.Fatalf("round %d: the network of %s holds %v third parties, want 4", round, id, n)
				}
			}
			// A partner link and its mirror.
			codes = race(e, 2, e.TokenA, apitest.CreateFiliationLink, func(i int) map[string]any {
				return apitest.FiliationInput(ids[i], ids[1-i], part)
			})
			if codes[""] != 1 || codes["CONFLICT"] != 1 {
				t.Fatalf("round %d: a filiation link and its mirror: %v", round, codes)
			}
			a, b := e.Prospect(e.TokenA, fmt.Sprintf("Donneur %d", round)), e.Prospect(e.TokenA, fmt.Sprintf("Facturé %d", round))
			codes = race(e, 2, e.TokenA, apitest.CreateManagementLink, func(i int) map[string]any {
				if i == 0 {
					return apitest.ManagementInput(a, do, b, fact, false)
				}
				return apitest.ManagementInput(b, fact, a, do, false)
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
		e := apitest.New(t, d)
		me := apitest.Str(e.OK(e.TokenA, `{ me { id } }`, nil), "me.id")
		for round := range 10 {
			created := e.OK(e.TokenA, `mutation($id: ID!) { createToken(userId: $id, name: "révoqué") { info { id } } }`, map[string]any{"id": me})
			id := apitest.Str(created, "createToken.info.id")
			codes := race(e, 6, e.TokenA, `mutation($id: ID!) { revokeToken(id: $id) }`, func(int) map[string]any { return map[string]any{"id": id} })
			if codes[""] != 6 {
				t.Fatalf("round %d: revocations: %v", round, codes)
			}
			events := e.OK(e.TokenA, `query($id: ID!) { auditEvents(where: {recordId: $id}) { edges { node { action } } } }`, map[string]any{"id": id})
			updates := 0
			for _, ed := range apitest.Get(events, "auditEvents.edges").([]any) {
				if apitest.Str(ed, "node.action") == "UPDATE" {
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
		e := apitest.New(t, d)
		const create = `mutation($in: CreateActivityInput!) { createActivity(input: $in) { id } }`
		fil := e.TypeID(e.TokenA, "FILIALE")
		var mu sync.Mutex
		codes := map[string]int{}
		post := func(q string, vars map[string]any) {
			code := answerCode(e, e.TokenA, q, vars)
			mu.Lock()
			codes[code]++
			mu.Unlock()
		}
		for round := range 15 {
			tp := e.Prospect(e.TokenA, fmt.Sprintf("Supprimé %d", round))
			other := e.Prospect(e.TokenA, fmt.Sprintf("Lié %d", round))
			c := e.Contact(e.TokenA, tp, fmt.Sprintf("Contact %d", round))
			together(
				func() { post(`mutation($id: ID!) { deleteThirdParty(id: $id) }`, map[string]any{"id": tp}) },
				func() {
					post(create, map[string]any{"in": map[string]any{"subjectId": tp, "type": "NOTE", "subject": "sur la fiche"}})
				},
				func() {
					post(create, map[string]any{"in": map[string]any{"subjectId": c, "type": "NOTE", "subject": "sur le contact"}})
				},
				func() { post(apitest.CreateFiliationLink, apitest.FiliationInput(other, tp, fil)) },
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
