package links

import (
	"context"

	"carnet/ent/linktype"
	"carnet/ent/schema/enum"
	"carnet/internal/auth"
	"carnet/internal/rights"
	"carnet/internal/viewer"
)

// Link rights are rights on a tab of the record being viewed (the guide's
// « accès à l'onglet… »): whoever may open a record's links tab sees all
// its links, whatever the other side's kind (closed clients still need
// 191516, as everywhere).

// TabKinds returns the kinds of third parties whose links tab of category
// the viewer may open: clients with 191517 (management) or 191521
// (filiation), prospects with 191519 or 191523; suppliers and others,
// which the guide gives no link right, have a filiation tab that the
// right to read the address book opens. None without that right (or the
// integration right): links are part of the address book. The feature
// flags are not checked here.
func TabKinds(v *viewer.Viewer, category linktype.Category) []enum.ThirdPartyKind {
	if v == nil || !v.Can(rights.ReadAddressBook) && !v.Can(rights.Integrate) {
		return nil
	}
	client, prospect := rights.ReadClientMgmtLinks, rights.ReadProspectMgmtLinks
	if category == linktype.CategoryFILIATION {
		client, prospect = rights.ReadClientFiliation, rights.ReadProspectFiliation
	}
	var kinds []enum.ThirdPartyKind
	if v.Can(client) {
		kinds = append(kinds, enum.Client)
	}
	if v.Can(prospect) {
		kinds = append(kinds, enum.Prospect)
	}
	if category == linktype.CategoryFILIATION {
		kinds = append(kinds, enum.Supplier, enum.Other)
	}
	return kinds
}

// MayOpenTab reports whether the viewer may open the links tab of
// category on a record of kind (the feature flag aside).
func MayOpenTab(v *viewer.Viewer, category linktype.Category, kind enum.ThirdPartyKind) bool {
	for _, k := range TabKinds(v, category) {
		if k == kind {
			return true
		}
	}
	return false
}

// writeRight is the right to change the links tab of category on a
// record of kind; ok is false for suppliers and others, which have no
// right of their own.
func writeRight(category linktype.Category, kind enum.ThirdPartyKind) (r rights.Right, ok bool) {
	switch {
	case kind == enum.Client && category == linktype.CategoryMANAGEMENT:
		return rights.WriteClientMgmtLinks, true
	case kind == enum.Prospect && category == linktype.CategoryMANAGEMENT:
		return rights.WriteProspectMgmtLinks, true
	case kind == enum.Client:
		return rights.WriteClientFiliation, true
	case kind == enum.Prospect:
		return rights.WriteProspectFiliation, true
	}
	return 0, false
}

// RequireChange checks the right to change the links tab of category on a
// record of one of kinds: a creation names the record whose tab is open,
// an update or a deletion either record of the link (it can be made from
// either tab). A supplier's or an other third party's filiation tab is
// changed with either filiation right. The feature flag is checked by the
// caller.
func RequireChange(ctx context.Context, category linktype.Category, kinds ...enum.ThirdPartyKind) error {
	var needed []rights.Right
	for _, k := range kinds {
		r, ok := writeRight(category, k)
		if !ok {
			c, _ := writeRight(category, enum.Client)
			p, _ := writeRight(category, enum.Prospect)
			needed = append(needed, c, p)
			continue
		}
		needed = append(needed, r)
	}
	return auth.Require(ctx, needed...)
}
