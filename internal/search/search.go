// Package search answers the search field of "Comptes & contacts": one
// query over contacts, prospects and clients (suppliers and other third
// parties when asked), as the user types.
//
// # Design
//
// Every searchable record has rows in search_entries (ent schema
// SearchEntry), one per word of its name, legal name, code, SIREN and
// SIRET (third parties) or first and last names (contacts). Words are
// folded by Fold — lower case, no accents, ligatures expanded, anything
// but letters and digits splitting words — the one normaliser used both
// to index and to query. ThirdPartyHook and ContactHook rewrite a
// record's rows in the transaction of each change, so results are never
// stale and a search never scans the records.
//
// A query is folded the same way. Its longest word drives the search (the
// narrowest index range, most often); each other word must be a prefix of
// some word of the same record. Every entry carries its record's terms —
// all its words, each after a space, two before a leading one — so that
// is a LIKE '% w%' on the entry itself. Hits come in tiers, each an index
// range read in result order with a LIMIT:
//
//  1. the record's whole label equals the query (its driving word is
//     then a whole word: one seek in the word index),
//  2. the first word of the label starts with the driving word,
//  3. another word starts with it,
//  4. for 3+ characters, a word contains it: the organisation's
//     vocabulary (SearchWord, one row per distinct word, pg_trgm GIN index
//     on PostgreSQL, an FTS5 trigram table on SQLite) gives the few words
//     containing it, then their entries are read as above, word by word.
//
// Within a tier, hits are ordered by word, label, then ID: deterministic.
// A prefix is the range [p, prefixEnd(p)) rather than LIKE, so that a plain
// btree serves it on both dialects in any collation. On PostgreSQL the word
// indexes include kind, closed, leading (and terms, for the word index);
// on SQLite, which has no INCLUDE, both carry all four as trailing key
// columns (ent/schema SQLiteKeyColumns). So a tier is an index-only scan
// that stops at its LIMIT; a one-word query
// skips tier 1 (its hits open tier 2), and tier 3 reads only the entries
// tier 2 did not, so the driving word's range is read at most once.
//
// Multi-word queries of common words that rarely go together ("cha thi")
// would read the driving word's whole range. So first, side by side, each
// other word's range is read, up to rareEnough entries: when one word has
// fewer, its entries hold every match, and fewMatches filters and ranks
// them in Go exactly as the tiers would (the terms tell which words
// lead). Words that are all common, yet rarely together, still read
// long ranges: the known slow case. SQLite's planner needs the statistics
// that internal/db keeps (db.Optimize, db.Analyze): without them it
// loaded the hits through a whole organisation's index.
// TestSQLiteSearchPlansAtScale checks SQLite's plans with the statistics
// of 100,000 third parties. Statements run prepared (internal/db/prepared),
// page limits and ID lists rounded to a few sizes. The tenant and the
// closed-client rule apply through ent privacy on SearchEntry, as on the
// records; the hits' nodes are then loaded in two queries.
package search

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"carnet/ent"
	"carnet/ent/contact"
	"carnet/ent/predicate"
	"carnet/ent/schema/enum"
	"carnet/ent/searchentry"
	"carnet/ent/searchword"
	"carnet/ent/thirdparty"
	"carnet/internal/db/prepared"
	"carnet/internal/errs"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
	"golang.org/x/sync/errgroup"
)

// Kind is what a hit is.
type Kind string

// The kinds of hits.
const (
	Contact  Kind = "CONTACT"
	Prospect Kind = "PROSPECT"
	Client   Kind = "CLIENT"
	Supplier Kind = "SUPPLIER"
	Other    Kind = "OTHER"
)

// defaultKinds are searched when the caller names none.
var defaultKinds = []Kind{Contact, Prospect, Client}

// MarshalGQL writes the kind as a GraphQL enum value.
func (k Kind) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(k))) }

// UnmarshalGQL reads a GraphQL enum value.
func (k *Kind) UnmarshalGQL(v any) error {
	s, _ := v.(string)
	switch Kind(s) {
	case Contact, Prospect, Client, Supplier, Other:
		*k = Kind(s)
		return nil
	}
	return fmt.Errorf("%v is not a SearchKind", v)
}

