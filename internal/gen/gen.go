// Package gen fills an existing organisation with a large, realistic data
// set (`carnet gen`): third parties of every kind and status, their
// contacts and their search index entries, for benchmarks and load tests.
//
// # Design
//
// At this scale ent (its hooks and privacy, one round trip per batch) is
// far too slow, so gen writes raw SQL: COPY on PostgreSQL, multi-row
// INSERTs in large transactions on SQLite. Whatever ent's hooks would
// have derived is derived here from the same code: the search entries
// come from search.ThirdPartyEntries and search.ContactEntries, so a
// generated record is indexed exactly as one created through the API.
//
// IDs stay in each type's global ID range (ent's sql/globalid): gen
// reserves a block of n third-party IDs and one of contact IDs by moving
// the tables' sequences (PostgreSQL identity sequence, SQLite
// sqlite_sequence) past the block, so records created later through ent
// never collide. Search entries are referenced by nothing: the database
// numbers them. Client and supplier codes continue after the
// organisation's highest "C<digits>" code, so gen can run again.
//
// Records are generated in chunks by several goroutines, each chunk from
// its own generator seeded from (seed, chunk), so the data depend on the
// seed only. The writer takes chunks in order.
//
// # Bulk mode (PostgreSQL)
//
// Maintaining the indexes (trigram GINs among them) and checking foreign
// keys on every row of millions costs far more than building the indexes
// once. When the load is large and at least half the size of what the
// tables already hold, gen runs in one transaction that drops the
// secondary indexes and the foreign keys of the six tables it writes
// (bulkTables), copies every chunk, copies the links (computed from the
// plan: the IDs are a contiguous block), adds the new words to the
// vocabulary with one set operation, then recreates the indexes and keys
// from the definitions it read (pg_get_indexdef, pg_get_constraintdef)
// and commits: a failure rolls everything back, indexes included. The
// tables are locked (ACCESS EXCLUSIVE) meanwhile: other organisations
// wait. VACUUM (ANALYZE) follows, so that searches neither write hint
// bits nor miss index-only scans until autovacuum comes. Otherwise each
// chunk is its own transaction, the indexes stay, ANALYZE follows, and
// the vocabulary and the links are written afterwards, side by side.
package gen

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"entgo.io/ent/dialect"
	"golang.org/x/sync/errgroup"

	"carnet/ent/schema/enum"
	"carnet/ent/thirdparty"
	"carnet/internal/db"
	"carnet/internal/duplicates"
	"carnet/internal/fakefr"
	"carnet/internal/search"
	"carnet/internal/validate"
)

// Stats counts what Run wrote.
type Stats struct {
	ThirdParties, Contacts, Entries int
	ManagementLinks, FiliationLinks int
	Elapsed                         time.Duration
}

// profile is a kind of generated third party.
type profile struct {
	kind     enum.ThirdPartyKind
	status   thirdparty.Status
	permille int  // share of the records
	coded    bool // has a client code
}

// profiles: 45 % clients (8 % of them closed), 35 % prospects (half
// draft, half validated), 12 % suppliers, 8 % others.
var profiles = []profile{
	{enum.Client, thirdparty.StatusACTIVE, 414, true},
	{enum.Client, thirdparty.StatusCLOSED, 36, true},
	{enum.Prospect, thirdparty.StatusDRAFT, 175, false},
	{enum.Prospect, thirdparty.StatusVALIDATED, 175, false},
	{enum.Supplier, thirdparty.StatusACTIVE, 120, true},
	{enum.Other, thirdparty.StatusACTIVE, 80, false},
}

// contactPercent is the distribution of the number of contacts of a
// prospect or a client: 0 to 5, 2.56 on average. Contacts belong to
// prospects and clients only (the guide; createContact refuses the
// others), which are 80 % of the records, so a million third parties
// still come with about 2.05 million contacts, as the search benchmark
// asks.
var contactPercent = [...]int{6, 16, 28, 26, 14, 10}

// hasContacts reports whether records of kind carry contacts.
func hasContacts(kind enum.ThirdPartyKind) bool {
	return kind == enum.Client || kind == enum.Prospect
}

// chunkSize is the number of third parties generated and written together.
const chunkSize = 5000

// Bulk mode thresholds (variables for the tests).
var (
	bulkMin    = 50_000 // smallest load worth rebuilding the indexes for
	bulkFactor = 2      // the load must be ≥ existing rows / bulkFactor
)

