// Package addressbook owns the life of third parties and contacts:
// prospects created and validated by sales reps, clients integrated by
// the back office, contacts, optimistic locking and cascading deletes.
//
// Every function takes the ent client to work with, which the caller
// runs inside a transaction (the GraphQL layer opens one per mutation;
// the CLI with db.WithTx), so that a failure leaves nothing behind. The
// two functions that call SIRENE, CreateProspect and UpdateFromSirene,
// are the exception: they take the shared client, read and look up
// outside any transaction, and write in a short one of their own.
// Tenant isolation comes from ent's privacy rules on that client; the
// rights of each operation are checked here, through auth.Require.
package addressbook

import (
	"context"
	"fmt"
	"slices"

	"carnet/ent"
	"carnet/ent/contact"
	"carnet/ent/customfielddefinition"
	"carnet/ent/schema/enum"
	"carnet/ent/thirdparty"
	"carnet/internal/auth"
	"carnet/internal/customfield"
	"carnet/internal/db"
	"carnet/internal/duplicates"
	"carnet/internal/errs"
	"carnet/internal/rights"
	"carnet/internal/viewer"
)

// CreateProspect creates a prospect in status DRAFT, owned by the viewer.
// With a SIRET or SIREN and SIRENE configured, the fields left empty
// (the name included) are filled from SIRENE, the address as a whole
// (see fillFromSirene); when SIRENE cannot answer, the prospect is created
// without them and a warning says why.
//
// The whole input is checked first, every invalid field reported at once
// (an errs.List), before SIRENE is asked anything; the look-up runs
// outside any transaction, then the prospect is written in a short one
// (see write). Called inside the operation's transaction (a mutation of
// several fields), it asks SIRENE nothing and says so in a warning.
//
// Likely duplicates (internal/duplicates) are looked up in the write's
// transaction, once SIRENE has filled the identifiers: a warning names
// them, or, under the organisation's BLOCK_EXACT policy, a CONFLICT
// refuses a SIREN or SIRET another record has.
func CreateProspect(ctx context.Context, client *ent.Client, in CreateProspectInput) (*ent.ThirdParty, []*errs.Warning, error) {
	if err := auth.Require(ctx, rights.WriteAddressBook); err != nil {
		return nil, nil, err
	}
	ch := changes{}
	ch.set(thirdparty.FieldName, &in.Name)
	ch.set(thirdparty.FieldLegalName, in.LegalName)
	ch.set(thirdparty.FieldSiren, in.Siren)
	ch.set(thirdparty.FieldSiret, in.Siret)
	ch.set(thirdparty.FieldApeCode, in.ApeCode)
	ch.set(thirdparty.FieldVatNumber, in.VatNumber)
	ch.set(thirdparty.FieldEmail, in.Email)
	ch.set(thirdparty.FieldPhone, in.Phone)
	ch.set(thirdparty.FieldWebsite, in.Website)
	if in.Address != nil {
		ch.setAddress(in.Address)
	}
	var problems errs.List
	if err := problems.Add(ch.validate(thirdPartyRules, true)); err != nil {
		return nil, nil, err
	}
	custom, err := customfield.Apply(ctx, client, enum.Prospect, nil, in.CustomFields)
	if err := problems.Add(err); err != nil {
		return nil, nil, err
	}
	if len(problems) == 0 {
		if err := problems.Add(ch.deriveIdentifiers(func(string) *string { return nil })); err != nil {
			return nil, nil, err
		}
	}
	identifier := ch[thirdparty.FieldSiret]
	if identifier == nil || problems.Has("siret") {
		identifier = ch[thirdparty.FieldSiren]
	}
	if problems.Has("siret") || problems.Has("siren") {
		identifier = nil
	}
	// With an identifier to look up, a blank name is SIRENE's to fill: it
	// is reported only if SIRENE leaves it blank (writeThirdParty).
	if identifier != nil {
		problems = slices.DeleteFunc(problems, func(e *errs.Error) bool { return e.Field == "name" })
	}
	if err := problems.Err(); err != nil {
		return nil, nil, err
	}
	var warnings []*errs.Warning
	if identifier != nil {
		if w := autofill(ctx, client, ch, *identifier); w != nil {
			warnings = append(warnings, w)
		}
	}
	var tp *ent.ThirdParty
	err = write(ctx, client, func(tx *ent.Client) error {
		create := tx.ThirdParty.Create().
			SetKind(enum.Prospect).
			SetStatus(thirdparty.StatusDRAFT).
			SetOwnerID(viewer.FromContext(ctx).UserID).
			SetCustomFields(custom)
		if err := writeThirdParty(create.Mutation(), ch, nil); err != nil {
			return err
		}
		w, err := duplicates.CheckThirdParty(ctx, tx, duplicates.ThirdPartyProbeOf(create.Mutation(), 0))
		if err != nil {
			return err
		}
		if w != nil {
			warnings = append(warnings, w)
		}
		tp, err = create.Save(ctx)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	if !inTransaction(ctx) {
		// Its own transaction is over: later reads (the response's
		// fields) go through the shared client. Not read again: creating
		// needs no right to read.
		tp = tp.Unwrap()
	}
	return tp, warnings, nil
}

// write runs fn in a short transaction of its own, or in the caller's
// when ctx carries one (the operation's, for a mutation of several
// fields): either way a failure half-way leaves nothing behind. A failure
// to begin or commit is returned as it is; the error presenter gives it
// its code (INTERNAL, "unavailable; retry" when the database is away).
func write(ctx context.Context, client *ent.Client, fn func(tx *ent.Client) error) error {
	if inTransaction(ctx) {
		return fn(client)
	}
	return db.WithTx(ctx, client, fn)
}

// inTransaction reports whether ctx carries a write transaction, during
// which SIRENE is never called.
func inTransaction(ctx context.Context) bool { return ent.TxFromContext(ctx) != nil }

// writeThirdParty validates the changes of a third party (current is nil
// for a new one) and puts them into the mutation.
func writeThirdParty(m *ent.ThirdPartyMutation, ch changes, current *ent.ThirdParty) error {
	if ch.hasAddress() && ch[thirdparty.FieldCountry] == nil { // an address without a country is French, on create and update
		fr := "FR"
		ch[thirdparty.FieldCountry] = &fr
	}
	if err := ch.validate(thirdPartyRules, current == nil); err != nil {
		return err // every invalid field; the identifiers' agreement is checked once they are valid
	}
	stored := func(string) *string { return nil }
	if current != nil {
		stored = func(col string) *string {
			switch col {
			case thirdparty.FieldSiren:
				return current.Siren
			case thirdparty.FieldSiret:
				return current.Siret
			case thirdparty.FieldVatNumber:
				return current.VatNumber
			}
			return nil
		}
	}
	if err := ch.deriveIdentifiers(stored); err != nil {
		return err
	}
	return ch.apply(m)
}

// getThirdParty returns the third party id as the viewer sees it.
func getThirdParty(ctx context.Context, client *ent.Client, id int) (*ent.ThirdParty, error) {
	tp, err := client.ThirdParty.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, errs.E(errs.NotFound, "no third party with ID %s", idText(id))
	}
	if err != nil {
		return nil, fmt.Errorf("addressbook: get third party: %w", err)
	}
	return tp, nil
}

// ValidateProspect moves a DRAFT prospect to VALIDATED.
func ValidateProspect(ctx context.Context, client *ent.Client, id int) (*ent.ThirdParty, error) {
	if err := auth.Require(ctx, rights.ValidateProspect); err != nil {
		return nil, err
	}
	tp, err := getThirdParty(ctx, client, id)
	if err != nil {
		return nil, err
	}
	if tp.Kind != enum.Prospect {
		return nil, errs.Invalid("id", "only a prospect can be validated; this third party is a %s", tp.Kind)
	}
	n, err := client.ThirdParty.Update().
		Where(thirdparty.ID(id), thirdparty.StatusEQ(thirdparty.StatusDRAFT)).
		SetStatus(thirdparty.StatusVALIDATED).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("addressbook: validate prospect: %w", err)
	}
	if n == 0 {
		return nil, errs.Invalid("id", "this prospect is already validated")
	}
	return client.ThirdParty.Get(ctx, id)
}