// Hit is one search result.
type Hit struct {
	Kind   Kind      `json:"kind"`
	Label  string    `json:"label"`
	Detail *string   `json:"detail"`
	Node   ent.Noder `json:"node"`
}

// Limits of a query.
const (
	MaxQueryLen = 100
	MaxFirst    = 100
)

// Search returns the best hits for query, first at most (default 10).
func Search(ctx context.Context, client *ent.Client, query string, first *int, kinds []Kind) ([]*Hit, error) {
	n, err := checkQuery(query, first)
	if err != nil {
		return nil, err
	}
	if len(kinds) == 0 {
		kinds = defaultKinds
	}
	return run(ctx, client, Words(query), n, kinds)
}

// checkQuery validates a query and returns the number of hits wanted.
func checkQuery(query string, first *int) (int, error) {
	if blank(query) {
		return 0, errs.Invalid("query", "query is empty")
	}
	if utf8.RuneCountInString(query) > MaxQueryLen {
		return 0, errs.Invalid("query", "query is longer than %d characters", MaxQueryLen)
	}
	return checkFirst(first)
}

// blank says whether query has nothing but spaces (and NULs).
func blank(query string) bool {
	return strings.TrimSpace(strings.ReplaceAll(query, "\x00", "")) == ""
}

// checkFirst checks the number of results asked (default 10).
func checkFirst(first *int) (int, error) {
	n := 10
	if first != nil {
		n = *first
	}
	if n < 1 || n > MaxFirst {
		return 0, errs.Invalid("first", "first must be between 1 and %d", MaxFirst)
	}
	return n, nil
}

// run finds the n best records whose words match words, of kinds.
func run(ctx context.Context, client *ent.Client, words []string, n int, kinds []Kind) ([]*Hit, error) {
	if len(words) == 0 {
		return nil, nil // only punctuation: nothing can match
	}
	// Every statement below comes in a few shapes and runs on every
	// keystroke: prepared, they skip parsing and (mostly) planning.
	ctx = prepared.With(ctx)
	label := strings.Join(words, " ")
	// The longest word drives (its index range is the narrowest, most
	// often); the others must each start a word of the same record.
	d := 0
	for i, w := range words {
		if len(w) > len(words[d]) {
			d = i
		}
	}
	head := words[d]
	rest := slices.Delete(slices.Clone(words), d, d+1)
	kindsIn := searchentry.KindIn(kindStrings(kinds)...)
	if len(words) > 1 {
		// Common words that rarely go together: the tiers would read the
		// head's whole range. A rarer other word gives every match at once.
		if picked, ok, err := fewMatches(ctx, client, words, d, kindsIn, n); err != nil || ok {
			if err != nil {
				return nil, err
			}
			return hits(ctx, client, picked)
		}
	}
	base := []predicate.SearchEntry{kindsIn}
	for _, w := range rest {
		base = append(base, otherWord(w))
	}
	tiers := [][]predicate.SearchEntry{
		// A label equal to the query holds all its words, the driving one
		// whole: one seek in the word index.
		{searchentry.Word(head), searchentry.LabelEQ(label), kindsIn},
		append([]predicate.SearchEntry{leading, hasPrefix(head)}, base...),
		// Only reached when the leading tier ran out: its records are all
		// picked, so other words are enough (each entry is read once).
		append([]predicate.SearchEntry{searchentry.Leading(false), hasPrefix(head)}, base...),
	}
	var picked []found
	seen := map[int]bool{}
	for i, tier := range tiers {
		if len(picked) >= n {
			break
		}
		if i == 0 && len(words) == 1 {
			// A one-word label equal to the query is a leading word equal
			// to it: the next tier gives those records first (its order
			// starts with the word itself, then the shortest label, the
			// query), so the exact tier would only cost a statement.
			continue
		}
		more, err := collect(ctx, client, tier, n-len(picked), seen)
		if err != nil {
			return nil, err
		}
		picked = append(picked, more...)
	}
	if len(picked) < n && len(head) >= MinInfixLen {
		more, err := infixes(ctx, client, head, base, n-len(picked), seen)
		if err != nil {
			return nil, err
		}
		picked = append(picked, more...)
	}
	return hits(ctx, client, picked)
}

