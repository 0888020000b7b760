// Package links owns link types and management links (ordering party,
// bill-to party, delivery site): their rules, rights and feature flag.
// Filiation links live in internal/filiation.
package links

import (
	"context"
	"fmt"
	"strings"

	"carnet/ent"
	"carnet/ent/company"
	"carnet/ent/filiationlink"
	"carnet/ent/linktype"
	"carnet/ent/managementlink"
	"carnet/internal/auth"
	"carnet/internal/errs"
	"carnet/internal/rights"
	"carnet/internal/viewer"
)

// The standard management type codes of the seed.
const (
	OrderingParty = "DONORDRE"
	BillTo        = "CL_A_FACT"
	DeliverySite  = "SITE_LIV"
)

// standardTypes are created for the shared company of every organisation.
var standardTypes = []struct {
	code, label string
	category    linktype.Category
	direction   linktype.Direction
}{
	{OrderingParty, "Donneur d'ordre", linktype.CategoryMANAGEMENT, ""},
	{BillTo, "Client à facturer", linktype.CategoryMANAGEMENT, ""},
	{DeliverySite, "Site de livraison", linktype.CategoryMANAGEMENT, ""},
	{"SOC_MERE", "Société mère", linktype.CategoryFILIATION, linktype.DirectionUP},
	{"FILIALE", "Filiale", linktype.CategoryFILIATION, linktype.DirectionDOWN},
	{"SIEGE", "Siège", linktype.CategoryFILIATION, linktype.DirectionUP},
	{"ETABLISSEMENT", "Établissement", linktype.CategoryFILIATION, linktype.DirectionDOWN},
	{"PARTENAIRE", "Partenaire", linktype.CategoryFILIATION, linktype.DirectionTRANSVERSE},
}

// CreateStandardTypes creates the seed's management types and the usual
// filiation types for a company (carnet init: the shared company).
func CreateStandardTypes(ctx context.Context, client *ent.Client, orgID, companyID int) error {
	for _, st := range standardTypes {
		c := client.LinkType.Create().SetOrganisationID(orgID).SetCompanyID(companyID).
			SetCode(st.code).SetLabel(st.label).SetCategory(st.category)
		if st.direction != "" {
			c.SetDirection(st.direction)
		}
		if err := c.Exec(ctx); err != nil {
			return fmt.Errorf("links: standard type %s: %w", st.code, err)
		}
	}
	return nil
}

// offeredCompanies returns the companies whose types the viewer is
// offered: their login company and the shared company.
func offeredCompanies(ctx context.Context, client *ent.Client) ([]int, error) {
	ids := []int{viewer.FromContext(ctx).CompanyID}
	shared, err := client.Company.Query().Where(company.Shared(true)).IDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("links: shared company: %w", err)
	}
	return append(ids, shared...), nil
}

// Types returns the link types offered to the viewer, of category when
// given, by category then code.
func Types(ctx context.Context, client *ent.Client, category *linktype.Category) ([]*ent.LinkType, error) {
	companies, err := offeredCompanies(ctx, client)
	if err != nil {
		return nil, err
	}
	q := client.LinkType.Query().Where(linktype.CompanyIDIn(companies...))
	if category != nil {
		q.Where(linktype.CategoryEQ(*category))
	}
	return q.Order(ent.Asc(linktype.FieldCategory), ent.Asc(linktype.FieldCode), ent.Asc(linktype.FieldID)).All(ctx)
}

// offeredType returns type id if the viewer is offered it, of category.
func offeredType(ctx context.Context, client *ent.Client, id int, category linktype.Category, field string) (*ent.LinkType, error) {
	companies, err := offeredCompanies(ctx, client)
	if err != nil {
		return nil, err
	}
	t, err := client.LinkType.Query().Where(linktype.ID(id), linktype.CompanyIDIn(companies...)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, errs.Invalid(field, "no link type with this ID is offered to your company")
	}
	if err != nil {
		return nil, fmt.Errorf("links: find type: %w", err)
	}
	if t.Category != category {
		return nil, errs.Invalid(field, "link type %s is a %s type, not %s", t.Code, t.Category, category)
	}
	return t, nil
}

// CreateLinkTypeInput defines a link type.
type CreateLinkTypeInput struct {
	Code      string              `json:"code"`
	Label     string              `json:"label"`
	Category  linktype.Category   `json:"category"`
	Direction *linktype.Direction `json:"direction"`
	CompanyID int                 `json:"companyId"`
}

// CreateType defines a link type for a company (administration right).
func CreateType(ctx context.Context, client *ent.Client, in CreateLinkTypeInput) (*ent.LinkType, error) {
	if err := auth.Require(ctx, rights.Administer); err != nil {
		return nil, err
	}
	code := strings.ToUpper(strings.TrimSpace(in.Code))
	if linktype.CodeValidator(code) != nil {
		return nil, errs.Invalid("code", "code must be 1 to 30 upper-case letters, digits or underscores")
	}
	label := strings.TrimSpace(in.Label)
	if label == "" || len([]rune(label)) > 100 {
		return nil, errs.Invalid("label", "label must have 1 to 100 characters")
	}
	// A FILIATION type may have a direction; a MANAGEMENT type has none.
	if in.Category == linktype.CategoryMANAGEMENT && in.Direction != nil {
		return nil, errs.Invalid("direction", "a MANAGEMENT type has no direction")
	}
	if _, err := client.Company.Get(ctx, in.CompanyID); err != nil {
		if ent.IsNotFound(err) {
			return nil, errs.Invalid("companyId", "no company with this ID")
		}
		return nil, fmt.Errorf("links: find company: %w", err)
	}
	t, err := client.LinkType.Create().SetCompanyID(in.CompanyID).SetCode(code).SetLabel(label).
		SetCategory(in.Category).SetNillableDirection(in.Direction).Save(ctx)
	if ent.IsConstraintError(err) {
		return nil, errs.E(errs.Conflict, "the company already has a link type %s", code)
	}
	return t, err
}

// DeleteType deletes a link type that no link uses (administration right).
func DeleteType(ctx context.Context, client *ent.Client, id int) error {
	if err := auth.Require(ctx, rights.Administer); err != nil {
		return err
	}
	if _, err := client.LinkType.Get(ctx, id); err != nil {
		if ent.IsNotFound(err) {
			return errs.E(errs.NotFound, "no link type with this ID")
		}
		return fmt.Errorf("links: find type: %w", err)
	}
	// Count through the system: links the viewer may not read still use it.
	sys := auth.System(ctx)
	m, err := client.ManagementLink.Query().Where(managementlink.Or(managementlink.TypeID(id), managementlink.LinkedTypeID(id))).Exist(sys)
	if err != nil {
		return fmt.Errorf("links: type in use: %w", err)
	}
	f, err := client.FiliationLink.Query().Where(filiationlink.Or(filiationlink.TypeID(id), filiationlink.LinkedTypeID(id))).Exist(sys)
	if err != nil {
		return fmt.Errorf("links: type in use: %w", err)
	}
	if m || f {
		return errs.E(errs.Conflict, "this link type is used by links: delete or retype them first")
	}
	return client.LinkType.DeleteOneID(id).Exec(ctx)
}
