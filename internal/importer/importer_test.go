package importer_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"carnet/ent"
	"carnet/ent/schema/enum"
	"carnet/ent/thirdparty"
	"carnet/internal/addressbook"
	"carnet/internal/admin"
	"carnet/internal/db"
	"carnet/internal/importer"
	"carnet/internal/rights"
	"carnet/internal/testdb"
	"carnet/internal/viewer"
)

// Valid identifiers (checksums hold).
const (
	siret1 = "73282932000074" // SIREN 732829320
	siret2 = "44306184100047" // SIREN 443061841
)

// newOrg creates an organisation as `carnet init` does.
func newOrg(t *testing.T, d *db.DB, name string) *ent.Organisation {
	t.Helper()
	ctx := context.Background()
	var b *admin.Bootstrap
	err := db.WithTx(ctx, d.Client, func(tx *ent.Client) error {
		var err error
		b, err = admin.CreateOrganisation(ctx, tx, name, "admin@"+strings.ToLower(strings.Fields(name)[0])+".example")
		return err
	})
	if err != nil {
		t.Fatalf("create organisation %q: %v", name, err)
	}
	return b.Organisation
}

// readerCtx is a viewer of org who reads the address book, closed clients
// included.
func readerCtx(org *ent.Organisation) context.Context {
	return viewer.NewContext(context.Background(), &viewer.Viewer{
		OrgID:  org.ID,
		Rights: rights.NewSet(int(rights.ReadAddressBook), int(rights.SeeClosedClients)),
	})
}

// importCSV runs the import, turning a panic into a test failure so that
// one crashing case does not take the other tests down with it.
func importCSV(t *testing.T, d *db.DB, orgName, csv string) (rep *importer.Report, err error) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Errorf("importer.Clients panicked: %v", p)
			rep, err = nil, fmt.Errorf("panic: %v", p)
		}
	}()
	return importer.Clients(context.Background(), d.Client, orgName, strings.NewReader(csv))
}

// mustImport runs an import that must not fail as a whole.
func mustImport(t *testing.T, d *db.DB, orgName, csv string) *importer.Report {
	t.Helper()
	rep, err := importCSV(t, d, orgName, csv)
	if err != nil {
		t.Fatalf("import refused: %v", err)
	}
	return rep
}

// checkCounts compares a report's counts.
func checkCounts(t *testing.T, rep *importer.Report, created, updated, rejected int) {
	t.Helper()
	if rep.Created != created || rep.Updated != updated || len(rep.Rejected) != rejected {
		t.Fatalf("report = created %d, updated %d, rejected %d (%+v); want created %d, updated %d, rejected %d",
			rep.Created, rep.Updated, len(rep.Rejected), rep.Rejected, created, updated, rejected)
	}
}

// clientOf returns the third party of code in org, failing if there is
// not exactly one.
func clientOf(t *testing.T, d *db.DB, org *ent.Organisation, code string) *ent.ThirdParty {
	t.Helper()
	tp, err := d.Client.ThirdParty.Query().Where(thirdparty.Code(code)).Only(readerCtx(org))
	if err != nil {
		t.Fatalf("client %s of %s: %v", code, org.Name, err)
	}
	return tp
}

