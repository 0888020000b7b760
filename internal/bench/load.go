package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"carnet/ent"
	"carnet/ent/user"
	"carnet/internal/auth"
	"carnet/internal/db"
	"carnet/internal/fakefr"
	"carnet/internal/server"
)

// The operations of the default load mix, by name.
const (
	OpSearch         = "search"
	OpList           = "listThirdParties"
	OpListRecent     = "listRecent"
	OpOpen           = "openRecord"
	OpFiliation      = "filiationGraph"
	OpCreateProspect = "createProspect"
	OpUpdateContact  = "updateContact"
	OpCreateActivity = "createActivity"
	OpListClients    = "listClients"
	OpListContacts   = "listContacts"
)

// DefaultMix is the weight of each operation of the load mix: a sales
// team mostly searches and opens records, and writes now and then.
// listThirdParties is the first page of 20 by name, listRecent the first
// page of the recently changed, each with their first three contacts.
// listClients (clients by code, on a nullable order) and listContacts
// (contacts by last name) are left out unless --mix gives them a weight.
var DefaultMix = map[string]int{
	OpSearch:         40,
	OpList:           8,
	OpListRecent:     4,
	OpOpen:           20,
	OpFiliation:      5,
	OpCreateProspect: 5,
	OpUpdateContact:  10,
	OpCreateActivity: 8,
	OpListClients:    0,
	OpListContacts:   0,
}

// Operation is a fixed GraphQL request added to the load mix.
type Operation struct {
	Name      string
	Weight    int
	Query     string
	Variables map[string]any
}

// LoadConfig configures a load run.
type LoadConfig struct {
	// Rate is the requests sent per second, whatever the answers' pace
	// (an open model: slow answers do not slow the sender). Default 50.
	Rate int
	// Duration of the run (default 30s).
	Duration time.Duration
	// Mix replaces weights of DefaultMix by operation name; 0 leaves an
	// operation out.
	Mix map[string]int
	// Extra operations join the mix.
	Extra []Operation
	// Seed makes the sampled data and the choices repeatable (default 1).
	Seed uint64
	// MaxContacts bounds the contacts that updateContact changes (0: all
	// those sampled): a few hot records, updated again and again.
	MaxContacts int
	// AuthCacheTTL is the in-process server's (server.Config.AuthCacheTTL).
	AuthCacheTTL time.Duration
	// Admission and Deadlines are the in-process server's.
	Admission server.Admission
	Deadlines server.Deadlines
	// Recovery, when set, follows the run with as long a run at
	// RecoveryRate (default a tenth of Rate), reported second by second:
	// how soon latency is back to normal once the load drops.
	Recovery     time.Duration
	RecoveryRate int
}

// OpStats are the numbers of one operation, or of all.
type OpStats struct {
	Name     string
	Weight   int
	Requests int
	OK       int
	// Rate is requests per second sent, Throughput successful answers per
	// second.
	Rate, Throughput float64
	// Success is OK / Requests.
	Success float64
	// Latencies of the requests admitted (all but those shed).
	P50, P95, P99, Max time.Duration
	// Shed counts the requests refused by admission control (503
	// OVERLOADED), apart from errors; ShedP50… are their latencies.
	Shed                      int
	ShedP50, ShedP99, ShedMax time.Duration
	// Errors counts failed requests by kind: the GraphQL extensions.code
	// of a 200 answer with errors ("CONFLICT"), "HTTP 429 RATE_LIMITED"
	// for another status, "timeout" when no answer came within 10 s,
	// "transport" when the connection failed. Shed requests are not
	// errors.
	Errors map[string]int
	// FirstError is the message of the first error of each kind.
	FirstError map[string]string
}

// LoadReport is the result of a load run.
type LoadReport struct {
	Target   string
	Rate     int
	Duration time.Duration
	Ops      []OpStats // in decreasing weight
	All      OpStats
	// Notes say what the sampling found or left out.
	Notes []string
	// Recovery is the run after the load dropped, second by second.
	Recovery     []RecoverySecond
	RecoveryRate int
}

