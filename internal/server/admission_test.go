package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"carnet/ent"
	"carnet/ent/intercept"
	"carnet/ent/thirdparty"
	"carnet/internal/apitest"
	"carnet/internal/auth"
	"carnet/internal/db"
	"carnet/internal/server"
	"carnet/internal/testdb"
)

// shedAnswer is an HTTP answer read whole.
type shedAnswer struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

// post sends a GraphQL document with e's token A, accepting accept ("":
// no Accept header); safe from any goroutine.
func postAs(e *apitest.Env, path, accept, query string) (shedAnswer, error) {
	body, _ := json.Marshal(map[string]any{"query": query})
	req, err := http.NewRequest(http.MethodPost, e.Server.URL+path, strings.NewReader(string(body)))
	if err != nil {
		return shedAnswer{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+e.TokenA)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	return sendReq(req)
}

func getPath(e *apitest.Env, path string) (shedAnswer, error) {
	req, err := http.NewRequest(http.MethodGet, e.Server.URL+path, nil)
	if err != nil {
		return shedAnswer{}, err
	}
	return sendReq(req)
}

func sendReq(req *http.Request) (shedAnswer, error) {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return shedAnswer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return shedAnswer{}, err
	}
	a := shedAnswer{status: resp.StatusCode, header: resp.Header, raw: string(b)}
	_ = json.Unmarshal(b, &a.body)
	return a, nil
}

// holdThirdPartyQueries makes every query of third parties on d wait
// until release is closed; entered receives one value per query held.
func holdThirdPartyQueries(d *db.DB) (entered chan struct{}, release chan struct{}) {
	entered, release = make(chan struct{}, 16), make(chan struct{})
	d.Client.ThirdParty.Intercept(intercept.TraverseThirdParty(func(ctx context.Context, _ *ent.ThirdPartyQuery) error {
		select {
		case <-release:
			return nil
		default:
		}
		entered <- struct{}{}
		select {
		case <-release:
		case <-ctx.Done():
		}
		return nil
	}))
	return entered, release
}

const listThirdParties = `{ thirdParties(first: 1) { edges { node { id } } } }`

func TestAdmissionRefusesPastTheLimitAtOnceAndAdmitsAgainAfter(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.NewWith(t, d, func(c *server.Config) {
			c.Admission = server.Admission{MaxInflight: 2}
		})
		entered, release := holdThirdPartyQueries(d)
		var wg sync.WaitGroup
		held := make([]shedAnswer, 2)
		errs := make([]error, 2)
		for i := range held {
			wg.Go(func() { held[i], errs[i] = postAs(e, "/graphql", "", listThirdParties) })
		}
		<-entered
		<-entered

		// Two requests are in: a third is refused, in either media type.
		for _, accept := range []string{"application/json", "application/graphql-response+json"} {
			a, err := postAs(e, "/graphql", accept, listThirdParties)
			if err != nil {
				t.Fatal(err)
			}
			if a.status != http.StatusServiceUnavailable || a.header.Get("Retry-After") != "1" {
				t.Fatalf("Accept %s: status %d, Retry-After %q; want 503 and 1", accept, a.status, a.header.Get("Retry-After"))
			}
			if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, accept) {
				t.Errorf("Accept %s: Content-Type %q", accept, ct)
			}
			errors, _ := a.body["errors"].([]any)
			if len(errors) != 1 || len(a.body) != 1 {
				t.Fatalf("Accept %s: body %s; want {\"errors\": [one]} only", accept, a.raw)
			}
			first, _ := errors[0].(map[string]any)
			ext, _ := first["extensions"].(map[string]any)
			if ext["code"] != "OVERLOADED" || first["message"] == "" {
				t.Errorf("Accept %s: error %v; want code OVERLOADED and a message", accept, first)
			}
		}

		// Probes and metrics are answered while saturated.
		for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
			a, err := getPath(e, path)
			if err != nil {
				t.Fatal(err)
			}
			if a.status != http.StatusOK {
				t.Errorf("GET %s while saturated: %d %s", path, a.status, a.raw)
			}
			if path == "/metrics" && !strings.Contains(a.raw, "carnet_requests_shed_total") {
				t.Errorf("/metrics has no carnet_requests_shed_total")
			}
		}

		close(release)
		wg.Wait()
		for i, a := range held {
			if errs[i] != nil || a.status != http.StatusOK || a.body["errors"] != nil {
				t.Fatalf("held request %d: %v %d %s", i, errs[i], a.status, a.raw)
			}
		}
		for range 3 {
			a, err := postAs(e, "/graphql", "", listThirdParties)
			if err != nil || a.status != http.StatusOK || a.body["errors"] != nil {
				t.Fatalf("after release: %v %d %s", err, a.status, a.raw)
			}
		}
	})
}

