// Package bench holds Carnet's benchmarks: the load benchmark (`carnet
// bench load`, load.go: a realistic operation mix at a fixed rate) and the
// search benchmark (`carnet bench search`), below.
//
// The search benchmark measures the search field: the same
// queries through the whole stack — HTTP, bearer-token authentication,
// GraphQL — and directly through search.Search, the in-process floor, so
// that the cost of each layer shows.
//
// Queries come in classes that stress different paths of internal/search:
// short prefixes (1–2 characters: wide index ranges), longer prefixes,
// multi-word queries (each other word checked on the entries' terms),
// infixes (the vocabulary's trigram index: pg_trgm on PostgreSQL, FTS5 on
// SQLite) and strings that match nothing
// (every tier runs to the end). The default queries derive from the
// organisation's own data with a fixed seed, so two runs on one database
// ask the same questions.
//
// The server listens on loopback only (httptest); every loop stops at its
// deadline. Client, server and database share the machine: the
// end-to-end numbers include the client's own CPU.
package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"
	"unicode"
	"unicode/utf8"

	"entgo.io/ent/dialect"

	"carnet/ent"
	"carnet/ent/organisation"
	"carnet/ent/user"
	"carnet/internal/auth"
	"carnet/internal/db"
	"carnet/internal/rights"
	"carnet/internal/search"
	"carnet/internal/server"
	"carnet/internal/viewer"
)

// Config configures a run.
type Config struct {
	// Concurrency is the number of concurrent clients (default 8).
	Concurrency int
	// Duration is how long each class of queries runs in each mode
	// (end-to-end, then direct): a run lasts about 2 × classes ×
	// Duration (default 20s).
	Duration time.Duration
	// Classes keeps only the default classes named (all when empty).
	Classes []string
	// Queries replaces the default queries; they form one class, "custom".
	Queries []string
	// AuthCacheTTL is the in-process server's (server.Config.AuthCacheTTL).
	AuthCacheTTL time.Duration
}

// The classes of queries.
const (
	ClassShortPrefix = "prefix 1-2"
	ClassPrefix      = "prefix 3-12"
	ClassMultiWord   = "multi-word"
	ClassInfix       = "infix"
	ClassNoHit       = "no-hit"
	ClassCustom      = "custom"
)

// ClassNames are the default classes, in the order they run.
var ClassNames = []string{ClassShortPrefix, ClassPrefix, ClassMultiWord, ClassInfix, ClassNoHit}

// Stats are the numbers of one class in one mode.
type Stats struct {
	Count, Errors int
	// Throughput is in requests per second.
	Throughput    float64
	P50, P95, P99 time.Duration
	Max           time.Duration
	// Hits is the mean number of hits per successful request.
	Hits float64
	// Slowest is the query that took Max.
	Slowest string
	// FirstError is the first error met, if any.
	FirstError string
}

// ClassReport is the result of one class of queries.
type ClassReport struct {
	Class string
	// Queries is the number of queries of the class, cycled through.
	Queries int
	// EndToEnd is through HTTP and GraphQL, Direct through search.Search.
	EndToEnd, Direct Stats
	// Ratio is EndToEnd.P99 / Direct.P99.
	Ratio float64
}

// Report is the result of a run.
type Report struct {
	Organisation string
	Dialect      string
	Concurrency  int
	Duration     time.Duration
	Classes      []ClassReport
	// Floor is { __typename } end to end, with the token, at the same
	// concurrency: HTTP, authentication and GraphQL around no search, the
	// part of a search's end-to-end latency that the search cannot lower.
	Floor   Stats
	Elapsed time.Duration
}

// searchQuery is the GraphQL request of the benchmark.
const searchQuery = `query($q: String!) { search(query: $q, first: 10) { kind label detail node { id } } }`

// floorQuery is the request of the floor (Report.Floor), and floorAnswer
// its answer.
const (
	floorQuery  = `{ __typename }`
	floorAnswer = `{"data":{"__typename":"Query"}}`
)

// Bounds of a run.
const (
	maxRequestsPerRun = 10_000_000       // per class and mode: a bound on the loops and on memory
	requestTimeout    = 10 * time.Second // a slower search counts as an error
	samples           = 200              // names sampled from the organisation
	sampleSeed        = 20261127
)