// countCode counts the third parties of code in org.
func countCode(t *testing.T, d *db.DB, org *ent.Organisation, code string) int {
	t.Helper()
	n, err := d.Client.ThirdParty.Query().Where(thirdparty.Code(code)).Count(readerCtx(org))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// countAll counts the third parties of org.
func countAll(t *testing.T, d *db.DB, org *ent.Organisation) int {
	t.Helper()
	n, err := d.Client.ThirdParty.Query().Count(readerCtx(org))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func str(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

func TestImportCreatesClientsFromGoodLinesWithNormalisedFields(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		org := newOrg(t, d, "Alpha")
		rep := mustImport(t, d, "",
			"code,name,legalName,siret,apeCode,email,phone,website,line1,postalCode,city\n"+
				"C1,Dupond,Dupond SA,732 829 320 00074,6201z,Contact@Dupond.fr,01 23 45 67 89,www.dupond.fr,12 rue de la Paix,75002,Paris\n"+
				"C2,Martin,,,,,,,,,\n")
		checkCounts(t, rep, 2, 0, 0)

		c1 := clientOf(t, d, org, "C1")
		for _, f := range []struct{ name, got, want string }{
			{"kind", string(c1.Kind), string(enum.Client)},
			{"status", c1.Status.String(), thirdparty.StatusACTIVE.String()},
			{"name", c1.Name, "Dupond"},
			{"legalName", str(c1.LegalName), "Dupond SA"},
			{"siret", str(c1.Siret), siret1},
			{"siren (from the SIRET)", str(c1.Siren), "732829320"},
			{"vatNumber (from the SIREN)", str(c1.VatNumber), "FR44732829320"},
			{"apeCode", str(c1.ApeCode), "62.01Z"},
			{"phone (E.164)", str(c1.Phone), "+33123456789"},
			{"line1", str(c1.AddressLine1), "12 rue de la Paix"},
			{"postalCode", str(c1.PostalCode), "75002"},
			{"city", str(c1.City), "Paris"},
			{"country (French by default)", str(c1.Country), "FR"},
		} {
			if f.got != f.want {
				t.Errorf("C1 %s = %q, want %q", f.name, f.got, f.want)
			}
		}
		if c1.Email == nil || !strings.EqualFold(*c1.Email, "contact@dupond.fr") {
			t.Errorf("C1 email = %q, want contact@dupond.fr", str(c1.Email))
		}
		if c1.Website == nil || !strings.Contains(*c1.Website, "www.dupond.fr") {
			t.Errorf("C1 website = %q, want it to name www.dupond.fr", str(c1.Website))
		}

		c2 := clientOf(t, d, org, "C2")
		if c2.Name != "Martin" || c2.Kind != enum.Client || c2.Status != thirdparty.StatusACTIVE {
			t.Errorf("C2 = %q %s %s, want Martin CLIENT ACTIVE", c2.Name, c2.Kind, c2.Status)
		}
		if c2.Siret != nil || c2.Phone != nil || c2.City != nil || c2.Country != nil {
			t.Errorf("C2 has values for empty cells: siret %q phone %q city %q country %q",
				str(c2.Siret), str(c2.Phone), str(c2.City), str(c2.Country))
		}
		if n := countAll(t, d, org); n != 2 {
			t.Errorf("organisation holds %d third parties, want 2", n)
		}
	})
}

func TestImportingTheSameFileTwiceUpdatesWithoutDuplicates(t *testing.T) {
	const csv = "code;name;siret;phone;city;closed\n" +
		"C1;Boulangerie Lefèvre;" + siret1 + ";01 23 45 67 89;Paris;non\n" +
		"C2;Quincaillerie Martin;" + siret2 + ";;Lyon;oui\n" +
		"C3;Garage Durand;;;;\n"
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		org := newOrg(t, d, "Alpha")
		checkCounts(t, mustImport(t, d, "", csv), 3, 0, 0)
		before := map[string]*ent.ThirdParty{}
		for _, code := range []string{"C1", "C2", "C3"} {
			before[code] = clientOf(t, d, org, code)
		}

		checkCounts(t, mustImport(t, d, "", csv), 0, 3, 0)

		if n := countAll(t, d, org); n != 3 {
			t.Fatalf("after the second import the organisation holds %d third parties, want 3", n)
		}
		for code, b := range before {
			if n := countCode(t, d, org, code); n != 1 {
				t.Errorf("%d clients of code %s, want 1", n, code)
			}
			a := clientOf(t, d, org, code)
			if a.ID != b.ID || a.Name != b.Name || a.Status != b.Status || str(a.Siret) != str(b.Siret) ||
				str(a.Siren) != str(b.Siren) || str(a.Phone) != str(b.Phone) || str(a.City) != str(b.City) || a.Kind != b.Kind {
				t.Errorf("%s changed on re-import: before %+v, after %+v", code, b, a)
			}
		}
	})
}

// An empty address cell keeps the stored part; a cell given replaces it,
// and the country stays French when none was ever given.
func TestImportEmptyAddressCellsKeepTheStoredParts(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		org := newOrg(t, d, "Alpha")
		mustImport(t, d, "", "code;name;line1;postalCode;city\nC7;Client Sept;1 rue de la Paix;75002;Paris\n")
		checkCounts(t, mustImport(t, d, "", "code;name;line1;postalCode;city\nC7;Client Sept;;;Lyon\n"), 0, 1, 0)
		c := clientOf(t, d, org, "C7")
		if str(c.AddressLine1) != "1 rue de la Paix" || str(c.PostalCode) != "75002" || str(c.City) != "Lyon" || str(c.Country) != "FR" {
			t.Fatalf("after an import of the city alone: %q %q %q %q", str(c.AddressLine1), str(c.PostalCode), str(c.City), str(c.Country))
		}
	})
}

