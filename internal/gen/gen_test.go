package gen_test

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"entgo.io/ent/dialect"
	"github.com/lib/pq"

	"carnet/ent"
	"carnet/ent/contact"
	"carnet/ent/schema/enum"
	"carnet/ent/thirdparty"
	"carnet/internal/admin"
	"carnet/internal/db"
	"carnet/internal/gen"
	"carnet/internal/rights"
	"carnet/internal/search"
	"carnet/internal/testdb"
	"carnet/internal/viewer"
)

// newOrg creates an organisation as `carnet init` does.
func newOrg(t *testing.T, d *db.DB, name, email string) *admin.Bootstrap {
	t.Helper()
	ctx := context.Background()
	var b *admin.Bootstrap
	err := db.WithTx(ctx, d.Client, func(tx *ent.Client) error {
		var err error
		b, err = admin.CreateOrganisation(ctx, tx, name, email)
		return err
	})
	if err != nil {
		t.Fatalf("create organisation %q: %v", name, err)
	}
	return b
}

// viewerCtx is the administrator of b, with every right.
func viewerCtx(b *admin.Bootstrap, codes ...int) context.Context {
	if codes == nil {
		codes = rights.AllCodes()
	}
	return viewer.NewContext(context.Background(), &viewer.Viewer{
		OrgID: b.Organisation.ID, UserID: b.Admin.ID, CompanyID: b.LoginCompany.ID, Rights: rights.NewSet(codes...),
	})
}

// snapshot is everything gen writes for one organisation, as strings.
type snapshot struct {
	thirdParties, contacts, entries []string
}

func (s snapshot) String() string {
	return fmt.Sprintf("%d third parties, %d contacts, %d entries", len(s.thirdParties), len(s.contacts), len(s.entries))
}

// query runs a query with ? placeholders on either dialect.
func query(t *testing.T, d *db.DB, q string, args ...any) [][]string {
	t.Helper()
	if d.Dialect == dialect.Postgres {
		for i := 1; strings.Contains(q, "?"); i++ {
			q = strings.Replace(q, "?", fmt.Sprintf("$%d", i), 1)
		}
	}
	rows, err := d.SQL.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return testdb.Strings(t, rows)
}

func joinRows(rows [][]string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = strings.Join(r, "|")
	}
	return out
}

// snap reads what an organisation holds.
func snap(t *testing.T, d *db.DB, orgID int) snapshot {
	t.Helper()
	return snapshot{
		thirdParties: joinRows(query(t, d, "SELECT id, kind, status, code, name, version FROM third_parties WHERE organisation_id = ? ORDER BY id", orgID)),
		contacts:     joinRows(query(t, d, "SELECT id, third_party_id, first_name, last_name FROM contacts WHERE organisation_id = ? ORDER BY id", orgID)),
		entries:      joinRows(query(t, d, "SELECT id, record_id, word, label FROM search_entries WHERE organisation_id = ? ORDER BY id", orgID)),
	}
}

// entryKey renders an entry without its ID.
func entryKey(recordID, tpID int, kind string, closed bool, word string, leading bool, label, terms string) string {
	return fmt.Sprintf("%d|%d|%s|%t|%s|%t|%s|%s", recordID, tpID, kind, closed, word, leading, label, terms)
}