// SearchBench runs the search benchmark on the organisation named orgName
// (the only one when empty) and prints a table to out.
func SearchBench(ctx context.Context, d *db.DB, orgName string, cfg Config, out io.Writer) (*Report, error) {
	start := time.Now()
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 8
	}
	if cfg.Duration <= 0 {
		cfg.Duration = 20 * time.Second
	}
	if out == nil {
		out = io.Discard
	}
	sys := auth.System(ctx)
	org, err := findOrganisation(sys, d.Client, orgName)
	if err != nil {
		return nil, err
	}
	u, err := d.Client.User.Query().Where(user.OrganisationID(org.ID)).Order(ent.Asc(user.FieldID)).First(sys)
	if err != nil {
		return nil, fmt.Errorf("bench: the organisation's first user: %w", err)
	}

	var classes []class
	if len(cfg.Queries) > 0 {
		classes = []class{{name: ClassCustom, queries: cfg.Queries}}
	} else if classes, err = defaultClasses(ctx, d, org.ID); err != nil {
		return nil, err
	}
	if len(cfg.Classes) > 0 {
		classes = slices.DeleteFunc(classes, func(c class) bool { return !slices.Contains(cfg.Classes, c.name) })
		if len(classes) == 0 {
			return nil, fmt.Errorf("bench: no class named %q", cfg.Classes)
		}
	}

	srv, err := startServer(ctx, d, u, "bench", time.Duration(2*len(classes)+2)*cfg.Duration, cfg.AuthCacheTTL, server.Config{})
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	secret, tok := srv.secret, srv.token
	transport := &http.Transport{
		Proxy:               nil, // loopback only
		MaxIdleConns:        cfg.Concurrency * 2,
		MaxIdleConnsPerHost: cfg.Concurrency * 2,
		IdleConnTimeout:     time.Minute,
	}
	defer transport.CloseIdleConnections()
	e2e := &httpSearcher{
		ctx:    ctx,
		client: &http.Client{Transport: transport, Timeout: requestTimeout},
		url:    srv.url + "/graphql", auth: "Bearer " + secret,
	}
	direct := &directSearcher{
		ctx: viewer.NewContext(ctx, &viewer.Viewer{
			OrgID: org.ID, UserID: u.ID, CompanyID: u.CompanyID, TokenID: tok.ID, Rights: rights.NewSet(u.Rights...),
		}),
		client: d.Client,
	}

	fmt.Fprintf(out, "bench: organisation %q (%s), %d concurrent clients, %s per class and mode\n",
		org.Name, d.Dialect, cfg.Concurrency, cfg.Duration)
	// Warm up: every query once through each path (within Duration), so
	// that the first class does not pay for cold caches and connections
	// alone. Errors show in the measured runs.
	for _, c := range classes {
		for _, s := range []searcher{direct, e2e} {
			run(ctx, s, c.queries, cfg.Concurrency, cfg.Duration, len(c.queries))
		}
	}
	fmt.Fprintf(out, "bench: warmed up (%s)\n", time.Since(start).Round(time.Second))

	rep := &Report{Organisation: org.Name, Dialect: d.Dialect, Concurrency: cfg.Concurrency, Duration: cfg.Duration}
	for _, c := range classes {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		cr := ClassReport{Class: c.name, Queries: len(c.queries)}
		cr.EndToEnd = run(ctx, e2e, c.queries, cfg.Concurrency, cfg.Duration, maxRequestsPerRun)
		cr.Direct = run(ctx, direct, c.queries, cfg.Concurrency, cfg.Duration, maxRequestsPerRun)
		if cr.Direct.P99 > 0 {
			cr.Ratio = float64(cr.EndToEnd.P99) / float64(cr.Direct.P99)
		}
		fmt.Fprintf(out, "bench: %-12s e2e %6d req p99 %-9s direct %6d req p99 %s\n",
			c.name, cr.EndToEnd.Count, round(cr.EndToEnd.P99), cr.Direct.Count, round(cr.Direct.P99))
		rep.Classes = append(rep.Classes, cr)
	}
	floor := *e2e
	floor.floor = true
	rep.Floor = run(ctx, &floor, []string{floorQuery}, cfg.Concurrency, cfg.Duration, maxRequestsPerRun)
	rep.Elapsed = time.Since(start)
	rep.Print(out)
	return rep, nil
}