// Run adds n generated third parties, their contacts and search entries
// to the organisation named orgName (the only one when orgName is
// empty), printing progress to out.
func Run(ctx context.Context, d *db.DB, orgName string, n int, seed int64, out io.Writer) (Stats, error) {
	start := time.Now()
	if n < 0 {
		return Stats{}, fmt.Errorf("gen: n must be ≥ 0, got %d", n)
	}
	if out == nil {
		out = io.Discard
	}
	w := &writer{d: d, out: out}
	p, err := newPlan(ctx, w, orgName, n, seed)
	if err != nil {
		return Stats{}, err
	}
	if n == 0 {
		return Stats{Elapsed: time.Since(start)}, nil
	}
	fmt.Fprintf(out, "gen: %d third parties, ~%d contacts for organisation %q (id %d), %s\n",
		n, p.totalContacts, orgName, p.orgID, d.Dialect)

	var st Stats
	bulk := false
	switch {
	case d.Dialect == dialect.Postgres:
		restore, err := allowParallel(ctx, d.SQL, "search_entries", "search_words")
		if err != nil {
			return Stats{}, err
		}
		defer restore()
		if bulk, err = w.useBulk(ctx, n); err != nil {
			return Stats{}, err
		}
		if bulk {
			st, err = w.loadPostgresBulk(ctx, p, start)
		} else {
			st, err = w.loadPostgres(ctx, p, start)
		}
		if err != nil {
			return st, err
		}
		// Statistics for the planner. After a bulk load, VACUUM too: it sets
		// the hint bits and the visibility map once, rather than leaving the
		// first searches to write every page they read and to forgo
		// index-only scans until autovacuum comes.
		analyze := "ANALYZE third_parties, contacts, search_entries"
		if bulk {
			analyze = "VACUUM (ANALYZE) " + strings.Join(bulkTables, ", ")
		}
		t := time.Now()
		if _, err := d.SQL.ExecContext(ctx, analyze); err != nil {
			return st, fmt.Errorf("gen: %s: %w", analyze, err)
		}
		fmt.Fprintf(out, "gen: %s %s\n", strings.ToLower(strings.Fields(analyze)[0]), since(t))
	case d.Dialect == dialect.SQLite:
		st, err = w.loadSQLite(ctx, p, start)
		if err != nil {
			return st, err
		}
	default:
		return Stats{}, fmt.Errorf("gen: unsupported dialect %q", d.Dialect)
	}
	if bulk {
		// The bulk load wrote the vocabulary and the links too.
		return w.done(st, start), nil
	}
	// The vocabulary and the links touch different tables: on PostgreSQL
	// they are built side by side, on two connections (SQLite has one
	// writer at a time).
	var g errgroup.Group
	vocabulary := func() error {
		t := time.Now()
		if err := w.addVocabulary(ctx, p.orgID); err != nil {
			return err
		}
		fmt.Fprintf(out, "gen: search vocabulary %s\n", since(t))
		return nil
	}
	if d.Dialect == dialect.Postgres {
		g.Go(vocabulary)
	} else if err := vocabulary(); err != nil {
		return st, err
	}
	t := time.Now()
	if st.ManagementLinks, st.FiliationLinks, err = w.addLinks(ctx, p); err != nil {
		_ = g.Wait()
		return st, err
	}
	if err := g.Wait(); err != nil {
		return st, err
	}
	if d.Dialect == dialect.Postgres {
		// search_words too: with no statistics the planner takes the
		// vocabulary for small and intersects the trigram index with the
		// organisation's btree, reading all of it (0.1 ms → 600 ms).
		if _, err := d.SQL.ExecContext(ctx, "ANALYZE management_links, filiation_links, third_parties, search_words"); err != nil {
			return st, fmt.Errorf("gen: analyze links: %w", err)
		}
	}
	fmt.Fprintf(out, "gen: %d management links, %d filiation links %s\n", st.ManagementLinks, st.FiliationLinks, since(t))
	if d.Dialect == dialect.SQLite {
		// SQLite never gathers statistics by itself: without them its
		// planner reads whole organisations where a few rows would do.
		t := time.Now()
		if err := d.Analyze(ctx); err != nil {
			return st, fmt.Errorf("gen: %w", err)
		}
		fmt.Fprintf(out, "gen: analyze %s\n", since(t))
	}
	return w.done(st, start), nil
}

// done reports the end of a run.
func (w *writer) done(st Stats, start time.Time) Stats {
	st.Elapsed = time.Since(start)
	fmt.Fprintf(w.out, "gen: done: %d third parties, %d contacts, %d search entries, %d management links, %d filiation links in %s\n",
		st.ThirdParties, st.Contacts, st.Entries, st.ManagementLinks, st.FiliationLinks, st.Elapsed.Round(time.Millisecond))
	return st
}

