// Package demo loads a demonstration data set into an empty database
// (`carnet serve --demo`): a French organisation with a few hundred third
// parties of every kind and status, their contacts, custom fields,
// management links and filiation groups, opportunities, activities and
// documents, and users holding different rights, plus a second, small
// organisation to show that tenants never see each other. Everything is
// what the API itself accepts: contacts on prospects and clients only,
// VAT numbers derived from the SIRENs as the API derives them.
package demo

import (
	"context"
	"errors"
	"fmt"

	"carnet/ent"
	"carnet/ent/customfielddefinition"
	"carnet/ent/linktype"
	"carnet/ent/schema/enum"
	"carnet/ent/thirdparty"
	"carnet/internal/admin"
	"carnet/internal/auth"
	"carnet/internal/db"
	"carnet/internal/documents"
	"carnet/internal/fakefr"
	"carnet/internal/links"
	"carnet/internal/rights"
	"carnet/internal/validate"
	"carnet/internal/viewer"
)

// ErrNotEmpty is returned when the database already holds an organisation.
var ErrNotEmpty = errors.New("demo: the database is not empty")

// Token is a demo user's bearer token.
type Token struct {
	Who   string
	Token string
}

// Sizes of the demo organisation.
const (
	Clients       = 120
	ClosedClients = 15
	Prospects     = 120
	Suppliers     = 40
	Others        = 20
)

// Load fills an empty database and returns each demo user's token. The
// demo's documents are written to store (none when it is nil).
func Load(ctx context.Context, client *ent.Client, store *documents.Store) ([]Token, error) {
	sys := auth.System(ctx)
	n, err := client.Organisation.Query().Count(sys)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if n > 0 {
		return nil, ErrNotEmpty
	}
	var tokens []Token
	err = db.WithTx(ctx, client, func(tx *ent.Client) error {
		var err error
		tokens, err = load(sys, tx, store)
		return err
	})
	return tokens, err
}