// RecoverySecond is one second of the run after the load dropped.
type RecoverySecond struct {
	Second   int // since the load dropped, from 0
	Requests int
	Shed     int
	Errors   int
	P50, P99 time.Duration // of the requests admitted
}

// shedKind is the failure kind of a request refused by admission control.
const shedKind = "shed"

// Bounds of a load run.
const (
	loadTimeout    = 10 * time.Second // a slower answer is an error ("transport")
	maxLoadBody    = 4 << 20
	sampleSearches = 40 // two-letter searches that sample the organisation's records
)

// LoadBench runs Load against an in-process server on d, as the first
// user of the organisation named orgName (the only one when empty),
// through a token revoked at the end. The server has no rate limit.
func LoadBench(ctx context.Context, d *db.DB, orgName string, cfg LoadConfig, out io.Writer) (*LoadReport, error) {
	sys := auth.System(ctx)
	org, err := findOrganisation(sys, d.Client, orgName)
	if err != nil {
		return nil, err
	}
	u, err := d.Client.User.Query().Where(user.OrganisationID(org.ID)).Order(ent.Asc(user.FieldID)).First(sys)
	if err != nil {
		return nil, fmt.Errorf("bench: the organisation's first user: %w", err)
	}
	srv, err := startServer(ctx, d, u, "bench load", cfg.Duration+cfg.Recovery,
		cfg.AuthCacheTTL, server.Config{Admission: cfg.Admission, Deadlines: cfg.Deadlines})
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	if out != nil {
		fmt.Fprintf(out, "load: organisation %q (%s), in-process server\n", org.Name, d.Dialect)
	}
	return load(ctx, srv.url, srv.secret, fmt.Sprintf("an in-process server (%s, organisation %q)", d.Dialect, org.Name), cfg, out)
}

// Load sends the operation mix to the Carnet server at baseURL with the
// bearer token at a fixed rate for the configured duration (vegeta's
// attacker), then prints per operation and overall the requests,
// throughput, success ratio, errors by kind and latency percentiles.
//
// The data comes from the organisation through the API first: 40
// two-letter searches give third parties and contacts (their IDs, names
// for search prefixes, contacts' versions, roots of filiation groups).
// Contact updates carry the version last read, and one contact is never
// updated by two requests at once, so a valid mix meets no CONFLICT.
func Load(ctx context.Context, baseURL, token string, cfg LoadConfig, out io.Writer) (*LoadReport, error) {
	return load(ctx, baseURL, token, baseURL, cfg, out)
}

