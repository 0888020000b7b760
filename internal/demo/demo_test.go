package demo_test

import (
	"context"
	"testing"
	"time"

	"carnet/ent/activity"
	"carnet/ent/organisation"
	"carnet/ent/schema/enum"
	"carnet/ent/thirdparty"
	"carnet/ent/user"
	"carnet/internal/auth"
	"carnet/internal/db"
	"carnet/internal/demo"
	"carnet/internal/documents"
	"carnet/internal/rights"
	"carnet/internal/testdb"
	"carnet/internal/validate"
	"carnet/internal/viewer"
)

// TestDemoShowsEveryScreenWithDataTheAPIAccepts: the demo organisation has
// a pipeline (opportunities of several stages, signing dates to come and
// past), activities on records, on contacts and logged from
// opportunities, documents (printed sheets and notes) whose files are in
// the store, contacts on prospects and clients only, and VAT numbers
// derived from the SIRENs as the API derives them.
func TestDemoShowsEveryScreenWithDataTheAPIAccepts(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		u, err := documents.LocalURL(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		store, err := documents.Open(ctx, u, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		if _, err := demo.Load(ctx, d.Client, store); err != nil {
			t.Fatal(err)
		}
		sys := auth.System(ctx)
		org, err := d.Client.Organisation.Query().Where(organisation.Name("Maison Carnet Démo")).Only(sys)
		if err != nil {
			t.Fatal(err)
		}
		admin, err := d.Client.User.Query().Where(user.OrganisationID(org.ID)).First(sys)
		if err != nil {
			t.Fatal(err)
		}
		vctx := viewer.NewContext(ctx, &viewer.Viewer{OrgID: org.ID, UserID: admin.ID, CompanyID: admin.CompanyID, Rights: rights.NewSet(rights.AllCodes()...)})

		opps, err := d.Client.Opportunity.Query().All(vctx)
		if err != nil {
			t.Fatal(err)
		}
		stages, future, past := map[string]bool{}, 0, 0
		for _, o := range opps {
			if o.Stage != nil {
				stages[*o.Stage] = true
			}
			if o.ExpectedSigningDate != nil && o.Amount != nil {
				if o.ExpectedSigningDate.After(time.Now()) {
					future++
				} else {
					past++
				}
			}
		}
		if len(opps) < 24 || len(stages) < 4 || future < 10 || past < 3 {
			t.Errorf("%d opportunities, stages %v, %d to sign, %d past: want a few dozen, varied, mostly to come", len(opps), stages, future, past)
		}
		fromOpps, err := d.Client.Activity.Query().Where(activity.OpportunityIDNotNil()).Count(vctx)
		if err != nil {
			t.Fatal(err)
		}
		onContacts, _ := d.Client.Activity.Query().Where(activity.ContactIDNotNil()).Count(vctx)
		onRecords, _ := d.Client.Activity.Query().Where(activity.ContactIDIsNil(), activity.OpportunityIDIsNil()).Count(vctx)
		if fromOpps < 24 || onContacts < 10 || onRecords < 10 {
			t.Errorf("activities: %d from opportunities, %d on contacts, %d on records", fromOpps, onContacts, onRecords)
		}
		docs, err := d.Client.Document.Query().All(vctx)
		if err != nil {
			t.Fatal(err)
		}
		pdfs := 0
		for _, doc := range docs {
			if doc.ContentType == "application/pdf" {
				pdfs++
			}
			if ok, err := store.Exists(ctx, doc.StorageKey); err != nil || !ok || !doc.Listed {
				t.Errorf("document %q: listed %v, file stored %v (%v)", doc.Title, doc.Listed, ok, err)
			}
		}
		if len(docs) < 5 || pdfs < 3 {
			t.Errorf("%d documents, %d PDFs", len(docs), pdfs)
		}

		tps, err := d.Client.ThirdParty.Query().WithContacts().All(sys)
		if err != nil {
			t.Fatal(err)
		}
		for _, tp := range tps {
			if len(tp.Edges.Contacts) > 0 && tp.Kind != enum.Client && tp.Kind != enum.Prospect {
				t.Errorf("%s %q has contacts", tp.Kind, tp.Name)
			}
			if tp.Siren == nil || tp.VatNumber == nil || *tp.VatNumber != validate.VATFromSIREN(*tp.Siren) {
				t.Errorf("%q: VAT number %v is not the SIREN %v's", tp.Name, tp.VatNumber, tp.Siren)
			}
			for _, c := range tp.Edges.Contacts {
				for _, p := range []*string{c.DirectLine, c.Mobile} {
					if p != nil {
						if _, err := validate.Phone(*p); err != nil {
							t.Errorf("contact %s: phone %s refused by the API", c.LastName, *p)
						}
					}
				}
			}
		}
		if n, _ := d.Client.ThirdParty.Query().Where(thirdparty.StatusEQ(thirdparty.StatusCLOSED)).Count(sys); n == 0 {
			t.Error("no closed client")
		}
	})
}
