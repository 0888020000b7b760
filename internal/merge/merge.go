// Package merge merges duplicate third parties, or duplicate contacts,
// into one kept record, in the caller's transaction (the mutation's): a
// refusal or a failure half-way leaves nothing changed.
//
// The rules:
//
//   - The kept record and the merged ones are distinct, and all of the
//     viewer's organisation, as the viewer sees them (another
//     organisation's ID, or a closed client without 191516, is NOT_FOUND).
//     Each is given with the version the user saw: a stale one is
//     CONFLICT. Merging needs the right to change the address book
//     (100002) and the right to delete records (100003).
//   - Kinds: a record merges into one of its kind; a prospect also into a
//     client. A client merges into a prospect only with the back office's
//     integration right (100005), since its code leaves the back office's
//     reach; without it the merge is refused (FORBIDDEN, with the
//     reason). Suppliers and others merge only into their own kind.
//     Contacts merge only within one third party.
//   - Contacts, activities, documents (their files untouched),
//     opportunities and custom field values move to the kept record; the
//     kept record's custom values win, the merged ones fill its empty
//     fields when its definitions accept them. fieldChoices take a field
//     (see ThirdPartyFields, ContactFields) from a merged record; an
//     unknown field, a field chosen twice or a fromId that is not one of
//     the records is BAD_USER_INPUT.
//   - Links (management and filiation) move to the kept record. A link
//     between the kept record and a merged one (or two merged ones)
//     would join the record to itself: it is dropped. A link that
//     becomes the same as one the kept record has is dropped too. At
//     most one default management link per record: the kept record's
//     default wins (else the first merged record's), the others are
//     stored as not the default. Every drop or un-defaulting is reported
//     in extensions.warnings (code MERGED).
//   - The merged records are deleted; their search entries go with them,
//     the kept record's are rewritten by the index hooks. An audit event
//     on the kept record lists the merged IDs and how many of each kind
//     of record moved.
//   - A merged ID keeps resolving for HintLifetime: node(id) answers the
//     kept record with a MERGED warning (see Resolve).
package merge

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"carnet/ent"
	"carnet/ent/activity"
	"carnet/ent/auditevent"
	"carnet/ent/contact"
	"carnet/ent/customfielddefinition"
	"carnet/ent/document"
	"carnet/ent/filiationlink"
	"carnet/ent/managementlink"
	"carnet/ent/mergedrecord"
	"carnet/ent/opportunity"
	"carnet/ent/schema/enum"
	"carnet/ent/thirdparty"
	"carnet/internal/audit"
	"carnet/internal/auth"
	"carnet/internal/customfield"
	"carnet/internal/db/rowlock"
	"carnet/internal/errs"
	"carnet/internal/filiation"
	"carnet/internal/gid"
	"carnet/internal/links"
	"carnet/internal/rights"
)

// HintLifetime is how long node(id) of a merged record answers the kept
// record. Older hints are deleted by the next merge of the organisation.
const HintLifetime = 365 * 24 * time.Hour

// Input is a merge: the record kept, the records merged into it, each
// with the version the user saw, and the fields taken from merged ones.
type Input struct {
	KeepID          int            `json:"keepId"`
	ExpectedVersion int            `json:"expectedVersion"`
	Merge           []*Record      `json:"merge"`
	FieldChoices    []*FieldChoice `json:"fieldChoices"`
}

// Record is a record to merge, at the version the user saw.
type Record struct {
	ID              int `json:"id"`
	ExpectedVersion int `json:"expectedVersion"`
}

// FieldChoice takes a field's value from one of the merged records.
type FieldChoice struct {
	Field  string `json:"field"`
	FromID int    `json:"fromId"`
}

