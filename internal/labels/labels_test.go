package labels_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/testdb"
)

const recordLabels = `query($id: ID!) { node(id: $id) { ... on ThirdParty { kind kindLabel status statusLabel } } }`

const screenLabels = `query($a: ID!) {
  linkTypes(category: FILIATION) { code category categoryLabel direction directionLabel }
  search(query: "Dupré") { kind kindLabel }
  node(id: $a) { ... on Activity { type typeLabel } }
  me { organisation { language languageLabel features featureLabels } }
}`

// screen is what the labels test reads: a record's kind and status, a
// link type, an activity, a search hit and the organisation.
type screen struct {
	kind, status, category, direction, activity, hit, language string
}

func read(t *testing.T, e *apitest.Env, prospect, activity string) screen {
	t.Helper()
	rec := apitest.Get(e.OK(e.TokenA, recordLabels, map[string]any{"id": prospect}), "node")
	d := e.OK(e.TokenA, screenLabels, map[string]any{"a": activity})
	var s screen
	s.kind, s.status = apitest.Str(rec, "kindLabel"), apitest.Str(rec, "statusLabel")
	for _, lt := range apitest.Get(d, "linkTypes").([]any) {
		if apitest.Str(lt, "code") == "FILIALE" {
			s.category, s.direction = apitest.Str(lt, "categoryLabel"), apitest.Str(lt, "directionLabel")
		}
	}
	s.activity = apitest.Str(d, "node.typeLabel")
	s.hit = apitest.Str(d, "search.0.kindLabel")
	s.language = apitest.Str(d, "me.organisation.languageLabel")
	return s
}

func TestLabels_FrenchByDefaultEnglishWithAcceptLanguage(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		p := e.Prospect(e.TokenA, "Œnologie Dupré")
		a := e.Activity(e.TokenA, p, "Relance")
		fr := screen{"Prospect", "Prospect brouillon", "Filiation", "Descendant", "Note", "Prospect", "Français"}
		if got := read(t, e, p, a); got != fr {
			t.Errorf("without Accept-Language: %+v, want %+v", got, fr)
		}
		e.Header.Set("Accept-Language", "en-GB,en;q=0.9")
		en := screen{"Prospect", "Draft prospect", "Filiation", "Downward", "Note", "Prospect", "French"}
		if got := read(t, e, p, a); got != en {
			t.Errorf("Accept-Language: en: %+v, want %+v", got, en)
		}
		e.Header.Set("Accept-Language", "de")
		if got := read(t, e, p, a); got != fr {
			t.Errorf("Accept-Language: de falls back to the organisation's: %+v", got)
		}
		e.Header.Del("Accept-Language")
		c := e.Client(e.TokenA, "C1", "Client Un", true)
		if got := apitest.Str(e.OK(e.TokenA, recordLabels, map[string]any{"id": c}), "node.statusLabel"); got != "Client fermé" {
			t.Errorf("closed client: %q", got)
		}
		got := e.OK(e.TokenA, `{ me { organisation { features featureLabels } } printTemplates { formats formatLabels } }`, nil)
		if l := apitest.Get(got, "me.organisation.featureLabels").([]any); len(l) != 2 || l[0] != "Liens de gestion" {
			t.Errorf("features: %v", got)
		}
		if l := apitest.Get(got, "printTemplates.0.formatLabels").([]any); len(l) == 0 || strings.Contains(l[0].(string), "_") {
			t.Errorf("formats: %v", got)
		}
	})
}

