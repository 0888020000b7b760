// Package printing prints record sheets ("Éditer"): a template (Go
// html/template) over the Sheet data model below, rendered as HTML, as a
// PDF (A4, page numbers, the Go fonts embedded so that any Latin text —
// é, œ, €, —, ş — renders and extracts), or the record's contacts as a
// vCard 4.0 file.
//
// # Data model
//
// A template sees a Sheet:
//
//	.Organisation, .PrintedBy, .PrintedAt (time.Time; use {{date .PrintedAt}})
//	.Language ("fr" or "en": the organisation's), .Text (headings, see Text)
//	.Record: .Kind .Status .Code .Name .LegalName .SIREN .SIRET .APE .VAT
//	         .Phone .Email .Website .Owner .Address (lines) .CreatedAt .UpdatedAt
//	         .KindCode .StatusCode
//	.Contacts: each .Civility .FirstName .LastName .JobTitle .DirectLine .Mobile .Email
//	.ManagementLinks: each .Type .LinkedType .Name .Default
//	.FiliationLinks: each .Type (the record's side's type label) .LinkedType
//	         (the other party's side's) .Direction (where the other party
//	         stands, in the organisation's language) .DirectionCode (UP,
//	         DOWN or TRANSVERSE) .Name (the other party's)
//	.Activities (the 20 most recent): each .Type .TypeCode .Subject .Date .Done .Author
//	.CustomFields: each .Label .Value
//
// Enum values are printed as labels in the organisation's language
// (internal/labels): .Record.Status is « Client actif », a filiation
// link's .Direction « Descendant », an activity's .Type « Appel ». The
// API's values (CLIENT, ACTIVE, DOWN, CALL) are in the …Code fields, for
// templates that compare them.
//
// Functions: date (02/01/2006), datetime (02/01/2006 15:04), join.
// Missing fields are errors (missingkey=error): a template naming an
// unknown field is refused when it is saved.
package printing

import (
	"context"
	"fmt"
	"time"

	"carnet/ent"
	"carnet/ent/activity"
	"carnet/ent/contact"
	"carnet/ent/linktype"
	"carnet/internal/customfield"
	"carnet/internal/filiation"
	"carnet/internal/labels"
	"carnet/internal/lang"
	"carnet/internal/links"
	"carnet/internal/viewer"
)

// Sheet is what a template sees of a record.
type Sheet struct {
	Language        lang.Language
	Text            Text
	Organisation    string
	PrintedBy       string
	PrintedAt       time.Time
	Record          Record
	Contacts        []Contact
	ManagementLinks []Link
	FiliationLinks  []Link
	Activities      []Activity
	CustomFields    []Field
}

// Record is the third party printed.
type Record struct {
	Kind, Status, Code, Name, LegalName, SIREN, SIRET, APE, VAT string
	Phone, Email, Website, Owner                                string
	KindCode, StatusCode                                        string
	Address                                                     []string
	CreatedAt, UpdatedAt                                        time.Time
}

// Contact is a contact of the record.
type Contact struct {
	Civility, FirstName, LastName, JobTitle, DirectLine, Mobile, Email string
}

// Link is a management or filiation link seen from the record.
type Link struct {
	Type, LinkedType, Direction, Name string
	DirectionCode                     string
	Default                           bool
}

// Activity is a recent activity on the record.
type Activity struct {
	Type, Subject, Author string
	TypeCode              string
	Date                  time.Time
	Done                  bool
}

// Field is a custom field.
type Field struct {
	Label, Value string
}

