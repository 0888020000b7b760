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

// CreateLinkInput creates a filiation link. Without LinkedTypeID (the
// earlier one-type form, deprecated) TypeID is the linked party's type and
// the record's side gets its counterpart (see Counterpart).
type CreateLinkInput struct {
	ThirdPartyID       int  `json:"thirdPartyId"`
	LinkedThirdPartyID int  `json:"linkedThirdPartyId"`
	TypeID             int  `json:"typeId"`
	LinkedTypeID       *int `json:"linkedTypeId"`
}

// UpdateLinkInput changes the types of a filiation link: absent fields are
// unchanged. TypeID alone, deprecated, is read as in the one-type form.
type UpdateLinkInput struct {
	TypeID       *int `json:"typeId"`
	LinkedTypeID *int `json:"linkedTypeId"`
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
// company) and of the FILIATION category; field names the input.
func filiationType(ctx context.Context, client *ent.Client, id int, field string) (*ent.LinkType, error) {
	t, err := client.LinkType.Query().Where(linktype.ID(id)).WithCompany().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, errs.Invalid(field, "no link type with this ID")
	}
	if err != nil {
		return nil, fmt.Errorf("filiation: find type: %w", err)
	}
	if t.CompanyID != viewer.FromContext(ctx).CompanyID && !t.Edges.Company.Shared {
		return nil, errs.Invalid(field, "link type %s belongs to another company than yours or the shared one", t.Code)
	}
	if t.Category != linktype.CategoryFILIATION {
		return nil, errs.Invalid(field, "link type %s is a %s type, not FILIATION", t.Code, t.Category)
	}
	return t, nil
}

// sideTypes returns the two sides' types of a link: typeID's and
// linkedTypeID's, or, without linkedTypeID (the one-type form), typeID's
// counterpart and typeID's. Two directions that contradict each other are
// refused.
func sideTypes(ctx context.Context, client *ent.Client, typeID int, linkedTypeID *int) (typ, linkedTyp *ent.LinkType, err error) {
	if linkedTypeID == nil {
		if linkedTyp, err = filiationType(ctx, client, typeID, "typeId"); err != nil {
			return nil, nil, err
		}
		typ, err = Counterpart(ctx, client, linkedTyp)
		return typ, linkedTyp, err
	}
	if typ, err = filiationType(ctx, client, typeID, "typeId"); err != nil {
		return nil, nil, err
	}
	if linkedTyp, err = filiationType(ctx, client, *linkedTypeID, "linkedTypeId"); err != nil {
		return nil, nil, err
	}
	if !compatible(typ, linkedTyp) {
		return nil, nil, errs.Invalid("linkedTypeId", "link types %s (%s) and %s (%s) contradict each other: when both sides have a direction, one must be the other's inverse (UP with DOWN, TRANSVERSE with TRANSVERSE)",
			typ.Code, *typ.Direction, linkedTyp.Code, *linkedTyp.Direction)
	}
	return typ, linkedTyp, nil
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
	t, lt, err := sideTypes(ctx, client, in.TypeID, in.LinkedTypeID)
	if err != nil {
		return nil, err
	}
	if err := unique(ctx, client, tp.ID, t, linked.ID, lt, 0); err != nil {
		return nil, err
	}
	fl, err := client.FiliationLink.Create().SetThirdPartyID(tp.ID).SetLinkedThirdPartyID(linked.ID).
		SetTypeID(t.ID).SetLinkedTypeID(lt.ID).Save(ctx)
	if ent.IsConstraintError(err) {
		return nil, duplicate(t, lt)
	}
	return fl, err
}

// duplicate is the error of a relation stored already.
func duplicate(t, lt *ent.LinkType) error {
	return errs.E(errs.Conflict, "these two third parties are already linked with types %s / %s, either way round", t.Code, lt.Code)
}

// unique refuses a second link between a (of type t) and b (of type lt),
// however spelt (the link except, being updated, aside). The unique index
// on the relation refuses it too, under races; this check names it first.
func unique(ctx context.Context, client *ent.Client, a int, t *ent.LinkType, b int, lt *ent.LinkType, except int) error {
	dup, err := client.FiliationLink.Query().
		Where(filiationlink.IDNEQ(except), filiationlink.Relation(Relation(a, t.ID, b, lt.ID))).
		Exist(auth.System(ctx))
	if err != nil {
		return fmt.Errorf("filiation: duplicate check: %w", err)
	}
	if dup {
		return duplicate(t, lt)
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

// UpdateLink changes the types of a link.
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
	if in.TypeID == nil && in.LinkedTypeID == nil {
		return fl, nil
	}
	if err := links.Lock(ctx, client); err != nil {
		return nil, err
	}
	var t, lt *ent.LinkType
	switch {
	case in.TypeID != nil && in.LinkedTypeID == nil:
		// The one-type form, deprecated: typeId is the linked party's.
		t, lt, err = sideTypes(ctx, client, *in.TypeID, nil)
	default:
		typeID, linkedTypeID := fl.TypeID, fl.LinkedTypeID
		if in.TypeID != nil {
			typeID = *in.TypeID
		}
		if in.LinkedTypeID != nil {
			linkedTypeID = *in.LinkedTypeID
		}
		t, lt, err = sideTypes(ctx, client, typeID, &linkedTypeID)
	}
	if err != nil {
		return nil, err
	}
	if err := unique(ctx, client, fl.ThirdPartyID, t, fl.LinkedThirdPartyID, lt, id); err != nil {
		return nil, err
	}
	updated, err := client.FiliationLink.UpdateOneID(id).SetTypeID(t.ID).SetLinkedTypeID(lt.ID).Save(ctx)
	if ent.IsConstraintError(err) {
		return nil, duplicate(t, lt)
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
// (either side) with both sides and both types loaded: three queries
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
		typeIDs = append(typeIDs, l.TypeID, l.LinkedTypeID)
	}
	tps, types, err := links.Sides(ctx, client, tpIDs, typeIDs)
	if err != nil {
		return nil, err
	}
	for _, l := range fls {
		l.Edges.ThirdParty, l.Edges.LinkedThirdParty = tps[l.ThirdPartyID], tps[l.LinkedThirdPartyID]
		l.Edges.Type, l.Edges.LinkedType = types[l.TypeID], types[l.LinkedTypeID]
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