func TestLabels_TheOrganisationLanguageAppliesWithoutAcceptLanguage(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		p := e.Prospect(e.TokenA, "Dupré")
		const set = `mutation($l: Language!) { setOrganisationLanguage(language: $l) { language languageLabel } }`
		rep := e.User(e.TokenA, "rep@alpha.example", 100001, 100002)
		e.Fail(rep, set, map[string]any{"l": "EN"}, "FORBIDDEN")
		e.Fail(e.TokenA, set, map[string]any{"l": "en"}, "BAD_USER_INPUT")
		got := e.OK(e.TokenA, set, map[string]any{"l": "EN"})
		if apitest.Str(got, "setOrganisationLanguage.language") != "EN" {
			t.Fatalf("set: %v", got)
		}
		if got := apitest.Str(e.OK(e.TokenA, recordLabels, map[string]any{"id": p}), "node.statusLabel"); got != "Draft prospect" {
			t.Errorf("organisation in English, no header: %q", got)
		}
		e.Header.Set("Accept-Language", "fr")
		if got := apitest.Str(e.OK(e.TokenA, recordLabels, map[string]any{"id": p}), "node.statusLabel"); got != "Prospect brouillon" {
			t.Errorf("organisation in English, Accept-Language: fr: %q", got)
		}
		e.Header.Del("Accept-Language")
		// The other organisation still speaks French.
		pb := e.Prospect(e.TokenB, "Bêta")
		if got := apitest.Str(e.OK(e.TokenB, recordLabels, map[string]any{"id": pb}), "node.statusLabel"); got != "Prospect brouillon" {
			t.Errorf("organisation B: %q", got)
		}
		e.OK(e.TokenA, set, map[string]any{"l": "FR"})
		if got := apitest.Str(e.OK(e.TokenA, `{ me { organisation { language } } }`, nil), "me.organisation.language"); got != "FR" {
			t.Errorf("back to French: %q", got)
		}
	})
}

func TestErrors_SameCodeInFrenchAndEnglish(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		s := e.Client(e.TokenA, "C1", "Client Un", false)
		const validate = `mutation($id: ID!) { validateProspect(id: $id) { id } }`
		fr := e.Fail(e.TokenA, validate, map[string]any{"id": s}, "BAD_USER_INPUT", "id")
		if msg := fr.Errors[0].Message; msg != "seul un prospect peut être validé ; ce tiers est : Client" {
			t.Errorf("fr: %q", msg)
		}
		const create = `mutation { createProspect(input: {name: "X", email: "pas une adresse"}) { id } }`
		if msg := e.Fail(e.TokenA, create, nil, "BAD_USER_INPUT", "email").Errors[0].Message; msg != "email : n'est pas une adresse e-mail valide" {
			t.Errorf("fr, a validation error: %q", msg)
		}
		e.Header.Set("Accept-Language", "en")
		en := e.Fail(e.TokenA, validate, map[string]any{"id": s}, "BAD_USER_INPUT", "id")
		if msg := en.Errors[0].Message; msg != "only a prospect can be validated; this third party is a CLIENT" {
			t.Errorf("en: %q", msg)
		}
		if msg := e.Fail(e.TokenA, create, nil, "BAD_USER_INPUT", "email").Errors[0].Message; msg != "email: is not a valid e-mail address" {
			t.Errorf("en, a validation error: %q", msg)
		}
	})
}

func TestErrors_BeforeAuthenticationFollowAcceptLanguage(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		for _, tc := range []struct{ header, want string }{
			{"", "envoyez un jeton : Authorization: Bearer <jeton>"},
			{"en", "send a bearer token: Authorization: Bearer <token>"},
		} {
			req, _ := http.NewRequest(http.MethodPost, e.Server.URL+"/graphql", bytes.NewReader([]byte(`{"query":"{ me { name } }"}`)))
			req.Header.Set("Content-Type", "application/json")
			if tc.header != "" {
				req.Header.Set("Accept-Language", tc.header)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var r apitest.Result
			err = json.NewDecoder(resp.Body).Decode(&r)
			resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusUnauthorized || r.Code() != "UNAUTHENTICATED" || r.Errors[0].Message != tc.want {
				t.Errorf("Accept-Language %q: %d %+v %v", tc.header, resp.StatusCode, r.Errors, err)
			}
		}
	})
}