func load(ctx context.Context, client *ent.Client, store *documents.Store) ([]Token, error) {
	main, err := admin.CreateOrganisation(ctx, client, "Maison Carnet Démo", "admin@demo.carnet.example")
	if err != nil {
		return nil, err
	}
	tokens := []Token{{Who: "admin@demo.carnet.example (every right)", Token: main.Token}}
	orgID, companyID := main.Organisation.ID, main.LoginCompany.ID

	users := []struct {
		email, name, who string
		rights           []rights.Right
	}{
		{"claire.martin@demo.carnet.example", "Claire Martin", "sales manager: validates prospects, sees closed clients",
			[]rights.Right{rights.ReadAddressBook, rights.WriteAddressBook, rights.DeleteRecords, rights.ManageDocuments,
				rights.ValidateProspect, rights.SeeClosedClients,
				rights.ReadClientMgmtLinks, rights.WriteClientMgmtLinks, rights.ReadProspectMgmtLinks, rights.WriteProspectMgmtLinks,
				rights.ReadClientFiliation, rights.WriteClientFiliation, rights.ReadProspectFiliation, rights.WriteProspectFiliation}},
		{"lucas.petit@demo.carnet.example", "Lucas Petit", "junior sales rep: no validation, no closed clients",
			[]rights.Right{rights.ReadAddressBook, rights.WriteAddressBook, rights.ReadClientMgmtLinks, rights.ReadProspectMgmtLinks}},
		{"erp@demo.carnet.example", "ERP (back office)", "integration: upsertClient",
			[]rights.Right{rights.ReadAddressBook, rights.Integrate, rights.SeeClosedClients}},
		{"lecture@demo.carnet.example", "Aurélie Lecture", "read only",
			[]rights.Right{rights.ReadAddressBook}},
	}
	var owners []*ent.User
	for _, u := range users {
		codes := make([]int, len(u.rights))
		for i, r := range u.rights {
			codes[i] = int(r)
		}
		user, err := client.User.Create().SetOrganisationID(orgID).SetCompanyID(companyID).
			SetEmail(u.email).SetName(u.name).SetRights(codes).Save(ctx)
		if err != nil {
			return nil, fmt.Errorf("demo: user %s: %w", u.email, err)
		}
		secret, _, err := auth.Issue(ctx, client, user, "demo", nil)
		if err != nil {
			return nil, err
		}
		tokens = append(tokens, Token{Who: u.email + " (" + u.who + ")", Token: secret})
		owners = append(owners, user)
	}

	for _, def := range []struct {
		target enum.ThirdPartyKind
		key    string
		label  string
		typ    customfielddefinition.Type
		choice []string
	}{
		{enum.Prospect, "secteur", "Secteur", customfielddefinition.TypeCHOICE, []string{"Industrie", "Commerce", "Services", "Public"}},
		{enum.Prospect, "potentiel_annuel", "Potentiel annuel (€)", customfielddefinition.TypeNUMBER, nil},
		{enum.Client, "secteur", "Secteur", customfielddefinition.TypeCHOICE, []string{"Industrie", "Commerce", "Services", "Public"}},
		{enum.Client, "date_signature", "Date de signature", customfielddefinition.TypeDATE, nil},
	} {
		if err := client.CustomFieldDefinition.Create().SetOrganisationID(orgID).SetTarget(def.target).
			SetKey(def.key).SetLabel(def.label).SetType(def.typ).SetChoices(def.choice).Exec(ctx); err != nil {
			return nil, fmt.Errorf("demo: custom field %s: %w", def.key, err)
		}
	}

	g := fakefr.New(2026)
	made, err := addThirdParties(ctx, client, g, orgID, owners)
	if err != nil {
		return nil, err
	}
	if err := addLinks(ctx, client, orgID, main.SharedCompany.ID, made); err != nil {
		return nil, err
	}
	// As the organisation's administrator: documents have an author.
	adminCtx := viewer.NewContext(ctx, &viewer.Viewer{
		OrgID: orgID, UserID: main.Admin.ID, CompanyID: companyID, Rights: rights.NewSet(rights.AllCodes()...),
	})
	if err := addPipeline(adminCtx, client, store, orgID, owners, made); err != nil {
		return nil, err
	}

	other, err := admin.CreateOrganisation(ctx, client, "Concurrent SA", "admin@concurrent.example")
	if err != nil {
		return nil, err
	}
	tokens = append(tokens, Token{Who: "admin@concurrent.example (another organisation: sees none of the above)", Token: other.Token})
	if _, err := addThirdParties(ctx, client, fakefr.New(7), other.Organisation.ID, []*ent.User{other.Admin}, 5); err != nil {
		return nil, err
	}
	return tokens, nil
}

// addThirdParties creates the demo's third parties and their contacts;
// scale divides the demo sizes. It returns the IDs made, by kind.
func addThirdParties(ctx context.Context, client *ent.Client, g *fakefr.Generator, orgID int, owners []*ent.User, scale ...int) (map[enum.ThirdPartyKind][]int, error) {
	made := map[enum.ThirdPartyKind][]int{}
	div := 1
	if len(scale) > 0 {
		div = scale[0] * 4
	}
	sectors := []string{"Industrie", "Commerce", "Services", "Public"}
	type plan struct {
		kind   enum.ThirdPartyKind
		status thirdparty.Status
		n      int
	}
	plans := []plan{
		{enum.Client, thirdparty.StatusACTIVE, (Clients - ClosedClients) / div},
		{enum.Client, thirdparty.StatusCLOSED, ClosedClients / div},
		{enum.Prospect, thirdparty.StatusDRAFT, Prospects / 2 / div},
		{enum.Prospect, thirdparty.StatusVALIDATED, Prospects / 2 / div},
		{enum.Supplier, thirdparty.StatusACTIVE, Suppliers / div},
		{enum.Other, thirdparty.StatusACTIVE, Others / div},
	}
	code := 0
	for _, p := range plans {
		for i := 0; i < p.n; i++ {
			c := g.Company()
			create := client.ThirdParty.Create().
				SetOrganisationID(orgID).SetKind(p.kind).SetStatus(p.status).
				SetName(c.Name).SetLegalName(c.LegalName).SetSiren(c.SIREN).SetSiret(c.SIRET).
				SetApeCode(c.APE).SetVatNumber(validate.VATFromSIREN(c.SIREN)).
				SetEmail(c.Email).SetPhone(c.Phone).SetWebsite(c.Website).
				SetAddressLine1(c.Address.Line1).SetPostalCode(c.Address.PostalCode).
				SetCity(c.Address.City).SetCountry(c.Address.Country).
				SetOwnerID(owners[i%len(owners)].ID)
			if c.Address.Line2 != "" {
				create.SetAddressLine2(c.Address.Line2)
			}
			if p.kind == enum.Client || p.kind == enum.Supplier {
				code++
				create.SetCode(g.ClientCode(code))
			}
			if p.kind == enum.Client || p.kind == enum.Prospect {
				create.SetCustomFields(map[string]any{"secteur": sectors[i%len(sectors)]})
			}
			tp, err := create.Save(ctx)
			if err != nil {
				return nil, fmt.Errorf("demo: third party %s: %w", c.Name, err)
			}
			if p.status != thirdparty.StatusCLOSED {
				made[p.kind] = append(made[p.kind], tp.ID)
			}
			if p.kind != enum.Client && p.kind != enum.Prospect {
				continue
			}
			domain := c.Email[len("contact@"):]
			contacts := make([]*ent.ContactCreate, 1+i%3)
			for j := range contacts {
				pe := g.Person(domain)
				contacts[j] = client.Contact.Create().SetOrganisationID(orgID).SetThirdPartyID(tp.ID).
					SetCivility(pe.Civility).SetFirstName(pe.FirstName).SetLastName(pe.LastName).
					SetJobTitle(pe.JobTitle).SetDirectLine(pe.DirectLine).SetMobile(pe.Mobile).SetEmail(pe.Email)
			}
			if err := client.Contact.CreateBulk(contacts...).Exec(ctx); err != nil {
				return nil, fmt.Errorf("demo: contacts of %s: %w", c.Name, err)
			}
		}
	}
	return made, nil
}