// ThirdPartyFields are the fields a third-party merge may take from a
// merged record, each with its columns: the identifiers (SIREN, SIRET,
// VAT number) and the address go whole, so that they stay consistent.
var ThirdPartyFields = map[string][]string{
	"name":        {thirdparty.FieldName},
	"legalName":   {thirdparty.FieldLegalName},
	"identifiers": {thirdparty.FieldSiren, thirdparty.FieldSiret, thirdparty.FieldVatNumber},
	"apeCode":     {thirdparty.FieldApeCode},
	"address": {thirdparty.FieldAddressLine1, thirdparty.FieldAddressLine2, thirdparty.FieldAddressLine3,
		thirdparty.FieldPostalCode, thirdparty.FieldCity, thirdparty.FieldCountry},
	"phone":   {thirdparty.FieldPhone},
	"email":   {thirdparty.FieldEmail},
	"website": {thirdparty.FieldWebsite},
}

// ContactFields are the fields a contact merge may take from a merged
// contact (the name is first and last name together).
var ContactFields = map[string][]string{
	"name":       {contact.FieldFirstName, contact.FieldLastName},
	"civility":   {contact.FieldCivility},
	"jobTitle":   {contact.FieldJobTitle},
	"directLine": {contact.FieldDirectLine},
	"mobile":     {contact.FieldMobile},
	"email":      {contact.FieldEmail},
}

// fault, set by tests only, fails a merge after everything moved and
// before the merged records are deleted.
var fault func() error

// check refuses an input whose IDs are not distinct or whose field
// choices are unknown, repeated or name another record; it returns the
// merged IDs in the order given.
func (in Input) check(choosable map[string][]string) ([]int, error) {
	if len(in.Merge) == 0 {
		return nil, errs.Invalid("merge", "give at least one record to merge")
	}
	seen := map[int]bool{in.KeepID: true}
	var ids []int
	for _, r := range in.Merge {
		if seen[r.ID] {
			return nil, errs.Invalid("merge", "the record %s is given twice (the kept record and the merged ones must be distinct)", gid.Encode(r.ID))
		}
		seen[r.ID] = true
		ids = append(ids, r.ID)
	}
	chosen := map[string]bool{}
	for _, c := range in.FieldChoices {
		if _, ok := choosable[c.Field]; !ok {
			names := slices.Sorted(maps.Keys(choosable))
			return nil, errs.Invalid("fieldChoices", "unknown field %q: choose among %s", c.Field, strings.Join(names, ", "))
		}
		if chosen[c.Field] {
			return nil, errs.Invalid("fieldChoices", "the field %q is chosen twice", c.Field)
		}
		chosen[c.Field] = true
		if !seen[c.FromID] {
			return nil, errs.Invalid("fieldChoices", "fromId %s is not one of the merged records", gid.Encode(c.FromID))
		}
	}
	return ids, nil
}