func load(ctx context.Context, baseURL, token, target string, cfg LoadConfig, out io.Writer) (*LoadReport, error) {
	if cfg.Rate <= 0 {
		cfg.Rate = 50
	}
	if cfg.Duration <= 0 {
		cfg.Duration = 30 * time.Second
	}
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	if out == nil {
		out = io.Discard
	}
	endpoint := strings.TrimRight(baseURL, "/") + "/graphql"
	transport := &http.Transport{
		Proxy:               nil,
		MaxIdleConns:        256,
		MaxIdleConnsPerHost: 256,
		IdleConnTimeout:     time.Minute,
	}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: loadTimeout}
	l := &loader{
		endpoint: endpoint, token: "Bearer " + token, client: client,
		rng: rand.New(rand.NewPCG(cfg.Seed, 2)), fake: fakefr.New(int64(cfg.Seed)),
	}
	rep := &LoadReport{Target: target, Rate: cfg.Rate, Duration: cfg.Duration}
	start := time.Now()
	notes, err := l.sample(ctx)
	if err != nil {
		return nil, err
	}
	if cfg.MaxContacts > 0 && len(l.contacts) > cfg.MaxContacts {
		l.contacts = l.contacts[:cfg.MaxContacts]
		l.free = l.free[:0]
		for i := range l.contacts {
			l.free = append(l.free, i)
		}
	}
	rep.Notes = notes
	if err := l.buildMix(cfg); err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "load: sampled %d third parties, %d contacts, %d filiation roots, %d search prefixes (%s)\n",
		len(l.thirdParties), len(l.contacts), len(l.roots), len(l.prefixes), time.Since(start).Round(time.Millisecond))
	for _, n := range notes {
		fmt.Fprintln(out, "load:", n)
	}

	attacker := vegeta.NewAttacker(
		vegeta.Client(client),
		vegeta.MaxBody(maxLoadBody),
		vegeta.MaxWorkers(uint64(cfg.Rate)*uint64(loadTimeout/time.Second)+16),
	)
	fmt.Fprintf(out, "load: %d req/s for %s\n", cfg.Rate, cfg.Duration)
	attackStart := time.Now()
	results := attacker.Attack(l.target, vegeta.ConstantPacer{Freq: cfg.Rate, Per: time.Second}, cfg.Duration, "carnet")
	stop := context.AfterFunc(ctx, func() { attacker.Stop() })
	defer stop()
	var recovery chan []RecoverySecond
	if cfg.Recovery > 0 {
		if cfg.RecoveryRate <= 0 {
			cfg.RecoveryRate = max(1, cfg.Rate/10)
		}
		rep.RecoveryRate = cfg.RecoveryRate
		recovery = make(chan []RecoverySecond, 1)
		// It starts when the load stops being sent, not when its last
		// answers come: a backlog being served is part of the recovery.
		go func() { recovery <- l.recover(ctx, client, cfg, attackStart.Add(cfg.Duration)) }()
	}

	acc := map[string]*accumulator{}
	all := &accumulator{}
	for res := range results {
		name, outcome := l.outcome(res)
		a := acc[name]
		if a == nil {
			a = &accumulator{}
			acc[name] = a
		}
		a.add(res, outcome)
		all.add(res, outcome)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, op := range l.ops {
		a := acc[op.name]
		if a == nil {
			a = &accumulator{}
		}
		rep.Ops = append(rep.Ops, a.stats(op.name, op.weight, all))
	}
	rep.All = all.stats("all", l.total, all)
	if recovery != nil {
		rep.Recovery = <-recovery
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	rep.Print(out)
	return rep, nil
}

// recover sends the mix at cfg.RecoveryRate for cfg.Recovery from at on,
// and sums its answers up by second since at.
func (l *loader) recover(ctx context.Context, client *http.Client, cfg LoadConfig, at time.Time) []RecoverySecond {
	select {
	case <-time.After(time.Until(at)):
	case <-ctx.Done():
		return nil
	}
	attacker := vegeta.NewAttacker(vegeta.Client(client), vegeta.MaxBody(maxLoadBody))
	stop := context.AfterFunc(ctx, func() { attacker.Stop() })
	defer stop()
	type second struct {
		acc    accumulator
		shed   int
		errors int
	}
	var secs []*second
	for res := range attacker.Attack(l.target, vegeta.ConstantPacer{Freq: cfg.RecoveryRate, Per: time.Second}, cfg.Recovery, "recovery") {
		_, failure := l.outcome(res)
		i := max(0, int(res.Timestamp.Sub(at)/time.Second))
		for len(secs) <= i {
			secs = append(secs, &second{})
		}
		sec := secs[i]
		switch failure[0] {
		case "":
			sec.acc.latencies = append(sec.acc.latencies, res.Latency)
		case shedKind:
			sec.shed++
		default:
			sec.errors++
		}
	}
	out := make([]RecoverySecond, len(secs))
	for i, sec := range secs {
		out[i] = RecoverySecond{Second: i, Requests: len(sec.acc.latencies) + sec.shed + sec.errors, Shed: sec.shed, Errors: sec.errors}
		if n := sec.acc.latencies; len(n) > 0 {
			slices.Sort(n)
			out[i].P50, out[i].P99 = percentile(n, 50), percentile(n, 99)
		}
	}
	return out
}

// loader holds the sampled data and builds the requests of a run.
type loader struct {
	endpoint, token string
	client          *http.Client

	mu   sync.Mutex // guards rng, fake and the contact pool
	rng  *rand.Rand
	fake *fakefr.Generator

	thirdParties []string // global IDs of prospects and clients
	contacts     []*contact
	free         []int    // indexes of contacts no request is updating
	roots        []string // third parties with filiation links
	prefixes     []string

	ops   []weighted
	total int
}

type contact struct {
	id      string
	version int
}

type weighted struct {
	name   string
	weight int
	static *Operation
}

// buildMix sets the operations and weights of cfg, leaving out those
// whose data the sampling did not find.
func (l *loader) buildMix(cfg LoadConfig) error {
	mix := maps.Clone(DefaultMix)
	for k, v := range cfg.Mix {
		if _, ok := mix[k]; !ok {
			return fmt.Errorf("bench: unknown operation %q in the mix (known: %s)", k, strings.Join(slices.Sorted(maps.Keys(DefaultMix)), ", "))
		}
		if v < 0 {
			return fmt.Errorf("bench: negative weight for %s", k)
		}
		mix[k] = v
	}
	needs := map[string]int{
		OpSearch: len(l.prefixes), OpOpen: len(l.thirdParties), OpFiliation: len(l.roots),
		OpUpdateContact: len(l.contacts), OpCreateActivity: len(l.contacts) + len(l.thirdParties),
		OpList: 1, OpListRecent: 1, OpCreateProspect: 1, OpListClients: 1, OpListContacts: 1,
	}
	for name, w := range mix {
		if w > 0 && needs[name] > 0 {
			l.ops = append(l.ops, weighted{name: name, weight: w})
		}
	}
	for i := range cfg.Extra {
		op := &cfg.Extra[i]
		if op.Weight > 0 {
			l.ops = append(l.ops, weighted{name: op.Name, weight: op.Weight, static: op})
		}
	}
	sort.SliceStable(l.ops, func(i, j int) bool {
		if l.ops[i].weight != l.ops[j].weight {
			return l.ops[i].weight > l.ops[j].weight
		}
		return l.ops[i].name < l.ops[j].name
	})
	for _, op := range l.ops {
		l.total += op.weight
	}
	if l.total == 0 {
		return errors.New("bench: the mix is empty")
	}
	return nil
}

// GraphQL documents of the mix.
const (
	qSearch = `query Search($q: String!) { search(query: $q, first: 10) { kind label detail node { id } } }`
	qList   = `query ListThirdParties($order: ThirdPartyOrder!, $where: ThirdPartyWhereInput) { thirdParties(first: 20, orderBy: $order, where: $where) {
  pageInfo { hasNextPage endCursor }
  edges { node { id kind status code name updatedAt address { postalCode city } owner { name }
    contacts(first: 3) { edges { node { id civility firstName lastName jobTitle email phoneUri } } } } } } }`
	qContacts = `query ListContacts { contacts(first: 20, orderBy: {field: LAST_NAME}) { pageInfo { hasNextPage endCursor }
  edges { node { id civility firstName lastName jobTitle email phoneUri thirdParty { id name } } } } }`
	qOpen = `query OpenRecord($id: ID!) { node(id: $id) { ... on ThirdParty {
  id kind status version code name legalName siren siret apeCode vatNumber phone email website
  address { line1 line2 postalCode city country } owner { name } customFields { key label type value }
  contacts(first: 20) { totalCount edges { node { id version civility firstName lastName jobTitle email directLine mobile phoneUri } } }
  activities(first: 5) { edges { node { id type subject date done author { name } } } }
  opportunities { id name amount stage expectedSigningDate }
  managementLinks { isDefault type { code label } linkedType { code } linkedThirdParty { id name } }
  filiationLinks { type { code direction } thirdParty { id } linkedThirdParty { id name } } } } }`
	qFiliation = `query FiliationGraph($id: ID!) { filiationGraph(rootId: $id, depth: 2) {
  truncated nodes { id kind name } edges { type { code direction } thirdParty { id } linkedThirdParty { id } } } }`
	qCreateProspect = `mutation CreateProspect($in: CreateProspectInput!) { createProspect(input: $in) { id version name status } }`
	qUpdateContact  = `mutation UpdateContact($id: ID!, $v: Int!, $in: UpdateContactInput!) { updateContact(id: $id, input: $in, expectedVersion: $v) { id version jobTitle } }`
	qCreateActivity = `mutation CreateActivity($in: CreateActivityInput!) { createActivity(input: $in) { id type subject } }`
)

var (
	jobTitles       = []string{"Directeur commercial", "Responsable des achats", "Gérante", "Chef de projet", "Assistante de direction", "Directeur administratif et financier", "Responsable logistique"}
	activityTypes   = []string{"CALL", "MEETING", "EMAIL", "NOTE", "TASK"}
	activitySubject = []string{"Appel de suivi", "Relance devis", "Rendez-vous de présentation", "Envoi de la plaquette", "Point trimestriel"}
)

// target is vegeta's targeter: it picks an operation by weight and
// builds its request. The operation's name (and the contact updated)
// ride in the URL's query string, which the server ignores.
func (l *loader) target(t *vegeta.Target) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	pick := l.rng.IntN(l.total)
	var op weighted
	for _, op = range l.ops {
		if pick < op.weight {
			break
		}
		pick -= op.weight
	}
	var (
		query string
		vars  map[string]any
		extra string
	)
	name := op.name
	switch {
	case op.static != nil:
		query, vars = op.static.Query, op.static.Variables
	case name == OpSearch:
		query, vars = qSearch, map[string]any{"q": l.prefixes[l.rng.IntN(len(l.prefixes))]}
	case name == OpList:
		query, vars = qList, map[string]any{"order": map[string]string{"field": "NAME", "direction": "ASC"}}
	case name == OpListRecent:
		query, vars = qList, map[string]any{"order": map[string]string{"field": "UPDATED_AT", "direction": "DESC"}}
	case name == OpListClients:
		query, vars = qList, map[string]any{"order": map[string]string{"field": "CODE", "direction": "ASC"}, "where": map[string]any{"kind": "CLIENT"}}
	case name == OpListContacts:
		query, vars = qContacts, nil
	case name == OpOpen:
		query, vars = qOpen, map[string]any{"id": l.thirdParties[l.rng.IntN(len(l.thirdParties))]}
	case name == OpFiliation:
		query, vars = qFiliation, map[string]any{"id": l.roots[l.rng.IntN(len(l.roots))]}
	case name == OpCreateProspect:
		c := l.fake.Company()
		query, vars = qCreateProspect, map[string]any{"in": map[string]any{
			"name": c.Name, "phone": c.Phone, "email": c.Email, "website": c.Website,
			"address": map[string]any{"line1": c.Address.Line1, "postalCode": c.Address.PostalCode, "city": c.Address.City},
		}}
	case name == OpUpdateContact && len(l.free) > 0:
		// A contact no other request is updating, with its last version.
		i := l.rng.IntN(len(l.free))
		slot := l.free[i]
		l.free[i] = l.free[len(l.free)-1]
		l.free = l.free[:len(l.free)-1]
		c := l.contacts[slot]
		query, vars = qUpdateContact, map[string]any{
			"id": c.id, "v": c.version, "in": map[string]any{"jobTitle": jobTitles[l.rng.IntN(len(jobTitles))]},
		}
		extra = "&slot=" + strconv.Itoa(slot)
	case name == OpUpdateContact:
		// Every sampled contact is being updated: a search instead.
		name, query, vars = OpSearch, qSearch, map[string]any{"q": l.prefixes[l.rng.IntN(len(l.prefixes))]}
	case name == OpCreateActivity:
		in := map[string]any{
			"type":    activityTypes[l.rng.IntN(len(activityTypes))],
			"subject": activitySubject[l.rng.IntN(len(activitySubject))], "done": l.rng.IntN(2) == 0,
		}
		if n := l.rng.IntN(len(l.contacts) + len(l.thirdParties)); n < len(l.contacts) {
			in["contactId"] = l.contacts[n].id
		} else {
			in["thirdPartyId"] = l.thirdParties[n-len(l.contacts)]
		}
		query, vars = qCreateActivity, map[string]any{"in": in}
	}
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return err
	}
	t.Method = http.MethodPost
	t.URL = l.endpoint + "?op=" + url.QueryEscape(name) + extra
	t.Body = body
	t.Header = http.Header{"Content-Type": {"application/json"}, "Authorization": {l.token}}
	return nil
}