// plan is what a run writes, decided before any chunk is generated so that
// chunks can be generated independently.
type plan struct {
	orgID, ownerID int
	n              int
	grouped        int // the first third parties of the block in filiation groups
	seed           int64
	now            time.Time
	profile        []uint8 // per third party: index in profiles
	contacts       []uint8 // per third party: number of contacts
	contactOff     []int   // per chunk: contacts before it
	codeOff        []int   // per chunk: coded third parties before it
	totalContacts  int
	firstCode      int // number of the first client code
	// Reserved ID blocks: [tpStart, tpStart+n) and [contactStart, +totalContacts).
	tpStart, contactStart int
	types                 map[string]int // link type IDs by code; nil: no links
}

func (p *plan) chunks() int { return (p.n + chunkSize - 1) / chunkSize }

// newPlan finds the organisation, its owner and its next client code and
// draws the kind and the number of contacts of every record.
func newPlan(ctx context.Context, w *writer, orgName string, n int, seed int64) (*plan, error) {
	p := &plan{n: n, seed: seed, now: time.Now().Truncate(time.Microsecond)}
	var err error
	if p.orgID, err = w.findOrganisation(ctx, orgName); err != nil {
		return nil, err
	}
	if err := w.d.SQL.QueryRowContext(ctx, w.q("SELECT id FROM users WHERE organisation_id = ? ORDER BY id LIMIT 1"), p.orgID).Scan(&p.ownerID); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("gen: organisation %q has no user", orgName)
		}
		return nil, fmt.Errorf("gen: find owner: %w", err)
	}
	maxCode, err := w.maxCode(ctx, p.orgID)
	if err != nil {
		return nil, err
	}
	p.firstCode = maxCode + 1
	if types, err := w.linkTypes(ctx, p.orgID); err != nil {
		return nil, err
	} else if hasLinkTypes(types) {
		p.types = types
		// The first half of the block, in groups of groupSize, forms the
		// filiation groups (addLinks): their members' network IDs are
		// written with the rows, not updated afterwards (an update of a
		// million rows through every index of third_parties).
		p.grouped = n / 2 / groupSize * groupSize
	}

	rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed_9e37_79b9_7f4a))
	p.profile = make([]uint8, n)
	p.contacts = make([]uint8, n)
	p.contactOff = make([]int, p.chunks()+1)
	p.codeOff = make([]int, p.chunks()+1)
	codes := 0
	for i := range n {
		if i%chunkSize == 0 {
			p.contactOff[i/chunkSize] = p.totalContacts
			p.codeOff[i/chunkSize] = codes
		}
		r := rng.IntN(1000)
		k := 0
		for r >= profiles[k].permille {
			r -= profiles[k].permille
			k++
		}
		p.profile[i] = uint8(k)
		if profiles[k].coded {
			codes++
		}
		c, r := 0, rng.IntN(100)
		for r >= contactPercent[c] {
			r -= contactPercent[c]
			c++
		}
		if !hasContacts(profiles[k].kind) {
			c = 0
		}
		p.contacts[i] = uint8(c)
		p.totalContacts += c
	}
	p.contactOff[p.chunks()] = p.totalContacts
	p.codeOff[p.chunks()] = codes
	return p, nil
}

// writer talks to the database.
type writer struct {
	d   *db.DB
	out io.Writer
}

// q adapts a query written with ? placeholders to the dialect.
func (w *writer) q(query string) string {
	if w.d.Dialect != dialect.Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, c := range query {
		if c == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// findOrganisation returns the ID of the organisation named name, or of
// the only one when name is empty.
func (w *writer) findOrganisation(ctx context.Context, name string) (int, error) {
	query, args := "SELECT id FROM organisations ORDER BY id LIMIT 2", []any{}
	if name != "" {
		query, args = "SELECT id FROM organisations WHERE name = ? ORDER BY id LIMIT 2", []any{name}
	}
	rows, err := w.d.SQL.QueryContext(ctx, w.q(query), args...)
	if err != nil {
		return 0, fmt.Errorf("gen: find organisation: %w", err)
	}
	defer rows.Close()
	var ids []int
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			return 0, fmt.Errorf("gen: find organisation: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("gen: find organisation: %w", err)
	}
	switch {
	case len(ids) == 0 && name != "":
		return 0, fmt.Errorf("gen: no organisation named %q", name)
	case len(ids) == 0:
		return 0, errors.New("gen: no organisation: run carnet init first")
	case len(ids) > 1 && name != "":
		return 0, fmt.Errorf("gen: several organisations are named %q", name)
	case len(ids) > 1:
		return 0, errors.New("gen: the database holds several organisations: name one")
	}
	return ids[0], nil
}

// maxCode returns the highest number n of the organisation's codes of the
// form "C<digits>" (fakefr.ClientCode), 0 when there is none.
func (w *writer) maxCode(ctx context.Context, orgID int) (int, error) {
	rows, err := w.d.SQL.QueryContext(ctx, w.q("SELECT code FROM third_parties WHERE organisation_id = ? AND code LIKE 'C%'"), orgID)
	if err != nil {
		return 0, fmt.Errorf("gen: read client codes: %w", err)
	}
	defer rows.Close()
	best := 0
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return 0, fmt.Errorf("gen: read client codes: %w", err)
		}
		if v, ok := codeNumber(code); ok && v > best {
			best = v
		}
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("gen: read client codes: %w", err)
	}
	return best, nil
}