func TestImportRejectsBadLineWithItsLineNumberAndKeepsTheGoodOnes(t *testing.T) {
	const header = "code,name,siret,siren,phone,email,website,apeCode,postalCode,country,closed\n"
	cases := []struct {
		name       string
		line       string // line 3, between two good lines
		code       string // the bad line's code, that must not exist after; "" if none
		wantReason string // a word the reason must contain
	}{
		{"SIRET with a bad checksum", "C3,Bad Siret,73282932000075,,,,,,,,", "C3", "siret"},
		{"SIREN with a bad checksum", "C3,Bad Siren,,732829321,,,,,,,", "C3", "siren"},
		{"SIRET of another SIREN", "C3,Mismatch," + siret1 + ",443061841,,,,,,,", "C3", "siret"},
		{"missing name", "C3,,,,,,,,,,", "C3", "name"},
		{"blank name", "C3,   ,,,,,,,,,", "C3", "name"},
		{"missing code", ",No Code,,,,,,,,,", "", "code"},
		{"bad closed value", "C3,Bad Closed,,,,,,,,,peut-être", "C3", "closed"},
		{"bad phone", "C3,Bad Phone,,,12,,,,,,", "C3", "phone"},
		{"bad e-mail", "C3,Bad Mail,,,,not-an-email,,,,,", "C3", "email"},
		{"bad web site", "C3,Bad Site,,,,,http://,,,,", "C3", "website"},
		{"bad APE code", "C3,Bad APE,,,,,,62-01,,,", "C3", "apeCode"},
		{"bad French postal code", "C3,Bad Postal,,,,,,,7500,,", "C3", "postalCode"},
		{"unknown country", "C3,Bad Country,,,,,,,,France,", "C3", "country"},
		{"code longer than 50 characters", strings.Repeat("X", 51) + ",Long Code,,,,,,,,,", strings.Repeat("X", 51), "code"},
		{"bare quote in the name", `C3,Bad "Quote,,,,,,,,,`, "C3", `"`},
		{"bare quote in the code", `C"3,Bad Quote In Code,,,,,,,,,`, `C"3`, `"`},
		{"name longer than 200 characters", "C3," + strings.Repeat("é", 201) + ",,,,,,,,,", "C3", "name"},
		{"not UTF-8 (Latin-1 accents)", "C3,Soci\xe9t\xe9 G\xe9n\xe9rale,,,,,,,,,", "C3", "utf-8"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			testdb.ForEach(t, func(t *testing.T, d *db.DB) {
				org := newOrg(t, d, "Alpha")
				rep := mustImport(t, d, "", header+
					"C2,Good Before,"+siret1+",,01 23 45 67 89,,,,,,\n"+
					c.line+"\n"+
					"C4,Good After,,,,,,,,,non\n")
				checkCounts(t, rep, 2, 0, 1)
				r := rep.Rejected[0]
				if r.Line != 3 {
					t.Errorf("rejected line %d, want 3 (reason %q)", r.Line, r.Reason)
				}
				if !strings.Contains(strings.ToLower(r.Reason), strings.ToLower(c.wantReason)) {
					t.Errorf("reason %q does not name %q", r.Reason, c.wantReason)
				}
				clientOf(t, d, org, "C2")
				clientOf(t, d, org, "C4")
				if c.code != "" {
					if n := countCode(t, d, org, c.code); n != 0 {
						t.Errorf("the rejected line wrote %d client(s) of code %s", n, c.code)
					}
				}
				if n := countAll(t, d, org); n != 2 {
					t.Errorf("organisation holds %d third parties, want the 2 good lines", n)
				}
			})
		})
	}
}