// rareEnough bounds the entries fewMatches reads for one word.
var rareEnough = 200

// fewMatches finds the hits of a multi-word query (words[d] drives the
// tiers) by another word whose whole prefix range has fewer than
// rareEnough entries: it reads those ranges side by side (index-only, at
// most rareEnough entries each), keeps the records whose terms match the
// whole query, and ranks them as the tiers would. ok is false when every
// other word has that many entries.
//
// The tiers read the driving word's range in result order, checking each
// entry's terms: when the longest word is a common one ("établissements
// zèbr"), that can be tens of thousands of entries for a few matches.
// The filter runs here rather than in SQL so that a read never goes past
// rareEnough entries, whatever the other words.
func fewMatches(ctx context.Context, client *ent.Client, words []string, d int, kindsIn predicate.SearchEntry, n int) (picked []found, ok bool, err error) {
	reads := make([][]*matchRow, len(words))
	g, gctx := errgroup.WithContext(ctx)
	for i, w := range words {
		if i == d {
			continue
		}
		g.Go(func() error {
			return client.SearchEntry.Query().Where(hasPrefix(w), kindsIn).
				Limit(rareEnough).
				Select(searchentry.FieldRecordID, searchentry.FieldKind, searchentry.FieldLabel, searchentry.FieldTerms).
				Scan(gctx, &reads[i])
		})
	}
	if err := g.Wait(); err != nil {
		return nil, false, fmt.Errorf("search: read matches: %w", err)
	}
	best := -1 // the other word with the fewest entries, all read
	for i, r := range reads {
		if i != d && len(r) < rareEnough && (best == -1 || len(r) < len(reads[best])) {
			best = i
		}
	}
	if best == -1 {
		return nil, false, nil
	}
	return rank(reads[best], words, d, n), true, nil
}

// matchRow is what fewMatches reads of an entry.
type matchRow struct {
	RecordID int    `json:"record_id"`
	Kind     string `json:"kind"`
	Label    string `json:"label"`
	Terms    string `json:"terms"`
}

// rank keeps the records of rows that match words (each word starts a
// word of the record; the driving one, words[d], may be inside one if it
// is long enough for infixes) and orders them as the tiers would: the
// exact label; a leading word starting with the driving word; another
// word starting with it; a word containing it. Within a tier, by the
// first word that matched (the tiers read words in order), then label and
// ID.
func rank(rows []*matchRow, words []string, d, n int) []found {
	label, head := strings.Join(words, " "), words[d]
	type ranked struct {
		found
		rank       int // the tier, -1 for none
		key, label string
	}
	var out []ranked
	seen := map[int]bool{}
	for _, r := range rows {
		if seen[r.RecordID] {
			continue
		}
		seen[r.RecordID] = true
		ts := terms(r.Terms)
		if !matchesOthers(ts, words, d) {
			continue
		}
		c := ranked{found: found{recordID: r.RecordID, kind: Kind(r.Kind)}, rank: -1, label: r.Label}
		better := func(rank int, w string) {
			if c.rank == -1 || rank < c.rank || (rank == c.rank && w < c.key) {
				c.rank, c.key = rank, w
			}
		}
		for _, t := range ts {
			switch {
			case r.Label == label:
				better(0, t.word)
			case t.leading && strings.HasPrefix(t.word, head):
				better(1, t.word)
			case strings.HasPrefix(t.word, head):
				better(2, t.word)
			case len(head) >= MinInfixLen && strings.Contains(t.word, head):
				better(3, t.word)
			}
		}
		if c.rank >= 0 {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b ranked) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), strings.Compare(a.key, b.key),
			strings.Compare(a.label, b.label), cmp.Compare(a.recordID, b.recordID))
	})
	picked := make([]found, 0, min(n, len(out)))
	for _, c := range out[:min(n, len(out))] {
		picked = append(picked, c.found)
	}
	return picked
}

