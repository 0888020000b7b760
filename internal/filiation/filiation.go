// Package filiation owns filiation links (parent/subsidiary, head
// office/branch, partners) and the walks of their graphs for BI tools.
//
// Each third party with filiation links carries network_id, the smallest
// ID of its connected component, kept by NetworkHook in the transaction
// of every link change: listing a whole group is then an indexed,
// paginated query (thirdParties(where: {inFiliationNetworkOf: ID})).
//
// Rights are rights on the filiation tab of the record being viewed
// (links.TabKinds): 191521 opens a client's tab, 191523 a prospect's, and
// the tab shows all the record's links; a supplier's or an other third
// party's tab needs only the right to read the address book. A creation
// needs the change right (191522/191524) of the record whose tab is open
// (thirdPartyId), an update or a deletion that of either record; a
// supplier's or other's tab is changed with either right. The
// FILIATION_LINKS flag switches everything off.
package filiation

import (
	"context"
	"fmt"

	"carnet/ent"
	"carnet/ent/filiationlink"
	"carnet/ent/linktype"
	"carnet/ent/predicate"
	"carnet/ent/schema/enum"
	"carnet/ent/thirdparty"
	"carnet/internal/auth"
	"carnet/internal/errs"
	"carnet/internal/links"
	"carnet/internal/rights"
	"carnet/internal/viewer"
)

// CreateLinkInput creates a filiation link.
type CreateLinkInput struct {
	ThirdPartyID       int `json:"thirdPartyId"`
	LinkedThirdPartyID int `json:"linkedThirdPartyId"`
	TypeID             int `json:"typeId"`
}

// UpdateLinkInput changes the type of a filiation link.
type UpdateLinkInput struct {
	TypeID *int `json:"typeId"`
}

// requireFlag checks that filiation links are switched on.
func requireFlag(ctx context.Context) error {
	if !viewer.FromContext(ctx).FiliationLinks {
		return errs.E(errs.FeatureDisabled, "filiation links are switched off for this organisation")
	}
	return nil
}

// requireWrite checks the right to change the filiation links tab of a
// record of one of kinds (links.RequireChange): a creation names the
// record whose tab is open, an update or a deletion either record.
func requireWrite(ctx context.Context, kinds ...enum.ThirdPartyKind) error {
	return links.RequireChange(ctx, linktype.CategoryFILIATION, kinds...)
}

// RequireRead checks the flag and that the viewer may read some
// filiation links.
func RequireRead(ctx context.Context) error {
	if err := requireFlag(ctx); err != nil {
		return err
	}
	return auth.Require(ctx, rights.ReadClientFiliation, rights.ReadProspectFiliation)
}

func thirdParty(ctx context.Context, client *ent.Client, id int, field string) (*ent.ThirdParty, error) {
	tp, err := client.ThirdParty.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, errs.Invalid(field, "no third party with this ID")
	}
	if err != nil {
		return nil, fmt.Errorf("filiation: find third party: %w", err)
	}
	return tp, nil
}

// filiationType returns type id if offered to the viewer (login or shared
// company) and of the FILIATION category.
func filiationType(ctx context.Context, client *ent.Client, id int) (*ent.LinkType, error) {
	t, err := client.LinkType.Query().Where(linktype.ID(id)).WithCompany().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, errs.Invalid("typeId", "no link type with this ID")
	}
	if err != nil {
		return nil, fmt.Errorf("filiation: find type: %w", err)
	}
	if t.CompanyID != viewer.FromContext(ctx).CompanyID && !t.Edges.Company.Shared {
		return nil, errs.Invalid("typeId", "link type %s belongs to another company than yours or the shared one", t.Code)
	}
	if t.Category != linktype.CategoryFILIATION {
		return nil, errs.Invalid("typeId", "link type %s is a %s type, not FILIATION", t.Code, t.Category)
	}
	return t, nil
}

// CreateLink links two third parties of one group.
func CreateLink(ctx context.Context, client *ent.Client, in CreateLinkInput) (*ent.FiliationLink, error) {
	if err := requireFlag(ctx); err != nil {
		return nil, err
	}
	if err := links.Lock(ctx, client); err != nil {
		return nil, err
	}
	tp, err := thirdParty(ctx, client, in.ThirdPartyID, "thirdPartyId")
	if err != nil {
		return nil, err
	}
	linked, err := thirdParty(ctx, client, in.LinkedThirdPartyID, "linkedThirdPartyId")
	if err != nil {
		return nil, err
	}
	if err := requireWrite(ctx, tp.Kind); err != nil {
		return nil, err
	}
	if tp.ID == linked.ID {
		return nil, errs.Invalid("linkedThirdPartyId", "a third party cannot be linked to itself")
	}
	t, err := filiationType(ctx, client, in.TypeID)
	if err != nil {
		return nil, err
	}
	if err := unique(ctx, client, tp.ID, linked.ID, t, 0); err != nil {
		return nil, err
	}
	fl, err := client.FiliationLink.Create().SetThirdPartyID(tp.ID).SetLinkedThirdPartyID(linked.ID).SetTypeID(t.ID).Save(ctx)
	if ent.IsConstraintError(err) {
		return nil, errs.E(errs.Conflict, "these two third parties are already linked with type %s", t.Code)
	}
	return fl, err
}