// codeNumber parses "C<digits>".
func codeNumber(code string) (int, bool) {
	digits, ok := strings.CutPrefix(code, "C")
	if !ok || digits == "" || len(digits) > 15 {
		return 0, false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, false
		}
	}
	v, err := strconv.Atoi(digits)
	return v, err == nil
}

// idRangeOf returns the global ID range (the ent type) of id as ent's
// Noder computes it.
func idRangeOf(id int) int { return id / (1<<32 - 1) }

// checkBlock verifies that the IDs [first, first+n) stay in the type range
// of first.
func checkBlock(table string, first, n int) error {
	if n == 0 {
		return nil
	}
	if idRangeOf(first) != idRangeOf(first+n-1) {
		return fmt.Errorf("gen: %d more %s would leave the table's global ID range (next ID %d)", n, table, first)
	}
	return nil
}

// tpRow is a generated third party.
type tpRow struct {
	id                                      int
	p                                       *profile
	code                                    *string
	name, legalName, siren, siret, ape, vat string
	line1, line2, postal, city, country     string
	phone, email, website                   string
}

// contactRow is a generated contact.
type contactRow struct {
	id, tpID                                   int
	civility, first, last, job, direct, mobile string
	email                                      string
}

// batch is one generated chunk, as rows (SQLite) or COPY text (PostgreSQL).
type batch struct {
	tps                            []tpRow
	contacts                       []contactRow
	entries                        []search.Entry
	tpText, contactText, entryText []byte
	nTP, nContacts, nEntries       int
}

// chunkSeed derives the generator seed of chunk k (SplitMix64).
func chunkSeed(seed int64, k int) int64 {
	z := uint64(seed) + uint64(k+1)*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return int64(z ^ (z >> 31))
}

// build generates chunk k.
func (p *plan) build(k int) *batch {
	lo, hi := k*chunkSize, min(p.n, (k+1)*chunkSize)
	g := fakefr.New(chunkSeed(p.seed, k))
	b := &batch{
		tps:      make([]tpRow, 0, hi-lo),
		contacts: make([]contactRow, 0, p.contactOff[k+1]-p.contactOff[k]),
		entries:  make([]search.Entry, 0, (hi-lo)*10),
	}
	cid := p.contactStart + p.contactOff[k]
	code := p.firstCode + p.codeOff[k]
	for i := lo; i < hi; i++ {
		pr := &profiles[p.profile[i]]
		c := g.Company()
		r := tpRow{
			id: p.tpStart + i, p: pr,
			name: c.Name, legalName: c.LegalName, siren: c.SIREN, siret: c.SIRET, ape: c.APE,
			vat:   validate.VATFromSIREN(c.SIREN),
			line1: c.Address.Line1, line2: c.Address.Line2, postal: c.Address.PostalCode,
			city: c.Address.City, country: c.Address.Country,
			phone: c.Phone, email: c.Email, website: c.Website,
		}
		if pr.coded {
			s := g.ClientCode(code)
			code++
			r.code = &s
		}
		b.tps = append(b.tps, r)
		b.entries = append(b.entries, search.ThirdPartyEntries(r.id, pr.kind, pr.status, r.name, &r.legalName, r.code, &r.siren, &r.siret)...)
		closed := pr.kind == enum.Client && pr.status == thirdparty.StatusCLOSED
		domain := strings.TrimPrefix(c.Email, "contact@")
		for range p.contacts[i] {
			pe := g.Person(domain)
			cr := contactRow{
				id: cid, tpID: r.id,
				civility: pe.Civility, first: pe.FirstName, last: pe.LastName, job: pe.JobTitle,
				direct: pe.DirectLine, mobile: pe.Mobile, email: pe.Email,
			}
			cid++
			b.contacts = append(b.contacts, cr)
			b.entries = append(b.entries, search.ContactEntries(cr.id, r.id, closed, &cr.first, cr.last)...)
		}
	}
	b.nTP, b.nContacts, b.nEntries = len(b.tps), len(b.contacts), len(b.entries)
	return b
}