// matchesOthers reports whether every word but words[d] starts a word
// of ts, as otherWord checks in SQL.
func matchesOthers(ts []term, words []string, d int) bool {
	for i, w := range words {
		if i != d && !slices.ContainsFunc(ts, func(t term) bool { return strings.HasPrefix(t.word, w) }) {
			return false
		}
	}
	return true
}

// term is a word of a record's terms.
type term struct {
	word    string
	leading bool
}

// terms splits a record's terms (see Entry.Terms): an empty field is the
// second space before a leading word.
func terms(s string) []term {
	var out []term
	leading := false
	for i, f := range strings.Split(s, " ") {
		if f == "" {
			leading = i > 0
			continue
		}
		out = append(out, term{word: f, leading: leading})
		leading = false
	}
	return out
}

// MinInfixLen is the shortest word infixes are looked for: shorter
// trigram queries are slower than the scans they would replace.
const MinInfixLen = 3

// maxInfixWords bounds how many vocabulary words an infix query reads.
const maxInfixWords = 500

// infixes finds records with a word containing w (but not starting with
// it: those came from the prefix tiers): first the organisation's words
// that contain it, from the vocabulary (a trigram index on PostgreSQL),
// then those words' entries, word by word, in word order.
func infixes(ctx context.Context, client *ent.Client, w string, base []predicate.SearchEntry, n int, seen map[int]bool) ([]found, error) {
	words, err := client.SearchWord.Query().
		Where(wordContains(w), searchword.Not(searchword.WordHasPrefix(w))).
		// Ordering by an expression rather than the column keeps the
		// planner off the (organisation_id, word) btree, which would
		// filter every word of the organisation: the trigram index finds
		// the few matches, then they are sorted.
		Order(func(s *sql.Selector) { s.OrderExpr(sql.Expr(s.C(searchword.FieldWord) + " || ''")) }).
		Limit(maxInfixWords).
		Select(searchword.FieldWord).
		Strings(ctx)
	if err != nil {
		return nil, fmt.Errorf("search: infix words: %w", err)
	}
	// One word at a time: "word = ?" is an index range read in order,
	// where "word IN (…)" makes the planner filter the whole organisation.
	var out []found
	for _, word := range words {
		if len(out) >= n {
			break
		}
		more, err := collect(ctx, client, append([]predicate.SearchEntry{searchentry.Word(word)}, base...), n-len(out), seen)
		if err != nil {
			return nil, err
		}
		out = append(out, more...)
	}
	return out, nil
}

// wordContains matches the vocabulary words containing w through the
// dialect's trigram index: on PostgreSQL a LIKE that pg_trgm's GIN index
// serves; on SQLite the words whose ID the FTS5 trigram table
// search_word_trigrams (migration search_word_trigrams) gives for that
// LIKE, looked up by primary key. A LIKE on search_words itself would
// read the organisation's whole vocabulary. w is folded: no wildcard.
func wordContains(w string) predicate.SearchWord {
	return func(s *sql.Selector) {
		if s.Dialect() != dialect.SQLite {
			s.Where(sql.Contains(s.C(searchword.FieldWord), w))
			return
		}
		t := sql.Table(wordTrigrams)
		s.Where(sql.In(s.C(searchword.FieldID),
			sql.Select("rowid").From(t).Where(sql.Contains(t.C(searchword.FieldWord), w))))
	}
}

// wordTrigrams is SQLite's trigram index of search_words (FTS5).
const wordTrigrams = "search_word_trigrams"

// found is a record picked by a tier.
type found struct {
	recordID int
	kind     Kind
}

