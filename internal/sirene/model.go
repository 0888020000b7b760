package sirene

import (
	"bytes"
	"encoding/json"
	"strings"

	"carnet/internal/validate"
)

// Address is a postal address as Carnet stores it, in AFNOR-like lines.
type Address struct {
	// Line1 is the street: number, repetition index ("bis", "ter"…),
	// type of street spelt out in lower case and street name, such as
	// "10 bis rue DE LA PAIX".
	Line1 string
	// Line2 is the address complement (building, residence…).
	Line2 string
	// Line3 is the special distribution (post-office box…), if any.
	Line3 string
	// PostalCode is kept as a string: French codes may start with 0.
	PostalCode string
	City       string
	// Country is "FR" for a French address; for a foreign one, the ISO
	// 3166-1 alpha-2 code when INSEE's country code is known, else
	// INSEE's country label.
	Country string
}

// Company is what the SIRENE register says about a company or one of its
// establishments.
type Company struct {
	SIREN string
	// SIRET is set by a SIRET lookup only.
	SIRET string
	// Name is the calling name: the establishment's sign, else its usual
	// name, else the company's usual name, else the legal name.
	Name string
	// LegalName is the company's name, or first and last name of a sole
	// trader.
	LegalName string
	// APE is the activity code, such as "62.01Z", or "" if none is known
	// in the current nomenclature.
	APE string
	// Address is the establishment's address; nil for a SIREN lookup.
	Address *Address
	// Active reports whether the establishment (SIRET lookup) or the
	// company (SIREN lookup) is open.
	Active bool
	// FirstName and LastName are set for sole traders only.
	FirstName string
	LastName  string
}

// clone returns a deep copy of c.
func (c *Company) clone() *Company {
	if c == nil {
		return nil
	}
	cp := *c
	if c.Address != nil {
		a := *c.Address
		cp.Address = &a
	}
	return &cp
}

// text is a string field of an answer. null, a missing key and the mask
// "[ND]" of partly public units all decode as "". Numbers are kept as
// written, so that an unexpected type does not fail the whole answer.
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		*t = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
		if strings.EqualFold(s, "[ND]") {
			s = ""
		}
		*t = text(s)
	case b[0] == '{' || b[0] == '[':
		*t = ""
	default:
		*t = text(b)
	}
	return nil
}

// siretAnswer is the body of GET /siret/{siret}.
type siretAnswer struct {
	Etablissement *etablissement `json:"etablissement"`
}

// sirenAnswer is the body of GET /siren/{siren}.
type sirenAnswer struct {
	UniteLegale *uniteLegale `json:"uniteLegale"`
}

type etablissement struct {
	SIREN       text                   `json:"siren"`
	SIRET       text                   `json:"siret"`
	UniteLegale uniteLegale            `json:"uniteLegale"`
	Adresse     adresse                `json:"adresseEtablissement"`
	Periodes    []periodeEtablissement `json:"periodesEtablissement"`
}

type periodeEtablissement struct {
	DateFin             text `json:"dateFin"`
	EtatAdministratif   text `json:"etatAdministratifEtablissement"`
	Enseigne1           text `json:"enseigne1Etablissement"`
	DenominationUsuelle text `json:"denominationUsuelleEtablissement"`
	ActivitePrincipale  text `json:"activitePrincipaleEtablissement"`
}

// uniteLegaleFields are the fields of a legal unit found flat in the
// uniteLegale of a /siret answer and, for the historised ones, in each
// period of a /siren answer.
type uniteLegaleFields struct {
	EtatAdministratif    text `json:"etatAdministratifUniteLegale"`
	Denomination         text `json:"denominationUniteLegale"`
	DenominationUsuelle1 text `json:"denominationUsuelle1UniteLegale"`
	Nom                  text `json:"nomUniteLegale"`
	NomUsage             text `json:"nomUsageUniteLegale"`
	Prenom1              text `json:"prenom1UniteLegale"`
	PrenomUsuel          text `json:"prenomUsuelUniteLegale"`
	ActivitePrincipale   text `json:"activitePrincipaleUniteLegale"`
}

type uniteLegale struct {
	SIREN text `json:"siren"`
	uniteLegaleFields
	Periodes []periodeUniteLegale `json:"periodesUniteLegale"`
}

type periodeUniteLegale struct {
	DateFin text `json:"dateFin"`
	uniteLegaleFields
}

type adresse struct {
	Complement           text `json:"complementAdresseEtablissement"`
	NumeroVoie           text `json:"numeroVoieEtablissement"`
	IndiceRepetition     text `json:"indiceRepetitionEtablissement"`
	TypeVoie             text `json:"typeVoieEtablissement"`
	LibelleVoie          text `json:"libelleVoieEtablissement"`
	CodePostal           text `json:"codePostalEtablissement"`
	LibelleCommune       text `json:"libelleCommuneEtablissement"`
	LibelleCommuneEtr    text `json:"libelleCommuneEtrangerEtablissement"`
	DistributionSpeciale text `json:"distributionSpecialeEtablissement"`
	CodePaysEtranger     text `json:"codePaysEtrangerEtablissement"`
	LibellePaysEtranger  text `json:"libellePaysEtrangerEtablissement"`
}

