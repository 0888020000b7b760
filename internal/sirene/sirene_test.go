package sirene

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"carnet/internal/errs"
)

const testKey = "test-key-7f3a"

// fixtures holds the files of testdata, read once.
var fixtures = map[string][]byte{}

// noLimit is the rate limit of the tests that do not test it.
func noLimit() { SetRateLimit(6_000_000, 10_000) }

func TestMain(m *testing.M) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(files) == 0 {
		fmt.Fprintln(os.Stderr, "no fixtures in testdata")
		os.Exit(1)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fixtures[filepath.Base(f)] = b
	}
	retryBaseDelay = 10 * time.Millisecond
	retryMaxDelay = 40 * time.Millisecond
	noLimit()
	os.Exit(m.Run())
}

// routes are the answers of the fake API by path.
var routes = map[string]string{
	"/siret/20000982700037": "siret_company.json",
	"/siret/73282932000074": "siret_company.json",
	"/siret/12000015300011": "siret_company_history.json",
	"/siret/85164318900026": "siret_closed.json",
	"/siret/80133974800031": "siret_sole_trader.json",
	"/siret/80133974800049": "siret_partially_public.json",
	"/siren/482755741":      "siren_company_periodes.json",
	"/siren/801339748":      "siren_individual_entrepreneur.json",
}

// hit is a request received by the fake API.
type hit struct {
	method, path, key, accept string
	at                        time.Time
}

// fake is a local fake of API Sirene on the loopback interface.
type fake struct {
	srv  *httptest.Server
	mu   sync.Mutex
	hits []hit
}

// newFake starts a fake API answering with h; n counts the requests,
// from 1.
func newFake(t *testing.T, h func(w http.ResponseWriter, r *http.Request, n int)) *fake {
	t.Helper()
	f := &fake{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.hits = append(f.hits, hit{
			method: r.Method,
			path:   r.URL.Path,
			key:    r.Header.Get("X-INSEE-Api-Key-Integration"),
			accept: r.Header.Get("Accept"),
			at:     time.Now(),
		})
		n := len(f.hits)
		f.mu.Unlock()
		h(w, r, n)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// newFixtureFake starts a fake API that serves the fixtures of routes with
// 200 and answers any other path with the real 404.
func newFixtureFake(t *testing.T) *fake {
	return newFake(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if name, ok := routes[r.URL.Path]; ok {
			writeJSON(w, http.StatusOK, fixtures[name])
			return
		}
		writeJSON(w, http.StatusNotFound, fixtures["error_404.json"])
	})
}

func (f *fake) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.hits)
}

func (f *fake) all() []hit {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.hits)
}

// client returns a client of f with short time-outs unless cfg sets them.
func (f *fake) client(cfg Config) *Client {
	cfg.BaseURL = f.srv.URL
	if cfg.APIKey == "" {
		cfg.APIKey = testKey
	}
	if cfg.CallTimeout == 0 {
		cfg.CallTimeout = time.Second
	}
	if cfg.TotalTimeout == 0 {
		cfg.TotalTimeout = 3 * time.Second
	}
	return New(cfg)
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// headerBody is the JSON body INSEE sends with an error status.
func headerBody(status int, message string) []byte {
	return fmt.Appendf(nil, `{"header":{"statut":%d,"message":%q}}`, status, message)
}

// wantCode fails unless err is an *errs.Error of code.
func wantCode(t *testing.T, err error, code errs.Code) *errs.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("error = nil, want %s", code)
	}
	e, ok := errs.As(err)
	if !ok {
		t.Fatalf("error %v is not an *errs.Error", err)
	}
	if e.Code != code {
		t.Fatalf("error code = %s (%s), want %s", e.Code, e.Message, code)
	}
	return e
}

func wantCompany(t *testing.T, got, want *Company) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", "  ")
		w, _ := json.MarshalIndent(want, "", "  ")
		t.Fatalf("company =\n%s\nwant\n%s", g, w)
	}
}