func s(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// Build gathers the sheet of third party tp as the viewer may see it
// (links and closed records follow the viewer's rights).
func Build(ctx context.Context, client *ent.Client, tp *ent.ThirdParty) (*Sheet, error) {
	v := viewer.FromContext(ctx)
	sh := &Sheet{PrintedAt: time.Now().UTC(), Language: v.Language.Or(lang.Default)}
	if u, err := client.User.Get(ctx, v.UserID); err == nil {
		sh.PrintedBy = u.Name
	}
	if org, err := client.Organisation.Get(ctx, v.OrgID); err == nil {
		sh.Organisation = org.Name
		sh.Language = lang.Language(org.Language).Or(lang.Default)
	}
	l := sh.Language
	sh.Text = texts[l]
	r := Record{
		Kind: labels.Kind(tp.Kind, l), Status: labels.Status(tp.Kind, tp.Status, l),
		KindCode: string(tp.Kind), StatusCode: string(tp.Status), Code: s(tp.Code), Name: tp.Name, LegalName: s(tp.LegalName),
		SIREN: s(tp.Siren), SIRET: s(tp.Siret), APE: s(tp.ApeCode), VAT: s(tp.VatNumber),
		Phone: s(tp.Phone), Email: s(tp.Email), Website: s(tp.Website), CreatedAt: tp.CreatedAt, UpdatedAt: tp.UpdatedAt,
	}
	for _, line := range []string{s(tp.AddressLine1), s(tp.AddressLine2), s(tp.AddressLine3), joinNonEmpty(" ", s(tp.PostalCode), s(tp.City))} {
		if line != "" {
			r.Address = append(r.Address, line)
		}
	}
	if tp.OwnerID != nil {
		if u, err := client.User.Get(ctx, *tp.OwnerID); err == nil {
			r.Owner = u.Name
		}
	}
	sh.Record = r

	contacts, err := client.Contact.Query().Where(contact.ThirdPartyID(tp.ID)).
		Order(ent.Asc(contact.FieldLastName), ent.Asc(contact.FieldID)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("printing: contacts: %w", err)
	}
	for _, c := range contacts {
		sh.Contacts = append(sh.Contacts, Contact{Civility: s(c.Civility), FirstName: s(c.FirstName), LastName: c.LastName,
			JobTitle: s(c.JobTitle), DirectLine: s(c.DirectLine), Mobile: s(c.Mobile), Email: s(c.Email)})
	}
	// The links tabs as the viewer may open them (rights of the record's kind).
	var mls []*ent.ManagementLink
	if links.MayOpenTab(v, linktype.CategoryMANAGEMENT, tp.Kind) {
		if mls, err = links.ForThirdParties(ctx, client, []int{tp.ID}); err != nil {
			return nil, err
		}
	}
	for _, ml := range mls {
		own, other, otherTP := ml.Edges.Type, ml.Edges.LinkedType, ml.Edges.LinkedThirdParty
		if ml.LinkedThirdPartyID == tp.ID {
			own, other, otherTP = ml.Edges.LinkedType, ml.Edges.Type, ml.Edges.ThirdParty
		}
		sh.ManagementLinks = append(sh.ManagementLinks, Link{Type: own.Label, LinkedType: other.Label, Name: otherTP.Name, Default: ml.IsDefault})
	}
	var fls []*ent.FiliationLink
	if links.MayOpenTab(v, linktype.CategoryFILIATION, tp.Kind) {
		if fls, err = filiation.ForThirdParties(ctx, client, []int{tp.ID}); err != nil {
			return nil, err
		}
	}
	for _, fl := range fls {
		own, otherType, other := fl.Edges.Type, fl.Edges.LinkedType, fl.Edges.LinkedThirdParty
		toward := filiation.Toward(own, otherType)
		if fl.LinkedThirdPartyID == tp.ID {
			own, otherType, other = fl.Edges.LinkedType, fl.Edges.Type, fl.Edges.ThirdParty
		}
		sh.FiliationLinks = append(sh.FiliationLinks, Link{Type: own.Label, LinkedType: otherType.Label,
			Direction: labels.Direction(toward, l), DirectionCode: string(toward), Name: other.Name})
	}
	acts, err := client.Activity.Query().Where(activity.ThirdPartyID(tp.ID)).WithAuthor().
		Order(ent.Desc(activity.FieldListedAt), ent.Desc(activity.FieldID)).Limit(20).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("printing: activities: %w", err)
	}
	for _, a := range acts {
		pa := Activity{Type: labels.ActivityType(a.Type, l), TypeCode: string(a.Type), Subject: a.Subject, Done: a.Done}
		if a.Date != nil {
			pa.Date = *a.Date
		}
		if a.Edges.Author != nil {
			pa.Author = a.Edges.Author.Name
		}
		sh.Activities = append(sh.Activities, pa)
	}
	defs, err := customfield.Definitions(ctx, client, tp.Kind)
	if err != nil {
		return nil, err
	}
	for _, cf := range customfield.Present(defs, tp.CustomFields) {
		sh.CustomFields = append(sh.CustomFields, Field{Label: cf.Label, Value: s(cf.Value)})
	}
	return sh, nil
}

