package search_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"carnet/ent"
	"carnet/ent/schema/enum"
	"carnet/ent/thirdparty"
	"carnet/internal/admin"
	"carnet/internal/db"
	"carnet/internal/errs"
	"carnet/internal/rights"
	"carnet/internal/search"
	"carnet/internal/testdb"
	"carnet/internal/viewer"
)

// book is an organisation with a few records, and viewer contexts.
type book struct {
	t      *testing.T
	client *ent.Client
	all    context.Context // every right
	open   context.Context // every right but 191516
	other  context.Context // another organisation, every right
	ids    map[string]int
}

func newBook(t *testing.T, d *db.DB) *book {
	t.Helper()
	ctx := context.Background()
	var a, b *admin.Bootstrap
	err := db.WithTx(ctx, d.Client, func(tx *ent.Client) error {
		var err error
		if a, err = admin.CreateOrganisation(ctx, tx, "Alpha", "a@alpha.example"); err != nil {
			return err
		}
		b, err = admin.CreateOrganisation(ctx, tx, "Bêta", "b@beta.example")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	everything := rights.NewSet(rights.AllCodes()...)
	var notClosed []int
	for _, r := range rights.AllCodes() {
		if rights.Right(r) != rights.SeeClosedClients {
			notClosed = append(notClosed, r)
		}
	}
	bk := &book{
		t: t, client: d.Client, ids: map[string]int{},
		all:   viewer.NewContext(ctx, &viewer.Viewer{OrgID: a.Organisation.ID, UserID: a.Admin.ID, Rights: everything}),
		open:  viewer.NewContext(ctx, &viewer.Viewer{OrgID: a.Organisation.ID, UserID: a.Admin.ID, Rights: rights.NewSet(notClosed...)}),
		other: viewer.NewContext(ctx, &viewer.Viewer{OrgID: b.Organisation.ID, UserID: b.Admin.ID, Rights: everything}),
	}
	return bk
}

func (b *book) thirdParty(key string, kind enum.ThirdPartyKind, status thirdparty.Status, name string, set func(*ent.ThirdPartyCreate)) int {
	b.t.Helper()
	c := b.client.ThirdParty.Create().SetKind(kind).SetStatus(status).SetName(name)
	if set != nil {
		set(c)
	}
	tp, err := c.Save(b.all)
	if err != nil {
		b.t.Fatal(err)
	}
	b.ids[key] = tp.ID
	return tp.ID
}

func (b *book) contact(key string, tp int, first, last string) int {
	b.t.Helper()
	c := b.client.Contact.Create().SetThirdPartyID(tp).SetLastName(last)
	if first != "" {
		c.SetFirstName(first)
	}
	ct, err := c.Save(b.all)
	if err != nil {
		b.t.Fatal(err)
	}
	b.ids[key] = ct.ID
	return ct.ID
}

// labels searches as ctx and returns the hits' labels.
func (b *book) labels(ctx context.Context, q string, kinds ...search.Kind) []string {
	b.t.Helper()
	hits, err := search.Search(ctx, b.client, q, nil, kinds)
	if err != nil {
		b.t.Fatalf("search %q: %v", q, err)
	}
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.Label
	}
	return out
}

func equal(a, b []string) bool { return strings.Join(a, "|") == strings.Join(b, "|") }

func seed(b *book) {
	p, c := enum.Prospect, enum.Client
	draft, active := thirdparty.StatusDRAFT, thirdparty.StatusACTIVE
	b.thirdParty("dupont", c, active, "Dupont", nil)
	b.thirdParty("dupontsa", p, draft, "Dupont SA", nil)
	b.thirdParty("etab", p, draft, "Établissements Dupond", func(c *ent.ThirdPartyCreate) { c.SetSiren("732829320").SetCode("C0042") })
	b.thirdParty("pont", p, draft, "Pont Neuf Services", nil)
	b.thirdParty("leclos", c, active, "Le Clos Dupontel", nil)
	b.thirdParty("oreal", p, draft, "L'Oréal", nil)
	b.thirdParty("oeno", p, draft, "Œnologie Côte-Rôtie", nil)
	b.thirdParty("ecoles", c, active, "Écoles Réunies", nil)
	b.thirdParty("supplier", enum.Supplier, active, "Dupont Fournitures", nil)
	closed := b.thirdParty("closed", c, thirdparty.StatusCLOSED, "Dupontier Fermé", nil)
	b.contact("jean", b.ids["ecoles"], "Jean-Pierre", "Dupont")
	b.contact("closedcontact", closed, "Anne", "Dupontel")
}

func TestSearchRanksExactThenFirstWordThenOtherWordsThenInfixes(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		b := newBook(t, d)
		seed(b)
		got := b.labels(b.all, "dupont")
		want := []string{
			"Dupont",                          // 1. the exact name
			"Dupont SA", "Jean-Pierre Dupont", // 2. first word "dupont", then by label
			"Anne Dupontel", "Dupontier Fermé", // 2. first word "dupontel" < "dupontier"
			"Le Clos Dupontel", // 3. another word
		}
		if !equal(got, want) {
			t.Fatalf("ranking:\n got %v\nwant %v", got, want)
		}
		// Infixes come after every word-prefix hit.
		got = b.labels(b.all, "pont")
		if len(got) == 0 || got[0] != "Pont Neuf Services" {
			t.Fatalf("word prefix first: %v", got)
		}
		idx := func(label string) int {
			for i, l := range got {
				if l == label {
					return i
				}
			}
			return -1
		}
		if i := idx("Dupont"); i <= 0 {
			t.Fatalf("infix 'pont' should find Dupont after Pont Neuf: %v", got)
		}
	})
}