// unique refuses a second link of type t between a and b, either way
// round (the link except, being updated, aside).
func unique(ctx context.Context, client *ent.Client, a, b int, t *ent.LinkType, except int) error {
	dup, err := client.FiliationLink.Query().Where(filiationlink.IDNEQ(except), filiationlink.TypeID(t.ID), filiationlink.Or(
		filiationlink.And(filiationlink.ThirdPartyID(a), filiationlink.LinkedThirdPartyID(b)),
		filiationlink.And(filiationlink.ThirdPartyID(b), filiationlink.LinkedThirdPartyID(a)),
	)).Exist(auth.System(ctx))
	if err != nil {
		return fmt.Errorf("filiation: duplicate check: %w", err)
	}
	if dup {
		return errs.E(errs.Conflict, "these two third parties are already linked with type %s", t.Code)
	}
	return nil
}

// getLink returns the link id as the viewer sees it.
func getLink(ctx context.Context, client *ent.Client, id int) (*ent.FiliationLink, error) {
	fl, err := client.FiliationLink.Query().Where(filiationlink.ID(id)).WithThirdParty().WithLinkedThirdParty().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, errs.E(errs.NotFound, "no filiation link with this ID")
	}
	if err != nil {
		return nil, fmt.Errorf("filiation: find link: %w", err)
	}
	return fl, nil
}

// UpdateLink changes the type of a link.
func UpdateLink(ctx context.Context, client *ent.Client, id int, in UpdateLinkInput) (*ent.FiliationLink, error) {
	if err := requireFlag(ctx); err != nil {
		return nil, err
	}
	fl, err := getLink(ctx, client, id)
	if err != nil {
		return nil, err
	}
	if err := requireWrite(ctx, fl.Edges.ThirdParty.Kind, fl.Edges.LinkedThirdParty.Kind); err != nil {
		return nil, err
	}
	if in.TypeID == nil {
		return fl, nil
	}
	t, err := filiationType(ctx, client, *in.TypeID)
	if err != nil {
		return nil, err
	}
	if err := unique(ctx, client, fl.ThirdPartyID, fl.LinkedThirdPartyID, t, id); err != nil {
		return nil, err
	}
	updated, err := client.FiliationLink.UpdateOneID(id).SetTypeID(t.ID).Save(ctx)
	if ent.IsConstraintError(err) {
		return nil, errs.E(errs.Conflict, "these two third parties are already linked with type %s", t.Code)
	}
	return updated, err
}

// DeleteLink deletes a link.
func DeleteLink(ctx context.Context, client *ent.Client, id int) error {
	if err := requireFlag(ctx); err != nil {
		return err
	}
	fl, err := getLink(ctx, client, id)
	if err != nil {
		return err
	}
	if err := requireWrite(ctx, fl.Edges.ThirdParty.Kind, fl.Edges.LinkedThirdParty.Kind); err != nil {
		return err
	}
	return client.FiliationLink.DeleteOneID(id).Exec(ctx)
}

// ForThirdParties returns the filiation links of third parties ids
// (either side) with both sides and the type loaded: three queries
// whatever the number of links.
func ForThirdParties(ctx context.Context, client *ent.Client, ids []int) ([]*ent.FiliationLink, error) {
	fls, err := client.FiliationLink.Query().
		Where(filiationlink.Or(filiationlink.ThirdPartyIDIn(ids...), filiationlink.LinkedThirdPartyIDIn(ids...))).
		Order(ent.Asc(filiationlink.FieldID)).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("filiation: links: %w", err)
	}
	if len(fls) == 0 {
		return fls, nil
	}
	var tpIDs, typeIDs []int
	for _, l := range fls {
		tpIDs = append(tpIDs, l.ThirdPartyID, l.LinkedThirdPartyID)
		typeIDs = append(typeIDs, l.TypeID)
	}
	tps, types, err := links.Sides(ctx, client, tpIDs, typeIDs)
	if err != nil {
		return nil, err
	}
	for _, l := range fls {
		l.Edges.ThirdParty, l.Edges.LinkedThirdParty, l.Edges.Type = tps[l.ThirdPartyID], tps[l.LinkedThirdPartyID], types[l.TypeID]
	}
	return fls, nil
}

// NetworkPredicate selects the members of the filiation network of
// third party id (itself when it has no links).
func NetworkPredicate(ctx context.Context, client *ent.Client, id int) (predicate.ThirdParty, error) {
	if err := RequireRead(ctx); err != nil {
		return nil, err
	}
	tp, err := client.ThirdParty.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, errs.Invalid("where.inFiliationNetworkOf", "no third party with this ID")
	}
	if err != nil {
		return nil, fmt.Errorf("filiation: network of %d: %w", id, err)
	}
	if tp.NetworkID == nil {
		return thirdparty.ID(tp.ID), nil
	}
	return thirdparty.NetworkID(*tp.NetworkID), nil
}