func TestImportRejectedUpdateLeavesTheClientUnchanged(t *testing.T) {
	cases := []struct {
		name, line, wantReason string
	}{
		{"bad phone", "C1,Renamed,12,Lyon,oui", "phone"},
		{"bad closed value", "C1,Renamed,01 98 76 54 32,Lyon,bientôt", "closed"},
		{"blank name", "C1, ,01 98 76 54 32,Lyon,oui", "name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			testdb.ForEach(t, func(t *testing.T, d *db.DB) {
				org := newOrg(t, d, "Alpha")
				const header = "code,name,phone,city,closed\n"
				checkCounts(t, mustImport(t, d, "", header+"C1,Original,01 23 45 67 89,Paris,non\n"), 1, 0, 0)
				before := clientOf(t, d, org, "C1")

				rep := mustImport(t, d, "", header+c.line+"\n")
				checkCounts(t, rep, 0, 0, 1)
				if rep.Rejected[0].Line != 2 || !strings.Contains(rep.Rejected[0].Reason, c.wantReason) {
					t.Errorf("rejection = %+v, want line 2 naming %q", rep.Rejected[0], c.wantReason)
				}
				after := clientOf(t, d, org, "C1")
				if after.Name != "Original" || str(after.Phone) != "+33123456789" || str(after.City) != "Paris" ||
					after.Status != thirdparty.StatusACTIVE || after.Version != before.Version {
					t.Errorf("a rejected line half-updated C1: %+v", after)
				}
			})
		})
	}
}

func TestImportReportsPhysicalLineNumbers(t *testing.T) {
	cases := []struct {
		name      string
		csv       string
		wantLines []int
	}{
		{
			name:      "consecutive bad lines",
			csv:       "code,name,phone\nC1,Un,\nC2,,\nC3,Trois,12\nC4,Quatre,\n",
			wantLines: []int{3, 4},
		},
		{
			name:      "after a quoted value spanning two lines",
			csv:       "code,name,phone\n\"C1\",\"Un\nsuite\",\nC2,Deux,12\n",
			wantLines: []int{4},
		},
		{
			name:      "after blank lines",
			csv:       "code,name,phone\nC1,Un,\n\n\nC2,Deux,12\n",
			wantLines: []int{5},
		},
		{
			name:      "CRLF line ends",
			csv:       "code,name,phone\r\nC1,Un,\r\nC2,,\r\nC3,Trois,\r\nC4,Quatre,12\r\n",
			wantLines: []int{3, 5},
		},
		{
			name:      "quote left open until the end of the file",
			csv:       "code,name,phone\nC1,Un,\n\"C2,Deux,\n",
			wantLines: []int{3},
		},
		{
			name:      "after a UTF-8 BOM",
			csv:       "\ufeffcode;name;phone\nC1;Un;12\n",
			wantLines: []int{2},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			testdb.ForEach(t, func(t *testing.T, d *db.DB) {
				newOrg(t, d, "Alpha")
				rep := mustImport(t, d, "", c.csv)
				var got []int
				for _, r := range rep.Rejected {
					got = append(got, r.Line)
				}
				if fmt.Sprint(got) != fmt.Sprint(c.wantLines) {
					t.Errorf("rejected lines %v (%+v), want %v", got, rep.Rejected, c.wantLines)
				}
			})
		})
	}
}

func TestImportReadsBothSeparatorsWithOrWithoutBOMAndKeepsAccents(t *testing.T) {
	const name = "Société Générale d'Électricité"
	const city = "Saint-Étienne"
	cases := []struct{ name, csv string }{
		{"comma", "code,name,city\nC1," + name + "," + city + "\n"},
		{"semicolon", "code;name;city\nC1;" + name + ";" + city + "\n"},
		{"BOM and comma", "\ufeffcode,name,city\nC1," + name + "," + city + "\n"},
		{"BOM and semicolon", "\ufeffcode;name;city\nC1;" + name + ";" + city + "\n"},
		{"semicolon with commas in values", "code;name;line1;city\nC1;" + name + ";3, rue des Lilas;" + city + "\n"},
		{"comma with quoted value holding a comma", "code,name,line1,city\nC1,\"" + name + "\",\"3, rue des Lilas\"," + city + "\n"},
		{"columns in another order and case", "\ufeffCity;Name;CODE\r\n" + city + ";" + name + ";C1\r\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			testdb.ForEach(t, func(t *testing.T, d *db.DB) {
				org := newOrg(t, d, "Alpha")
				checkCounts(t, mustImport(t, d, "", c.csv), 1, 0, 0)
				tp := clientOf(t, d, org, "C1")
				if tp.Name != name || str(tp.City) != city {
					t.Errorf("C1 = name %q city %q, want %q %q", tp.Name, str(tp.City), name, city)
				}
				if strings.Contains(c.csv, "rue des Lilas") && str(tp.AddressLine1) != "3, rue des Lilas" {
					t.Errorf("C1 line1 = %q, want %q", str(tp.AddressLine1), "3, rue des Lilas")
				}
			})
		})
	}
}

