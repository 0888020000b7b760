package printing_test

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/ledongthuc/pdf"

	"carnet/internal/apitest"
	"carnet/internal/db"
	"carnet/internal/testdb"
)

// fetch downloads a URL with a token and returns status and body.
func fetch(e *apitest.Env, token, url string) (int, []byte, http.Header) {
	e.T.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.T.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header
}

// pdfText extracts a PDF's text: with pdftotext (poppler-utils, which CI
// installs) when present, which reads every glyph; else with a Go reader
// that handles Latin-1 text only.
func pdfText(t *testing.T, b []byte) (string, bool) {
	t.Helper()
	if path, err := exec.LookPath("pdftotext"); err == nil {
		f := t.TempDir() + "/sheet.pdf"
		if err := os.WriteFile(f, b, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(path, "-enc", "UTF-8", f, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		return string(out), true
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("pdftotext (poppler-utils) is required in CI")
	}
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a PDF: %v", err)
	}
	tr, err := r.GetPlainText()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	_, _ = out.ReadFrom(tr)
	return out.String(), false
}

func TestPrint_EveryFormatRendersTheRecordAndThePDFExtracts(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		tpl := apitest.Str(e.OK(e.TokenA, `{ printTemplates { id name formats kind } }`, nil), "printTemplates.0.id")
		id := apitest.Str(e.OK(e.TokenA, apitest.CreateProspect, map[string]any{"in": map[string]any{"name": "Œnologie Dupré — Ça coûte 12 €"}}), "createProspect.id")
		e.OK(e.TokenA, `mutation($id: ID!) { createContact(input: {thirdPartyId: $id, lastName: "Şahin", firstName: "Gaëlle", jobTitle: "Directrice, achats; export"}) { id } }`, map[string]any{"id": id})

		p := apitest.Get(e.OK(e.TokenA, apitest.PrintSheet, map[string]any{"id": id, "t": tpl, "f": "PDF"}), "printThirdParty")
		if apitest.Str(p, "contentType") != "application/pdf" || !strings.HasSuffix(apitest.Str(p, "filename"), ".pdf") ||
			!strings.HasPrefix(apitest.Str(p, "filename"), "Œnologie Dupré") || apitest.Get(p, "document") != nil {
			t.Fatalf("pdf result: %v", p)
		}
		status, body, _ := fetch(e, e.TokenA, apitest.Str(p, "url"))
		if status != 200 || !bytes.HasPrefix(body, []byte("%PDF")) {
			t.Fatalf("pdf download: %d %q", status, body[:min(20, len(body))])
		}
		text, full := pdfText(t, body)
		if !strings.Contains(text, "Gaëlle") || !strings.Contains(text, "Dupré") {
			t.Fatalf("pdf text lacks the accented names: %q", text)
		}
		if full {
			for _, s := range []string{"Œnologie Dupré — Ça coûte 12 €", "Şahin"} {
				if !strings.Contains(text, s) {
					t.Fatalf("pdf text lacks %q: %q", s, text)
				}
			}
			if !strings.Contains(strings.ReplaceAll(text, " ", ""), "1/1") {
				t.Fatalf("pdf text lacks the page number: %q", text)
			}
		}

		h := apitest.Get(e.OK(e.TokenA, apitest.PrintSheet, map[string]any{"id": id, "t": tpl, "f": "HTML"}), "printThirdParty")
		_, body, hdr := fetch(e, e.TokenA, apitest.Str(h, "url"))
		if !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") || !strings.Contains(string(body), "Gaëlle") ||
			!strings.Contains(string(body), "Œnologie Dupré") {
			t.Fatalf("html: %s %s", hdr.Get("Content-Type"), body)
		}

		v := apitest.Get(e.OK(e.TokenA, apitest.PrintSheet, map[string]any{"id": id, "t": tpl, "f": "VCARD"}), "printThirdParty")
		_, body, _ = fetch(e, e.TokenA, apitest.Str(v, "url"))
		card := string(body)
		if !strings.Contains(card, "BEGIN:VCARD\r\nVERSION:4.0\r\n") || !strings.Contains(card, "N:Şahin;Gaëlle;;;") ||
			!strings.Contains(card, `TITLE:Directrice\, achats\; export`) || !strings.Contains(card, "END:VCARD\r\n") {
			t.Fatalf("vcard: %q", card)
		}

		// Unattached prints are not listed; attach adds exactly one document.
		docs := `query($id: ID!) { node(id: $id) { ... on ThirdParty { documents { totalCount } } } }`
		if n := apitest.Get(e.OK(e.TokenA, docs, map[string]any{"id": id}), "node.documents.totalCount"); n != 0.0 {
			t.Fatalf("unattached prints listed: %v", n)
		}
		a := apitest.Get(e.OK(e.TokenA, apitest.PrintSheet, map[string]any{"id": id, "t": tpl, "f": "PDF", "a": true}), "printThirdParty")
		if apitest.Str(a, "document.id") == "" {
			t.Fatalf("attach: %v", a)
		}
		if n := apitest.Get(e.OK(e.TokenA, docs, map[string]any{"id": id}), "node.documents.totalCount"); n != 1.0 {
			t.Fatalf("attach created %v documents, want 1", n)
		}

		// Tenants and rights on downloads and templates.
		if status, _, _ := fetch(e, e.TokenB, apitest.Str(p, "url")); status != 404 {
			t.Fatalf("another organisation downloads a print: %d", status)
		}
		e.Fail(e.TokenB, apitest.PrintSheet, map[string]any{"id": id, "t": tpl, "f": "PDF"}, "NOT_FOUND")
		tplB := apitest.Str(e.OK(e.TokenB, `{ printTemplates { id } }`, nil), "printTemplates.0.id")
		e.Fail(e.TokenA, apitest.PrintSheet, map[string]any{"id": id, "t": tplB, "f": "PDF"}, "BAD_USER_INPUT", "templateId")
		reader := e.User(e.TokenA, "reader@alpha.example", 100001)
		e.Fail(reader, apitest.PrintSheet, map[string]any{"id": id, "t": tpl, "f": "PDF", "a": true}, "FORBIDDEN")
		e.Fail(reader, `mutation { createPrintTemplate(input: {name: "X", formats: [HTML], body: "x"}) { id } }`, nil, "FORBIDDEN")
	})
}