// collect reads entries matching preds in (word, label, record) order and
// returns up to n records not yet seen, paging by keyset as duplicates
// (several words of one record) are skipped.
func collect(ctx context.Context, client *ent.Client, preds []predicate.SearchEntry, n int, seen map[int]bool) ([]found, error) {
	var out []found
	var after *entryRow
	page := bucket(n*3, pageSizes)
	for len(out) < n {
		q := client.SearchEntry.Query().Where(preds...)
		if after != nil {
			q.Where(searchentry.Or(
				searchentry.WordGT(after.Word),
				searchentry.And(searchentry.Word(after.Word), searchentry.LabelGT(after.Label)),
				searchentry.And(searchentry.Word(after.Word), searchentry.LabelEQ(after.Label), searchentry.RecordIDGT(after.RecordID)),
			))
		}
		// Scanned, not loaded as entities: ent would add the ID column,
		// which no index holds (a read of the table per entry).
		var rows []*entryRow
		err := q.Order(ent.Asc(searchentry.FieldWord), ent.Asc(searchentry.FieldLabel), ent.Asc(searchentry.FieldRecordID)).
			Limit(page).
			Select(searchentry.FieldRecordID, searchentry.FieldKind, searchentry.FieldWord, searchentry.FieldLabel).
			Scan(ctx, &rows)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		for _, r := range rows {
			if !seen[r.RecordID] && len(out) < n {
				seen[r.RecordID] = true
				out = append(out, found{recordID: r.RecordID, kind: Kind(r.Kind)})
			}
		}
		if len(rows) < page {
			break
		}
		after = rows[len(rows)-1]
	}
	return out, nil
}

// pageSizes and idCounts are the sizes bucket rounds up to.
var (
	pageSizes = []int{30, 75, 150, 300}
	idCounts  = []int{10, 25, 50, 100}
)

// bucket rounds n up to the first of sizes it fits (or keeps n), so that
// page limits and ID lists, which are part of a statement's text, come in
// few shapes to prepare: reading a few more entries, or repeating an ID,
// costs nothing next to planning another statement.
func bucket(n int, sizes []int) int {
	for _, b := range sizes {
		if n <= b {
			return b
		}
	}
	return n
}

// padded returns ids with its last ID repeated up to a bucket's size.
func padded(ids []int) []int {
	if len(ids) == 0 {
		return ids
	}
	out := make([]int, bucket(len(ids), idCounts))
	copy(out, ids)
	for i := len(ids); i < len(out); i++ {
		out[i] = ids[len(ids)-1]
	}
	return out
}

// entryRow is what the tiers read of an entry: the columns of its word
// indexes.
type entryRow struct {
	RecordID int    `json:"record_id"`
	Kind     string `json:"kind"`
	Word     string `json:"word"`
	Label    string `json:"label"`
}

// leading matches the leading entries by the literal condition of the
// partial index that holds them (searchentry_leading_word): a bound
// parameter would not match it in a generic plan. (ent renders boolean
// comparisons as literals too; this does not depend on it.)
// TestSearchStatementsReadIndexesOnly checks the plans.
func leading(s *sql.Selector) {
	s.Where(sql.ExprP(s.C(searchentry.FieldLeading)))
}

// hasPrefix matches the words that start with p, as an index range.
func hasPrefix(p string) predicate.SearchEntry {
	if end := prefixEnd(p); end != "" {
		return searchentry.And(searchentry.WordGTE(p), searchentry.WordLT(end))
	}
	return searchentry.WordGTE(p)
}

// otherWord requires a word of the same record to start with w: the
// record's terms (every word after a space) contain " "+w. On PostgreSQL
// the word index includes terms, so this is checked on the index tuple.
// Words are folded to letters and digits: no LIKE wildcard in w.
func otherWord(w string) predicate.SearchEntry {
	return searchentry.TermsContains(" " + w)
}

func kindStrings(kinds []Kind) []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = string(k)
	}
	return out
}