// modified returns the fixture name changed by edit, on its decoded JSON.
func modified(t *testing.T, name string, edit func(map[string]any)) []byte {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(fixtures[name], &v); err != nil {
		t.Fatal(err)
	}
	edit(v)
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// --- mapping ---

func TestSIRETLookupMapsNameAPEAddressAndActivity(t *testing.T) {
	f := newFixtureFake(t)
	got, err := f.client(Config{}).LookupSIRET(context.Background(), "20000982700037")
	if err != nil {
		t.Fatal(err)
	}
	wantCompany(t, got, &Company{
		SIREN:     "200009827",
		SIRET:     "20000982700037",
		Name:      "SYNDICAT MIXTE POUR LA VALORISATION DES DECHETS DE CORSE",
		LegalName: "SYNDICAT MIXTE POUR LA VALORISATION DES DECHETS DE CORSE",
		APE:       "38.21Z",
		Address: &Address{
			Line1:      "VC ZONE ARTISANALE",
			PostalCode: "20250",
			City:       "CORTE",
			Country:    "FR",
		},
		Active: true,
	})
}

func TestSIRETLookupBuildsStreetLineFromNumberTypeAndStreet(t *testing.T) {
	f := newFixtureFake(t)
	got, err := f.client(Config{}).Lookup(context.Background(), "12000015300011")
	if err != nil {
		t.Fatal(err)
	}
	wantCompany(t, got, &Company{
		SIREN:     "120000153",
		SIRET:     "12000015300011",
		Name:      "DELEGATION GENERALE A L'EMPLOI ET A LA FORMATION PROFESSIONNELLE",
		LegalName: "DELEGATION GENERALE A L'EMPLOI ET A LA FORMATION PROFESSIONNELLE",
		APE:       "84.13Z",
		Address: &Address{
			Line1:      "10 place 5 MARTYRS LYCEE BUFFON",
			Line2:      "10-18",
			PostalCode: "75015",
			City:       "PARIS 15",
			Country:    "FR",
		},
		Active: true,
	})
}

func TestSIRETLookupUsesCurrentPeriodWhereverItIsListed(t *testing.T) {
	// The history fixture with its periods in reverse order: the current
	// period (dateFin null, APE 84.13Z) comes last, after periods of
	// NAF1993 (75.1E) and without APE.
	body := modified(t, "siret_company_history.json", func(v map[string]any) {
		e := v["etablissement"].(map[string]any)
		ps := e["periodesEtablissement"].([]any)
		slices.Reverse(ps)
	})
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ int) { writeJSON(w, http.StatusOK, body) })
	got, err := f.client(Config{}).Lookup(context.Background(), "12000015300011")
	if err != nil {
		t.Fatal(err)
	}
	if got.APE != "84.13Z" || !got.Active {
		t.Fatalf("APE, Active = %q, %v; want the current period's 84.13Z, true", got.APE, got.Active)
	}
}

func TestClosedSIRETIsInactive(t *testing.T) {
	f := newFixtureFake(t)
	got, err := f.client(Config{}).LookupSIRET(context.Background(), "851 643 189 00026")
	if err != nil {
		t.Fatal(err)
	}
	wantCompany(t, got, &Company{
		SIREN:     "851643189",
		SIRET:     "85164318900026",
		Name:      "FREDERIC CONSEIL",
		LegalName: "FREDERIC CONSEIL",
		Address: &Address{
			Line1:      "26 rue DOCTEUR ROUX",
			PostalCode: "22000",
			City:       "SAINT-BRIEUC",
			Country:    "FR",
		},
		Active: false,
	})
}

func TestSIRETOfSoleTraderUsesSignAndKeepsLeadingZeroOfPostalCode(t *testing.T) {
	f := newFixtureFake(t)
	got, err := f.client(Config{}).Lookup(context.Background(), "80133974800031")
	if err != nil {
		t.Fatal(err)
	}
	wantCompany(t, got, &Company{
		SIREN:     "801339748",
		SIRET:     "80133974800031",
		Name:      "PLOMBERIE DUPONT",
		LegalName: "JEAN DUPONT",
		APE:       "43.22A",
		Address: &Address{
			Line1:      "5 bis avenue DE LA GARE",
			Line2:      "RESIDENCE LES TILLEULS",
			Line3:      "BP 12",
			PostalCode: "01000",
			City:       "BOURG-EN-BRESSE",
			Country:    "FR",
		},
		Active:    true,
		FirstName: "JEAN",
		LastName:  "DUPONT",
	})
}

func TestSIRENLookupTakesNameAndAPEFromCurrentPeriodWithoutAddress(t *testing.T) {
	f := newFixtureFake(t)
	got, err := f.client(Config{}).Lookup(context.Background(), "482755741")
	if err != nil {
		t.Fatal(err)
	}
	wantCompany(t, got, &Company{
		SIREN:     "482755741",
		Name:      "ELLISPHERE",
		LegalName: "ELLISPHERE",
		APE:       "82.91Z",
		Active:    true,
	})
}

