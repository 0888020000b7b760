package links

import (
	"context"
	"fmt"

	"carnet/ent"
	"carnet/ent/linktype"
	"carnet/ent/managementlink"
	"carnet/ent/schema/enum"
	"carnet/ent/thirdparty"
	"carnet/internal/auth"
	"carnet/internal/errs"
	"carnet/internal/viewer"
)

// CreateManagementLinkInput creates a management link.
type CreateManagementLinkInput struct {
	ThirdPartyID       int   `json:"thirdPartyId"`
	TypeID             int   `json:"typeId"`
	LinkedThirdPartyID int   `json:"linkedThirdPartyId"`
	LinkedTypeID       int   `json:"linkedTypeId"`
	IsDefault          *bool `json:"isDefault"`
}

// UpdateManagementLinkInput changes a management link: absent fields are
// unchanged.
type UpdateManagementLinkInput struct {
	TypeID       *int  `json:"typeId"`
	LinkedTypeID *int  `json:"linkedTypeId"`
	IsDefault    *bool `json:"isDefault"`
}

// noDefaultOnSites is the warning of isDefault on a delivery-site link.
var noDefaultOnSites = &errs.Warning{
	Code:    errs.BadUserInput,
	Field:   "isDefault",
	Message: "isDefault has no effect on a delivery-site link (" + DeliverySite + "): the link is stored as not the default",
}

// requireManagement checks the feature flag and, given kinds, the right
// to change the management links tab of a record of one of them
// (RequireChange).
func requireManagement(ctx context.Context, kinds ...enum.ThirdPartyKind) error {
	if !viewer.FromContext(ctx).ManagementLinks {
		return errs.E(errs.FeatureDisabled, "management links are switched off for this organisation")
	}
	if len(kinds) == 0 {
		return nil
	}
	return RequireChange(ctx, linktype.CategoryMANAGEMENT, kinds...)
}

// side loads one side of a link: a client or a prospect the viewer sees.
func side(ctx context.Context, client *ent.Client, id int, field string) (*ent.ThirdParty, error) {
	tp, err := client.ThirdParty.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, errs.Invalid(field, "no third party with this ID")
	}
	if err != nil {
		return nil, fmt.Errorf("links: find third party: %w", err)
	}
	if tp.Kind != enum.Client && tp.Kind != enum.Prospect {
		return nil, errs.Invalid(field, "management links join clients and prospects; this third party is a %s", tp.Kind)
	}
	return tp, nil
}

// link is a management link being checked.
type link struct {
	tp, linked          *ent.ThirdParty
	typ, linkedTyp      *ent.LinkType
	isDefault           bool
	orderingPartyID     int
	otherIsDeliverySite bool
}

// check applies the rules of a management link. isDefault on a delivery
// site has no effect: it is stored false and the warning says so.
func (l *link) check(ctx context.Context, client *ent.Client) (*errs.Warning, error) {
	if l.tp.ID == l.linked.ID {
		return nil, errs.Invalid("linkedThirdPartyId", "a third party cannot be linked to itself")
	}
	other := l.linkedTyp
	l.orderingPartyID = l.tp.ID
	switch {
	case l.typ.Code == OrderingParty && l.linkedTyp.Code == OrderingParty:
		return nil, errs.Invalid("linkedTypeId", "one side is the ordering party (%s), the other a bill-to party, a delivery site or another management type, not %s too", OrderingParty, OrderingParty)
	case l.linkedTyp.Code == OrderingParty:
		other = l.typ
		l.orderingPartyID = l.linked.ID
	case l.typ.Code != OrderingParty:
		if _, err := typeByCode(ctx, client, OrderingParty); err != nil {
			return nil, err
		}
		return nil, errs.Invalid("typeId", "one side of a management link must be of type %s (ordering party)", OrderingParty)
	}
	l.otherIsDeliverySite = other.Code == DeliverySite
	if l.isDefault && l.otherIsDeliverySite {
		l.isDefault = false
		return noDefaultOnSites, nil
	}
	return nil, nil
}