// checkEntries verifies that the organisation's search entries are exactly
// those the index hooks would write for its records.
func checkEntries(t *testing.T, d *db.DB, ctx context.Context, orgID int) {
	t.Helper()
	tps, err := d.Client.ThirdParty.Query().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	closed := map[int]bool{}
	var want []string
	for _, tp := range tps {
		closed[tp.ID] = tp.Kind == enum.Client && tp.Status == thirdparty.StatusCLOSED
		for _, e := range search.ThirdPartyEntries(tp.ID, tp.Kind, tp.Status, tp.Name, tp.LegalName, tp.Code, tp.Siren, tp.Siret) {
			want = append(want, entryKey(e.RecordID, e.ThirdPartyID, string(e.Kind), e.Closed, e.Word, e.Leading, e.Label, e.Terms))
		}
	}
	cs, err := d.Client.Contact.Query().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		for _, e := range search.ContactEntries(c.ID, c.ThirdPartyID, closed[c.ThirdPartyID], c.FirstName, c.LastName) {
			want = append(want, entryKey(e.RecordID, e.ThirdPartyID, string(e.Kind), e.Closed, e.Word, e.Leading, e.Label, e.Terms))
		}
	}
	var got []string
	for _, r := range query(t, d, `SELECT record_id, third_party_id, kind, closed, word, "leading", label, terms FROM search_entries WHERE organisation_id = ?`, orgID) {
		got = append(got, strings.Join(r, "|"))
	}
	// Booleans read as true/false (PostgreSQL) or 1/0 (SQLite).
	for i, g := range got {
		f := strings.Split(g, "|")
		for _, j := range []int{3, 5} {
			f[j] = map[string]string{"1": "true", "0": "false"}[f[j]] + map[string]string{"true": "true", "false": "false"}[f[j]]
		}
		got[i] = strings.Join(f, "|")
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		n := 0
		for _, w := range want {
			if _, found := slices.BinarySearch(got, w); !found && n < 5 {
				t.Errorf("missing entry %s", w)
				n++
			}
		}
		for _, g := range got {
			if _, found := slices.BinarySearch(want, g); !found && n < 10 {
				t.Errorf("unexpected entry %s", g)
				n++
			}
		}
		t.Fatalf("search entries: got %d, want %d", len(got), len(want))
	}
	// The vocabulary holds each word of the entries once, and no other.
	words := joinRows(query(t, d, "SELECT word FROM search_words WHERE organisation_id = ?", orgID))
	distinct := joinRows(query(t, d, "SELECT DISTINCT word FROM search_entries WHERE organisation_id = ?", orgID))
	slices.Sort(words)
	slices.Sort(distinct)
	if !slices.Equal(words, distinct) {
		t.Fatalf("vocabulary: %d words, the entries have %d distinct words", len(words), len(distinct))
	}
}

func hitIDs(hits []*search.Hit) []int {
	var ids []int
	for _, h := range hits {
		switch n := h.Node.(type) {
		case *ent.ThirdParty:
			ids = append(ids, n.ID)
		case *ent.Contact:
			ids = append(ids, n.ID)
		}
	}
	return ids
}