// findOrganisation returns the organisation named name, or the only one.
func findOrganisation(ctx context.Context, client *ent.Client, name string) (*ent.Organisation, error) {
	q := client.Organisation.Query()
	if name != "" {
		q.Where(organisation.Name(name))
	}
	orgs, err := q.Order(ent.Asc(organisation.FieldID)).Limit(2).All(ctx)
	switch {
	case err != nil:
		return nil, fmt.Errorf("bench: find organisation: %w", err)
	case len(orgs) == 0 && name != "":
		return nil, fmt.Errorf("bench: no organisation named %q", name)
	case len(orgs) == 0:
		return nil, errors.New("bench: no organisation: run carnet init first")
	case len(orgs) > 1 && name != "":
		return nil, fmt.Errorf("bench: several organisations are named %q", name)
	case len(orgs) > 1:
		return nil, errors.New("bench: the database holds several organisations: name one")
	}
	return orgs[0], nil
}

// Print writes the report as a table.
func (r *Report) Print(out io.Writer) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(out, "e2e: HTTP POST + token + GraphQL; direct: search.Search in process; hits: mean per request")
	fmt.Fprintln(tw, "class\tqueries\t|\te2e req\terr\treq/s\tp50\tp95\tp99\thits\t|\tdirect req\terr\treq/s\tp50\tp95\tp99\t|\tp99 e2e/direct\t")
	for _, c := range r.Classes {
		e, d := c.EndToEnd, c.Direct
		fmt.Fprintf(tw, "%s\t%d\t|\t%d\t%d\t%.0f\t%s\t%s\t%s\t%.1f\t|\t%d\t%d\t%.0f\t%s\t%s\t%s\t|\t%.2f\t\n",
			c.Class, c.Queries,
			e.Count, e.Errors, e.Throughput, round(e.P50), round(e.P95), round(e.P99), e.Hits,
			d.Count, d.Errors, d.Throughput, round(d.P50), round(d.P95), round(d.P99), c.Ratio)
	}
	tw.Flush()
	f := r.Floor
	fmt.Fprintf(out, "floor: %s end to end (HTTP + token + GraphQL, no search): %d req, %d err, %.0f req/s, p50 %s, p95 %s, p99 %s\n",
		floorQuery, f.Count, f.Errors, f.Throughput, round(f.P50), round(f.P95), round(f.P99))
	if f.FirstError != "" {
		fmt.Fprintf(out, "bench: floor first error: %s\n", f.FirstError)
	}
	for _, c := range r.Classes {
		for _, s := range []struct {
			mode string
			st   Stats
		}{{"e2e", c.EndToEnd}, {"direct", c.Direct}} {
			if s.st.Slowest != "" {
				fmt.Fprintf(out, "bench: %-11s %-6s slowest %q %s\n", c.Class, s.mode, s.st.Slowest, round(s.st.Max))
			}
			if s.st.FirstError != "" {
				fmt.Fprintf(out, "bench: %-11s %-6s first error: %s\n", c.Class, s.mode, s.st.FirstError)
			}
		}
	}
	fmt.Fprintf(out, "bench: %s, %d clients, %s per class and mode, %s in all\n",
		r.Dialect, r.Concurrency, r.Duration, r.Elapsed.Round(time.Second))
}

// round shortens a latency for the table.
func round(d time.Duration) string {
	switch {
	case d >= 100*time.Millisecond:
		return d.Round(time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond).String()
	default:
		return d.Round(time.Microsecond).String()
	}
}

// searcher runs one search and returns the number of hits.
type searcher interface {
	search(q string) (int, error)
}

// httpSearcher searches through the HTTP API.
type httpSearcher struct {
	ctx    context.Context
	client *http.Client
	url    string
	auth   string
	// floor sends floorQuery instead of a search.
	floor bool
}

type gqlRequest struct {
	Query     string            `json:"query"`
	Variables map[string]string `json:"variables,omitempty"`
}

var (
	errorsKey = []byte(`"errors"`)
	kindKey   = []byte(`"kind":`)
	dataStart = []byte(`{"data":{"search":[`)
)

