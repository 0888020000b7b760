// Package fakefr generates deterministic, realistic-looking French CRM data:
// companies (name, legal name, SIREN/SIRET, APE code, address, phone, e-mail,
// website) and their contacts.
//
// It serves both the demo organisation (a few hundred records) and the
// benchmark database (millions of rows), so the hot paths avoid fmt, regexp
// and maps: every record is assembled in a reusable byte buffer and turned
// into a single string, whose substrings become the record's dynamic fields
// (fixed fields such as the city or the APE code point into static tables).
// Consequently Company and Person cost one allocation each; a caller that
// keeps only one small field of many records while dropping the rest should
// strings.Clone it.
//
// The same seed always gives the same sequence of records (the generator uses
// math/rand/v2's PCG with its own bounded-integer reduction, so the output does
// not depend on the standard library's rand helpers).
package fakefr

import (
	"math/bits"
	"math/rand/v2"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// Generator produces fake records from a seed; the same seed gives the same
// sequence. Not safe for concurrent use: give each goroutine its own
// Generator (with distinct seeds).
type Generator struct {
	src rand.PCG
	buf []byte
}

// seedStream is the second PCG seed word; any fixed value works, it only has
// to stay the same for the sequences to stay the same.
const seedStream = 0x9e3779b97f4a7c15

// New returns a generator seeded with seed.
func New(seed int64) *Generator {
	g := &Generator{buf: make([]byte, 0, 512)}
	g.src.Seed(uint64(seed), seedStream)
	return g
}

// Address is a French postal address.
type Address struct {
	Line1, Line2, PostalCode, City, Country string
}

// Company is a fake French business.
type Company struct {
	Name      string // calling name: "Boulangerie Lefèvre", "L'Atelier du Meuble"
	LegalName string // upper-case name with the legal form: "BOULANGERIE LEFÈVRE SARL"
	SIREN     string // 9 digits, valid Luhn checksum
	SIRET     string // SIREN + 5-digit NIC, valid Luhn checksum
	APE       string // NAF code "NN.NNL", consistent with the name's trade when there is one
	Address   Address
	Phone     string // E.164 landline whose area matches the city: "+33491…" in Marseille
	Email     string // "contact@<slug>.fr"
	Website   string // "https://www.<slug>.fr"
}

// Person is a fake contact working for a company.
type Person struct {
	Civility   string // "M." or "Mme"
	FirstName  string
	LastName   string
	JobTitle   string // agreed with the civility: "Directeur commercial" / "Directrice commerciale"
	DirectLine string // E.164 landline "+33[1-5]…"
	Mobile     string // E.164 mobile "+336…" or "+337…"
	Email      string // "prenom.nom@<domain>", ASCII, lower-case
}

// Derived pick tables, built in init.
var (
	cityPick      []uint8 // city index repeated weight times
	tradePick     []uint8 // trade index repeated weight times
	legalFormPick []uint8 // legalForms index repeated weight times (100 entries)
	streetPick    []uint8 // streetTypes index repeated weight times
	firstNames    []string
	firstNameDe   []string // "de Julie", "d'Élodie"
)

func init() {
	// Cities whose arrondissements are generated rather than listed.
	arr := func(base, n int) []string {
		s := make([]string, n)
		for i := range s {
			s[i] = strconv.Itoa(base + i + 1)
		}
		return s
	}
	for i := range cities {
		c := &cities[i]
		switch c.name {
		case "Paris":
			c.postal = arr(75000, 20)
		case "Marseille":
			c.postal = arr(13000, 16)
		case "Lyon":
			c.postal = arr(69000, 9)
		}
		c.de = deForm(c.name)
		for j := 0; j < c.weight; j++ {
			cityPick = append(cityPick, uint8(i))
		}
	}
	for i, t := range trades {
		for j := 0; j < t.weight; j++ {
			tradePick = append(tradePick, uint8(i))
		}
	}
	for i, f := range legalForms {
		for j := 0; j < f.weight; j++ {
			legalFormPick = append(legalFormPick, uint8(i))
		}
	}
	for i, s := range streetTypes {
		for j := 0; j < s.weight; j++ {
			streetPick = append(streetPick, uint8(i))
		}
	}
	firstNames = append(append(firstNames, femaleFirstNames...), maleFirstNames...)
	for _, f := range firstNames {
		firstNameDe = append(firstNameDe, deForm(f))
	}
}

// deForm returns the "of X" form of a proper name with French elision and
// contraction: "de Lyon", "d'Orléans", "du Havre", "des Sables".
func deForm(name string) string {
	switch {
	case len(name) > 3 && name[:3] == "Le ":
		return "du " + name[3:]
	case len(name) > 4 && name[:4] == "Les ":
		return "des " + name[4:]
	}
	r, _ := utf8.DecodeRuneInString(name)
	switch unicode.ToLower(r) {
	case 'a', 'e', 'i', 'o', 'u', 'y', 'h', 'é', 'è', 'ê', 'â', 'î', 'ô', 'û', 'œ', 'æ':
		return "d'" + name
	}
	return "de " + name
}

// intn returns a uniform-enough integer in [0, n) (Lemire's multiply-high,
// bias below 2^-50 for the sizes used here). n must be > 0.
func (g *Generator) intn(n int) int {
	hi, _ := bits.Mul64(g.src.Uint64(), uint64(n))
	return int(hi)
}

// pct reports true with probability p percent.
func (g *Generator) pct(p int) bool { return g.intn(100) < p }

func (g *Generator) pick(s []string) string { return s[g.intn(len(s))] }

// appendDigits appends exactly n decimal digits of v (zero-padded).
func appendDigits(b []byte, v uint64, n int) []byte {
	l := len(b)
	for range n {
		b = append(b, 0)
	}
	for i := l + n - 1; i >= l; i-- {
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return b
}

// pow10 holds 10^i for i in [0, 19].
var pow10 = func() (p [20]uint64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return
}()

// appendRandDigits appends n (≤ 19) uniformly random decimal digits.
func (g *Generator) appendRandDigits(b []byte, n int) []byte {
	return appendDigits(b, uint64(g.intn(int(pow10[n]))), n)
}

// luhnDigit returns the check digit that makes digits+check pass the Luhn test.
func luhnDigit(digits []byte) byte {
	sum, dbl := 0, true
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if dbl {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		dbl = !dbl
	}
	return byte('0' + (10-sum%10)%10)
}

// appendSIRET appends a 14-digit SIRET whose first 9 digits are a valid SIREN.
func (g *Generator) appendSIRET(b []byte) []byte {
	start := len(b)
	// Real SIRENs of companies mostly start with 3–9.
	b = appendDigits(b, uint64(3+g.intn(7))*10_000_000+uint64(g.intn(10_000_000)), 8)
	b = append(b, luhnDigit(b[start:]))
	// NIC: head offices mostly have small ones (0001x–0009x).
	if g.pct(85) {
		b = append(b, '0', '0', '0', byte('1'+g.intn(9)))
	} else {
		b = g.appendRandDigits(b, 4)
	}
	return append(b, luhnDigit(b[start:]))
}

// appendLandline appends "+33" + prefix + random digits up to 9 national digits.
func (g *Generator) appendLandline(b []byte, prefix string) []byte {
	b = append(b, "+33"...)
	start := len(b)
	b = append(b, prefix...)
	b = g.appendRandDigits(b, 9-len(prefix))
	metropolitan(b[start:])
	return b
}

func (g *Generator) appendMobile(b []byte) []byte {
	if g.pct(70) {
		b = append(b, "+336"...)
		start := len(b) - 1
		b = g.appendRandDigits(b, 8)
		metropolitan(b[start:])
		return b
	}
	b = append(b, "+337"...)
	b = append(b, byte('3'+g.intn(7)))
	return g.appendRandDigits(b, 7)
}

// metropolitan moves the 9 national digits n of a random number out of
// the ranges that are not metropolitan numbers (overseas departments:
// 262, 590, 594, 639, 690–697; unassigned: 40), which the API's phone
// validation refuses, by changing one digit.
func metropolitan(n []byte) {
	switch {
	case n[0] == '4' && n[1] == '0':
		n[1] = '1'
	case n[0] == '2' && n[1] == '6' && n[2] == '2',
		n[0] == '5' && n[1] == '9' && (n[2] == '0' || n[2] == '4'),
		n[0] == '6' && n[1] == '3' && n[2] == '9':
		n[2] = '1'
	case n[0] == '6' && n[1] == '9' && n[2] <= '7':
		n[1] = '8'
	}
}

// appendName appends a company calling name and returns the APE candidates it
// implies (nil: any), whether the name already ends with a legal form, and
// whether the activity is a liberal profession.
func (g *Generator) appendName(b []byte, c *city) (_ []byte, apes []string, legal, liberal bool) {
	r := g.intn(100)
	switch {
	case r < 28: // "Boulangerie Lefèvre", "Transports Müller & Fils"
		t := &trades[tradePick[g.intn(len(tradePick))]]
		b = append(b, t.word...)
		b = append(b, ' ')
		b = append(b, g.pick(lastNames)...)
		if g.pct(55) {
			s := &suffixes[g.intn(len(suffixes))]
			b = append(b, s.text...)
			legal = s.legal
		}
		return b, t.apes, legal, t.liberal
	case r < 48: // "Cabinet Martin & Girard", "Établissements Dupont-Leroy"
		t := &trades[tradePick[g.intn(len(tradePick))]]
		b = append(b, t.word...)
		b = append(b, ' ')
		n1 := g.intn(len(lastNames))
		n2 := g.intn(len(lastNames) - 1)
		if n2 >= n1 {
			n2++
		}
		b = append(b, lastNames[n1]...)
		switch g.intn(4) {
		case 0, 1:
			b = append(b, " & "...)
		case 2:
			b = append(b, '-')
		default:
			b = append(b, " et "...)
		}
		b = append(b, lastNames[n2]...)
		return b, t.apes, false, t.liberal
	case r < 56: // "Pharmacie du Centre", "Garage de Nantes"
		t := &trades[tradePick[g.intn(len(tradePick))]]
		b = append(b, t.word...)
		b = append(b, ' ')
		if g.pct(40) {
			b = append(b, c.de...)
		} else {
			b = append(b, g.pick(places)...)
		}
		return b, t.apes, false, t.liberal
	case r < 63: // "L'Atelier du Meuble", "Le Comptoir de Julie"
		h := &heads[g.intn(len(heads))]
		b = append(b, h.word...)
		b = append(b, ' ')
		switch x := g.intn(10); {
		case x < 5:
			b = append(b, g.pick(complements)...)
		case x < 8:
			b = append(b, g.pick(firstNameDe)...)
		default:
			b = append(b, c.de...)
		}
		return b, h.apes, false, false
	case r < 77: // "Novalitec Conseil", "Ecléa"
		b = append(b, g.pick(coinStarts)...)
		if g.pct(50) {
			b = append(b, g.pick(coinMiddles)...)
		}
		b = append(b, g.pick(coinEnds)...)
		if g.pct(85) {
			s := &sectors[g.intn(len(sectors))]
			b = append(b, s.word...)
			apes = s.apes
		}
		return b, apes, false, false
	case r < 94: // "Dupont Immobilier", "Martin-Girard Conseil"
		b = append(b, g.pick(lastNames)...)
		if g.pct(75) {
			b = append(b, '-')
			b = append(b, g.pick(lastNames)...)
		}
		s := &sectors[g.intn(len(sectors))]
		b = append(b, s.word...)
		return b, s.apes, false, false
	case r < 97: // "SGT Conseil", "MBI Services"
		n := 2 + g.intn(3)
		for range n {
			b = append(b, byte('A'+g.intn(26)))
		}
		s := &sectors[g.intn(len(sectors))]
		b = append(b, s.word...)
		return b, s.apes, false, false
	case r < 98: // "Œnologie Côte-Rôtie"
		b = append(b, g.pick(wineHeads)...)
		b = append(b, ' ')
		b = append(b, g.pick(appellations)...)
		return b, wineAPE, false, false
	default: // "Chez Jérôme"
		b = append(b, "Chez "...)
		b = append(b, g.pick(firstNames)...)
		return b, chezAPE, false, false
	}
}

// appendLine1 appends "12 rue des Lilas", "3 bis avenue Jean Jaurès".
func (g *Generator) appendLine1(b []byte) []byte {
	var n int
	if g.pct(70) {
		n = 1 + g.intn(40)
	} else {
		n = 1 + g.intn(250)
	}
	b = strconv.AppendInt(b, int64(n), 10)
	switch x := g.intn(100); {
	case x < 4:
		b = append(b, " bis"...)
	case x < 5:
		b = append(b, " ter"...)
	}
	b = append(b, ' ')
	st := streetTypes[streetPick[g.intn(len(streetPick))]].word
	b = append(b, st...)
	b = append(b, ' ')
	switch st {
	case "route":
		return append(b, g.pick(routeNames)...)
	case "quai":
		return append(b, g.pick(quaiNames)...)
	}
	return append(b, g.pick(streetNames)...)
}

// appendLine2 appends an optional complement ("Bâtiment B", "ZI des Pins",
// "BP 123"...). Most addresses have none.
func (g *Generator) appendLine2(b []byte) []byte {
	if !g.pct(22) {
		return b
	}
	switch g.intn(7) {
	case 0:
		b = append(b, "Bâtiment "...)
		return append(b, byte('A'+g.intn(6)))
	case 1, 2:
		return append(b, g.pick(line2Zones)...)
	case 3:
		b = append(b, "BP "...)
		return strconv.AppendInt(b, int64(1+g.intn(999)), 10)
	case 4:
		b = append(b, "CS "...)
		b = append(b, byte('1'+g.intn(9)), '0')
		return g.appendRandDigits(b, 3)
	case 5:
		n := 1 + g.intn(8)
		b = strconv.AppendInt(b, int64(n), 10)
		if n == 1 {
			return append(b, "er étage"...)
		}
		return append(b, "e étage"...)
	default:
		b = append(b, "Bureau "...)
		return strconv.AppendInt(b, int64(1+g.intn(300)), 10)
	}
}

// maxLabel is the longest DNS label.
const maxLabel = 63

// appendDomainLabel appends Slug(src) cut to a valid DNS label length.
func appendDomainLabel(b, src []byte) []byte {
	start := len(b)
	b = appendSlug(b, src)
	if len(b)-start > maxLabel {
		b = b[:start+maxLabel]
		for len(b) > start && b[len(b)-1] == '-' {
			b = b[:len(b)-1]
		}
	}
	if len(b) == start {
		b = append(b, "entreprise"...)
	}
	return b
}

// Company returns the next fake company.
func (g *Generator) Company() Company {
	c := &cities[cityPick[g.intn(len(cityPick))]]
	var co Company
	co.Address.City = c.name
	co.Address.PostalCode = c.postal[g.intn(len(c.postal))]
	co.Address.Country = "FR"

	b := g.buf[:0]
	b, apes, legal, liberal := g.appendName(b, c)
	nameEnd := len(b)

	b = appendUpper(b, b[:nameEnd])
	if !legal {
		b = append(b, ' ')
		if liberal && g.pct(50) {
			b = append(b, "SELARL"...)
		} else {
			b = append(b, legalForms[legalFormPick[g.intn(len(legalFormPick))]].form...)
		}
	}
	legalEnd := len(b)

	if apes == nil {
		apes = allAPE
	}
	co.APE = apes[g.intn(len(apes))]

	b = g.appendSIRET(b)
	siretEnd := len(b)

	b = g.appendLine1(b)
	line1End := len(b)
	b = g.appendLine2(b)
	line2End := len(b)

	b = g.appendLandline(b, c.tel[g.intn(len(c.tel))])
	phoneEnd := len(b)

	b = append(b, "contact@"...)
	slugStart := len(b)
	b = appendDomainLabel(b, b[:nameEnd])
	slugEnd := len(b)
	b = append(b, ".fr"...)
	emailEnd := len(b)

	b = append(b, "https://www."...)
	b = append(b, b[slugStart:slugEnd]...)
	b = append(b, ".fr"...)

	s := string(b)
	g.buf = b[:0]

	co.Name = s[:nameEnd]
	co.LegalName = s[nameEnd:legalEnd]
	co.SIRET = s[legalEnd:siretEnd]
	co.SIREN = co.SIRET[:9]
	co.Address.Line1 = s[siretEnd:line1End]
	co.Address.Line2 = s[line1End:line2End]
	co.Phone = s[line2End:phoneEnd]
	co.Email = s[phoneEnd:emailEnd]
	co.Website = s[emailEnd:]
	return co
}

// Person returns the next fake contact. companyEmailDomain ("dupond.fr") is
// the part after '@' in the e-mail; when it is empty a webmail domain
// ("orange.fr", "gmail.com"...) is used instead.
func (g *Generator) Person(companyEmailDomain string) Person {
	var p Person
	female := g.intn(2) == 0
	jt := &jobTitles[g.intn(len(jobTitles))]
	if female {
		p.Civility = "Mme"
		p.FirstName = g.pick(femaleFirstNames)
		p.JobTitle = jt[1]
	} else {
		p.Civility = "M."
		p.FirstName = g.pick(maleFirstNames)
		p.JobTitle = jt[0]
	}
	p.LastName = g.pick(lastNames)

	b := g.buf[:0]
	b = g.appendLandline(b, strconv.Itoa(1+g.intn(5)))
	lineEnd := len(b)
	b = g.appendMobile(b)
	mobileEnd := len(b)
	b = appendLocalPart(b, p.FirstName)
	b = append(b, '.')
	b = appendLocalPart(b, p.LastName)
	b = append(b, '@')
	if companyEmailDomain == "" {
		companyEmailDomain = g.pick(webmailDomains)
	}
	b = appendLowerASCII(b, companyEmailDomain)

	s := string(b)
	g.buf = b[:0]
	p.DirectLine = s[:lineEnd]
	p.Mobile = s[lineEnd:mobileEnd]
	p.Email = s[mobileEnd:]
	return p
}

// ClientCode returns "C" followed by n zero-padded to 7 digits: ClientCode(42)
// is "C0000042". Numbers of 8 digits or more keep all their digits and
// negative numbers are not padded ("C-42"). It consumes no randomness.
func (g *Generator) ClientCode(n int) string {
	if n >= 0 && n < 10_000_000 {
		var a [8]byte
		a[0] = 'C'
		appendDigits(a[:1], uint64(n), 7)
		return string(a[:])
	}
	return "C" + strconv.Itoa(n)
}