// currentEtablissement returns the current period of an establishment:
// the one without end date, else the first one (INSEE lists the most recent
// first).
func currentEtablissement(ps []periodeEtablissement) periodeEtablissement {
	for _, p := range ps {
		if p.DateFin == "" {
			return p
		}
	}
	if len(ps) > 0 {
		return ps[0]
	}
	return periodeEtablissement{}
}

// current returns the legal unit's fields as they stand today: those of
// the current period (without end date, else the first one), completed by
// the unit's own flat fields.
func (u *uniteLegale) current() uniteLegaleFields {
	var p *periodeUniteLegale
	for i := range u.Periodes {
		if u.Periodes[i].DateFin == "" {
			p = &u.Periodes[i]
			break
		}
	}
	if p == nil && len(u.Periodes) > 0 {
		p = &u.Periodes[0]
	}
	f := u.uniteLegaleFields
	if p == nil {
		return f
	}
	c := p.uniteLegaleFields
	return uniteLegaleFields{
		EtatAdministratif:    first(c.EtatAdministratif, f.EtatAdministratif),
		Denomination:         first(c.Denomination, f.Denomination),
		DenominationUsuelle1: first(c.DenominationUsuelle1, f.DenominationUsuelle1),
		Nom:                  first(c.Nom, f.Nom),
		NomUsage:             first(c.NomUsage, f.NomUsage),
		Prenom1:              first(c.Prenom1, f.Prenom1),
		PrenomUsuel:          first(c.PrenomUsuel, f.PrenomUsuel),
		ActivitePrincipale:   first(c.ActivitePrincipale, f.ActivitePrincipale),
	}
}