// gqlAnswer is the part of a GraphQL answer the bench reads.
type gqlAnswer struct {
	Data   map[string]json.RawMessage `json:"data"`
	Errors []struct {
		Message    string `json:"message"`
		Extensions struct {
			Code string `json:"code"`
		} `json:"extensions"`
	} `json:"errors"`
}

// outcome is the operation of a result and, when it failed, the kind of
// failure ("" for success) and its message. A contact whose update ended
// is free again, with its new version when the update succeeded (after a
// failure its version is unknown: it leaves the pool).
func (l *loader) outcome(res *vegeta.Result) (op string, failure [2]string) {
	q := url.Values{}
	if u, err := url.Parse(res.URL); err == nil {
		q = u.Query()
	}
	op = q.Get("op")
	var a gqlAnswer
	decodeErr := json.Unmarshal(res.Body, &a)
	code := ""
	msg := ""
	if len(a.Errors) > 0 {
		code, msg = a.Errors[0].Extensions.Code, a.Errors[0].Message
		if code == "" {
			code = "GRAPHQL_ERROR"
		}
	}
	switch {
	case res.Code == 0 && (strings.Contains(res.Error, "Timeout") || strings.Contains(res.Error, "deadline exceeded")):
		failure = [2]string{"timeout", fmt.Sprintf("no answer within %s", loadTimeout)}
	case res.Code == 0:
		msg := res.Error
		if i := strings.Index(msg, `": `); i >= 0 { // Post "url": …
			msg = msg[i+3:]
		}
		failure = [2]string{"transport", msg}
	case res.Code == http.StatusServiceUnavailable && code == "OVERLOADED":
		failure = [2]string{shedKind, msg}
	case res.Code != http.StatusOK:
		failure = [2]string{strings.TrimSpace("HTTP " + strconv.Itoa(int(res.Code)) + " " + code), msg}
		if msg == "" {
			failure[1] = fmt.Sprintf("%.200s", res.Body)
		}
	case code != "":
		failure = [2]string{code, msg}
	case decodeErr != nil || a.Data == nil:
		failure = [2]string{"unreadable", fmt.Sprintf("%.200s", res.Body)}
	}
	if s := q.Get("slot"); s != "" {
		slot, _ := strconv.Atoi(s)
		var data struct {
			Version int `json:"version"`
		}
		if failure[0] == "" && json.Unmarshal(a.Data[OpUpdateContact], &data) == nil && data.Version > 0 {
			l.mu.Lock()
			l.contacts[slot].version = data.Version
			l.free = append(l.free, slot)
			l.mu.Unlock()
		}
	}
	return op, failure
}