func TestRun(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a := newOrg(t, d, "Alpha", "admin@alpha.example")
		b := newOrg(t, d, "Bêta", "admin@beta.example")
		actx, bctx := viewerCtx(a), viewerCtx(b)

		// The other organisation has data of its own, from gen and from ent.
		if _, err := gen.Run(ctx, d, "Bêta", 40, 7, io.Discard); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Client.ThirdParty.Create().SetKind(enum.Prospect).SetStatus(thirdparty.StatusDRAFT).SetName("Bêta Seule").Save(bctx); err != nil {
			t.Fatal(err)
		}
		before := snap(t, d, b.Organisation.ID)

		var out strings.Builder
		st, err := gen.Run(ctx, d, "Alpha", 300, 42, &out)
		if err != nil {
			t.Fatal(err)
		}
		t.Log(out.String())
		if !strings.Contains(out.String(), "300 third parties") {
			t.Errorf("no final line with the counts:\n%s", out.String())
		}

		// Counts.
		s := snap(t, d, a.Organisation.ID)
		if st.ThirdParties != 300 || len(s.thirdParties) != 300 {
			t.Fatalf("third parties: stats %d, database %d, want 300", st.ThirdParties, len(s.thirdParties))
		}
		if st.Contacts != len(s.contacts) || st.Entries != len(s.entries) {
			t.Fatalf("stats %+v, database %s", st, s)
		}
		// About two contacts per third party, on prospects and clients only.
		if st.Contacts < 540 || st.Contacts > 690 {
			t.Errorf("%d contacts, want about 615", st.Contacts)
		}
		withContacts := map[string]bool{}
		for _, r := range query(t, d, "SELECT DISTINCT t.kind FROM contacts c JOIN third_parties t ON t.id = c.third_party_id WHERE c.organisation_id = ?", a.Organisation.ID) {
			withContacts[r[0]] = true
		}
		for _, k := range []string{"CLIENT", "PROSPECT"} {
			if !withContacts[k] {
				t.Errorf("no %s has contacts", k)
			}
		}
		for _, k := range []string{"SUPPLIER", "OTHER"} {
			if withContacts[k] {
				t.Errorf("a %s has contacts: contacts belong to prospects and clients", k)
			}
		}
		if st.Entries < 4*300 {
			t.Errorf("%d entries for 300 third parties and %d contacts", st.Entries, st.Contacts)
		}
		kinds := map[string]int{}
		for _, r := range query(t, d, "SELECT kind, status, count(*) FROM third_parties WHERE organisation_id = ? GROUP BY kind, status", a.Organisation.ID) {
			var n int
			fmt.Sscan(r[2], &n)
			kinds[r[0]+" "+r[1]] = n
		}
		t.Logf("kinds: %v", kinds)
		for _, k := range []string{"CLIENT ACTIVE", "CLIENT CLOSED", "PROSPECT DRAFT", "PROSPECT VALIDATED", "SUPPLIER ACTIVE", "OTHER ACTIVE"} {
			if kinds[k] == 0 {
				t.Errorf("no %s third party", k)
			}
		}
		if c := kinds["CLIENT ACTIVE"] + kinds["CLIENT CLOSED"]; c < 100 || c > 170 {
			t.Errorf("%d clients of 300, want about 135", c)
		}
		codes := query(t, d, "SELECT kind, count(code), count(DISTINCT code) FROM third_parties WHERE organisation_id = ? GROUP BY kind ORDER BY kind", a.Organisation.ID)
		for _, r := range codes {
			coded := r[0] == "CLIENT" || r[0] == "SUPPLIER"
			if coded && (r[1] != fmt.Sprint(kinds[r[0]+" ACTIVE"]+kinds[r[0]+" CLOSED"]) || r[1] != r[2]) {
				t.Errorf("%s codes: %v", r[0], r)
			}
			if !coded && r[1] != "0" {
				t.Errorf("%s has codes: %v", r[0], r)
			}
		}
		if n := query(t, d, "SELECT count(*) FROM third_parties WHERE organisation_id = ? AND (owner_id <> ? OR version <> 1 OR custom_fields IS NOT NULL)", a.Organisation.ID, a.Admin.ID); n[0][0] != "0" {
			t.Errorf("%s third parties without the administrator as owner, version 1, no custom fields", n[0][0])
		}

		// The entries are those the hooks write.
		checkEntries(t, d, actx, a.Organisation.ID)

		// IDs are in their types' global ranges.
		tp, err := d.Client.ThirdParty.Query().Where(thirdparty.KindEQ(enum.Client), thirdparty.StatusEQ(thirdparty.StatusACTIVE)).
			Order(ent.Asc(thirdparty.FieldID)).First(actx)
		if err != nil {
			t.Fatal(err)
		}
		if node, err := d.Client.Noder(actx, tp.ID); err != nil {
			t.Errorf("Noder(third party %d): %v", tp.ID, err)
		} else if got, ok := node.(*ent.ThirdParty); !ok || got.Name != tp.Name {
			t.Errorf("Noder(third party %d) = %T %v", tp.ID, node, node)
		}
		c, err := d.Client.Contact.Query().Order(ent.Desc(contact.FieldID)).First(actx)
		if err != nil {
			t.Fatal(err)
		}
		if node, err := d.Client.Noder(actx, c.ID); err != nil {
			t.Errorf("Noder(contact %d): %v", c.ID, err)
		} else if got, ok := node.(*ent.Contact); !ok || got.LastName != c.LastName {
			t.Errorf("Noder(contact %d) = %T %v", c.ID, node, node)
		}

		// Records created through ent afterwards get fresh IDs of their types.
		maxTP, maxContact := maxID(t, d, "third_parties"), maxID(t, d, "contacts")
		x, err := d.Client.ThirdParty.Create().SetKind(enum.Prospect).SetStatus(thirdparty.StatusDRAFT).SetName("X").Save(actx)
		if err != nil {
			t.Fatalf("create a prospect through ent after gen: %v", err)
		}
		if x.ID <= maxTP {
			t.Errorf("new third party ID %d ≤ highest generated %d", x.ID, maxTP)
		}
		xc, err := d.Client.Contact.Create().SetThirdPartyID(x.ID).SetLastName("Xavier").Save(actx)
		if err != nil {
			t.Fatalf("create a contact through ent after gen: %v", err)
		}
		if xc.ID <= maxContact {
			t.Errorf("new contact ID %d ≤ highest generated %d", xc.ID, maxContact)
		}
		for _, id := range []int{x.ID, xc.ID} {
			if _, err := d.Client.Noder(actx, id); err != nil {
				t.Errorf("Noder(%d): %v", id, err)
			}
		}

		// Search finds generated records: a company by a prefix of its first
		// word, and by its whole name; a contact by last name.
		words := search.Words(tp.Name)
		prefix := words[0][:min(3, len(words[0]))]
		hits, err := search.Search(actx, d.Client, prefix, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) == 0 {
			t.Errorf("search %q found nothing", prefix)
		}
		for _, h := range hits {
			if !strings.Contains(search.Fold(h.Label), prefix) {
				t.Errorf("search %q found %q", prefix, h.Label)
			}
		}
		hundred := 100
		if hits, err = search.Search(actx, d.Client, tp.Name, &hundred, nil); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(hitIDs(hits), tp.ID) {
			t.Errorf("search %q did not find third party %d", tp.Name, tp.ID)
		}
		if hits, err = search.Search(actx, d.Client, c.LastName, &hundred, nil); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(hitIDs(hits), c.ID) {
			t.Errorf("search %q did not find contact %d", c.LastName, c.ID)
		}

		// Closed clients exist; their entries (and their contacts') are
		// closed, so a viewer without 191516 does not find them.
		closed, err := d.Client.ThirdParty.Query().Where(thirdparty.KindEQ(enum.Client), thirdparty.StatusEQ(thirdparty.StatusCLOSED)).First(actx)
		if err != nil {
			t.Fatalf("no closed client: %v", err)
		}
		if hits, err = search.Search(actx, d.Client, closed.Name, &hundred, nil); err != nil || !slices.Contains(hitIDs(hits), closed.ID) {
			t.Errorf("search %q did not find closed client %d: %v", closed.Name, closed.ID, err)
		}
		limited := viewerCtx(a, int(rights.ReadAddressBook))
		if hits, err = search.Search(limited, d.Client, closed.Name, &hundred, nil); err != nil || slices.Contains(hitIDs(hits), closed.ID) {
			t.Errorf("a viewer without 191516 found closed client %d: %v", closed.ID, err)
		}

		// A second run continues the codes and the IDs.
		st2, err := gen.Run(ctx, d, "Alpha", 300, 43, io.Discard)
		if err != nil {
			t.Fatalf("second run: %v", err)
		}
		s2 := snap(t, d, a.Organisation.ID)
		if len(s2.thirdParties) != 300+300+1 || len(s2.contacts) != st.Contacts+st2.Contacts+1 {
			t.Errorf("after the second run: %s", s2)
		}
		dup := query(t, d, "SELECT count(code) - count(DISTINCT code) FROM third_parties WHERE organisation_id = ?", a.Organisation.ID)
		if dup[0][0] != "0" {
			t.Errorf("%s duplicate codes", dup[0][0])
		}
		if minID := query(t, d, "SELECT min(id) FROM third_parties WHERE organisation_id = ? AND id > ?", a.Organisation.ID, x.ID); minID[0][0] == "<nil>" {
			t.Errorf("the second run wrote no third party after %d", x.ID)
		}
		checkEntries(t, d, actx, a.Organisation.ID)

		// The other organisation is untouched.
		if after := snap(t, d, b.Organisation.ID); !slices.Equal(after.thirdParties, before.thirdParties) ||
			!slices.Equal(after.contacts, before.contacts) || !slices.Equal(after.entries, before.entries) {
			t.Errorf("organisation Bêta changed: %s → %s", before, after)
		}
		checkEntries(t, d, bctx, b.Organisation.ID)
	})
}