func joinNonEmpty(sep string, parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += sep
		}
		out += p
	}
	return out
}

// Sample is a sheet with every field set, to check templates against.
func Sample() *Sheet {
	t := time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)
	return &Sheet{
		Language: lang.FR, Text: texts[lang.FR],
		Organisation: "Maison Exemple", PrintedBy: "Claire Martin", PrintedAt: t,
		Record: Record{Kind: "Client", Status: "Client actif", KindCode: "CLIENT", StatusCode: "ACTIVE", Code: "C0000042", Name: "Établissements Dupond",
			LegalName: "ÉTABLISSEMENTS DUPOND SARL", SIREN: "732829320", SIRET: "73282932000074", APE: "62.01Z",
			VAT: "FR44732829320", Phone: "+33123456789", Email: "contact@dupond.fr", Website: "https://www.dupond.fr",
			Owner: "Claire Martin", Address: []string{"12 rue des Lilas", "75011 Paris"}, CreatedAt: t, UpdatedAt: t},
		Contacts:        []Contact{{Civility: "Mme", FirstName: "Élodie", LastName: "Lefèvre", JobTitle: "Directrice", DirectLine: "+33123456780", Mobile: "+33612345678", Email: "elodie@dupond.fr"}},
		ManagementLinks: []Link{{Type: "Donneur d'ordre", LinkedType: "Client à facturer", Name: "Dupond Finance", Default: true}},
		FiliationLinks:  []Link{{Type: "Société mère", LinkedType: "Filiale", Direction: "Descendant", DirectionCode: "DOWN", Name: "Dupond Lyon"}},
		Activities:      []Activity{{Type: "Appel", TypeCode: "CALL", Subject: "Relance devis", Author: "Claire Martin", Date: t, Done: true}},
		CustomFields:    []Field{{Label: "Secteur", Value: "Industrie"}},
	}
}

// Text holds the headings and words of a sheet in its language, for
// templates: {{.Text.Contacts}}.
type Text struct {
	Identity, LegalName, SIRENAndSIRET, APE, VAT, Address, Phone, Email, Website string
	Contacts, NoContact, ManagementLinks, FiliationLinks, Activities             string
	Code, FollowedBy, Default, Done, PrintedBy, On                               string
}

var texts = map[lang.Language]Text{
	lang.FR: {
		Identity: "Identité", LegalName: "Raison sociale", SIRENAndSIRET: "SIREN / SIRET", APE: "Code APE",
		VAT: "TVA intracommunautaire", Address: "Adresse", Phone: "Téléphone", Email: "E-mail", Website: "Site web",
		Contacts: "Contacts", NoContact: "Aucun contact.", ManagementLinks: "Liens de gestion",
		FiliationLinks: "Liens de filiation", Activities: "Actions récentes",
		Code: "code", FollowedBy: "suivi par", Default: "par défaut", Done: "fait", PrintedBy: "Édité par", On: "le",
	},
	lang.EN: {
		Identity: "Identity", LegalName: "Legal name", SIRENAndSIRET: "SIREN / SIRET", APE: "APE code",
		VAT: "VAT number", Address: "Address", Phone: "Phone", Email: "E-mail", Website: "Website",
		Contacts: "Contacts", NoContact: "No contact.", ManagementLinks: "Management links",
		FiliationLinks: "Filiation links", Activities: "Recent activities",
		Code: "code", FollowedBy: "followed by", Default: "default", Done: "done", PrintedBy: "Printed by", On: "on",
	},
}