func (h *httpSearcher) search(q string) (int, error) {
	r, start := gqlRequest{Query: searchQuery, Variables: map[string]string{"q": q}}, dataStart
	if h.floor {
		r, start = gqlRequest{Query: floorQuery}, []byte(floorAnswer)
	}
	body, err := json.Marshal(r)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(h.ctx, http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", h.auth)
	resp, err := h.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK || bytes.Contains(b, errorsKey) || !bytes.HasPrefix(b, start) {
		return 0, fmt.Errorf("query %q: HTTP %d: %.300s", q, resp.StatusCode, b)
	}
	return bytes.Count(b, kindKey), nil
}

// directSearcher calls search.Search in process.
type directSearcher struct {
	ctx    context.Context
	client *ent.Client
}

func (s *directSearcher) search(q string) (int, error) {
	ten := 10
	ctx, cancel := context.WithTimeout(s.ctx, requestTimeout)
	defer cancel()
	hits, err := search.Search(ctx, s.client, q, &ten, nil)
	if err != nil {
		return 0, fmt.Errorf("query %q: %w", q, err)
	}
	return len(hits), nil
}

// run sends queries (cycling through them) from concurrency clients until
// duration has passed or limit requests were sent.
func run(ctx context.Context, s searcher, queries []string, concurrency int, duration time.Duration, limit int) Stats {
	var (
		next     atomic.Int64
		mu       sync.Mutex
		all      []time.Duration
		errCount int
		firstErr string
		hits     int
		slowest  time.Duration
		slowestQ string
		wg       sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(duration)
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			var errs, h int
			var first, slowQ string
			var slow time.Duration
			for ctx.Err() == nil && time.Now().Before(deadline) {
				i := int(next.Add(1)) - 1
				if i >= limit {
					break
				}
				q := queries[i%len(queries)]
				t := time.Now()
				n, err := s.search(q)
				d := time.Since(t)
				lat = append(lat, d)
				if d > slow {
					slow, slowQ = d, q
				}
				if err != nil {
					errs++
					if first == "" {
						first = err.Error()
					}
					continue
				}
				h += n
			}
			mu.Lock()
			all = append(all, lat...)
			errCount += errs
			hits += h
			if firstErr == "" {
				firstErr = first
			}
			if slow > slowest {
				slowest, slowestQ = slow, slowQ
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	st := Stats{Count: len(all), Errors: errCount, FirstError: firstErr, Slowest: slowestQ}
	if elapsed > 0 {
		st.Throughput = float64(len(all)) / elapsed.Seconds()
	}
	if ok := len(all) - errCount; ok > 0 {
		st.Hits = float64(hits) / float64(ok)
	}
	if len(all) > 0 {
		slices.Sort(all)
		st.P50, st.P95, st.P99 = percentile(all, 50), percentile(all, 95), percentile(all, 99)
		st.Max = all[len(all)-1]
	}
	return st
}

// percentile returns the p-th percentile of sorted (nearest rank).
func percentile(sorted []time.Duration, p int) time.Duration {
	i := (len(sorted)*p + 99) / 100 // ceil(n × p / 100)
	return sorted[max(0, min(len(sorted)-1, i-1))]
}

// class is a named set of queries.
type class struct {
	name    string
	queries []string
}

// noHit are queries that match nothing in fakefr's data: 5+ letters, so
// not a prefix of its 2–4 letter acronyms either, and every tier runs,
// infix included.
var noHit = []string{"zzqxw", "kqxwzzv", "wkqzv", "vvqzxw", "qxzjw", "zzqxw jjkqx", "xwqzk", "qqqqq", "zxwqk kkzqx", "jjxqzw"}

// defaultClasses derives the queries from a fixed-seed sample of the
// organisation's company names and contact names.
func defaultClasses(ctx context.Context, d *db.DB, orgID int) ([]class, error) {
	rng := rand.New(rand.NewPCG(sampleSeed, 1))
	companies, err := sample(ctx, d, rng, "third_parties", "name", "''", orgID, samples/2)
	if err != nil {
		return nil, err
	}
	people, err := sample(ctx, d, rng, "contacts", "last_name", "coalesce(first_name, '')", orgID, samples/2)
	if err != nil {
		return nil, err
	}
	if len(companies)+len(people) == 0 {
		return nil, errors.New("bench: the organisation has no third party nor contact: run carnet gen first")
	}
	// The words of each name as stored (accents kept), split where Fold
	// splits them: on anything but letters and digits.
	var names [][]string
	for _, c := range companies {
		names = append(names, storedWords(c[0]))
	}
	for _, p := range people {
		// "Dupont Jean": last name first, then the first name.
		names = append(names, append(storedWords(p[0]), storedWords(p[1])...))
	}
	var short, long, multi, infix []string
	for _, words := range names {
		if len(words) == 0 {
			continue
		}
		short = append(short, runePrefix(words[0], 1+rng.IntN(2)))
		// A prefix of 3 to 12 characters of the first word long enough.
		if i := slices.IndexFunc(words, func(w string) bool { return utf8.RuneCountInString(w) >= 3 }); i >= 0 {
			long = append(long, runePrefix(words[i], 3+rng.IntN(10)))
		}
		if len(words) > 1 {
			multi = append(multi, runePrefix(words[0], 2+rng.IntN(5))+" "+runePrefix(words[1], 1+rng.IntN(5)))
		}
		// 3 to 6 characters from the middle of the longest word.
		longest := slices.MaxFunc(words, func(a, b string) int {
			return utf8.RuneCountInString(a) - utf8.RuneCountInString(b)
		})
		if r := []rune(longest); len(r) >= 5 {
			k := min(3+rng.IntN(4), len(r)-2)
			at := 1 + rng.IntN(len(r)-k-1)
			infix = append(infix, string(r[at:at+k]))
		}
	}
	out := []class{
		{ClassShortPrefix, short}, {ClassPrefix, long}, {ClassMultiWord, multi},
		{ClassInfix, infix}, {ClassNoHit, noHit},
	}
	return slices.DeleteFunc(out, func(c class) bool { return len(c.queries) == 0 }), nil
}

// storedWords splits s on anything but letters and digits.
func storedWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// runePrefix returns the first n runes of s (all of s when shorter).
func runePrefix(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// sample returns up to n rows (col, extra) of table of the organisation,
// picked at random IDs in its range with rng.
func sample(ctx context.Context, d *db.DB, rng *rand.Rand, table, col, extra string, orgID, n int) ([][2]string, error) {
	ph := func(i int) string {
		if d.Dialect == dialect.Postgres {
			return fmt.Sprintf("$%d", i)
		}
		return "?"
	}
	var lo, hi *int64
	if err := d.SQL.QueryRowContext(ctx, "SELECT min(id), max(id) FROM "+table+" WHERE organisation_id = "+ph(1), orgID).Scan(&lo, &hi); err != nil {
		return nil, fmt.Errorf("bench: sample %s: %w", table, err)
	}
	if lo == nil {
		return nil, nil
	}
	q := "SELECT " + col + ", " + extra + " FROM " + table + " WHERE organisation_id = " + ph(1) + " AND id >= " + ph(2) + " ORDER BY id LIMIT 1"
	var out [][2]string
	for range n {
		id := *lo + rng.Int64N(*hi-*lo+1)
		var r [2]string
		if err := d.SQL.QueryRowContext(ctx, q, orgID, id).Scan(&r[0], &r[1]); err != nil {
			return nil, fmt.Errorf("bench: sample %s: %w", table, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// inProcess is Carnet's handler on a loopback test server, with a token
// of the user running the benchmark.
type inProcess struct {
	url    string
	secret string
	token  *ent.Token
	stop   func() // closes the server and revokes the token
}

// startServer starts Carnet on a loopback test server, with a token for u
// named name, valid for ttl and an hour more.
func startServer(ctx context.Context, d *db.DB, u *ent.User, name string, ttl, authCacheTTL time.Duration, sc server.Config) (*inProcess, error) {
	expiry := time.Now().Add(ttl + time.Hour)
	secret, tok, err := auth.Issue(auth.System(ctx), d.Client, u, name, &expiry)
	if err != nil {
		return nil, fmt.Errorf("bench: issue a token: %w", err)
	}
	// The cache listens (PostgreSQL) until the server stops.
	listening, stopListening := context.WithCancel(context.WithoutCancel(ctx))
	cache, err := server.NewAuthCache(listening, d, authCacheTTL, slog.New(slog.DiscardHandler))
	if err != nil {
		stopListening()
		return nil, err
	}
	sc.Client, sc.Ping, sc.Logger, sc.AuthCache = d.Client, d.SQL.PingContext, slog.New(slog.DiscardHandler), cache
	srv := httptest.NewServer(server.New(sc))
	return &inProcess{url: srv.URL, secret: secret, token: tok, stop: func() {
		srv.Close()
		stopListening()
		_ = d.Client.Token.UpdateOneID(tok.ID).SetRevokedAt(time.Now()).Exec(auth.System(context.WithoutCancel(ctx)))
	}}, nil
}