// Stored text prints whatever it holds: characters past U+FFFF (which
// the PDF fonts lack) and line breaks that would split a vCard.
func TestPrint_EmojiPrintsInThePDFAndALineBreakCannotSplitTheVCard(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		tpl := apitest.Str(e.OK(e.TokenA, `{ printTemplates { id } }`, nil), "printTemplates.0.id")
		id := e.Prospect(e.TokenA, "Pizza 🍕 ACME\rEMAIL:attacker@evil.example")
		e.OK(e.TokenA, `mutation($id: ID!, $n: String!) { createContact(input: {thirdPartyId: $id, lastName: $n, firstName: "Zoé 😀"}) { id } }`,
			map[string]any{"id": id, "n": "Dupont\rEND:VCARD\rBEGIN:VCARD\rFN:Injected"})
		p := apitest.Get(e.OK(e.TokenA, apitest.PrintSheet, map[string]any{"id": id, "t": tpl, "f": "PDF"}), "printThirdParty")
		if status, body, _ := fetch(e, e.TokenA, apitest.Str(p, "url")); status != 200 || !bytes.HasPrefix(body, []byte("%PDF")) {
			t.Fatalf("pdf of a record with emoji: %d", status)
		}
		v := apitest.Get(e.OK(e.TokenA, apitest.PrintSheet, map[string]any{"id": id, "t": tpl, "f": "VCARD"}), "printThirdParty")
		_, body, _ := fetch(e, e.TokenA, apitest.Str(v, "url"))
		card := string(body)
		begins := 0
		for _, l := range strings.Split(card, "\r\n") {
			if strings.HasPrefix(l, "BEGIN:VCARD") || strings.HasPrefix(l, "EMAIL:") {
				begins++
			}
		}
		if strings.Contains(strings.ReplaceAll(card, "\r\n", ""), "\r") || begins != 1 {
			t.Fatalf("a stored CR split the vCard: %q", card)
		}
		if !strings.Contains(card, `N:Dupont\nEND:VCARD\nBEGIN:VCARD\nFN:Injected;Zoé 😀;;;`) {
			t.Fatalf("vcard: %q", card)
		}
	})
}