func TestSIRENOfSoleTraderIsFirstAndLastName(t *testing.T) {
	f := newFixtureFake(t)
	got, err := f.client(Config{}).LookupSIREN(context.Background(), "801339748")
	if err != nil {
		t.Fatal(err)
	}
	wantCompany(t, got, &Company{
		SIREN:     "801339748",
		Name:      "JEAN DUPONT",
		LegalName: "JEAN DUPONT",
		APE:       "43.22A",
		Active:    true,
		FirstName: "JEAN",
		LastName:  "DUPONT",
	})
}

func TestCeasedSIRENIsInactive(t *testing.T) {
	body := modified(t, "siren_individual_entrepreneur.json", func(v map[string]any) {
		ps := v["uniteLegale"].(map[string]any)["periodesUniteLegale"].([]any)
		ps[0].(map[string]any)["etatAdministratifUniteLegale"] = "C"
	})
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ int) { writeJSON(w, http.StatusOK, body) })
	got, err := f.client(Config{}).LookupSIREN(context.Background(), "801339748")
	if err != nil {
		t.Fatal(err)
	}
	if got.Active {
		t.Fatal("Active = true for a ceased company (C)")
	}
}

func TestMaskedNDValuesOfPartlyPublicUnitAreNeverReturned(t *testing.T) {
	f := newFixtureFake(t)
	got, err := f.client(Config{}).LookupSIRET(context.Background(), "80133974800049")
	if err != nil {
		t.Fatal(err)
	}
	wantCompany(t, got, &Company{
		SIREN:     "801339748",
		SIRET:     "80133974800049",
		Name:      "DUPONT",
		LegalName: "DUPONT",
		APE:       "43.22A",
		Address: &Address{
			City:    "LYON 3EME ARRONDISSEMENT",
			Country: "FR",
		},
		Active:   true,
		LastName: "DUPONT",
	})
	if b, _ := json.Marshal(got); strings.Contains(string(b), "ND]") {
		t.Fatalf("[ND] leaked into %s", b)
	}
}

func TestAllMaskedAddressIsNil(t *testing.T) {
	var a adresse
	if err := json.Unmarshal([]byte(`{"numeroVoieEtablissement":"[ND]","libelleVoieEtablissement":"[ND]",
		"codePostalEtablissement":"[ND]","libelleCommuneEtablissement":"[ND]"}`), &a); err != nil {
		t.Fatal(err)
	}
	if got := a.toAddress(); got != nil {
		t.Fatalf("address = %+v, want nil", got)
	}
}

func TestMissingKeysAndNullsAreAbsentValues(t *testing.T) {
	body := []byte(`{"etablissement":{"siret":"20000982700037","uniteLegale":{"denominationUniteLegale":"ACME"}}}`)
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ int) { writeJSON(w, http.StatusOK, body) })
	got, err := f.client(Config{}).LookupSIRET(context.Background(), "20000982700037")
	if err != nil {
		t.Fatal(err)
	}
	wantCompany(t, got, &Company{SIREN: "200009827", SIRET: "20000982700037", Name: "ACME", LegalName: "ACME"})
}

func TestForeignAddressGetsItsCountry(t *testing.T) {
	for _, tc := range []struct {
		json string
		want Address
	}{
		{`{"numeroVoieEtablissement":"12","libelleVoieEtablissement":"HAUPTSTRASSE",
			"libelleCommuneEtrangerEtablissement":"10115 BERLIN",
			"codePaysEtrangerEtablissement":"99109","libellePaysEtrangerEtablissement":"ALLEMAGNE"}`,
			Address{Line1: "12 HAUPTSTRASSE", City: "10115 BERLIN", Country: "DE"}},
		{`{"libelleCommuneEtrangerEtablissement":"NOWHERE",
			"codePaysEtrangerEtablissement":"99998","libellePaysEtrangerEtablissement":"ATLANTIDE"}`,
			Address{City: "NOWHERE", Country: "ATLANTIDE"}},
		{`{"libelleCommuneEtablissement":"PARIS 8","codePostalEtablissement":"75008",
			"codePaysEtrangerEtablissement":"99100"}`,
			Address{PostalCode: "75008", City: "PARIS 8", Country: "FR"}},
	} {
		var a adresse
		if err := json.Unmarshal([]byte(tc.json), &a); err != nil {
			t.Fatal(err)
		}
		if got := a.toAddress(); got == nil || *got != tc.want {
			t.Errorf("address of %s = %+v, want %+v", tc.json, got, tc.want)
		}
	}
}

