package fakefr

import (
	"hash/maphash"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"carnet/internal/validate"
)

// luhnValid reports whether the decimal string s passes the Luhn checksum.
func luhnValid(s string) bool {
	if s == "" {
		return false
	}
	sum, dbl := 0, false
	for i := len(s) - 1; i >= 0; i-- {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if dbl {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		dbl = !dbl
	}
	return sum%10 == 0
}

func TestLuhnHelper(t *testing.T) {
	// Known-valid real identifiers and obvious failures, so the checks below
	// test the generator rather than a broken helper.
	for _, s := range []string{"732829320", "73282932000074", "552100554", "79927398713"} {
		if !luhnValid(s) {
			t.Errorf("luhnValid(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"732829321", "73282932000075", "12345678a", ""} {
		if luhnValid(s) {
			t.Errorf("luhnValid(%q) = true, want false", s)
		}
	}
}

func TestSameSeedSameSequence(t *testing.T) {
	a, b := New(42), New(42)
	for i := range 1000 {
		ca, cb := a.Company(), b.Company()
		if ca != cb {
			t.Fatalf("company %d differs:\n%+v\n%+v", i, ca, cb)
		}
		pa, pb := a.Person("x.fr"), b.Person("x.fr")
		if pa != pb {
			t.Fatalf("person %d differs:\n%+v\n%+v", i, pa, pb)
		}
	}
}

func TestDifferentSeedsDiffer(t *testing.T) {
	a, b := New(1), New(2)
	same := 0
	for range 100 {
		if a.Company() == b.Company() {
			same++
		}
	}
	if same > 0 {
		t.Fatalf("%d of 100 companies identical for seeds 1 and 2", same)
	}
	if New(1).Company().SIRET == New(2).Company().SIRET {
		t.Fatal("first SIRET identical for seeds 1 and 2")
	}
}

// TestFieldsDoNotAlias checks that records built in the shared scratch buffer
// are not overwritten by later calls.
func TestFieldsDoNotAlias(t *testing.T) {
	g := New(7)
	first := g.Company()
	saved := first
	saved.Name = strings.Clone(first.Name)
	saved.Email = strings.Clone(first.Email)
	for range 100 {
		g.Company()
		g.Person("a.fr")
	}
	if first.Name != saved.Name || first.Email != saved.Email {
		t.Fatalf("company changed after later calls: %q/%q, was %q/%q", first.Name, first.Email, saved.Name, saved.Email)
	}
}

var (
	apeRE      = regexp.MustCompile(`^\d{2}\.\d{2}[A-Z]$`)
	phoneRE    = regexp.MustCompile(`^\+33[1-9]\d{8}$`)
	landlineRE = regexp.MustCompile(`^\+33[1-5]\d{8}$`)
	mobileRE   = regexp.MustCompile(`^\+33[67]\d{8}$`)
	postalRE   = regexp.MustCompile(`^\d{5}$`)
	line1RE    = regexp.MustCompile(`^\d+( bis| ter)? (rue|avenue|boulevard|place|allée|chemin|impasse|quai|route) \S`)
	slugRE     = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	localRE    = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*\.[a-z0-9]+(-[a-z0-9]+)*$`)
)

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func TestCompanyFields(t *testing.T) {
	g := New(2024)
	var accented, apostrophe, hyphen, line2, ligature int
	const n = 20000
	for i := range n {
		c := g.Company()
		if c.Name == "" || !utf8.ValidString(c.Name) || strings.TrimSpace(c.Name) != c.Name {
			t.Fatalf("%d: bad name %q", i, c.Name)
		}
		if !strings.HasPrefix(c.LegalName, strings.ToUpper(c.Name)) || c.LegalName != strings.ToUpper(c.LegalName) {
			t.Fatalf("%d: legal name %q does not upper-case name %q", i, c.LegalName, c.Name)
		}
		if len(c.SIREN) != 9 || !luhnValid(c.SIREN) {
			t.Fatalf("%d: SIREN %q fails Luhn", i, c.SIREN)
		}
		if len(c.SIRET) != 14 || !luhnValid(c.SIRET) || c.SIRET[:9] != c.SIREN {
			t.Fatalf("%d: SIRET %q (SIREN %q) invalid", i, c.SIRET, c.SIREN)
		}
		if !apeRE.MatchString(c.APE) {
			t.Fatalf("%d: APE %q", i, c.APE)
		}
		if !phoneRE.MatchString(c.Phone) || !landlineRE.MatchString(c.Phone) {
			t.Fatalf("%d: phone %q", i, c.Phone)
		}
		a := c.Address
		if a.Country != "FR" || a.City == "" || !postalRE.MatchString(a.PostalCode) || !line1RE.MatchString(a.Line1) {
			t.Fatalf("%d: bad address %+v", i, a)
		}
		// Phone area follows the postal code: Paris region is +331, Corsica +334.
		switch a.PostalCode[:2] {
		case "75", "92", "93", "94", "95", "78":
			if c.Phone[3] != '1' {
				t.Fatalf("%d: Île-de-France company %s has phone %s", i, a.PostalCode, c.Phone)
			}
		case "20", "13", "69", "06":
			if c.Phone[3] != '4' {
				t.Fatalf("%d: south-east company %s has phone %s", i, a.PostalCode, c.Phone)
			}
		}
		slug, ok := strings.CutPrefix(c.Email, "contact@")
		slug, ok2 := strings.CutSuffix(slug, ".fr")
		if !ok || !ok2 || !isASCII(c.Email) || !slugRE.MatchString(slug) || len(slug) > 63 {
			t.Fatalf("%d: email %q", i, c.Email)
		}
		if c.Website != "https://www."+slug+".fr" {
			t.Fatalf("%d: website %q, email %q", i, c.Website, c.Email)
		}
		if slug != Slug(c.Name) {
			t.Fatalf("%d: email slug %q, Slug(name) %q", i, slug, Slug(c.Name))
		}
		if !isASCII(c.Name) {
			accented++
		}
		if strings.Contains(c.Name, "'") {
			apostrophe++
		}
		if strings.Contains(c.Name, "-") {
			hyphen++
		}
		if strings.ContainsAny(c.Name, "Œœ") {
			ligature++
		}
		if a.Line2 != "" {
			line2++
		}
	}
	// The names must look French: accents, apostrophes, hyphens and some
	// ligatures; Line2 is set sometimes but not usually.
	if accented < n/5 || apostrophe < n/100 || hyphen < n/20 || ligature < n/1000 {
		t.Errorf("names lack variety: accented %d, apostrophe %d, hyphen %d, ligature %d of %d", accented, apostrophe, hyphen, ligature, n)
	}
	if line2 < n/10 || line2 > n/2 {
		t.Errorf("Line2 set on %d of %d addresses, want 10–50%%", line2, n)
	}
}

func TestPersonFields(t *testing.T) {
	g := New(99)
	var accented, compound int
	const n = 20000
	for i := range n {
		p := g.Person("Dupond.fr")
		if p.Civility != "M." && p.Civility != "Mme" {
			t.Fatalf("%d: civility %q", i, p.Civility)
		}
		if p.FirstName == "" || p.LastName == "" || p.JobTitle == "" {
			t.Fatalf("%d: empty field %+v", i, p)
		}
		if !landlineRE.MatchString(p.DirectLine) || !phoneRE.MatchString(p.DirectLine) {
			t.Fatalf("%d: direct line %q", i, p.DirectLine)
		}
		if !mobileRE.MatchString(p.Mobile) || !phoneRE.MatchString(p.Mobile) {
			t.Fatalf("%d: mobile %q", i, p.Mobile)
		}
		local, ok := strings.CutSuffix(p.Email, "@dupond.fr")
		if !ok || !isASCII(p.Email) || !localRE.MatchString(local) {
			t.Fatalf("%d: email %q for %s %s", i, p.Email, p.FirstName, p.LastName)
		}
		if !isASCII(p.FirstName + p.LastName) {
			accented++
		}
		if strings.Contains(p.FirstName, "-") {
			compound++
		}
	}
	if accented < n/5 || compound < n/100 {
		t.Errorf("people lack variety: accented %d, compound first names %d of %d", accented, compound, n)
	}
	if p := g.Person(""); !strings.Contains(p.Email, "@") || strings.HasSuffix(p.Email, "@") {
		t.Errorf("Person(\"\") email %q has no domain", p.Email)
	}
}

func TestEmailFolding(t *testing.T) {
	for _, tc := range []struct{ first, last, want string }{
		{"Élodie", "Lefèvre", "elodie.lefevre"},
		{"François", "N'Diaye", "francois.ndiaye"},
		{"Jean-Pierre", "Le Goff", "jean-pierre.legoff"},
		{"Lætitia", "d'Arcy", "laetitia.darcy"},
		{"Zoé", "Müller", "zoe.muller"},
		{"Anaïs", "Lœuillet", "anais.loeuillet"},
	} {
		b := appendLocalPart(nil, tc.first)
		b = append(b, '.')
		b = appendLocalPart(b, tc.last)
		if string(b) != tc.want {
			t.Errorf("local part of %s %s = %q, want %q", tc.first, tc.last, b, tc.want)
		}
	}
}

func TestSlug(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Œnologie Côte-Rôtie", "oenologie-cote-rotie"},
		{"L'Atelier & Fils", "l-atelier-fils"},
		{"Boulangerie Lefèvre", "boulangerie-lefevre"},
		{"Établissements Dupond", "etablissements-dupond"},
		{"Transports Müller & Fils", "transports-muller-fils"},
		{"Façade Æsthétique", "facade-aesthetique"},
		{"Straße", "strasse"},
		{"  --Hôtel   du  Lac--  ", "hotel-du-lac"},
		{"L’Épicerie", "l-epicerie"},
		{"ABC 123", "abc-123"},
		{"SGT", "sgt"},
		{"", ""},
		{"& ' -", ""},
		{"日本 Café", "cafe"},
		{"bad\xffutf8", "bad-utf8"},
	} {
		if got := Slug(tc.in); got != tc.want {
			t.Errorf("Slug(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestClientCode(t *testing.T) {
	g := New(0)
	for _, tc := range []struct {
		n    int
		want string
	}{{0, "C0000000"}, {42, "C0000042"}, {9_999_999, "C9999999"}, {12_345_678, "C12345678"}} {
		if got := g.ClientCode(tc.n); got != tc.want {
			t.Errorf("ClientCode(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
	// ClientCode consumes no randomness.
	a, b := New(5), New(5)
	a.ClientCode(1)
	if a.Company() != b.Company() {
		t.Error("ClientCode changed the random sequence")
	}
}

func TestNameDiversity(t *testing.T) {
	g := New(1)
	const n = 100_000
	seen := make(map[string]struct{}, n)
	for range n {
		seen[strings.Clone(g.Company().Name)] = struct{}{}
	}
	if len(seen) <= n/2 {
		t.Fatalf("%d distinct names in %d, want > %d", len(seen), n, n/2)
	}
	t.Logf("%d distinct names in %d", len(seen), n)
}

// TestNameDiversityMillion checks the benchmark-database scale: one million
// companies must have more than 500,000 distinct names.
func TestNameDiversityMillion(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	g := New(3)
	const n = 1_000_000
	seed := maphash.MakeSeed()
	seen := make(map[uint64]struct{}, n)
	for range n {
		seen[maphash.String(seed, g.Company().Name)] = struct{}{}
	}
	if len(seen) <= n/2 {
		t.Fatalf("%d distinct names in %d, want > %d", len(seen), n, n/2)
	}
	t.Logf("%d distinct names in %d", len(seen), n)
}

// TestTablesHaveNoDuplicates keeps the data lists honest: duplicates would
// silently skew the distributions.
func TestTablesHaveNoDuplicates(t *testing.T) {
	lists := map[string][]string{
		"lastNames": lastNames, "femaleFirstNames": femaleFirstNames, "maleFirstNames": maleFirstNames,
		"places": places, "complements": complements, "coinStarts": coinStarts, "coinEnds": coinEnds,
		"streetNames": streetNames, "appellations": appellations, "allAPE": allAPE, "line2Zones": line2Zones,
	}
	for name, l := range lists {
		seen := map[string]bool{}
		for _, s := range l {
			if seen[s] {
				t.Errorf("%s: duplicate %q", name, s)
			}
			seen[s] = true
		}
	}
	seen := map[string]bool{}
	for _, c := range cities {
		if seen[c.name] {
			t.Errorf("duplicate city %q", c.name)
		}
		seen[c.name] = true
		if len(c.postal) == 0 || len(c.tel) == 0 {
			t.Errorf("city %q lacks postal codes or phone prefixes", c.name)
		}
		for _, p := range c.postal {
			if !postalRE.MatchString(p) {
				t.Errorf("city %q: postal code %q", c.name, p)
			}
		}
	}
	for _, a := range allAPE {
		if !apeRE.MatchString(a) {
			t.Errorf("APE %q", a)
		}
	}
	if len(cities) < 60 {
		t.Errorf("%d cities, want at least 60", len(cities))
	}
}

var (
	sinkCompany Company
	sinkPerson  Person
)

func BenchmarkCompany(b *testing.B) {
	g := New(1)
	b.ReportAllocs()
	for b.Loop() {
		sinkCompany = g.Company()
	}
}

func BenchmarkPerson(b *testing.B) {
	g := New(1)
	b.ReportAllocs()
	for b.Loop() {
		sinkPerson = g.Person("dupond.fr")
	}
}

func BenchmarkSlug(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = Slug("Œnologie Côte-Rôtie & Fils")
	}
}

// TestPhonesPassTheAPIValidation: every generated number is one the API's
// phone validation accepts (no overseas or unassigned range), unchanged.
func TestPhonesPassTheAPIValidation(t *testing.T) {
	g := New(11)
	for i := range 20000 {
		c := g.Company()
		p := g.Person("")
		for _, n := range []string{c.Phone, p.DirectLine, p.Mobile} {
			if got, err := validate.Phone(n); err != nil || got != n {
				t.Fatalf("%d: %s → %q, %v", i, n, got, err)
			}
		}
	}
}