// ThirdParties merges the third parties of in.Merge into in.KeepID (see
// the package's rules) and returns the kept record, with warnings for the
// links dropped or un-defaulted.
func ThirdParties(ctx context.Context, client *ent.Client, in Input) (*ent.ThirdParty, []*errs.Warning, error) {
	if err := auth.Require(ctx, rights.WriteAddressBook); err != nil {
		return nil, nil, err
	}
	if err := auth.Require(ctx, rights.DeleteRecords); err != nil {
		return nil, nil, err
	}
	mergedIDs, err := in.check(ThirdPartyFields)
	if err != nil {
		return nil, nil, err
	}
	// The organisation's link lock before the records' rows, as every
	// link change and deletion takes them.
	if err := links.Lock(ctx, client); err != nil {
		return nil, nil, err
	}
	rows, err := client.ThirdParty.Query().Where(thirdparty.IDIn(append([]int{in.KeepID}, mergedIDs...)...)).
		Unique(false).Modify(rowlock.ForUpdate).All(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("merge: read third parties: %w", err)
	}
	byID := map[int]*ent.ThirdParty{}
	for _, tp := range rows {
		byID[tp.ID] = tp
	}
	keep := byID[in.KeepID]
	if keep == nil {
		return nil, nil, errs.E(errs.NotFound, "no third party with ID %s", gid.Encode(in.KeepID))
	}
	if keep.Version != in.ExpectedVersion {
		return nil, nil, stale(keep.ID, keep.Version, in.ExpectedVersion)
	}
	for _, r := range in.Merge {
		tp := byID[r.ID]
		if tp == nil {
			return nil, nil, errs.E(errs.NotFound, "no third party with ID %s", gid.Encode(r.ID))
		}
		if tp.Version != r.ExpectedVersion {
			return nil, nil, stale(tp.ID, tp.Version, r.ExpectedVersion)
		}
		if err := compatible(ctx, keep, tp); err != nil {
			return nil, nil, err
		}
	}

	sys := auth.System(ctx)
	moved := map[string]int{}
	count := func(what string, n int, err error) error {
		moved[what] += n
		if err != nil {
			return fmt.Errorf("merge: move %s: %w", what, err)
		}
		return nil
	}
	n, err := client.Contact.Update().Where(contact.ThirdPartyIDIn(mergedIDs...)).SetThirdPartyID(keep.ID).Save(sys)
	if err := count("contacts", n, err); err != nil {
		return nil, nil, err
	}
	n, err = client.Activity.Update().Where(activity.ThirdPartyIDIn(mergedIDs...)).SetThirdPartyID(keep.ID).Save(sys)
	if err := count("activities", n, err); err != nil {
		return nil, nil, err
	}
	n, err = client.Document.Update().Where(document.ThirdPartyIDIn(mergedIDs...)).SetThirdPartyID(keep.ID).Save(sys)
	if err := count("documents", n, err); err != nil {
		return nil, nil, err
	}
	n, err = client.Opportunity.Update().Where(opportunity.ThirdPartyIDIn(mergedIDs...)).SetThirdPartyID(keep.ID).Save(sys)
	if err := count("opportunities", n, err); err != nil {
		return nil, nil, err
	}
	var warnings []*errs.Warning
	w, err := moveManagementLinks(sys, client, keep.ID, mergedIDs, moved)
	if err != nil {
		return nil, nil, err
	}
	warnings = append(warnings, w...)
	w, err = moveFiliationLinks(sys, client, keep.ID, mergedIDs, moved)
	if err != nil {
		return nil, nil, err
	}
	warnings = append(warnings, w...)

	update := client.ThirdParty.UpdateOneID(keep.ID)
	if err := choose(update.Mutation(), in.FieldChoices, ThirdPartyFields, func(id int) any { return byID[id] }); err != nil {
		return nil, nil, err
	}
	defs, err := customfield.Definitions(ctx, client, keep.Kind)
	if err != nil {
		return nil, nil, fmt.Errorf("merge: custom fields: %w", err)
	}
	custom, filled := fill(defs, keep.CustomFields, mergedIDs, func(id int) map[string]any { return byID[id].CustomFields })
	moved["customFields"] = filled
	// Always written: the kept record changed (its version says so).
	update.SetCustomFields(custom)
	if fault != nil {
		if err := fault(); err != nil {
			return nil, nil, err
		}
	}
	if err := update.Exec(ctx); err != nil {
		return nil, nil, fmt.Errorf("merge: update the kept third party: %w", err)
	}
	for _, id := range mergedIDs {
		if err := client.ThirdParty.DeleteOneID(id).Exec(ctx); err != nil {
			return nil, nil, fmt.Errorf("merge: delete third party %d: %w", id, err)
		}
	}
	if err := remember(ctx, client, "ThirdParty", keep.ID, mergedIDs); err != nil {
		return nil, nil, err
	}
	if err := record(ctx, client, "ThirdParty", keep.ID, &keep.ID, mergedIDs, moved); err != nil {
		return nil, nil, err
	}
	kept, err := client.ThirdParty.Get(ctx, keep.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("merge: read the kept third party: %w", err)
	}
	return kept, warnings, nil
}

// compatible applies the kind rules of a third-party merge.
func compatible(ctx context.Context, keep, merged *ent.ThirdParty) error {
	if keep.Kind == merged.Kind {
		return nil
	}
	people := func(k enum.ThirdPartyKind) bool { return k == enum.Prospect || k == enum.Client }
	if !people(keep.Kind) || !people(merged.Kind) {
		return errs.Invalid("merge", "a %s cannot be merged into a %s", merged.Kind, keep.Kind)
	}
	if keep.Kind == enum.Prospect && merged.Kind == enum.Client {
		if err := auth.Require(ctx, rights.Integrate); err != nil {
			return errs.E(errs.Forbidden, "merging a client into a prospect needs the back office's integration right (100005): merge the prospect into the client instead")
		}
	}
	return nil
}

