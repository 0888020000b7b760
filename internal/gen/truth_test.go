package gen_test

import (
	"context"
	"io"
	"testing"

	"carnet/ent/schema/enum"
	"carnet/internal/db"
	"carnet/internal/gen"
	"carnet/internal/testdb"
	"carnet/internal/validate"
)

// TestGeneratedDataPassTheAPIValidators reads back a small load and checks
// every row with the validators the API applies to its input: what gen
// writes is what createProspect, upsertClient and createContact accept,
// normalised as they store it, with the VAT number derived from the SIREN
// as the API derives it and contacts on prospects and clients only.
func TestGeneratedDataPassTheAPIValidators(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		a := newOrg(t, d, "Alpha", "admin@alpha.example")
		if _, err := gen.Run(context.Background(), d, "Alpha", 400, 3, io.Discard); err != nil {
			t.Fatal(err)
		}
		ctx := viewerCtx(a)
		tps, err := d.Client.ThirdParty.Query().WithContacts().All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(tps) != 400 {
			t.Fatalf("%d third parties, want 400", len(tps))
		}
		// check fails unless check(v) accepts v and normalises it to itself.
		check := func(id int, field string, v *string, check func(string) (string, error)) {
			t.Helper()
			if v == nil {
				return
			}
			norm, err := check(*v)
			if err != nil {
				t.Errorf("third party %d: %s %q refused by the API: %v", id, field, *v, err)
			} else if norm != *v {
				t.Errorf("third party %d: %s %q is stored by the API as %q", id, field, *v, norm)
			}
		}
		contacts := 0
		for _, tp := range tps {
			check(tp.ID, "siren", tp.Siren, validate.SIREN)
			check(tp.ID, "siret", tp.Siret, validate.SIRET)
			check(tp.ID, "apeCode", tp.ApeCode, validate.APE)
			check(tp.ID, "vatNumber", tp.VatNumber, validate.VAT)
			check(tp.ID, "email", tp.Email, validate.Email)
			check(tp.ID, "phone", tp.Phone, validate.Phone)
			check(tp.ID, "website", tp.Website, validate.Website)
			check(tp.ID, "address.country", tp.Country, validate.Country)
			if tp.Siren == nil || tp.Siret == nil || tp.VatNumber == nil {
				t.Errorf("third party %d: SIREN, SIRET or VAT number missing", tp.ID)
				continue
			}
			if got := validate.SIRENOfSIRET(*tp.Siret); got != *tp.Siren {
				t.Errorf("third party %d: SIRET %s is not an establishment of SIREN %s", tp.ID, *tp.Siret, *tp.Siren)
			}
			if want := validate.VATFromSIREN(*tp.Siren); *tp.VatNumber != want {
				t.Errorf("third party %d: VAT number %s, the API derives %s from SIREN %s", tp.ID, *tp.VatNumber, want, *tp.Siren)
			}
			if tp.PostalCode != nil {
				country := "FR"
				if tp.Country != nil {
					country = *tp.Country
				}
				check(tp.ID, "address.postalCode", tp.PostalCode, func(s string) (string, error) { return validate.PostalCode(country, s) })
			}
			if len(tp.Edges.Contacts) > 0 && tp.Kind != enum.Client && tp.Kind != enum.Prospect {
				t.Errorf("third party %d is a %s with %d contacts: contacts belong to prospects and clients", tp.ID, tp.Kind, len(tp.Edges.Contacts))
			}
			for _, c := range tp.Edges.Contacts {
				contacts++
				if c.LastName == "" {
					t.Errorf("contact %d has no last name", c.ID)
				}
				check(c.ID, "contact email", c.Email, validate.Email)
				check(c.ID, "contact directLine", c.DirectLine, validate.Phone)
				check(c.ID, "contact mobile", c.Mobile, validate.Phone)
			}
		}
		if contacts == 0 {
			t.Error("no contacts generated")
		}
	})
}