// hits loads the records picked, in their order, as the viewer sees them,
// in two queries run side by side: the third parties, and the contacts
// with their third party's name (joined: a contact the viewer sees is of
// a third party the viewer sees, hideContactsOfClosedClients).
func hits(ctx context.Context, client *ent.Client, picked []found) ([]*Hit, error) {
	var tpIDs, contactIDs []int
	for _, f := range picked {
		if f.kind == Contact {
			contactIDs = append(contactIDs, f.recordID)
		} else {
			tpIDs = append(tpIDs, f.recordID)
		}
	}
	// One after the other: side by side, the two statements cost more
	// than they saved under load (two clients on two cores, three
	// alternating pairs of carnet bench search runs: sequential had e2e
	// p99 0.1–2.4 ms lower and 2–32 % more throughput).
	var (
		tps      []*ent.ThirdParty
		contacts []*ent.Contact
		err      error
	)
	if len(tpIDs) > 0 {
		if tps, err = client.ThirdParty.Query().Where(thirdparty.IDIn(padded(tpIDs)...)).All(ctx); err != nil {
			return nil, fmt.Errorf("search: load third parties: %w", err)
		}
	}
	if len(contactIDs) > 0 {
		contacts, err = client.Contact.Query().Where(contact.IDIn(padded(contactIDs)...)).
			Modify(func(s *sql.Selector) {
				t := sql.Table(thirdparty.Table)
				s.Join(t).On(s.C(contact.FieldThirdPartyID), t.C(thirdparty.FieldID)).
					AppendSelectAs(t.C(thirdparty.FieldName), thirdPartyName)
			}).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("search: load contacts: %w", err)
		}
	}
	byID := map[int]*Hit{}
	for _, tp := range tps {
		byID[tp.ID] = &Hit{Kind: Kind(tp.Kind), Label: tp.Name, Detail: thirdPartyDetail(tp), Node: tp}
	}
	for _, c := range contacts {
		name, _ := c.Value(thirdPartyName)
		tpName, _ := name.(string)
		byID[c.ID] = &Hit{Kind: Contact, Label: contactLabel(c.FirstName, c.LastName), Detail: contactDetail(c, tpName), Node: c}
	}
	out := make([]*Hit, 0, len(picked))
	for _, f := range picked {
		if h := byID[f.recordID]; h != nil {
			out = append(out, h)
		}
	}
	return out, nil
}

// thirdPartyName is the column of a contact's third party's name in hits.
const thirdPartyName = "third_party_name"

func thirdPartyDetail(tp *ent.ThirdParty) *string {
	var parts []string
	if tp.City != nil {
		parts = append(parts, *tp.City)
	}
	if tp.Code != nil {
		parts = append(parts, *tp.Code)
	}
	return joined(parts)
}

func contactDetail(c *ent.Contact, thirdPartyName string) *string {
	var parts []string
	if c.JobTitle != nil {
		parts = append(parts, *c.JobTitle)
	}
	if thirdPartyName != "" {
		parts = append(parts, thirdPartyName)
	}
	return joined(parts)
}

func joined(parts []string) *string {
	if len(parts) == 0 {
		return nil
	}
	s := strings.Join(parts, " · ")
	return &s
}

// MinLinkQueryLen is the shortest query the link forms' help lists accept
// for clients and prospects (the seed: 3 characters); suppliers and other
// third parties have no minimum.
const MinLinkQueryLen = 3

// LinkCandidates returns the third parties of kinds matching query, for
// the help lists of the link forms. The supplier and other third party
// lists open before anything is typed (the seed): with only those kinds,
// a blank query gives the first of them by name, then ID.
func LinkCandidates(ctx context.Context, client *ent.Client, query string, kinds []enum.ThirdPartyKind, first *int) ([]*ent.ThirdParty, error) {
	if len(kinds) == 0 {
		return nil, errs.Invalid("kinds", "name at least one kind")
	}
	searchKinds := make([]Kind, len(kinds))
	for i, k := range kinds {
		searchKinds[i] = Kind(k)
		if (k == enum.Client || k == enum.Prospect) && utf8.RuneCountInString(strings.TrimSpace(query)) < MinLinkQueryLen {
			return nil, errs.Invalid("query", "type at least %d characters to search clients and prospects", MinLinkQueryLen)
		}
	}
	if blank(query) {
		n, err := checkFirst(first)
		if err != nil {
			return nil, err
		}
		return client.ThirdParty.Query().
			Where(thirdparty.KindIn(kinds...)).
			Order(thirdparty.ByName(), thirdparty.ByID()).
			Limit(n).
			All(ctx)
	}
	n, err := checkQuery(query, first)
	if err != nil {
		return nil, err
	}
	found, err := run(ctx, client, Words(query), n, searchKinds)
	if err != nil {
		return nil, err
	}
	out := make([]*ent.ThirdParty, 0, len(found))
	for _, h := range found {
		if tp, ok := h.Node.(*ent.ThirdParty); ok {
			out = append(out, tp)
		}
	}
	return out, nil
}