func TestStreetLineExpandsTypeAndRepetitionIndex(t *testing.T) {
	for _, tc := range []struct {
		num, idx, typ, street text
		want                  string
	}{
		{"12", "B", "RUE", "DE LA PAIX", "12 bis rue DE LA PAIX"},
		{"3", "T", "BD", "VOLTAIRE", "3 ter boulevard VOLTAIRE"},
		{"1", "Q", "AV", "FOCH", "1 quater avenue FOCH"},
		{"7", "A", "IMP", "DES LILAS", "7A impasse DES LILAS"},
		{"2", "", "PL", "DE LA MAIRIE", "2 place DE LA MAIRIE"},
		{"", "B", "CHE", "DU MOULIN", "chemin DU MOULIN"},
		{"4", "", "ALL", "DES PINS", "4 allée DES PINS"},
		{"9", "", "QUAI", "DE LA LOIRE", "9 quai DE LA LOIRE"},
		{"", "", "QUA", "DES HALLES", "quartier DES HALLES"},
		{"5", "", "RTE", "DE LYON", "5 route DE LYON"},
		{"6", "", "CRS", "MIRABEAU", "6 cours MIRABEAU"},
		{"8", "", "SQ", "DU PARC", "8 square DU PARC"},
		{"10", "", "XYZ", "INCONNUE", "10 XYZ INCONNUE"},
		{"", "", "", "", ""},
	} {
		if got := streetLine(tc.num, tc.idx, tc.typ, tc.street); got != tc.want {
			t.Errorf("streetLine(%q, %q, %q, %q) = %q, want %q", tc.num, tc.idx, tc.typ, tc.street, got, tc.want)
		}
	}
}