// UpdateThirdParty changes the fields given in input, provided the record
// is still at expectedVersion; a stale version changes nothing.
//
// Sales reps (100002) change any third party; the back office (100005)
// changes clients, suppliers and others, not prospects.
func UpdateThirdParty(ctx context.Context, client *ent.Client, id int, in UpdateThirdPartyInput, expectedVersion int) (*ent.ThirdParty, error) {
	if err := auth.Require(ctx, rights.WriteAddressBook, rights.Integrate); err != nil {
		return nil, err
	}
	tp, err := getThirdParty(ctx, client, id)
	if err != nil {
		return nil, err
	}
	if tp.Kind == enum.Prospect {
		if err := auth.Require(ctx, rights.WriteAddressBook); err != nil {
			return nil, err
		}
	}
	if tp.Version != expectedVersion {
		return nil, staleVersion(tp.Version, expectedVersion)
	}
	ch := changes{}
	ch.setGiven(thirdparty.FieldName, in.Name)
	ch.setGiven(thirdparty.FieldLegalName, in.LegalName)
	ch.setGiven(thirdparty.FieldSiren, in.Siren)
	ch.setGiven(thirdparty.FieldSiret, in.Siret)
	ch.setGiven(thirdparty.FieldApeCode, in.ApeCode)
	ch.setGiven(thirdparty.FieldVatNumber, in.VatNumber)
	ch.setGiven(thirdparty.FieldEmail, in.Email)
	ch.setGiven(thirdparty.FieldPhone, in.Phone)
	ch.setGiven(thirdparty.FieldWebsite, in.Website)
	if addr, given := in.Address.ValueOK(); given {
		ch.setAddress(addr)
		if ch.hasAddress() && ch[thirdparty.FieldCountry] == nil {
			fr := "FR"
			ch[thirdparty.FieldCountry] = &fr
		}
	}
	// Every invalid field is reported at once (an errs.List).
	var problems errs.List
	update := client.ThirdParty.Update().Where(thirdparty.ID(id), thirdparty.Version(expectedVersion))
	if err := problems.Add(writeThirdParty(update.Mutation(), ch, tp)); err != nil {
		return nil, err
	}
	if in.CustomFields != nil {
		custom, err := customfield.Apply(ctx, client, tp.Kind, tp.CustomFields, in.CustomFields)
		if err := problems.Add(err); err != nil {
			return nil, err
		}
		update.SetCustomFields(custom)
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	n, err := update.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("addressbook: update third party: %w", err)
	}
	if n == 0 {
		// Changed by someone else between our read and our write.
		return nil, staleVersion(tp.Version+1, expectedVersion)
	}
	return client.ThirdParty.Get(ctx, id)
}