// generate runs build over every chunk on several goroutines and calls
// consume with the chunks in order, stopping at the first error. encode,
// when set, runs in the generating goroutine (COPY text).
func (p *plan) generate(ctx context.Context, encode func(*batch), consume func(k int, b *batch) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := max(1, runtime.GOMAXPROCS(0))
	nChunks := p.chunks()
	results := make([]chan *batch, nChunks)
	for k := range results {
		results[k] = make(chan *batch, 1)
	}
	jobs := make(chan int)
	window := make(chan struct{}, workers+2) // chunks in memory at once
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // dispatcher
		defer wg.Done()
		defer close(jobs)
		for k := range nChunks {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- k:
			case <-ctx.Done():
				return
			}
		}
	}()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range jobs {
				b := p.build(k)
				if encode != nil {
					encode(b)
				}
				results[k] <- b
			}
		}()
	}
	var err error
	for k := range nChunks {
		var b *batch
		select {
		case b = <-results[k]:
		case <-ctx.Done():
			err = ctx.Err()
		}
		if err != nil {
			break
		}
		if err = consume(k, b); err != nil {
			break
		}
		<-window
	}
	cancel()
	wg.Wait()
	return err
}

// progress prints a line each time another tenth of the load is written.
type progress struct {
	out   io.Writer
	n     int
	start time.Time
	next  int
}

func (pr *progress) report(st Stats) {
	if st.ThirdParties < pr.next && st.ThirdParties < pr.n {
		return
	}
	for pr.next <= st.ThirdParties {
		pr.next += max(1, pr.n/10)
	}
	fmt.Fprintf(pr.out, "gen: %d/%d third parties, %d contacts, %d entries (%s)\n",
		st.ThirdParties, pr.n, st.Contacts, st.Entries, since(pr.start))
}

func since(t time.Time) time.Duration { return time.Since(t).Round(10 * time.Millisecond) }

// Columns written, in order.
var (
	tpColumns = []string{"id", "created_at", "updated_at", "kind", "status", "version", "code", "name",
		"legal_name", "siren", "siret", "ape_code", "vat_number", "address_line1", "address_line2",
		"postal_code", "city", "country", "phone", "email", "website", "organisation_id", "owner_id", "network_id",
		"name_key", "name_key_reversed"}
	contactColumns = []string{"id", "created_at", "updated_at", "version", "civility", "first_name",
		"last_name", "job_title", "direct_line", "mobile", "email", "organisation_id", "third_party_id"}
	entryColumns = []string{"record_id", "third_party_id", "kind", "closed", "word", "leading", "label", "terms", "organisation_id"}
)

// tpArgs returns the values of a third party's row, in tpColumns order.
func (p *plan) tpArgs(args []any, r *tpRow) []any {
	var line2 any
	if r.line2 != "" {
		line2 = r.line2
	}
	var code any
	if r.code != nil {
		code = *r.code
	}
	nameKey := duplicates.NameKey(r.name) // as duplicates.NameKeyHook would
	var network any
	if n, ok := p.network(r.id); ok {
		network = n
	}
	return append(args, r.id, p.now, p.now, string(r.p.kind), string(r.p.status), 1, code, r.name,
		r.legalName, r.siren, r.siret, r.ape, r.vat, r.line1, line2,
		r.postal, r.city, r.country, r.phone, r.email, r.website, p.orgID, p.ownerID, network,
		nameKey, duplicates.Reversed(nameKey))
}

// network returns the network ID of third party id: its filiation group's
// first ID, for the grouped part of the block.
func (p *plan) network(id int) (int, bool) {
	if id < p.tpStart || id >= p.tpStart+p.grouped {
		return 0, false
	}
	return id - (id-p.tpStart)%groupSize, true
}

// contactArgs returns the values of a contact's row, in contactColumns order.
func (p *plan) contactArgs(args []any, c *contactRow) []any {
	return append(args, c.id, p.now, p.now, 1, c.civility, c.first,
		c.last, c.job, c.direct, c.mobile, c.email, p.orgID, c.tpID)
}

// entryArgs returns the values of an entry's row, in entryColumns order.
func (p *plan) entryArgs(args []any, e *search.Entry) []any {
	return append(args, e.RecordID, e.ThirdPartyID, string(e.Kind), e.Closed, e.Word, e.Leading, e.Label, e.Terms, p.orgID)
}