// addLinks creates management links (ten ordering parties, each with two
// bill-to parties — the first the default — and a delivery site) and five
// filiation groups (a parent, three subsidiaries, a branch of the first
// subsidiary, a partner supplier).
func addLinks(ctx context.Context, client *ent.Client, orgID, sharedID int, made map[enum.ThirdPartyKind][]int) error {
	types, err := client.LinkType.Query().Where(linktype.CompanyID(sharedID)).All(ctx)
	if err != nil {
		return fmt.Errorf("demo: link types: %w", err)
	}
	typ := map[string]int{}
	for _, t := range types {
		typ[t.Code] = t.ID
	}
	clients, prospects, suppliers := made[enum.Client], made[enum.Prospect], made[enum.Supplier]
	mgmt := func(ordering, other int, otherType string, isDefault bool) error {
		return client.ManagementLink.Create().SetOrganisationID(orgID).
			SetThirdPartyID(ordering).SetTypeID(typ[links.OrderingParty]).
			SetLinkedThirdPartyID(other).SetLinkedTypeID(typ[otherType]).
			SetOrderingPartyID(ordering).SetIsDefault(isDefault).Exec(ctx)
	}
	for i := 0; i < 10; i++ {
		ordering := clients[i*3]
		for _, err := range []error{
			mgmt(ordering, clients[i*3+1], links.BillTo, true),
			mgmt(ordering, prospects[i], links.BillTo, false),
			mgmt(ordering, clients[i*3+2], links.DeliverySite, false),
		} {
			if err != nil {
				return fmt.Errorf("demo: management link: %w", err)
			}
		}
	}
	fil := func(a, b int, code string) error {
		return client.FiliationLink.Create().SetOrganisationID(orgID).
			SetThirdPartyID(a).SetLinkedThirdPartyID(b).SetTypeID(typ[code]).Exec(ctx)
	}
	for g := 0; g < 5; g++ {
		base := 40 + g*5
		parent := clients[base]
		for _, err := range []error{
			fil(parent, clients[base+1], "FILIALE"),
			fil(parent, clients[base+2], "FILIALE"),
			fil(parent, prospects[20+g], "FILIALE"),
			fil(clients[base+1], clients[base+3], "ETABLISSEMENT"),
			fil(clients[base+2], suppliers[g], "PARTENAIRE"),
		} {
			if err != nil {
				return fmt.Errorf("demo: filiation link: %w", err)
			}
		}
	}
	return nil
}