// stale is the error of a merge given an old version of a record.
func stale(id, current, expected int) error {
	return errs.E(errs.Conflict, "the record %s was changed since version %d (it is now at version %d): reload it and merge again", gid.Encode(id), expected, current)
}

// swap replaces a merged record by the kept one.
func swap(id, keep int, merged []int) int {
	if slices.Contains(merged, id) {
		return keep
	}
	return id
}

// moveManagementLinks moves the management links of the merged records to
// the kept one, one at a time: self-links and duplicates dropped, a second
// default of the kept record un-defaulted.
func moveManagementLinks(sys context.Context, client *ent.Client, keep int, merged []int, moved map[string]int) ([]*errs.Warning, error) {
	keepHasDefault, err := client.ManagementLink.Query().Where(managementlink.IsDefault(true),
		managementlink.Or(managementlink.ThirdPartyID(keep), managementlink.LinkedThirdPartyID(keep))).Exist(sys)
	if err != nil {
		return nil, fmt.Errorf("merge: default link: %w", err)
	}
	all, err := client.ManagementLink.Query().Where(managementlink.Or(
		managementlink.ThirdPartyIDIn(merged...), managementlink.LinkedThirdPartyIDIn(merged...))).
		Order(ent.Asc(managementlink.FieldID)).All(sys)
	if err != nil {
		return nil, fmt.Errorf("merge: management links: %w", err)
	}
	// The first merged record's default before the next one's.
	sort.SliceStable(all, func(i, j int) bool { return first(all[i], merged) < first(all[j], merged) })
	var warnings []*errs.Warning
	for _, l := range all {
		tp, linked := swap(l.ThirdPartyID, keep, merged), swap(l.LinkedThirdPartyID, keep, merged)
		if tp == linked {
			if err := client.ManagementLink.DeleteOneID(l.ID).Exec(sys); err != nil {
				return nil, fmt.Errorf("merge: drop a self link: %w", err)
			}
			moved["managementLinksDropped"]++
			warnings = append(warnings, dropped("management", l.ID, "it would join the kept record to itself"))
			continue
		}
		dup, err := client.ManagementLink.Query().Where(managementlink.IDNEQ(l.ID), managementlink.Or(
			managementlink.And(managementlink.ThirdPartyID(tp), managementlink.LinkedThirdPartyID(linked),
				managementlink.TypeID(l.TypeID), managementlink.LinkedTypeID(l.LinkedTypeID)),
			managementlink.And(managementlink.ThirdPartyID(linked), managementlink.LinkedThirdPartyID(tp),
				managementlink.TypeID(l.LinkedTypeID), managementlink.LinkedTypeID(l.TypeID)),
		)).Exist(sys)
		if err != nil {
			return nil, fmt.Errorf("merge: duplicate link: %w", err)
		}
		if dup {
			if err := client.ManagementLink.DeleteOneID(l.ID).Exec(sys); err != nil {
				return nil, fmt.Errorf("merge: drop a duplicate link: %w", err)
			}
			moved["managementLinksDropped"]++
			warnings = append(warnings, dropped("management", l.ID, "the kept record has the same link"))
			continue
		}
		update := client.ManagementLink.UpdateOneID(l.ID).SetThirdPartyID(tp).SetLinkedThirdPartyID(linked).
			SetOrderingPartyID(swap(l.OrderingPartyID, keep, merged))
		if l.IsDefault {
			if keepHasDefault {
				update.SetIsDefault(false)
				warnings = append(warnings, &errs.Warning{Code: errs.Merged, Field: "isDefault",
					Message: fmt.Sprintf("management link %s is no longer the default: the kept record has its own default link", gid.Encode(l.ID))})
			}
			keepHasDefault = true
		}
		if err := update.Exec(sys); err != nil {
			return nil, fmt.Errorf("merge: move a management link: %w", err)
		}
		moved["managementLinks"]++
	}
	return warnings, nil
}