func TestImportClosedColumnClosesAndReopensClients(t *testing.T) {
	// Each step imports C1 with the given closed cell ("-" for no closed
	// column) and expects the status after it.
	steps := []struct {
		closed string
		want   thirdparty.Status
	}{
		{"oui", thirdparty.StatusCLOSED},
		{"non", thirdparty.StatusACTIVE},
		{"OUI", thirdparty.StatusCLOSED},
		{"-", thirdparty.StatusCLOSED}, // no closed column: unchanged
		{"false", thirdparty.StatusACTIVE},
		{"true", thirdparty.StatusCLOSED},
		{"Non", thirdparty.StatusACTIVE},
		{"", thirdparty.StatusACTIVE}, // empty cell: unchanged
	}
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		org := newOrg(t, d, "Alpha")
		for i, s := range steps {
			csv := "code,name,closed\nC1,Client Un," + s.closed + "\n"
			if s.closed == "-" {
				csv = "code,name\nC1,Client Un\n"
			}
			rep := mustImport(t, d, "", csv)
			if len(rep.Rejected) != 0 {
				t.Fatalf("step %d (closed=%q) rejected: %+v", i, s.closed, rep.Rejected)
			}
			tp := clientOf(t, d, org, "C1")
			if tp.Status != s.want || tp.Kind != enum.Client {
				t.Fatalf("step %d (closed=%q): status %s kind %s, want %s CLIENT", i, s.closed, tp.Status, tp.Kind, s.want)
			}
		}
	})
	t.Run("a new client imported closed is created CLOSED", func(t *testing.T) {
		testdb.ForEach(t, func(t *testing.T, d *db.DB) {
			org := newOrg(t, d, "Alpha")
			checkCounts(t, mustImport(t, d, "", "code;name;closed\nC9;Fermé;oui\n"), 1, 0, 0)
			if tp := clientOf(t, d, org, "C9"); tp.Status != thirdparty.StatusCLOSED {
				t.Errorf("C9 status %s, want CLOSED", tp.Status)
			}
		})
	})
}

func TestImportRefusesABadHeaderWhole(t *testing.T) {
	cases := []struct {
		name, csv, wantErr string
	}{
		{"unknown column", "code,name,colour\nC1,Un,rouge\n", "colour"},
		{"unknown column among known ones, semicolon", "code;nom;name\nC1;Un;Un\n", "nom"},
		{"no code column", "name,city\nUn,Paris\n", "code"},
		{"no name column", "code,city\nC1,Paris\n", "name"},
		{"empty file", "", "header"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			testdb.ForEach(t, func(t *testing.T, d *db.DB) {
				org := newOrg(t, d, "Alpha")
				_, err := importCSV(t, d, "", c.csv)
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want an error naming %q", err, c.wantErr)
				}
				if n := countAll(t, d, org); n != 0 {
					t.Errorf("a refused import wrote %d third parties", n)
				}
			})
		})
	}
}

func TestImportChoosesTheOrganisation(t *testing.T) {
	const csv = "code,name\nC1,Un\n"
	t.Run("the only organisation without a name", func(t *testing.T) {
		testdb.ForEach(t, func(t *testing.T, d *db.DB) {
			org := newOrg(t, d, "Alpha")
			checkCounts(t, mustImport(t, d, "", csv), 1, 0, 0)
			clientOf(t, d, org, "C1")
		})
	})
	t.Run("errors", func(t *testing.T) {
		cases := []struct {
			name    string
			orgs    []string
			orgName string
			wantErr string
		}{
			{"several organisations and no name", []string{"Alpha", "Bêta"}, "", "--org"},
			{"a name that does not exist", []string{"Alpha", "Bêta"}, "Gamma", "Gamma"},
			{"a name that does not exist, one organisation", []string{"Alpha"}, "Gamma", "Gamma"},
			{"no organisation at all", nil, "", "init"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				testdb.ForEach(t, func(t *testing.T, d *db.DB) {
					var orgs []*ent.Organisation
					for _, n := range c.orgs {
						orgs = append(orgs, newOrg(t, d, n))
					}
					_, err := importCSV(t, d, c.orgName, csv)
					if err == nil || !strings.Contains(err.Error(), c.wantErr) {
						t.Fatalf("err = %v, want an error mentioning %q", err, c.wantErr)
					}
					for _, o := range orgs {
						if n := countAll(t, d, o); n != 0 {
							t.Errorf("%s holds %d third parties after a refused import", o.Name, n)
						}
					}
				})
			})
		}
	})
	t.Run("the named one of several", func(t *testing.T) {
		testdb.ForEach(t, func(t *testing.T, d *db.DB) {
			alpha, beta := newOrg(t, d, "Alpha"), newOrg(t, d, "Bêta")
			checkCounts(t, mustImport(t, d, "Bêta", csv), 1, 0, 0)
			clientOf(t, d, beta, "C1")
			if n := countAll(t, d, alpha); n != 0 {
				t.Errorf("Alpha holds %d third parties, want 0", n)
			}
		})
	})
}

