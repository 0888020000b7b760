package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"carnet/ent"
	"carnet/ent/activity"
	"carnet/ent/contact"
	"carnet/ent/printtemplate"
	"carnet/ent/schema/enum"
	"carnet/internal/documents"
	"carnet/internal/printing"
)

// stages of the demo pipeline, with their probability.
var stages = []struct {
	name        string
	probability int
}{
	{"Qualification", 20}, {"Proposition", 50}, {"Négociation", 75}, {"Gagnée", 100}, {"Perdue", 0},
}

// Opportunities is the number of demo opportunities.
const Opportunities = 36

// activityOn names what an activity concerns: a third party, one of its
// contacts, an opportunity it was logged from (zero: none).
type activityOn struct{ thirdParty, contact, opportunity int }

// addActivity records a demo activity: it concerns on's third party, and
// names on's contact and opportunity when they are set.
func addActivity(ctx context.Context, client *ent.Client, orgID, authorID int, on activityOn, typ activity.Type, subject string, date time.Time, done bool) error {
	create := client.Activity.Create().SetOrganisationID(orgID).SetAuthorID(authorID).
		SetType(typ).SetSubject(subject).SetDate(date).SetDone(done).
		SetThirdPartyID(on.thirdParty)
	if on.opportunity != 0 {
		create.SetOpportunityID(on.opportunity)
	}
	if on.contact != 0 {
		create.SetContactID(on.contact)
	}
	if typ == activity.TypeTASK {
		create.SetDueDate(date.AddDate(0, 0, 7))
	}
	if err := create.Exec(ctx); err != nil {
		return fmt.Errorf("demo: activity %q: %w", subject, err)
	}
	return nil
}

// addPipeline gives the demo its opportunities (stages, amounts, signing
// dates over the coming months and a few past ones), activities on
// records, on contacts and logged from opportunities, and a few
// documents: printed sheets of clients, attached, and notes on contacts.
// ctx is the organisation administrator's (documents need an author).
func addPipeline(ctx context.Context, client *ent.Client, store *documents.Store, orgID int, owners []*ent.User, made map[enum.ThirdPartyKind][]int) error {
	today := time.Now().UTC().Truncate(24 * time.Hour)
	clients, prospects := made[enum.Client], made[enum.Prospect]
	// The records of the pipeline: clients first, then prospects.
	var records []int
	records = append(records, clients[60:84]...)
	records = append(records, prospects[30:42]...)
	contactsOf := func(tp int) ([]int, error) {
		return client.Contact.Query().Where(contact.ThirdPartyID(tp)).Order(ent.Asc(contact.FieldID)).IDs(ctx)
	}
	deals := []string{"Renouvellement du parc", "Contrat de maintenance", "Équipement atelier", "Formation des équipes", "Extension de gamme", "Audit énergétique"}
	for i := 0; i < Opportunities; i++ {
		tp := records[i%len(records)]
		st := stages[i%len(stages)]
		signing := today.AddDate(0, i%9-1, (i*7)%28) // mostly the coming months, some last month
		if st.name == "Gagnée" || st.name == "Perdue" {
			signing = today.AddDate(0, -1-i%3, -(i % 20)) // decided: in the past
		}
		amount := float64(5000 + (i*37_919)%245_000)
		owner := owners[i%len(owners)]
		create := client.Opportunity.Create().SetOrganisationID(orgID).SetThirdPartyID(tp).SetOwnerID(owner.ID).
			SetName(deals[i%len(deals)]).SetAmount(amount).SetStage(st.name).SetProbability(st.probability).
			SetExpectedSigningDate(signing)
		contacts, err := contactsOf(tp)
		if err != nil {
			return fmt.Errorf("demo: contacts: %w", err)
		}
		if len(contacts) > 0 {
			create.AddContactIDs(contacts[0])
		}
		opp, err := create.Save(ctx)
		if err != nil {
			return fmt.Errorf("demo: opportunity: %w", err)
		}
		// Logged from the opportunity.
		for j, a := range []struct {
			typ     activity.Type
			subject string
		}{{activity.TypeMEETING, "Rendez-vous de découverte"}, {activity.TypeTASK, "Envoyer la proposition"}}[:1+i%2] {
			on := activityOn{thirdParty: tp, opportunity: opp.ID}
			if len(contacts) > 0 {
				on.contact = contacts[0]
			}
			if err := addActivity(ctx, client, orgID, owner.ID, on, a.typ, a.subject, today.AddDate(0, 0, -20+j*10+i%5), j == 0); err != nil {
				return err
			}
		}
	}
	// On records and on contacts.
	for i, tp := range append(append([]int{}, clients[:20]...), prospects[:10]...) {
		author := owners[i%len(owners)].ID
		if err := addActivity(ctx, client, orgID, author, activityOn{thirdParty: tp}, activity.TypeCALL, "Appel de suivi", today.AddDate(0, 0, -(i%30)), true); err != nil {
			return err
		}
		contacts, err := contactsOf(tp)
		if err != nil {
			return fmt.Errorf("demo: contacts: %w", err)
		}
		if len(contacts) == 0 {
			continue
		}
		on := activityOn{thirdParty: tp, contact: contacts[len(contacts)-1]}
		typ, subject := activity.TypeEMAIL, "Envoi de la documentation"
		if i%3 == 0 {
			typ, subject = activity.TypeNOTE, "Préfère être contacté le matin"
		}
		if err := addActivity(ctx, client, orgID, author, on, typ, subject, today.AddDate(0, 0, -(i%14)), true); err != nil {
			return err
		}
	}
	return addDocuments(ctx, client, store, clients, prospects)
}

// addDocuments prints the sheets of three clients as attached PDFs and
// files a short note on a few contacts (nothing without a store).
func addDocuments(ctx context.Context, client *ent.Client, store *documents.Store, clients, prospects []int) error {
	if store == nil {
		return nil
	}
	tmpl, err := client.PrintTemplate.Query().Order(ent.Asc(printtemplate.FieldID)).FirstID(ctx)
	if err != nil {
		return fmt.Errorf("demo: print template: %w", err)
	}
	for _, tp := range clients[:3] {
		if _, err := printing.PrintThirdParty(ctx, client, store, tp, tmpl, printing.FormatPDF, true); err != nil {
			return fmt.Errorf("demo: print: %w", err)
		}
	}
	for i, tp := range append(append([]int{}, clients[3:6]...), prospects[:2]...) {
		c, err := client.Contact.Query().Where(contact.ThirdPartyID(tp)).Order(ent.Asc(contact.FieldID)).First(ctx)
		if err != nil {
			return fmt.Errorf("demo: contact: %w", err)
		}
		note := fmt.Sprintf("Compte rendu de rendez-vous\n\nInterlocuteur : %s\nPoints abordés : besoins, calendrier, budget.\nSuite : proposition sous %d jours.\n", c.LastName, 7+i)
		id := c.ID
		if _, err := documents.Save(ctx, client, store, documents.Owner{ContactID: &id}, "compte-rendu.txt", "Compte rendu de rendez-vous", strings.NewReader(note), true); err != nil {
			return fmt.Errorf("demo: document: %w", err)
		}
	}
	return nil
}