func TestPrintTemplates_BrokenOrUnknownFieldsAreRefusedWithTheLine(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		const create = `mutation($b: String!, $f: [PrintFormat!]!) { createPrintTemplate(input: {name: "Essai", formats: $f, body: $b}) { id formats } }`
		for _, tc := range []struct{ name, body, line string }{
			{"does not parse", "<h1>{{.Record.Name}}</h1>\n<p>{{if .Contacts}}</p>", ""},
			{"unknown field", "<h1>{{.Record.Name}}</h1>\n\n<p>{{.Record.Nmae}}</p>", "ligne 3"},
			{"unknown function", "{{frobnicate .Record}}", "ligne 1"},
			{"empty", "  ", ""},
		} {
			r := e.Fail(e.TokenA, create, map[string]any{"b": tc.body, "f": []string{"HTML"}}, "BAD_USER_INPUT", "body")
			if tc.line != "" && !strings.Contains(r.Errors[0].Message, tc.line) {
				t.Errorf("%s: message %q does not name %s", tc.name, r.Errors[0].Message, tc.line)
			}
		}
		e.Fail(e.TokenA, create, map[string]any{"b": "ok", "f": []string{}}, "BAD_USER_INPUT", "formats")
		got := e.OK(e.TokenA, create, map[string]any{"b": "<h1>{{.Record.Name}}</h1>{{range .Contacts}}{{.LastName}}{{end}}", "f": []string{"HTML", "HTML", "PDF"}})
		if f := apitest.Get(got, "createPrintTemplate.formats").([]any); len(f) != 2 {
			t.Fatalf("formats not de-duplicated: %v", f)
		}
		id := apitest.Str(e.OK(e.TokenA, apitest.CreateProspect, map[string]any{"in": map[string]any{"name": "Essai"}}), "createProspect.id")
		e.Fail(e.TokenA, apitest.PrintSheet, map[string]any{"id": id, "t": apitest.Str(got, "createPrintTemplate.id"), "f": "VCARD"}, "BAD_USER_INPUT", "format")
	})
}

// The printed sheet shows a links tab as the record screen does: all the
// record's links when the viewer may open that tab of its kind, none
// otherwise.
func TestPrint_LinksFollowTheRightsOnTheRecordsTab(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		e := apitest.New(t, d)
		tpl := apitest.Str(e.OK(e.TokenA, `{ printTemplates { id } }`, nil), "printTemplates.0.id")
		c := e.Client(e.TokenA, "C1", "Client imprimé", false)
		p := e.Prospect(e.TokenA, "Prospect Facturé")
		e.ManagementLink(e.TokenA, c, "DONORDRE", p, "CL_A_FACT", true)
		print := func(token, id string) string {
			h := apitest.Get(e.OK(token, apitest.PrintSheet, map[string]any{"id": id, "t": tpl, "f": "HTML"}), "printThirdParty")
			_, body, _ := fetch(e, token, apitest.Str(h, "url"))
			return string(body)
		}
		clients := e.User(e.TokenA, "clients@alpha.example", apitest.RightRead, apitest.RightReadClientMgmt)
		if body := print(clients, c); !strings.Contains(body, "Prospect Facturé") {
			t.Fatalf("the client's tab lacks its link to a prospect: %s", body)
		}
		prospects := e.User(e.TokenA, "prospects@alpha.example", apitest.RightRead, apitest.RightReadProspectMgmt)
		if body := print(prospects, c); strings.Contains(body, "Prospect Facturé") {
			t.Fatalf("a client's links printed for a user who may not open its tab: %s", body)
		}
		if body := print(prospects, p); !strings.Contains(body, "Client imprimé") {
			t.Fatalf("the prospect's tab lacks its link to a client: %s", body)
		}
	})
}