func TestImportRejectsTheCodeOfAnotherKindOfThirdParty(t *testing.T) {
	kinds := []enum.ThirdPartyKind{enum.Supplier, enum.Other}
	for _, kind := range kinds {
		t.Run(string(kind), func(t *testing.T) {
			testdb.ForEach(t, func(t *testing.T, d *db.DB) {
				org := newOrg(t, d, "Alpha")
				integrator := viewer.NewContext(context.Background(), &viewer.Viewer{
					OrgID: org.ID, Rights: rights.NewSet(int(rights.Integrate), int(rights.ReadAddressBook)),
				})
				code := "S1"
				if _, err := addressbook.CreateThirdParty(integrator, d.Client, addressbook.CreateThirdPartyInput{
					Kind: kind, Name: "Fournisseur", Code: &code,
				}); err != nil {
					t.Fatal(err)
				}
				rep := mustImport(t, d, "", "code,name,closed\nC1,Client,non\nS1,Devenu Client,oui\n")
				checkCounts(t, rep, 1, 0, 1)
				if r := rep.Rejected[0]; r.Line != 3 || !strings.Contains(r.Reason, "S1") || !strings.Contains(r.Reason, string(kind)) {
					t.Errorf("rejection = %+v, want line 3 saying S1 belongs to a %s", r, kind)
				}
				tp := clientOf(t, d, org, "S1")
				if tp.Kind != kind || tp.Name != "Fournisseur" || tp.Status != thirdparty.StatusACTIVE {
					t.Errorf("S1 = %s %q %s, want it untouched: %s %q ACTIVE", tp.Kind, tp.Name, tp.Status, kind, "Fournisseur")
				}
			})
		})
	}
}

func TestImportNeverTouchesAnotherOrganisationsClientOfTheSameCode(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		alpha, beta := newOrg(t, d, "Alpha"), newOrg(t, d, "Bêta")
		checkCounts(t, mustImport(t, d, "Bêta", "code,name,phone,closed\nC1,Client de Bêta,01 23 45 67 89,non\n"), 1, 0, 0)
		betaBefore := clientOf(t, d, beta, "C1")

		// Alpha's import of the same code creates Alpha's own client...
		checkCounts(t, mustImport(t, d, "Alpha", "code,name,phone,closed\nC1,Client d'Alpha,06 12 34 56 78,oui\n"), 1, 0, 0)
		// ...and updating it still leaves Bêta's alone.
		checkCounts(t, mustImport(t, d, "Alpha", "code,name,phone,closed\nC1,Client d'Alpha renommé,,oui\n"), 0, 1, 0)

		a := clientOf(t, d, alpha, "C1")
		if a.ID == betaBefore.ID || a.Name != "Client d'Alpha renommé" || a.Status != thirdparty.StatusCLOSED {
			t.Errorf("Alpha's C1 = id %d %q %s, want its own record, renamed and CLOSED", a.ID, a.Name, a.Status)
		}
		b := clientOf(t, d, beta, "C1")
		if b.ID != betaBefore.ID || b.Name != "Client de Bêta" || str(b.Phone) != "+33123456789" ||
			b.Status != thirdparty.StatusACTIVE || b.Version != betaBefore.Version {
			t.Errorf("Bêta's C1 was touched: before %+v, after %+v", betaBefore, b)
		}
		if n := countAll(t, d, beta); n != 1 {
			t.Errorf("Bêta holds %d third parties, want 1", n)
		}
	})
}