func maxID(t *testing.T, d *db.DB, table string) int {
	t.Helper()
	var id int
	if err := d.SQL.QueryRow("SELECT max(id) FROM " + table).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestRunErrors(t *testing.T) {
	d := testdb.Open(t, dialect.SQLite)
	ctx := context.Background()
	if _, err := gen.Run(ctx, d, "Nobody", 10, 1, io.Discard); err == nil || !strings.Contains(err.Error(), "no organisation") {
		t.Errorf("unknown organisation: %v", err)
	}
	newOrg(t, d, "Alpha", "admin@alpha.example")
	if _, err := gen.Run(ctx, d, "Alpha", -1, 1, io.Discard); err == nil {
		t.Error("n < 0 accepted")
	}
	if st, err := gen.Run(ctx, d, "Alpha", 0, 1, io.Discard); err != nil || st.ThirdParties != 0 {
		t.Errorf("n = 0: %+v, %v", st, err)
	}
}

// TestRunDeterministic: the same seed gives the same records, whatever
// the order in which the goroutines generate the chunks.
func TestRunDeterministic(t *testing.T) {
	var names [2][]string
	for i := range names {
		d := testdb.Open(t, dialect.SQLite)
		b := newOrg(t, d, "Alpha", "admin@alpha.example")
		if _, err := gen.Run(context.Background(), d, "Alpha", 6000, 5, io.Discard); err != nil {
			t.Fatal(err)
		}
		names[i] = joinRows(query(t, d, "SELECT id, kind, status, code, name, siret FROM third_parties WHERE organisation_id = ? ORDER BY id", b.Organisation.ID))
	}
	if !slices.Equal(names[0], names[1]) {
		t.Error("two runs with the same seed differ")
	}
}

// TestRunBulk exercises PostgreSQL's bulk mode: indexes and foreign keys
// dropped, the data copied, both rebuilt identically.
func TestRunBulk(t *testing.T) {
	if !slices.Contains(testdb.Dialects(), dialect.Postgres) {
		t.Skip("PostgreSQL only (" + testdb.PostgresEnv + ")")
	}
	d := testdb.Open(t, dialect.Postgres)
	ctx := context.Background()
	a := newOrg(t, d, "Alpha", "admin@alpha.example")
	b := newOrg(t, d, "Bêta", "admin@beta.example")
	if _, err := gen.Run(ctx, d, "Bêta", 30, 1, io.Discard); err != nil {
		t.Fatal(err)
	}
	tables := []string{"third_parties", "contacts", "search_entries", "search_words", "management_links", "filiation_links"}
	schema := func() []string {
		return joinRows(query(t, d, `
			SELECT tablename, indexname, indexdef FROM pg_indexes
			WHERE schemaname = current_schema() AND tablename = ANY($1)
			UNION ALL
			SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) || convalidated::text FROM pg_constraint
			WHERE conrelid::regclass::text = ANY($1)
			UNION ALL
			SELECT relname, 'reloptions', coalesce(array_to_string(reloptions, ','), '') FROM pg_class
			WHERE oid IN ('search_entries'::regclass, 'search_words'::regclass)
			ORDER BY 1, 2, 3`, pq.Array(tables)))
	}
	before := schema()
	if n := len(before); n < 30 {
		t.Fatalf("only %d indexes, constraints and settings: %v", n, before)
	}
	// gen lets PostgreSQL build in parallel, then forbids it again.
	for _, table := range []string{"search_entries", "search_words"} {
		if !slices.Contains(before, table+"|reloptions|parallel_workers=0") {
			t.Fatalf("%s may run parallel scans: %v", table, before)
		}
	}
	restore := gen.ForceBulk()
	defer restore()
	var out strings.Builder
	st, err := gen.Run(ctx, d, "Alpha", 12000, 3, &out)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(out.String())
	if !strings.Contains(out.String(), "bulk mode") {
		t.Errorf("not in bulk mode:\n%s", out.String())
	}
	if after := schema(); !slices.Equal(before, after) {
		t.Errorf("indexes or constraints changed:\nbefore %v\nafter  %v", before, after)
	}
	if s := snap(t, d, a.Organisation.ID); len(s.thirdParties) != 12000 || len(s.contacts) != st.Contacts || len(s.entries) != st.Entries {
		t.Errorf("stats %+v, database %s", st, s)
	}
	checkEntries(t, d, viewerCtx(a), a.Organisation.ID)
	checkEntries(t, d, viewerCtx(b), b.Organisation.ID)
	checkLinks(t, d, a, st)
	// A second bulk load adds only new words to the vocabulary (its unique
	// index is rebuilt) and links of its own.
	st2, err := gen.Run(ctx, d, "Alpha", 4000, 5, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	checkEntries(t, d, viewerCtx(a), a.Organisation.ID)
	checkLinks(t, d, a, gen.Stats{ManagementLinks: st.ManagementLinks + st2.ManagementLinks, FiliationLinks: st.FiliationLinks + st2.FiliationLinks})
	st.ThirdParties += st2.ThirdParties
	// A failing bulk load rolls back, indexes included: cancel it once
	// the indexes are dropped.
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w := &cancelWriter{trigger: "bulk mode", cancel: cancel}
	if _, err := gen.Run(cctx, d, "Alpha", 12000, 4, w); err == nil {
		t.Fatal("a cancelled load succeeded")
	}
	if after := schema(); !slices.Equal(before, after) {
		t.Errorf("indexes or constraints changed after a failed load:\nbefore %v\nafter  %v", before, after)
	}
	if s := snap(t, d, a.Organisation.ID); len(s.thirdParties) != st.ThirdParties {
		t.Errorf("after a failed load: %s", s)
	}
}

// cancelWriter cancels a context when a line containing trigger is written.
type cancelWriter struct {
	trigger string
	cancel  func()
}

func (w *cancelWriter) Write(p []byte) (int, error) {
	if strings.Contains(string(p), w.trigger) {
		w.cancel()
	}
	return len(p), nil
}