// accumulator gathers the results of one operation.
type accumulator struct {
	latencies   []time.Duration // of requests admitted
	shed        []time.Duration // latencies of requests shed
	ok          int
	errors      map[string]int
	first       map[string]string
	begin, last time.Time // first request sent, last one sent
	end         time.Time // last answer received
}

func (a *accumulator) add(res *vegeta.Result, failure [2]string) {
	if failure[0] == shedKind {
		a.shed = append(a.shed, res.Latency)
	} else {
		a.latencies = append(a.latencies, res.Latency)
	}
	if a.begin.IsZero() || res.Timestamp.Before(a.begin) {
		a.begin = res.Timestamp
	}
	if res.Timestamp.After(a.last) {
		a.last = res.Timestamp
	}
	if e := res.Timestamp.Add(res.Latency); e.After(a.end) {
		a.end = e
	}
	if failure[0] == "" {
		a.ok++
		return
	}
	if failure[0] == shedKind {
		return
	}
	if a.errors == nil {
		a.errors, a.first = map[string]int{}, map[string]string{}
	}
	if a.errors[failure[0]]++; a.errors[failure[0]] == 1 {
		a.first[failure[0]] = failure[1]
	}
}

// stats sums a up; rates are over the run's windows (those of all): its
// requests over the time from the first request sent to the last,
// throughput over the time from the first request to the last answer.
func (a *accumulator) stats(name string, weight int, all *accumulator) OpStats {
	s := OpStats{Name: name, Weight: weight, Requests: len(a.latencies) + len(a.shed), OK: a.ok, Errors: a.errors, FirstError: a.first,
		Shed: len(a.shed)}
	if s.Requests == 0 {
		return s
	}
	if len(a.shed) > 0 {
		slices.Sort(a.shed)
		s.ShedP50, s.ShedP99, s.ShedMax = percentile(a.shed, 50), percentile(a.shed, 99), a.shed[len(a.shed)-1]
	}
	s.Success = float64(a.ok) / float64(s.Requests)
	if d := all.last.Sub(all.begin); d > 0 {
		s.Rate = float64(s.Requests) / d.Seconds()
	}
	if d := all.end.Sub(all.begin); d > 0 {
		s.Throughput = float64(a.ok) / d.Seconds()
	}
	if len(a.latencies) == 0 {
		return s
	}
	slices.Sort(a.latencies)
	s.P50, s.P95, s.P99 = percentile(a.latencies, 50), percentile(a.latencies, 95), percentile(a.latencies, 99)
	s.Max = a.latencies[len(a.latencies)-1]
	return s
}