func TestTextDecodesNullNDAndNumbersAsStrings(t *testing.T) {
	var v struct{ A, B, C, D, E text }
	if err := json.Unmarshal([]byte(`{"A":null,"B":"[ND]","C":" 01000 ","D":75008}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.A != "" || v.B != "" || v.C != "01000" || v.D != "75008" || v.E != "" {
		t.Fatalf("decoded %+v", v)
	}
}

// --- requests ---

func TestRequestsUseDocumentedPathsAndHeaders(t *testing.T) {
	f := newFixtureFake(t)
	c := f.client(Config{})
	if _, err := c.LookupSIRET(context.Background(), "20000982700037"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.LookupSIREN(context.Background(), "482755741"); err != nil {
		t.Fatal(err)
	}
	hits := f.all()
	if len(hits) != 2 {
		t.Fatalf("%d requests, want 2", len(hits))
	}
	for i, want := range []string{"/siret/20000982700037", "/siren/482755741"} {
		h := hits[i]
		if h.method != http.MethodGet || h.path != want || h.key != testKey || h.accept != "application/json" {
			t.Errorf("request %d = %s %s key %q accept %q; want GET %s key %q accept application/json",
				i, h.method, h.path, h.key, h.accept, want, testKey)
		}
	}
}

func TestBaseURLWithPathAndTrailingSlashIsKept(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		writeJSON(w, http.StatusOK, fixtures["siret_company.json"])
	})
	c := New(Config{BaseURL: f.srv.URL + "/api-sirene/3.11/", APIKey: testKey})
	if _, err := c.Lookup(context.Background(), "20000982700037"); err != nil {
		t.Fatal(err)
	}
	if p := f.all()[0].path; p != "/api-sirene/3.11/siret/20000982700037" {
		t.Fatalf("path = %s", p)
	}
}

func TestInvalidIdentifierIsRefusedWithoutRequest(t *testing.T) {
	f := newFixtureFake(t)
	c := f.client(Config{})
	ctx := context.Background()
	for name, lookup := range map[string]func() (*Company, error){
		"SIRET with a wrong check digit":       func() (*Company, error) { return c.Lookup(ctx, "20000982700038") },
		"SIRET of an invalid SIREN":            func() (*Company, error) { return c.LookupSIRET(ctx, "20000982800019") },
		"SIREN with a wrong check digit":       func() (*Company, error) { return c.Lookup(ctx, "482 755 742") },
		"LookupSIREN with a wrong check digit": func() (*Company, error) { return c.LookupSIREN(ctx, "482755742") },
		"LookupSIRET given a SIREN":            func() (*Company, error) { return c.LookupSIRET(ctx, "482755741") },
		"LookupSIREN given a SIRET":            func() (*Company, error) { return c.LookupSIREN(ctx, "20000982700037") },
		"wrong length":                         func() (*Company, error) { return c.Lookup(ctx, "12345") },
		"letters":                              func() (*Company, error) { return c.Lookup(ctx, "ABCDEFGHI") },
		"empty":                                func() (*Company, error) { return c.Lookup(ctx, "") },
	} {
		co, err := lookup()
		if co != nil {
			t.Errorf("%s: company %+v", name, co)
		}
		e := wantCode(t, err, errs.BadUserInput)
		if e.Field != "identifier" {
			t.Errorf("%s: field = %q, want identifier", name, e.Field)
		}
	}
	if n := f.count(); n != 0 {
		t.Fatalf("%d requests for invalid identifiers, want 0", n)
	}
}

func TestIdentifierWithSpacesDotsAndDashesIsAccepted(t *testing.T) {
	f := newFixtureFake(t)
	c := f.client(Config{})
	if _, err := c.Lookup(context.Background(), "732 829 320 00074"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Lookup(context.Background(), " 482.755-741 "); err != nil {
		t.Fatal(err)
	}
	hits := f.all()
	if len(hits) != 2 || hits[0].path != "/siret/73282932000074" || hits[1].path != "/siren/482755741" {
		t.Fatalf("requests = %+v", hits)
	}
}

func TestMissingAPIKeyFailsWithoutRequest(t *testing.T) {
	f := newFixtureFake(t)
	c := New(Config{BaseURL: f.srv.URL})
	_, err := c.Lookup(context.Background(), "20000982700037")
	wantCode(t, err, errs.SireneUnavailable)
	if f.count() != 0 {
		t.Fatal("a request was sent without key")
	}
}

// --- statuses ---

func TestStatus404IsSireneNotFound(t *testing.T) {
	f := newFixtureFake(t)
	_, err := f.client(Config{}).Lookup(context.Background(), "999999998")
	e := wantCode(t, err, errs.SireneNotFound)
	if !strings.Contains(e.Message, "999999998") || strings.Contains(e.Message, "Aucun") {
		t.Errorf("message = %q", e.Message)
	}
	if n := f.count(); n != 1 {
		t.Fatalf("%d requests, want 1 (no retry)", n)
	}
}

func TestStatus301IsSireneNotFoundAndRedirectIsNotFollowed(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if r.URL.Path == "/siren/482755741" {
			w.Header().Set("Location", "/siren/801339748")
			writeJSON(w, http.StatusMovedPermanently, headerBody(301, "Unité légale fusionnée"))
			return
		}
		writeJSON(w, http.StatusOK, fixtures["siren_individual_entrepreneur.json"])
	})
	_, err := f.client(Config{}).Lookup(context.Background(), "482755741")
	wantCode(t, err, errs.SireneNotFound)
	if n := f.count(); n != 1 {
		t.Fatalf("%d requests, want 1: the redirect must not be followed", n)
	}
}

func TestStatus403IsForbiddenNonDiffusible(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		writeJSON(w, http.StatusForbidden, headerBody(403, "Unité légale non diffusable"))
	})
	_, err := f.client(Config{}).Lookup(context.Background(), "482755741")
	e := wantCode(t, err, errs.Forbidden)
	if e.Message != "this company is not public (non diffusible) in the SIRENE register" {
		t.Errorf("message = %q", e.Message)
	}
	if f.count() != 1 {
		t.Fatal("403 was retried")
	}
}

func TestStatus400IsBadUserInput(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		writeJSON(w, http.StatusBadRequest, headerBody(400, "Bad Request"))
	})
	_, err := f.client(Config{}).Lookup(context.Background(), "482755741")
	if e := wantCode(t, err, errs.BadUserInput); e.Field != "identifier" {
		t.Errorf("field = %q", e.Field)
	}
}

func TestStatus401IsUnavailableWithRefusedKeyAndNotRetried(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		writeJSON(w, http.StatusUnauthorized, headerBody(401, "Unauthorized"))
	})
	_, err := f.client(Config{}).Lookup(context.Background(), "482755741")
	e := wantCode(t, err, errs.SireneUnavailable)
	if e.Message != "the SIRENE API key was refused" {
		t.Errorf("message = %q", e.Message)
	}
	if f.count() != 1 {
		t.Fatal("401 was retried")
	}
}

func TestUnexpectedStatusIsUnavailable(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		writeJSON(w, http.StatusNotAcceptable, headerBody(406, "Not Acceptable"))
	})
	_, err := f.client(Config{}).Lookup(context.Background(), "482755741")
	wantCode(t, err, errs.SireneUnavailable)
	if f.count() != 1 {
		t.Fatal("406 was retried")
	}
}

func TestStatusDecidesNotHeaderMessage(t *testing.T) {
	// A 200 whose header says 404 is a success; a 404 whose header says
	// "ok" is a not found.
	body := modified(t, "siret_company.json", func(v map[string]any) {
		v["header"] = map[string]any{"statut": 404, "message": "Aucun élément trouvé"}
	})
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if strings.HasPrefix(r.URL.Path, "/siret/") {
			writeJSON(w, http.StatusOK, body)
			return
		}
		writeJSON(w, http.StatusNotFound, headerBody(200, "ok"))
	})
	c := f.client(Config{})
	if _, err := c.Lookup(context.Background(), "20000982700037"); err != nil {
		t.Fatal(err)
	}
	_, err := c.Lookup(context.Background(), "482755741")
	wantCode(t, err, errs.SireneNotFound)
}

func TestMalformedAnswerIsUnavailable(t *testing.T) {
	for _, body := range []string{
		`{"etablissement": {"siret": "2000`,
		`<html>maintenance</html>`,
		`{"header":{"statut":200,"message":"ok"}}`,
		`{"etablissement": []}`,
	} {
		f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ int) { writeJSON(w, http.StatusOK, []byte(body)) })
		_, err := f.client(Config{}).Lookup(context.Background(), "20000982700037")
		e := wantCode(t, err, errs.SireneUnavailable)
		if strings.Contains(e.Message, "json") || strings.Contains(e.Message, "unexpected") {
			t.Errorf("message %q shows internals", e.Message)
		}
		if f.count() != 1 {
			t.Errorf("malformed answer %q was retried", body)
		}
	}
}

// --- time-outs and retries ---

func TestSlowServerIsUnavailableWithinTotalTimeout(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		select {
		case <-time.After(3 * time.Second):
		case <-r.Context().Done():
			return
		}
		writeJSON(w, http.StatusOK, fixtures["siret_company.json"])
	})
	c := f.client(Config{CallTimeout: 200 * time.Millisecond, TotalTimeout: 700 * time.Millisecond})
	start := time.Now()
	_, err := c.Lookup(context.Background(), "20000982700037")
	elapsed := time.Since(start)
	e := wantCode(t, err, errs.SireneUnavailable)
	if elapsed > 700*time.Millisecond+300*time.Millisecond {
		t.Errorf("lookup took %v, want about the total time-out of 700ms", elapsed)
	}
	if n := f.count(); n < 2 {
		t.Errorf("%d calls, want the timed-out call retried", n)
	}
	if strings.Contains(e.Message, "context") || strings.Contains(e.Message, "127.0.0.1") {
		t.Errorf("message %q shows internals", e.Message)
	}
}