// unique refuses a link that exists already, as given or mirrored (the
// link except, being updated, aside).
func (l *link) unique(ctx context.Context, client *ent.Client, except int) error {
	dup, err := client.ManagementLink.Query().Where(managementlink.IDNEQ(except), managementlink.Or(
		managementlink.And(managementlink.ThirdPartyID(l.tp.ID), managementlink.LinkedThirdPartyID(l.linked.ID),
			managementlink.TypeID(l.typ.ID), managementlink.LinkedTypeID(l.linkedTyp.ID)),
		managementlink.And(managementlink.ThirdPartyID(l.linked.ID), managementlink.LinkedThirdPartyID(l.tp.ID),
			managementlink.TypeID(l.linkedTyp.ID), managementlink.LinkedTypeID(l.typ.ID)),
	)).Exist(auth.System(ctx))
	if err != nil {
		return fmt.Errorf("links: duplicate check: %w", err)
	}
	if dup {
		return errs.E(errs.Conflict, "these two third parties are already linked with these types")
	}
	return nil
}

// typeByCode finds the offered management type of code, or says that it
// is missing.
func typeByCode(ctx context.Context, client *ent.Client, code string) (*ent.LinkType, error) {
	cat := linktype.CategoryMANAGEMENT
	types, err := Types(ctx, client, &cat)
	if err != nil {
		return nil, err
	}
	for _, t := range types {
		if t.Code == code {
			return t, nil
		}
	}
	return nil, errs.Invalid("typeId", "the management link type %s is not defined for your company or the shared company: an administrator must create it first", code)
}

// CreateManagementLink links two clients or prospects, from the tab of
// the record thirdPartyId: the right to change that tab of its kind
// decides (the linked party's kind needs none). A warning says when
// isDefault was ignored (a delivery site).
func CreateManagementLink(ctx context.Context, client *ent.Client, in CreateManagementLinkInput) (*ent.ManagementLink, *errs.Warning, error) {
	ml, w, err := createManagementLink(ctx, client, in)
	if err != nil {
		return nil, nil, err
	}
	return ml, w, nil
}

func createManagementLink(ctx context.Context, client *ent.Client, in CreateManagementLinkInput) (*ent.ManagementLink, *errs.Warning, error) {
	if err := requireManagement(ctx); err != nil {
		return nil, nil, err
	}
	if err := Lock(ctx, client); err != nil {
		return nil, nil, err
	}
	var l link
	var err error
	if l.tp, err = side(ctx, client, in.ThirdPartyID, "thirdPartyId"); err != nil {
		return nil, nil, err
	}
	if l.linked, err = side(ctx, client, in.LinkedThirdPartyID, "linkedThirdPartyId"); err != nil {
		return nil, nil, err
	}
	if err := requireManagement(ctx, l.tp.Kind); err != nil {
		return nil, nil, err
	}
	if l.typ, err = offeredType(ctx, client, in.TypeID, linktype.CategoryMANAGEMENT, "typeId"); err != nil {
		return nil, nil, err
	}
	if l.linkedTyp, err = offeredType(ctx, client, in.LinkedTypeID, linktype.CategoryMANAGEMENT, "linkedTypeId"); err != nil {
		return nil, nil, err
	}
	l.isDefault = in.IsDefault != nil && *in.IsDefault
	warning, err := l.check(ctx, client)
	if err != nil {
		return nil, nil, err
	}
	if err := l.unique(ctx, client, 0); err != nil {
		return nil, nil, err
	}
	if l.isDefault {
		if err := clearDefault(ctx, client, l.tp.ID, l.linked.ID, 0); err != nil {
			return nil, nil, err
		}
	}
	ml, err := client.ManagementLink.Create().
		SetThirdPartyID(l.tp.ID).SetTypeID(l.typ.ID).
		SetLinkedThirdPartyID(l.linked.ID).SetLinkedTypeID(l.linkedTyp.ID).
		SetOrderingPartyID(l.orderingPartyID).SetIsDefault(l.isDefault).
		Save(ctx)
	if ent.IsConstraintError(err) {
		return nil, nil, errs.E(errs.Conflict, "another change to these records' links ran at the same time: retry")
	}
	return ml, warning, err
}