func TestSearchIgnoresCaseAccentsLigaturesAndPunctuation(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		b := newBook(t, d)
		seed(b)
		for _, tc := range []struct{ q, want string }{
			{"eco", "Écoles Réunies"},
			{"ÉCOLES réu", "Écoles Réunies"},
			{"oeno", "Œnologie Côte-Rôtie"},
			{"rotie", "Œnologie Côte-Rôtie"},
			{"l'oreal", "L'Oréal"},
			{"oreal", "L'Oréal"},
			{"jean-pierre", "Jean-Pierre Dupont"},
			{"pierre dup", "Jean-Pierre Dupont"},
			{"etab dup", "Établissements Dupond"},
			{"c0042", "Établissements Dupond"},
			{"7328", "Établissements Dupond"},
		} {
			got := b.labels(b.all, tc.q)
			if len(got) == 0 || got[0] != tc.want {
				t.Errorf("search %q: got %v, want %q first", tc.q, got, tc.want)
			}
		}
		// Several words narrow: each must start a word of the record.
		for _, l := range b.labels(b.all, "etab dup") {
			if l != "Établissements Dupond" {
				t.Errorf("etab dup found %q", l)
			}
		}
	})
}

func TestSearchHidesClosedClientsAndTheirContactsWithout191516(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		b := newBook(t, d)
		seed(b)
		has := func(labels []string, l string) bool {
			return strings.Contains("|"+strings.Join(labels, "|")+"|", "|"+l+"|")
		}
		open := b.labels(b.open, "dupont")
		if has(open, "Dupontier Fermé") || has(open, "Anne Dupontel") {
			t.Fatalf("closed client or its contact shown without 191516: %v", open)
		}
		all := b.labels(b.all, "dupont")
		if !has(all, "Dupontier Fermé") || !has(all, "Anne Dupontel") {
			t.Fatalf("closed client or its contact missing with 191516: %v", all)
		}
		// Reopening shows them at once, contacts included.
		if err := b.client.ThirdParty.UpdateOneID(b.ids["closed"]).SetStatus(thirdparty.StatusACTIVE).Exec(b.all); err != nil {
			t.Fatal(err)
		}
		open = b.labels(b.open, "dupont")
		if !has(open, "Dupontier Fermé") || !has(open, "Anne Dupontel") {
			t.Fatalf("reopened client not visible: %v", open)
		}
	})
}

func TestSearchKindsAndTenants(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		b := newBook(t, d)
		seed(b)
		if got := b.labels(b.all, "fournit"); len(got) != 0 {
			t.Fatalf("suppliers are not searched by default: %v", got)
		}
		if got := b.labels(b.all, "dupont", search.Supplier); !equal(got, []string{"Dupont Fournitures"}) {
			t.Fatalf("kinds [SUPPLIER]: %v", got)
		}
		for _, l := range b.labels(b.all, "dupont", search.Contact) {
			if !strings.Contains(l, " ") {
				t.Fatalf("kinds [CONTACT] returned %q", l)
			}
		}
		if got := b.labels(b.other, "dupont"); len(got) != 0 {
			t.Fatalf("another organisation sees %v", got)
		}
	})
}

func TestSearchSeesUpdatesAndDeletesAtOnce(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		b := newBook(t, d)
		seed(b)
		if err := b.client.ThirdParty.UpdateOneID(b.ids["oreal"]).SetName("Maison Garnier").Exec(b.all); err != nil {
			t.Fatal(err)
		}
		if got := b.labels(b.all, "oreal"); len(got) != 0 {
			t.Fatalf("old name still found: %v", got)
		}
		if got := b.labels(b.all, "garn"); !equal(got, []string{"Maison Garnier"}) {
			t.Fatalf("new name not found: %v", got)
		}
		if err := b.client.Contact.UpdateOneID(b.ids["jean"]).SetLastName("Martin").Exec(b.all); err != nil {
			t.Fatal(err)
		}
		if got := b.labels(b.all, "martin"); !equal(got, []string{"Jean-Pierre Martin"}) {
			t.Fatalf("renamed contact: %v", got)
		}
		if err := b.client.Contact.DeleteOneID(b.ids["jean"]).Exec(b.all); err != nil {
			t.Fatal(err)
		}
		if got := b.labels(b.all, "martin"); len(got) != 0 {
			t.Fatalf("deleted contact still found: %v", got)
		}
		if err := b.client.ThirdParty.DeleteOneID(b.ids["pont"]).Exec(b.all); err != nil {
			t.Fatal(err)
		}
		if got := b.labels(b.all, "neuf"); len(got) != 0 {
			t.Fatalf("deleted third party still found: %v", got)
		}
	})
}