func TestCallerCancellationStopsLookup(t *testing.T) {
	f := newFixtureFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := f.client(Config{}).Lookup(ctx, "20000982700037")
	wantCode(t, err, errs.SireneUnavailable)
	if f.count() != 0 {
		t.Fatal("a request was sent after cancellation")
	}
}

func TestStatus429ThenSuccessWaitsRetryAfter(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			writeJSON(w, http.StatusTooManyRequests, headerBody(429, "Too Many Requests"))
			return
		}
		writeJSON(w, http.StatusOK, fixtures["siret_company.json"])
	})
	start := time.Now()
	got, err := f.client(Config{}).Lookup(context.Background(), "20000982700037")
	if err != nil {
		t.Fatal(err)
	}
	hits := f.all()
	if len(hits) != 2 {
		t.Fatalf("%d requests, want 2", len(hits))
	}
	if gap := hits[1].at.Sub(hits[0].at); gap < time.Second {
		t.Errorf("retried after %v, want at least Retry-After: 1s", gap)
	}
	if time.Since(start) < time.Second || got.SIREN != "200009827" {
		t.Errorf("elapsed %v, company %+v", time.Since(start), got)
	}
}

func TestStatus429ForeverIsRateLimited(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		writeJSON(w, http.StatusTooManyRequests, headerBody(429, "Too Many Requests"))
	})
	_, err := f.client(Config{MaxRetries: 2}).Lookup(context.Background(), "20000982700037")
	wantCode(t, err, errs.RateLimited)
	if n := f.count(); n != 3 {
		t.Fatalf("%d requests, want 1 + 2 retries", n)
	}
}

func TestRetryAfterBeyondTotalTimeoutGivesUpAtOnce(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Retry-After", "30")
		writeJSON(w, http.StatusTooManyRequests, headerBody(429, "Too Many Requests"))
	})
	start := time.Now()
	_, err := f.client(Config{TotalTimeout: time.Second}).Lookup(context.Background(), "20000982700037")
	wantCode(t, err, errs.RateLimited)
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("gave up after %v, want at once", d)
	}
	if n := f.count(); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
}