// sample reads the organisation's data through the API: two-letter
// searches give third parties and contacts; nodes() gives the contacts'
// versions and which third parties have filiation links.
func (l *loader) sample(ctx context.Context) ([]string, error) {
	var notes []string
	first := "abcdefghijlmnoprstv"
	second := "aeiou"
	seenTP, seenC := map[string]bool{}, map[string]bool{}
	var contactIDs []string
	for range sampleSearches {
		q := string(first[l.rng.IntN(len(first))]) + string(second[l.rng.IntN(len(second))])
		var d struct {
			Search []struct {
				Kind  string `json:"kind"`
				Label string `json:"label"`
				Node  struct {
					ID string `json:"id"`
				} `json:"node"`
			} `json:"search"`
		}
		if err := l.call(ctx, `query($q: String!) { search(query: $q, first: 20) { kind label node { id } } }`, map[string]any{"q": q}, &d); err != nil {
			return nil, err
		}
		for _, h := range d.Search {
			words := storedWords(h.Label)
			if len(words) > 0 {
				p := runePrefix(strings.ToLower(words[0]), 2+l.rng.IntN(5))
				if len(words) > 1 && l.rng.IntN(5) == 0 {
					p += " " + runePrefix(strings.ToLower(words[1]), 1+l.rng.IntN(3))
				}
				if utf8.RuneCountInString(p) > 0 {
					l.prefixes = append(l.prefixes, p)
				}
			}
			switch h.Kind {
			case "CONTACT":
				if !seenC[h.Node.ID] {
					seenC[h.Node.ID] = true
					contactIDs = append(contactIDs, h.Node.ID)
				}
			case "PROSPECT", "CLIENT":
				if !seenTP[h.Node.ID] {
					seenTP[h.Node.ID] = true
					l.thirdParties = append(l.thirdParties, h.Node.ID)
				}
			}
		}
	}
	for ids := range slices.Chunk(contactIDs, 100) {
		var d struct {
			Nodes []*struct {
				ID      string `json:"id"`
				Version int    `json:"version"`
			} `json:"nodes"`
		}
		if err := l.call(ctx, `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Contact { id version } } }`, map[string]any{"ids": ids}, &d); err != nil {
			return nil, err
		}
		for _, n := range d.Nodes {
			if n != nil && n.ID != "" {
				l.free = append(l.free, len(l.contacts))
				l.contacts = append(l.contacts, &contact{id: n.ID, version: n.Version})
			}
		}
	}
	for ids := range slices.Chunk(l.thirdParties, 100) {
		var d struct {
			Nodes []*struct {
				ID             string            `json:"id"`
				FiliationLinks []json.RawMessage `json:"filiationLinks"`
			} `json:"nodes"`
		}
		if err := l.call(ctx, `query($ids: [ID!]!) { nodes(ids: $ids) { ... on ThirdParty { id filiationLinks { id } } } }`, map[string]any{"ids": ids}, &d); err != nil {
			return nil, err
		}
		for _, n := range d.Nodes {
			if n != nil && len(n.FiliationLinks) > 0 {
				l.roots = append(l.roots, n.ID)
			}
		}
	}
	if len(l.thirdParties) == 0 {
		return nil, errors.New("bench: the searches found no prospect nor client: fill the organisation first (carnet gen, or serve --demo)")
	}
	if len(l.roots) == 0 {
		notes = append(notes, "no sampled third party has filiation links (or the feature or right is off): filiationGraph left out")
	}
	if len(l.contacts) == 0 {
		notes = append(notes, "no contact found: updateContact left out")
	}
	return notes, nil
}