func TestSearchTreatsHostileInputAsPlainText(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		b := newBook(t, d)
		seed(b)
		for _, q := range []string{"%", "_", "%dup%", "dup_nt", "'", `\`, `"; DROP TABLE third_parties; --`, "\x00", "dup\x00ont", "ü%"} {
			hits, err := search.Search(b.all, b.client, q, nil, nil)
			if err != nil {
				if e, ok := errs.As(err); !ok || e.Code != errs.BadUserInput {
					t.Fatalf("search %q: %v", q, err)
				}
				continue
			}
			for _, h := range hits {
				if q == "%" || q == "_" || q == "dup_nt" {
					t.Fatalf("search %q matched %q: a pattern character was not plain text", q, h.Label)
				}
			}
		}
		for _, tc := range []struct {
			q     string
			first int
		}{{"", 10}, {"   ", 10}, {strings.Repeat("a", 300), 10}, {"dup", 0}, {"dup", 101}} {
			_, err := search.Search(b.all, b.client, tc.q, &tc.first, nil)
			var e *errs.Error
			if !errors.As(err, &e) || e.Code != errs.BadUserInput {
				t.Fatalf("search %q first %d: want BAD_USER_INPUT, got %v", tc.q, tc.first, err)
			}
		}
		if n, err := b.client.ThirdParty.Query().Count(b.all); err != nil || n != 10 {
			t.Fatalf("third parties after hostile queries: %d, %v", n, err)
		}
	})
}

func TestLinkCandidatesNeedThreeCharactersForClientsAndProspects(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		b := newBook(t, d)
		seed(b)
		_, err := search.LinkCandidates(b.all, b.client, "du", []enum.ThirdPartyKind{enum.Client, enum.Prospect}, nil)
		if e, ok := errs.As(err); !ok || e.Code != errs.BadUserInput {
			t.Fatalf("2 characters for clients: want BAD_USER_INPUT, got %v", err)
		}
		got, err := search.LinkCandidates(b.all, b.client, "d", []enum.ThirdPartyKind{enum.Supplier}, nil)
		if err != nil || len(got) != 1 || got[0].Name != "Dupont Fournitures" {
			t.Fatalf("1 character for suppliers: %v, %v", got, err)
		}
		got, err = search.LinkCandidates(b.all, b.client, "dup", []enum.ThirdPartyKind{enum.Client}, nil)
		if err != nil || len(got) == 0 {
			t.Fatalf("clients: %v, %v", got, err)
		}
		for _, tp := range got {
			if tp.Kind != enum.Client {
				t.Fatalf("linkCandidates(CLIENT) returned a %s", tp.Kind)
			}
		}
	})
}

func TestSearchHitsCarryKindLabelDetailAndNode(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		b := newBook(t, d)
		tp := b.thirdParty("client", enum.Client, thirdparty.StatusACTIVE, "Garnier Frères", func(c *ent.ThirdPartyCreate) {
			c.SetCode("C0815").SetCity("Lyon")
		})
		ct, err := b.client.Contact.Create().SetThirdPartyID(tp).SetFirstName("Zoé").SetLastName("Garnier").SetJobTitle("Acheteuse").Save(b.all)
		if err != nil {
			t.Fatal(err)
		}
		hits, err := search.Search(b.all, b.client, "garnier", nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := map[search.Kind]string{}
		for _, h := range hits {
			detail := ""
			if h.Detail != nil {
				detail = *h.Detail
			}
			got[h.Kind] = h.Label + " | " + detail
			switch n := h.Node.(type) {
			case *ent.ThirdParty:
				if n.ID != tp {
					t.Fatalf("third party node %d, want %d", n.ID, tp)
				}
			case *ent.Contact:
				if n.ID != ct.ID {
					t.Fatalf("contact node %d, want %d", n.ID, ct.ID)
				}
			}
		}
		want := map[search.Kind]string{
			search.Client:  "Garnier Frères | Lyon · C0815",
			search.Contact: "Zoé Garnier | Acheteuse · Garnier Frères",
		}
		if len(got) != 2 || got[search.Client] != want[search.Client] || got[search.Contact] != want[search.Contact] {
			t.Fatalf("hits: %v, want %v", got, want)
		}
	})
}