// clearDefault unsets the default links of records a and b (either side
// of the link), other than except: there is at most one default link per
// record, and a new default replaces the previous one of both records it
// joins. It runs under Lock, which serialises the organisation's link
// changes (the partial unique indexes per column catch the rest).
//
// Unsetting is a consequence of the change the viewer was allowed to
// make, so it needs no further right: it runs as the system, and reaches
// links the viewer may not see (a closed client's, another kind's tab).
func clearDefault(ctx context.Context, client *ent.Client, a, b, except int) error {
	ends := []int{a, b}
	_, err := client.ManagementLink.Update().
		Where(managementlink.IsDefault(true), managementlink.IDNEQ(except), managementlink.Or(
			managementlink.ThirdPartyIDIn(ends...), managementlink.LinkedThirdPartyIDIn(ends...))).
		SetIsDefault(false).
		Save(auth.System(ctx))
	if err != nil {
		return fmt.Errorf("links: clear default: %w", err)
	}
	return nil
}

// getManagementLink returns the link id as the viewer sees it.
func getManagementLink(ctx context.Context, client *ent.Client, id int) (*ent.ManagementLink, error) {
	ml, err := client.ManagementLink.Query().Where(managementlink.ID(id)).
		WithThirdParty().WithLinkedThirdParty().WithType().WithLinkedType().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, errs.E(errs.NotFound, "no management link with this ID")
	}
	if err != nil {
		return nil, fmt.Errorf("links: find management link: %w", err)
	}
	return ml, nil
}

// UpdateManagementLink changes the types or the default flag of a link,
// from the tab of either record it joins: the right to change that tab
// of either record's kind decides. A warning says when isDefault was
// ignored (a delivery site).
func UpdateManagementLink(ctx context.Context, client *ent.Client, id int, in UpdateManagementLinkInput) (*ent.ManagementLink, *errs.Warning, error) {
	ml, w, err := updateManagementLink(ctx, client, id, in)
	if err != nil {
		return nil, nil, err
	}
	return ml, w, nil
}

func updateManagementLink(ctx context.Context, client *ent.Client, id int, in UpdateManagementLinkInput) (*ent.ManagementLink, *errs.Warning, error) {
	if err := requireManagement(ctx); err != nil {
		return nil, nil, err
	}
	if err := Lock(ctx, client); err != nil {
		return nil, nil, err
	}
	ml, err := getManagementLink(ctx, client, id)
	if err != nil {
		return nil, nil, err
	}
	l := link{tp: ml.Edges.ThirdParty, linked: ml.Edges.LinkedThirdParty, typ: ml.Edges.Type, linkedTyp: ml.Edges.LinkedType, isDefault: ml.IsDefault}
	if err := requireManagement(ctx, l.tp.Kind, l.linked.Kind); err != nil {
		return nil, nil, err
	}
	if in.TypeID != nil {
		if l.typ, err = offeredType(ctx, client, *in.TypeID, linktype.CategoryMANAGEMENT, "typeId"); err != nil {
			return nil, nil, err
		}
	}
	if in.LinkedTypeID != nil {
		if l.linkedTyp, err = offeredType(ctx, client, *in.LinkedTypeID, linktype.CategoryMANAGEMENT, "linkedTypeId"); err != nil {
			return nil, nil, err
		}
	}
	if in.IsDefault != nil {
		l.isDefault = *in.IsDefault
	}
	warning, err := l.check(ctx, client)
	if err != nil {
		return nil, nil, err
	}
	if err := l.unique(ctx, client, id); err != nil {
		return nil, nil, err
	}
	if l.isDefault {
		if err := clearDefault(ctx, client, l.tp.ID, l.linked.ID, id); err != nil {
			return nil, nil, err
		}
	}
	updated, err := client.ManagementLink.UpdateOneID(id).
		SetTypeID(l.typ.ID).SetLinkedTypeID(l.linkedTyp.ID).
		SetOrderingPartyID(l.orderingPartyID).SetIsDefault(l.isDefault).
		Save(ctx)
	if ent.IsConstraintError(err) {
		return nil, nil, errs.E(errs.Conflict, "this link duplicates another, or another change ran at the same time: retry")
	}
	return updated, warning, err
}

