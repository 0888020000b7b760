package printing_test

import (
	"strings"
	"testing"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/testdb"
)

func TestPrint_TheSheetShowsLabelsInTheOrganisationLanguage(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		tpl := apitest.Str(e.OK(e.TokenA, `{ printTemplates { id } }`, nil), "printTemplates.0.id")
		c := e.Client(e.TokenA, "C0042", "Dupond Industrie", false)
		sub := e.Prospect(e.TokenA, "Dupond Lyon")
		e.FiliationLink(e.TokenA, c, sub, "FILIALE")
		e.Activity(e.TokenA, c, "Relance devis")
		html := func() string {
			t.Helper()
			h := apitest.Get(e.OK(e.TokenA, apitest.PrintSheet, map[string]any{"id": c, "t": tpl, "f": "HTML"}), "printThirdParty")
			status, body, _ := fetch(e, e.TokenA, apitest.Str(h, "url"))
			if status != 200 {
				t.Fatalf("download: %d %s", status, body)
			}
			return string(body)
		}
		raw := []string{"CLIENT", "ACTIVE", "(DOWN)", "NOTE"}
		for _, tc := range []struct {
			language string
			want     []string
		}{
			{"FR", []string{`lang="fr"`, "Client actif", "Filiale (Descendant)", "Liens de filiation", "Identité", "Actions récentes", "Édité par"}},
			{"EN", []string{`lang="en"`, "Active client", "Filiale (Downward)", "Filiation links", "Identity", "Recent activities", "Printed by"}},
		} {
			e.OK(e.TokenA, `mutation($l: Language!) { setOrganisationLanguage(language: $l) { id } }`, map[string]any{"l": tc.language})
			// The sheet follows the organisation, not the request.
			e.Header.Set("Accept-Language", "de")
			sheet := html()
			for _, w := range tc.want {
				if !strings.Contains(sheet, w) {
					t.Errorf("%s: the sheet lacks %q:\n%s", tc.language, w, sheet)
				}
			}
			for _, r := range raw {
				if strings.Contains(sheet, r) {
					t.Errorf("%s: the sheet shows the raw value %q:\n%s", tc.language, r, sheet)
				}
			}
		}
	})
}