func TestStatus503ForeverIsUnavailableAfterRetries(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		writeJSON(w, http.StatusServiceUnavailable, headerBody(503, "Service Unavailable"))
	})
	_, err := f.client(Config{}).Lookup(context.Background(), "20000982700037")
	wantCode(t, err, errs.SireneUnavailable)
	if n := f.count(); n != 1+DefaultMaxRetries {
		t.Fatalf("%d requests, want 1 + %d retries", n, DefaultMaxRetries)
	}
}

func TestStatus503ThenSuccessIsRetried(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n == 1 {
			writeJSON(w, http.StatusServiceUnavailable, headerBody(503, "Service Unavailable"))
			return
		}
		writeJSON(w, http.StatusOK, fixtures["siret_company.json"])
	})
	got, err := f.client(Config{}).Lookup(context.Background(), "20000982700037")
	if err != nil {
		t.Fatal(err)
	}
	if got.SIRET != "20000982700037" || f.count() != 2 {
		t.Fatalf("company %+v after %d requests", got, f.count())
	}
}

func TestUnreachableServerIsUnavailableWithoutInternals(t *testing.T) {
	f := newFixtureFake(t)
	c := f.client(Config{MaxRetries: 1})
	f.srv.Close()
	_, err := c.Lookup(context.Background(), "20000982700037")
	e := wantCode(t, err, errs.SireneUnavailable)
	for _, leak := range []string{"127.0.0.1", "dial", "refused", testKey, "http"} {
		if strings.Contains(e.Message, leak) {
			t.Errorf("message %q contains %q", e.Message, leak)
		}
	}
}

func TestBackoffGrowsWithJitterAndIsCapped(t *testing.T) {
	for range 20 {
		b := newBackOff()
		for attempt, max := range []time.Duration{10, 20, 40, 40, 40} {
			max *= time.Millisecond
			if d := b.NextBackOff(); d < max/2 || d > max {
				t.Fatalf("backoff %d = %v, want in [%v, %v]", attempt, d, max/2, max)
			}
		}
	}
}

func TestRetryAfterAcceptsSecondsAndHTTPDate(t *testing.T) {
	now := time.Date(2025, 9, 20, 10, 0, 0, 0, time.UTC)
	for h, want := range map[string]time.Duration{
		"":                              0,
		"1":                             time.Second,
		" 30 ":                          30 * time.Second,
		"-4":                            0,
		"soon":                          0,
		"Sat, 20 Sep 2025 10:00:05 GMT": 5 * time.Second,
		"Sat, 20 Sep 2025 09:00:00 GMT": 0,
	} {
		if got := retryAfter(h, now); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", h, got, want)
		}
	}
}

// --- cache ---

func TestSecondLookupIsServedFromCache(t *testing.T) {
	f := newFixtureFake(t)
	c := f.client(Config{})
	first, err := c.Lookup(context.Background(), "20000982700037")
	if err != nil {
		t.Fatal(err)
	}
	first.Name = "changed by the caller"
	first.Address.City = "changed by the caller"
	second, err := c.Lookup(context.Background(), "200 009 827 00037")
	if err != nil {
		t.Fatal(err)
	}
	if n := f.count(); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
	if second.Name == first.Name || second.Address.City == first.Address.City {
		t.Fatal("a caller's change reached the cache")
	}
}

func TestNotFoundIsCached(t *testing.T) {
	f := newFixtureFake(t)
	c := f.client(Config{})
	for range 2 {
		_, err := c.Lookup(context.Background(), "999999998")
		wantCode(t, err, errs.SireneNotFound)
	}
	if n := f.count(); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
}

func TestFailuresAreNotCached(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n == 1 {
			writeJSON(w, http.StatusForbidden, headerBody(403, "non diffusable"))
			return
		}
		writeJSON(w, http.StatusOK, fixtures["siret_company.json"])
	})
	c := f.client(Config{})
	_, err := c.Lookup(context.Background(), "20000982700037")
	wantCode(t, err, errs.Forbidden)
	if _, err := c.Lookup(context.Background(), "20000982700037"); err != nil {
		t.Fatal(err)
	}
}