// staleVersion is the error of an update made on an old version.
func staleVersion(current, expected int) error {
	return errs.E(errs.Conflict, "the record was changed since version %d (it is now at version %d or later): reload it and apply your change again", expected, current)
}

// DeleteThirdParty deletes a third party with everything attached — its
// contacts, links, opportunities, activities and documents (their files
// once the transaction commits) — in the caller's transaction.
func DeleteThirdParty(ctx context.Context, client *ent.Client, id int) error {
	if err := auth.Require(ctx, rights.DeleteRecords); err != nil {
		return err
	}
	if _, err := getThirdParty(ctx, client, id); err != nil {
		return err
	}
	if err := purgeThirdParty(ctx, client, id); err != nil {
		return err
	}
	if err := client.ThirdParty.DeleteOneID(id).Exec(ctx); err != nil {
		return fmt.Errorf("addressbook: delete third party %d: %w", id, err)
	}
	return nil
}

// CreateContact creates a contact on a prospect or a client, with the
// warning of its likely duplicates (internal/duplicates), if any.
func CreateContact(ctx context.Context, client *ent.Client, in CreateContactInput) (*ent.Contact, *errs.Warning, error) {
	if err := auth.Require(ctx, rights.WriteAddressBook); err != nil {
		return nil, nil, err
	}
	tp, err := client.ThirdParty.Get(ctx, in.ThirdPartyID)
	if ent.IsNotFound(err) {
		return nil, nil, errs.Invalid("thirdPartyId", "no third party with ID %s", idText(in.ThirdPartyID))
	}
	if err != nil {
		return nil, nil, fmt.Errorf("addressbook: create contact: %w", err)
	}
	if tp.Kind != enum.Prospect && tp.Kind != enum.Client {
		return nil, nil, errs.Invalid("thirdPartyId", "contacts belong to prospects and clients; this third party is a %s", tp.Kind)
	}
	ch := changes{}
	ch.set(contact.FieldLastName, &in.LastName)
	ch.set(contact.FieldFirstName, in.FirstName)
	ch.set(contact.FieldCivility, in.Civility)
	ch.set(contact.FieldJobTitle, in.JobTitle)
	ch.set(contact.FieldDirectLine, in.DirectLine)
	ch.set(contact.FieldMobile, in.Mobile)
	ch.set(contact.FieldEmail, in.Email)
	if err := ch.validate(contactRules, true); err != nil {
		return nil, nil, err
	}
	create := client.Contact.Create().SetThirdPartyID(tp.ID)
	if err := ch.apply(create.Mutation()); err != nil {
		return nil, nil, err
	}
	custom, err := customfield.ApplyTo(ctx, client, customfielddefinition.EntityCONTACT, tp.Kind, nil, in.CustomFields)
	if err != nil {
		return nil, nil, err
	}
	if len(custom) > 0 {
		create.SetCustomFields(custom)
	}
	warning, err := duplicates.CheckContact(ctx, client, duplicates.ContactProbeOf(create.Mutation(), 0))
	if err != nil {
		return nil, nil, err
	}
	c, err := create.Save(ctx)
	if err != nil {
		return nil, nil, err
	}
	return c, warning, nil
}

