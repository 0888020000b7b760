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
			r, err := e.post(token, query, vars(i))
			code := "transport error"
			if err == nil {
				code = r.code()
			}
			mu.Lock()
			codes[code]++
			mu.Unlock()
		}(i)
	}
	close(start)
	wg.Wait()
	return codes
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