// first returns the first non-empty value.
func first(values ...text) text {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// names fills the legal name of c and, for a sole trader, the first and
// last names, from the legal unit's current fields.
func (c *Company) names(u uniteLegaleFields) {
	if u.Denomination != "" {
		c.LegalName = string(u.Denomination)
		return
	}
	c.FirstName = string(first(u.PrenomUsuel, u.Prenom1))
	c.LastName = string(first(u.NomUsage, u.Nom))
	c.LegalName = strings.TrimSpace(c.FirstName + " " + c.LastName)
}

// ape returns the first of codes that is a valid APE code, normalised as
// "62.01Z", or "". Codes of older nomenclatures ("72.3Z") are not valid.
func ape(codes ...text) string {
	for _, code := range codes {
		if code == "" {
			continue
		}
		if a, err := validate.APE(string(code)); err == nil {
			return a
		}
	}
	return ""
}

// fromSIRET maps the establishment of a /siret answer for the SIRET siret.
func fromSIRET(siret string, e *etablissement) *Company {
	p := currentEtablissement(e.Periodes)
	u := e.UniteLegale.current()
	c := &Company{SIRET: siret, SIREN: validate.SIRENOfSIRET(siret)}
	c.names(u)
	c.Name = string(first(p.Enseigne1, p.DenominationUsuelle, u.DenominationUsuelle1, text(c.LegalName)))
	c.APE = ape(p.ActivitePrincipale, u.ActivitePrincipale)
	c.Address = e.Adresse.toAddress()
	if p.EtatAdministratif != "" {
		c.Active = p.EtatAdministratif == "A"
	} else {
		c.Active = u.EtatAdministratif == "A"
	}
	return c
}

// fromSIREN maps the legal unit of a /siren answer for the SIREN siren.
func fromSIREN(siren string, ul *uniteLegale) *Company {
	u := ul.current()
	c := &Company{SIREN: siren}
	c.names(u)
	c.Name = string(first(u.DenominationUsuelle1, text(c.LegalName)))
	c.APE = ape(u.ActivitePrincipale)
	c.Active = u.EtatAdministratif == "A"
	return c
}

// toAddress maps an establishment's address, or returns nil when nothing
// of it is known.
func (a adresse) toAddress() *Address {
	out := &Address{
		Line1:      streetLine(a.NumeroVoie, a.IndiceRepetition, a.TypeVoie, a.LibelleVoie),
		Line2:      string(a.Complement),
		Line3:      string(a.DistributionSpeciale),
		PostalCode: string(a.CodePostal),
		City:       string(first(a.LibelleCommune, a.LibelleCommuneEtr)),
	}
	if out.Line1 == "" && out.Line2 == "" && out.Line3 == "" && out.PostalCode == "" && out.City == "" {
		return nil
	}
	out.Country = country(a)
	return out
}

// country returns the country of an address: "FR" unless INSEE gives a
// foreign country or commune.
func country(a adresse) string {
	code, label := string(a.CodePaysEtranger), string(a.LibellePaysEtranger)
	if code == "" && label == "" && a.LibelleCommuneEtr == "" {
		return "FR"
	}
	if code == cogFrance || strings.EqualFold(label, "FRANCE") {
		return "FR"
	}
	if iso, ok := cogCountries[code]; ok {
		return iso
	}
	if label != "" {
		return label
	}
	return code
}

// streetLine builds the first address line: "<number><index> <type>
// <street>", such as "10 bis rue DE LA PAIX", leaving out what is unknown.
func streetLine(numero, indice, typeVoie, libelle text) string {
	number := string(numero)
	if number != "" && indice != "" {
		number += repetition(string(indice))
	}
	parts := make([]string, 0, 3)
	for _, s := range []string{number, streetType(string(typeVoie)), string(libelle)} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}

// repetition spells out a repetition index: " bis", " ter", " quater",
// " quinquies"; any other index, such as a letter, is appended as is.
func repetition(indice string) string {
	switch strings.ToUpper(indice) {
	case "B", "BIS":
		return " bis"
	case "T", "TER":
		return " ter"
	case "Q", "QUATER":
		return " quater"
	case "C", "QUINQUIES":
		return " quinquies"
	}
	return indice
}

// streetType spells out INSEE's code of a type of street, in lower case;
// an unknown code is kept as is.
func streetType(code string) string {
	if code == "" {
		return ""
	}
	if s, ok := streetTypes[strings.ToUpper(code)]; ok {
		return s
	}
	return code
}

// streetTypes are INSEE's codes of types of street (typeVoieEtablissement).
// Note that INSEE's QUA is "quartier"; "quai" is QUAI.
var streetTypes = map[string]string{
	"ALL":  "allée",
	"AV":   "avenue",
	"BD":   "boulevard",
	"CAR":  "carrefour",
	"CHE":  "chemin",
	"CHEM": "cheminement",
	"CHS":  "chaussée",
	"CITE": "cité",
	"CLOS": "clos",
	"COR":  "corniche",
	"COTE": "côte",
	"CRS":  "cours",
	"DOM":  "domaine",
	"DSC":  "descente",
	"ECA":  "écart",
	"ESP":  "esplanade",
	"FG":   "faubourg",
	"GR":   "grande rue",
	"HAM":  "hameau",
	"HLE":  "halle",
	"IMP":  "impasse",
	"LD":   "lieu-dit",
	"LOT":  "lotissement",
	"MAR":  "marché",
	"MTE":  "montée",
	"PARC": "parc",
	"PAS":  "passage",
	"PL":   "place",
	"PLN":  "plaine",
	"PLT":  "plateau",
	"PRO":  "promenade",
	"PROM": "promenade",
	"PRV":  "parvis",
	"QUA":  "quartier",
	"QUAI": "quai",
	"RES":  "résidence",
	"RLE":  "ruelle",
	"ROC":  "rocade",
	"RPT":  "rond-point",
	"RTE":  "route",
	"RUE":  "rue",
	"SEN":  "sentier",
	"SQ":   "square",
	"TPL":  "terre-plein",
	"TRA":  "traverse",
	"VLA":  "villa",
	"VLGE": "village",
	"VGE":  "village",
	"VOIE": "voie",
	"ZA":   "zone artisanale",
	"ZAC":  "zone d'aménagement concerté",
	"ZI":   "zone industrielle",
}

// cogFrance is France's code in INSEE's geographic code (COG).
const cogFrance = "99100"

// cogCountries maps INSEE's country codes (COG, codePaysEtranger…) to ISO
// 3166-1 alpha-2 codes, for the countries whose COG code is not shared
// with other territories or is the sovereign state's.
var cogCountries = map[string]string{
	"99101": "DK", "99102": "IS", "99103": "NO", "99104": "SE", "99105": "FI",
	"99106": "EE", "99107": "LV", "99108": "LT", "99109": "DE", "99110": "AT",
	"99111": "BG", "99112": "HU", "99113": "LI", "99114": "RO", "99116": "CZ",
	"99117": "SK", "99118": "BA", "99119": "HR", "99120": "ME", "99121": "RS",
	"99122": "PL", "99123": "RU", "99125": "AL", "99126": "GR", "99127": "IT",
	"99128": "SM", "99129": "VA", "99130": "AD", "99131": "BE", "99132": "GB",
	"99133": "GI", "99134": "ES", "99135": "NL", "99136": "IE", "99137": "LU",
	"99138": "MC", "99139": "PT", "99140": "CH", "99144": "MT", "99145": "SI",
	"99148": "BY", "99151": "MD", "99155": "UA", "99156": "MK",
	"99201": "SA", "99204": "IR", "99205": "LB", "99206": "SY", "99207": "IL",
	"99208": "TR", "99216": "CN", "99217": "JP", "99219": "TH", "99220": "PH",
	"99223": "IN", "99226": "SG", "99227": "MY", "99230": "HK", "99231": "ID",
	"99236": "TW", "99239": "KR", "99243": "VN", "99247": "AE", "99248": "QA",
	"99254": "CY",
	"99301": "EG", "99303": "ZA", "99322": "CM", "99326": "CI", "99341": "SN",
	"99350": "MA", "99351": "TN", "99352": "DZ",
	"99401": "CA", "99404": "US", "99405": "MX", "99415": "AR", "99416": "BR",
	"99417": "CL", "99419": "CO",
	"99501": "AU", "99502": "NZ",
}