// UpdateContact changes the fields given in input, provided the contact
// is still at expectedVersion.
func UpdateContact(ctx context.Context, client *ent.Client, id int, in UpdateContactInput, expectedVersion int) (*ent.Contact, error) {
	if err := auth.Require(ctx, rights.WriteAddressBook); err != nil {
		return nil, err
	}
	c, err := getContact(ctx, client, id)
	if err != nil {
		return nil, err
	}
	if c.Version != expectedVersion {
		return nil, staleVersion(c.Version, expectedVersion)
	}
	ch := changes{}
	ch.setGiven(contact.FieldLastName, in.LastName)
	ch.setGiven(contact.FieldFirstName, in.FirstName)
	ch.setGiven(contact.FieldCivility, in.Civility)
	ch.setGiven(contact.FieldJobTitle, in.JobTitle)
	ch.setGiven(contact.FieldDirectLine, in.DirectLine)
	ch.setGiven(contact.FieldMobile, in.Mobile)
	ch.setGiven(contact.FieldEmail, in.Email)
	if err := ch.validate(contactRules, false); err != nil {
		return nil, err
	}
	update := client.Contact.Update().Where(contact.ID(id), contact.Version(expectedVersion))
	if err := ch.apply(update.Mutation()); err != nil {
		return nil, err
	}
	if in.CustomFields != nil {
		kind, err := client.ThirdParty.Query().Where(thirdparty.ID(c.ThirdPartyID)).Select(thirdparty.FieldKind).String(ctx)
		if err != nil {
			return nil, fmt.Errorf("addressbook: update contact: %w", err)
		}
		custom, err := customfield.ApplyTo(ctx, client, customfielddefinition.EntityCONTACT, enum.ThirdPartyKind(kind), c.CustomFields, in.CustomFields)
		if err != nil {
			return nil, err
		}
		update.SetCustomFields(custom)
	}
	n, err := update.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("addressbook: update contact: %w", err)
	}
	if n == 0 {
		return nil, staleVersion(c.Version+1, expectedVersion)
	}
	return client.Contact.Get(ctx, id)
}

// getContact returns the contact id as the viewer sees it.
func getContact(ctx context.Context, client *ent.Client, id int) (*ent.Contact, error) {
	c, err := client.Contact.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, errs.E(errs.NotFound, "no contact with ID %s", idText(id))
	}
	if err != nil {
		return nil, fmt.Errorf("addressbook: get contact: %w", err)
	}
	return c, nil
}

// DeleteContact deletes a contact with its activities and documents.
func DeleteContact(ctx context.Context, client *ent.Client, id int) error {
	if err := auth.Require(ctx, rights.DeleteRecords); err != nil {
		return err
	}
	if _, err := getContact(ctx, client, id); err != nil {
		return err
	}
	if err := purgeContacts(ctx, client, id); err != nil {
		return err
	}
	if err := client.Contact.DeleteOneID(id).Exec(ctx); err != nil {
		return fmt.Errorf("addressbook: delete contact %d: %w", id, err)
	}
	return nil
}