// first is the position in merged of the first merged side of l.
func first(l *ent.ManagementLink, merged []int) int {
	i := slices.Index(merged, l.ThirdPartyID)
	if j := slices.Index(merged, l.LinkedThirdPartyID); i < 0 || (j >= 0 && j < i) {
		i = j
	}
	return i
}

// moveFiliationLinks moves the filiation links of the merged records to
// the kept one: each is created again between its new sides (the network
// hook joins their networks) and the old one deleted; self-links and
// relations the kept record has already are dropped.
func moveFiliationLinks(sys context.Context, client *ent.Client, keep int, merged []int, moved map[string]int) ([]*errs.Warning, error) {
	all, err := client.FiliationLink.Query().Where(filiationlink.Or(
		filiationlink.ThirdPartyIDIn(merged...), filiationlink.LinkedThirdPartyIDIn(merged...))).
		Order(ent.Asc(filiationlink.FieldID)).All(sys)
	if err != nil {
		return nil, fmt.Errorf("merge: filiation links: %w", err)
	}
	var warnings []*errs.Warning
	for _, l := range all {
		if err := client.FiliationLink.DeleteOneID(l.ID).Exec(sys); err != nil {
			return nil, fmt.Errorf("merge: move a filiation link: %w", err)
		}
		tp, linked := swap(l.ThirdPartyID, keep, merged), swap(l.LinkedThirdPartyID, keep, merged)
		if tp == linked {
			moved["filiationLinksDropped"]++
			warnings = append(warnings, dropped("filiation", l.ID, "it would join the kept record to itself"))
			continue
		}
		dup, err := client.FiliationLink.Query().
			Where(filiationlink.Relation(filiation.Relation(tp, l.TypeID, linked, l.LinkedTypeID))).Exist(sys)
		if err != nil {
			return nil, fmt.Errorf("merge: duplicate link: %w", err)
		}
		if dup {
			moved["filiationLinksDropped"]++
			warnings = append(warnings, dropped("filiation", l.ID, "the kept record has the same link"))
			continue
		}
		if err := client.FiliationLink.Create().SetThirdPartyID(tp).SetLinkedThirdPartyID(linked).
			SetTypeID(l.TypeID).SetLinkedTypeID(l.LinkedTypeID).Exec(sys); err != nil {
			return nil, fmt.Errorf("merge: move a filiation link: %w", err)
		}
		moved["filiationLinks"]++
	}
	return warnings, nil
}

// dropped is the warning of a link a merge removed.
func dropped(category string, id int, why string) *errs.Warning {
	return &errs.Warning{Code: errs.Merged, Field: "merge",
		Message: fmt.Sprintf("%s link %s was dropped: %s", category, gid.Encode(id), why)}
}

// choose puts into m the columns of each chosen field, copied from the
// record fromId (read through its JSON form, whose keys are the columns;
// an absent key is a null value).
func choose(m interface {
	SetField(string, ent.Value) error
	ClearField(string) error
}, choices []*FieldChoice, choosable map[string][]string, record func(id int) any) error {
	for _, c := range choices {
		from := record(c.FromID)
		if from == nil {
			continue // the kept record itself: nothing to take
		}
		b, err := json.Marshal(from)
		if err != nil {
			return fmt.Errorf("merge: field choice: %w", err)
		}
		var values map[string]any
		if err := json.Unmarshal(b, &values); err != nil {
			return fmt.Errorf("merge: field choice: %w", err)
		}
		for _, col := range choosable[c.Field] {
			if v, ok := values[col].(string); ok {
				err = m.SetField(col, v)
			} else {
				err = m.ClearField(col)
			}
			if err != nil {
				return fmt.Errorf("merge: field choice %s: %w", c.Field, err)
			}
		}
	}
	return nil
}