func TestCacheEntriesExpireAfterTTL(t *testing.T) {
	f := newFixtureFake(t)
	c := f.client(Config{CacheTTL: 50 * time.Millisecond})
	ctx := context.Background()
	if _, err := c.Lookup(ctx, "20000982700037"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(80 * time.Millisecond)
	if _, err := c.Lookup(ctx, "20000982700037"); err != nil {
		t.Fatal(err)
	}
	if n := f.count(); n != 2 {
		t.Fatalf("%d requests, want 2 after expiry", n)
	}
	off := f.client(Config{CacheTTL: -1})
	for range 2 {
		if _, err := off.Lookup(ctx, "482755741"); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.count(); n != 4 {
		t.Fatalf("%d requests, want 4 with the cache off", n)
	}
}

func TestCacheIsBoundedLeastRecentlyUsedFirst(t *testing.T) {
	c := newCache(3, time.Hour)
	for _, k := range []string{"a", "b", "c"} {
		c.putCompany(k, &Company{SIREN: k})
	}
	c.get("a") // a is now the most recently used
	c.putNotFound("d", "gone")
	if c.lru.Len() != 3 {
		t.Fatalf("len = %d, want 3", c.lru.Len())
	}
	if _, _, ok := c.get("b"); ok {
		t.Fatal("b, the least recently used, was kept")
	}
	for _, k := range []string{"a", "c", "d"} {
		if _, _, ok := c.get(k); !ok {
			t.Fatalf("%s was evicted", k)
		}
	}
	if co, msg, _ := c.get("d"); co != nil || msg != "gone" {
		t.Fatalf("not-found entry = %+v, %q", co, msg)
	}
}

// --- limiter ---

func TestProcessWideLimiterSpreadsConcurrentCalls(t *testing.T) {
	SetRateLimit(60, 2)
	t.Cleanup(noLimit)
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		writeJSON(w, http.StatusOK, fixtures["siret_company.json"])
	})
	// Two clients: the limit is shared by the process, not per client.
	c1 := f.client(Config{TotalTimeout: 6 * time.Second})
	c2 := f.client(Config{TotalTimeout: 6 * time.Second})
	sirets := []string{"80133974800007", "80133974800015", "80133974800023", "80133974800056", "80133974800064"}
	var wg sync.WaitGroup
	errc := make(chan error, len(sirets))
	for i, s := range sirets {
		c := c1
		if i%2 == 1 {
			c = c2
		}
		wg.Go(func() {
			if _, err := c.LookupSIRET(context.Background(), s); err != nil {
				errc <- err
			}
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
	var at []time.Time
	for _, h := range f.all() {
		at = append(at, h.at)
	}
	if len(at) != 5 {
		t.Fatalf("%d requests, want 5", len(at))
	}
	slices.SortFunc(at, func(a, b time.Time) int { return a.Compare(b) })
	early := 0
	for _, a := range at {
		if a.Sub(at[0]) < 500*time.Millisecond {
			early++
		}
	}
	if early > 2 {
		t.Errorf("%d calls within 500ms, want at most the burst of 2", early)
	}
	// 60 per minute: one more call per second after the burst.
	if d := at[2].Sub(at[0]); d < 900*time.Millisecond {
		t.Errorf("third call %v after the first, want about 1s", d)
	}
	if d := at[4].Sub(at[0]); d < 2800*time.Millisecond {
		t.Errorf("fifth call %v after the first, want about 3s", d)
	}
}

func TestLimiterRefusesCallThatCannotStartBeforeDeadline(t *testing.T) {
	SetRateLimit(1, 1)
	t.Cleanup(noLimit)
	f := newFixtureFake(t)
	c := f.client(Config{TotalTimeout: 300 * time.Millisecond})
	if _, err := c.Lookup(context.Background(), "20000982700037"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err := c.Lookup(context.Background(), "482755741")
	wantCode(t, err, errs.RateLimited)
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Errorf("refused after %v, want at once", d)
	}
	if n := f.count(); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
}

// --- configuration ---

func TestConfigDefaultsAndBounds(t *testing.T) {
	c := New(Config{})
	if c.base != DefaultBaseURL || c.callTimeout != 5*time.Second || c.totalTimeout != 12*time.Second ||
		c.maxRetries != 3 || c.cacheTTL != 24*time.Hour || c.cache.max != 10000 {
		t.Fatalf("defaults = %+v", c)
	}
	if c := New(Config{CallTimeout: time.Minute, MaxRetries: -1}); c.callTimeout != MaxCallTimeout || c.maxRetries != 0 {
		t.Fatalf("call time-out %v, retries %d; want 5s, 0", c.callTimeout, c.maxRetries)
	}
	hc := &http.Client{Timeout: time.Second}
	New(Config{HTTPClient: hc})
	if hc.CheckRedirect != nil {
		t.Fatal("the caller's http.Client was modified")
	}
}