// DeleteManagementLink deletes a link, from the tab of either record it
// joins (the right to change that tab of either record's kind).
func DeleteManagementLink(ctx context.Context, client *ent.Client, id int) error {
	if err := requireManagement(ctx); err != nil {
		return err
	}
	ml, err := getManagementLink(ctx, client, id)
	if err != nil {
		return err
	}
	if err := requireManagement(ctx, ml.Edges.ThirdParty.Kind, ml.Edges.LinkedThirdParty.Kind); err != nil {
		return err
	}
	return client.ManagementLink.DeleteOneID(id).Exec(ctx)
}

// Parties returns, for an ordering party, the other sides of its links
// (loaded with their third parties and types): the delivery sites (sites
// true, SITE_LIV) or the bill-to parties (any other type), the default
// first, then by name.
func Parties(links []*ent.ManagementLink, orderingParty int, sites bool) []*ent.ThirdParty {
	var def, rest []*ent.ThirdParty
	for _, ml := range links {
		if ml.OrderingPartyID != orderingParty {
			continue
		}
		other, otherType := ml.Edges.LinkedThirdParty, ml.Edges.LinkedType
		if ml.LinkedThirdPartyID == orderingParty {
			other, otherType = ml.Edges.ThirdParty, ml.Edges.Type
		}
		if other == nil || otherType == nil || (otherType.Code == DeliverySite) != sites {
			continue
		}
		if ml.IsDefault {
			def = append(def, other)
		} else {
			rest = append(rest, other)
		}
	}
	sortByName(rest)
	return append(def, rest...)
}

// ForThirdParties returns the management links of third parties ids
// (either side), the default first, with both sides and both types
// loaded: three queries whatever the number of links.
func ForThirdParties(ctx context.Context, client *ent.Client, ids []int) ([]*ent.ManagementLink, error) {
	links, err := client.ManagementLink.Query().
		Where(managementlink.Or(managementlink.ThirdPartyIDIn(ids...), managementlink.LinkedThirdPartyIDIn(ids...))).
		Order(ent.Desc(managementlink.FieldIsDefault), ent.Asc(managementlink.FieldID)).
		All(ctx)
	if err != nil || len(links) == 0 {
		return links, wrap(err)
	}
	var tpIDs, typeIDs []int
	for _, l := range links {
		tpIDs = append(tpIDs, l.ThirdPartyID, l.LinkedThirdPartyID)
		typeIDs = append(typeIDs, l.TypeID, l.LinkedTypeID)
	}
	tps, types, err := Sides(ctx, client, tpIDs, typeIDs)
	if err != nil {
		return nil, err
	}
	for _, l := range links {
		l.Edges.ThirdParty, l.Edges.LinkedThirdParty = tps[l.ThirdPartyID], tps[l.LinkedThirdPartyID]
		l.Edges.Type, l.Edges.LinkedType = types[l.TypeID], types[l.LinkedTypeID]
	}
	return links, nil
}

func wrap(err error) error {
	if err != nil {
		return fmt.Errorf("links: %w", err)
	}
	return nil
}

// Sides loads the third parties and link types that links name, in two
// queries, by ID.
func Sides(ctx context.Context, client *ent.Client, tpIDs, typeIDs []int) (map[int]*ent.ThirdParty, map[int]*ent.LinkType, error) {
	tps, err := client.ThirdParty.Query().Where(thirdparty.IDIn(tpIDs...)).All(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("links: sides: %w", err)
	}
	types, err := client.LinkType.Query().Where(linktype.IDIn(typeIDs...)).All(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("links: types: %w", err)
	}
	byTP := make(map[int]*ent.ThirdParty, len(tps))
	for _, tp := range tps {
		byTP[tp.ID] = tp
	}
	byType := make(map[int]*ent.LinkType, len(types))
	for _, t := range types {
		byType[t.ID] = t
	}
	return byTP, byType, nil
}