// fill returns the kept record's custom values completed by the merged
// records' (in order) where it has none and defs accept them, and how many
// were taken.
func fill(defs []*ent.CustomFieldDefinition, kept map[string]any, merged []int, values func(int) map[string]any) (map[string]any, int) {
	out := maps.Clone(kept)
	if out == nil {
		out = map[string]any{}
	}
	n := 0
	for _, id := range merged {
		fit, _ := customfield.Fit(defs, values(id))
		for k, v := range fit {
			if _, ok := out[k]; !ok {
				out[k] = v
				n++
			}
		}
	}
	return out, n
}

// remember stores the hints of the merged IDs (and of the IDs merged into
// them before), and deletes the organisation's expired ones.
func remember(ctx context.Context, client *ent.Client, entity string, keep int, merged []int) error {
	if _, err := client.MergedRecord.Delete().Where(mergedrecord.MergedAtLT(time.Now().Add(-HintLifetime))).Exec(ctx); err != nil {
		return fmt.Errorf("merge: expired hints: %w", err)
	}
	if err := client.MergedRecord.Update().Where(mergedrecord.KeptIDIn(merged...)).SetKeptID(keep).Exec(ctx); err != nil {
		return fmt.Errorf("merge: earlier hints: %w", err)
	}
	creates := make([]*ent.MergedRecordCreate, 0, len(merged))
	for _, id := range merged {
		creates = append(creates, client.MergedRecord.Create().SetOldID(id).SetKeptID(keep).SetEntity(entity))
	}
	if err := client.MergedRecord.CreateBulk(creates...).Exec(ctx); err != nil {
		return fmt.Errorf("merge: hints: %w", err)
	}
	return nil
}

// record writes the audit event of a merge on the kept record.
func record(ctx context.Context, client *ent.Client, entity string, keep int, thirdParty *int, merged []int, moved map[string]int) error {
	gids := make([]string, len(merged))
	for i, id := range merged {
		gids[i] = gid.Encode(id)
	}
	counts := map[string]any{}
	for k, v := range moved {
		if v > 0 {
			counts[k] = v
		}
	}
	return audit.Record(ctx, client, auditevent.ActionUPDATE, entity, keep, thirdParty, map[string]any{
		"merged_from": map[string]any{"old": nil, "new": gids},
		"moved":       map[string]any{"old": nil, "new": counts},
	})
}

// Resolve returns the record that id was merged into, if it was within
// HintLifetime, as the viewer's organisation sees it.
func Resolve(ctx context.Context, client *ent.Client, id int) (int, bool, error) {
	r, err := client.MergedRecord.Query().
		Where(mergedrecord.OldID(id), mergedrecord.MergedAtGTE(time.Now().Add(-HintLifetime))).Only(ctx)
	if ent.IsNotFound(err) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("merge: hint of %d: %w", id, err)
	}
	return r.KeptID, true, nil
}

// Hint is the warning of node(id) answering the record id was merged into.
func Hint(old, kept int) *errs.Warning {
	return &errs.Warning{Code: errs.Merged, Field: "id",
		Message: fmt.Sprintf("%s was merged into %s: use the kept record's ID", gid.Encode(old), gid.Encode(kept))}
}