// endless is a condition on third parties whose evaluation runs until
// the statement is cancelled: pg_sleep on PostgreSQL, a long recursive
// count on SQLite (bounded, in case cancellation failed). mark tells the
// statement apart in pg_stat_activity.
func endless(dia, mark string) func(*sql.Selector) {
	return func(s *sql.Selector) {
		if dia == dialect.Postgres {
			s.Where(sql.P(func(b *sql.Builder) {
				b.WriteString("EXISTS (SELECT 1 FROM pg_sleep(60) WHERE '" + mark + "' <> '')")
			}))
			return
		}
		s.Where(sql.P(func(b *sql.Builder) {
			b.WriteString("(WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT max(x) FROM c) > 0")
		}))
	}
}

// sleeping reports whether PostgreSQL still runs a statement holding mark.
func sleeping(t *testing.T, d *db.DB, mark string) bool {
	t.Helper()
	var n int
	err := d.SQL.QueryRowContext(context.Background(),
		"SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%' || $1 || '%' AND pid <> pg_backend_pid() AND state = 'active'", mark).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// statementGone waits for PostgreSQL's statement holding mark to end,
// and fails the test when it still runs after bound.
func statementGone(t *testing.T, d *db.DB, mark string, bound time.Duration) {
	t.Helper()
	if d.Dialect != dialect.Postgres {
		return
	}
	for end := time.Now().Add(bound); sleeping(t, d, mark); {
		if time.Now().After(end) {
			t.Fatalf("the statement marked %s still runs after the request's deadline", mark)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestDeadlineStopsAQueryAndItsStatement(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.NewWith(t, d, func(c *server.Config) {
			c.Deadlines = server.Deadlines{Request: 300 * time.Millisecond}
		})
		e.OK(e.TokenA, `mutation { createThirdParty(input: {kind: SUPPLIER, name: "Fournisseur"}) { id } }`, nil)
		mark := "carnet_deadline_query"
		d.Client.ThirdParty.Intercept(intercept.TraverseThirdParty(func(_ context.Context, q *ent.ThirdPartyQuery) error {
			q.Where(endless(d.Dialect, mark))
			return nil
		}))
		r := e.Do(e.TokenA, listThirdParties, nil)
		if r.Code() != "TIMEOUT" || r.Status != http.StatusOK {
			t.Fatalf("status %d, errors %+v; want TIMEOUT", r.Status, r.Errors)
		}
		if !strings.Contains(r.Errors[0].Message, "300ms") {
			t.Errorf("message %q does not give the limit", r.Errors[0].Message)
		}
		statementGone(t, d, mark, 10*time.Second)
	})
}

func TestDeadlineInAMutationWritesNothing(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.NewWith(t, d, func(c *server.Config) {
			c.Deadlines = server.Deadlines{Request: 300 * time.Millisecond}
		})
		mark := "carnet_deadline_mutation"
		var inserted sync.Once
		wrote := false
		// After its INSERT, the creation runs a statement that lasts past
		// the deadline, in the mutation's transaction.
		d.Client.ThirdParty.Use(func(next ent.Mutator) ent.Mutator {
			return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
				v, err := next.Mutate(ctx, m)
				tm, ok := m.(*ent.ThirdPartyMutation)
				if err != nil || !ok || !tm.Op().Is(ent.OpCreate) {
					return v, err
				}
				inserted.Do(func() { wrote = true })
				if _, err := tm.Client().ThirdParty.Query().Where(endless(d.Dialect, mark)).Exist(ctx); err != nil {
					return nil, err
				}
				return v, nil
			})
		})
		r := e.Do(e.TokenA, `mutation { createThirdParty(input: {kind: SUPPLIER, name: "Trop lent"}) { id } }`, nil)
		if r.Code() != "TIMEOUT" {
			t.Fatalf("errors %+v; want TIMEOUT", r.Errors)
		}
		if !wrote {
			t.Fatal("the creation's INSERT did not run before the deadline")
		}
		statementGone(t, d, mark, 10*time.Second)
		n, err := d.Client.ThirdParty.Query().Where(thirdparty.Name("Trop lent")).Count(auth.System(context.Background()))
		if err != nil || n != 0 {
			t.Fatalf("third parties named Trop lent: %d, %v; want none (rolled back)", n, err)
		}
	})
}