// call runs one GraphQL request of the sampling and decodes its data.
func (l *loader) call(ctx context.Context, query string, vars map[string]any, data any) error {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, l.endpoint, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", l.token)
	resp, err := l.client.Do(req)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxLoadBody))
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	var a gqlAnswer
	if err := json.Unmarshal(b, &a); err != nil || resp.StatusCode != http.StatusOK || len(a.Errors) > 0 {
		return fmt.Errorf("bench: sampling request failed: HTTP %d: %.300s", resp.StatusCode, b)
	}
	raw, err := json.Marshal(a.Data)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, data)
}

// Print writes the report as a table.
func (r *LoadReport) Print(out io.Writer) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "operation\tweight\trequests\treq/s\tok/s\tsuccess\tshed\tp50\tp95\tp99\tmax\t")
	for _, s := range append(slices.Clone(r.Ops), r.All) {
		if s.Requests == 0 {
			fmt.Fprintf(tw, "%s\t%d\t0\t-\t-\t-\t-\t-\t-\t-\t-\t\n", s.Name, s.Weight)
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%.1f\t%.1f%%\t%d\t%s\t%s\t%s\t%s\t\n",
			s.Name, s.Weight, s.Requests, s.Rate, s.Throughput, 100*s.Success, s.Shed, round(s.P50), round(s.P95), round(s.P99), round(s.Max))
	}
	tw.Flush()
	fmt.Fprintln(out, "latencies: of the requests admitted; shed: refused by admission control (503 OVERLOADED), not errors")
	if r.All.Shed > 0 {
		fmt.Fprintf(out, "shed: %d of %d (%.1f%%), answered in p50 %s, p99 %s, max %s\n", r.All.Shed, r.All.Requests,
			100*float64(r.All.Shed)/float64(r.All.Requests), round(r.All.ShedP50), round(r.All.ShedP99), round(r.All.ShedMax))
	}
	if len(r.All.Errors) == 0 {
		fmt.Fprintln(out, "errors: none")
	}
	for _, s := range r.Ops {
		for _, k := range slices.Sorted(maps.Keys(s.Errors)) {
			fmt.Fprintf(out, "errors: %-16s %-24s %5d  first: %.160s\n", s.Name, k, s.Errors[k], s.FirstError[k])
		}
	}
	if len(r.Recovery) > 0 {
		fmt.Fprintf(out, "recovery at %d req/s, by second since the load dropped:\n", r.RecoveryRate)
		tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "second\trequests\tshed\terrors\tp50\tp99\t")
		for _, s := range r.Recovery {
			fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%s\t%s\t\n", s.Second, s.Requests, s.Shed, s.Errors, round(s.P50), round(s.P99))
		}
		tw.Flush()
	}
	fmt.Fprintf(out, "load: %d req/s for %s against %s\n", r.Rate, r.Duration, r.Target)
}