// Contacts merges the contacts of in.Merge into in.KeepID, all of one
// third party (see the package's rules), and returns the kept contact.
func Contacts(ctx context.Context, client *ent.Client, in Input) (*ent.Contact, []*errs.Warning, error) {
	if err := auth.Require(ctx, rights.WriteAddressBook); err != nil {
		return nil, nil, err
	}
	if err := auth.Require(ctx, rights.DeleteRecords); err != nil {
		return nil, nil, err
	}
	mergedIDs, err := in.check(ContactFields)
	if err != nil {
		return nil, nil, err
	}
	rows, err := client.Contact.Query().Where(contact.IDIn(append([]int{in.KeepID}, mergedIDs...)...)).
		Unique(false).Modify(rowlock.ForUpdate).All(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("merge: read contacts: %w", err)
	}
	byID := map[int]*ent.Contact{}
	for _, c := range rows {
		byID[c.ID] = c
	}
	keep := byID[in.KeepID]
	if keep == nil {
		return nil, nil, errs.E(errs.NotFound, "no contact with ID %s", gid.Encode(in.KeepID))
	}
	if keep.Version != in.ExpectedVersion {
		return nil, nil, stale(keep.ID, keep.Version, in.ExpectedVersion)
	}
	for _, r := range in.Merge {
		c := byID[r.ID]
		if c == nil {
			return nil, nil, errs.E(errs.NotFound, "no contact with ID %s", gid.Encode(r.ID))
		}
		if c.Version != r.ExpectedVersion {
			return nil, nil, stale(c.ID, c.Version, r.ExpectedVersion)
		}
		if c.ThirdPartyID != keep.ThirdPartyID {
			return nil, nil, errs.Invalid("merge", "only contacts of one third party can be merged")
		}
	}
	sys := auth.System(ctx)
	moved := map[string]int{}
	n, err := client.Activity.Update().Where(activity.ContactIDIn(mergedIDs...)).SetContactID(keep.ID).Save(sys)
	if err != nil {
		return nil, nil, fmt.Errorf("merge: move activities: %w", err)
	}
	moved["activities"] = n
	if n, err = client.Document.Update().Where(document.ContactIDIn(mergedIDs...)).SetContactID(keep.ID).Save(sys); err != nil {
		return nil, nil, fmt.Errorf("merge: move documents: %w", err)
	}
	moved["documents"] = n
	opps, err := client.Opportunity.Query().Where(opportunity.HasContactsWith(contact.IDIn(mergedIDs...))).
		WithContacts().All(sys)
	if err != nil {
		return nil, nil, fmt.Errorf("merge: opportunities: %w", err)
	}
	for _, o := range opps {
		update := client.Opportunity.UpdateOneID(o.ID).RemoveContactIDs(mergedIDs...)
		if !slices.ContainsFunc(o.Edges.Contacts, func(c *ent.Contact) bool { return c.ID == keep.ID }) {
			update.AddContactIDs(keep.ID)
		}
		if err := update.Exec(sys); err != nil {
			return nil, nil, fmt.Errorf("merge: move an opportunity: %w", err)
		}
		moved["opportunities"]++
	}
	update := client.Contact.UpdateOneID(keep.ID)
	if err := choose(update.Mutation(), in.FieldChoices, ContactFields, func(id int) any { return byID[id] }); err != nil {
		return nil, nil, err
	}
	kind, err := client.ThirdParty.Query().Where(thirdparty.ID(keep.ThirdPartyID)).Select(thirdparty.FieldKind).String(sys)
	if err != nil {
		return nil, nil, fmt.Errorf("merge: contact's third party: %w", err)
	}
	defs, err := customfield.DefinitionsOf(ctx, client, customfielddefinition.EntityCONTACT, enum.ThirdPartyKind(kind))
	if err != nil {
		return nil, nil, fmt.Errorf("merge: custom fields: %w", err)
	}
	custom, filled := fill(defs, keep.CustomFields, mergedIDs, func(id int) map[string]any { return byID[id].CustomFields })
	moved["customFields"] = filled
	update.SetCustomFields(custom)
	if fault != nil {
		if err := fault(); err != nil {
			return nil, nil, err
		}
	}
	if err := update.Exec(ctx); err != nil {
		return nil, nil, fmt.Errorf("merge: update the kept contact: %w", err)
	}
	for _, id := range mergedIDs {
		if err := client.Contact.DeleteOneID(id).Exec(ctx); err != nil {
			return nil, nil, fmt.Errorf("merge: delete contact %d: %w", id, err)
		}
	}
	if err := remember(ctx, client, "Contact", keep.ID, mergedIDs); err != nil {
		return nil, nil, err
	}
	if err := record(ctx, client, "Contact", keep.ID, &keep.ThirdPartyID, mergedIDs, moved); err != nil {
		return nil, nil, err
	}
	kept, err := client.Contact.Get(ctx, keep.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("merge: read the kept contact: %w", err)
	}
	return kept, nil, nil
}
