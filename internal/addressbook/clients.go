package addressbook

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"

	"carnet/ent"
	"carnet/ent/schema/enum"
	"carnet/ent/thirdparty"
	"carnet/internal/auth"
	"carnet/internal/customfield"
	"carnet/internal/duplicates"
	"carnet/internal/errs"
	"carnet/internal/gid"
	"carnet/internal/rights"
	"carnet/internal/viewer"
)

// UpsertClient creates or updates the client of in.Code (the back-office
// integration path). With ProspectID it converts that prospect into the
// client; Closed closes or reopens it. It reports whether it created a
// new record. A new client's likely duplicates (internal/duplicates) give
// a warning, or under BLOCK_EXACT a CONFLICT (same SIREN or SIRET).
func UpsertClient(ctx context.Context, client *ent.Client, in UpsertClientInput) (*ent.ThirdParty, bool, *errs.Warning, error) {
	tp, created, warning, err := upsertClient(ctx, client, in)
	if err != nil {
		return nil, false, nil, err
	}
	return tp, created, warning, nil
}

func upsertClient(ctx context.Context, client *ent.Client, in UpsertClientInput) (*ent.ThirdParty, bool, *errs.Warning, error) {
	if err := auth.Require(ctx, rights.Integrate); err != nil {
		return nil, false, nil, err
	}
	ch := changes{}
	ch.set(thirdparty.FieldCode, &in.Code)
	ch.set(thirdparty.FieldName, &in.Name)
	if ch[thirdparty.FieldCode] == nil {
		return nil, false, nil, errs.Invalid("code", "code is required")
	}
	for col, v := range map[string]*string{
		thirdparty.FieldLegalName: in.LegalName, thirdparty.FieldSiren: in.Siren, thirdparty.FieldSiret: in.Siret, thirdparty.FieldApeCode: in.ApeCode,
		thirdparty.FieldVatNumber: in.VatNumber, thirdparty.FieldEmail: in.Email, thirdparty.FieldPhone: in.Phone, thirdparty.FieldWebsite: in.Website,
	} {
		if v != nil {
			ch.set(col, v)
		}
	}
	if in.Address != nil {
		ch.setAddress(in.Address)
	}

	existing, err := client.ThirdParty.Query().Where(thirdparty.Code(*ch[thirdparty.FieldCode])).Only(viewer.WithClosedClients(ctx))
	if err != nil && !ent.IsNotFound(err) {
		return nil, false, nil, fmt.Errorf("addressbook: find client %s: %w", *ch[thirdparty.FieldCode], err)
	}
	if existing != nil && existing.Kind != enum.Client {
		return nil, false, nil, errs.Invalid("code", "code %s belongs to a %s", *ch[thirdparty.FieldCode], existing.Kind)
	}
	if in.ProspectID != nil {
		prospect, err := client.ThirdParty.Get(ctx, *in.ProspectID)
		switch {
		case ent.IsNotFound(err):
			return nil, false, nil, errs.Invalid("prospectId", "no prospect with ID %s", idText(*in.ProspectID))
		case err != nil:
			return nil, false, nil, fmt.Errorf("addressbook: find prospect: %w", err)
		case existing != nil && existing.ID != prospect.ID:
			return nil, false, nil, errs.Invalid("prospectId", "client %s already exists: a prospect cannot be converted into it", *ch[thirdparty.FieldCode])
		case prospect.Kind != enum.Prospect && prospect.Kind != enum.Client:
			return nil, false, nil, errs.Invalid("prospectId", "this third party is a %s, not a prospect", prospect.Kind)
		case prospect.Kind == enum.Client && existing == nil:
			// A client is accepted only as the one of this code: the same
			// conversion sent again. Any other would have its code changed.
			return nil, false, nil, errs.Invalid("prospectId", "this third party is already a client, under another code: convert prospects only")
		}
		existing = prospect
	}

	status := thirdparty.StatusACTIVE
	if in.Closed != nil && *in.Closed {
		status = thirdparty.StatusCLOSED
	}
	if existing == nil {
		create := client.ThirdParty.Create().SetKind(enum.Client).SetStatus(status)
		if err := writeThirdParty(create.Mutation(), ch, nil); err != nil {
			return nil, false, nil, err
		}
		warning, err := duplicates.CheckThirdParty(ctx, client, duplicates.ThirdPartyProbeOf(create.Mutation(), 0))
		if err != nil {
			return nil, false, nil, err
		}
		tp, err := create.Save(ctx)
		if ent.IsConstraintError(err) {
			return nil, false, nil, errs.E(errs.Conflict, "client %s was created concurrently: retry", *ch[thirdparty.FieldCode])
		}
		return tp, err == nil, warning, err
	}
	if in.KeepAddressParts && in.Address != nil {
		for col, stored := range map[string]*string{
			thirdparty.FieldAddressLine1: existing.AddressLine1, thirdparty.FieldAddressLine2: existing.AddressLine2, thirdparty.FieldAddressLine3: existing.AddressLine3,
			thirdparty.FieldPostalCode: existing.PostalCode, thirdparty.FieldCity: existing.City, thirdparty.FieldCountry: existing.Country,
		} {
			if ch[col] == nil {
				ch[col] = stored
			}
		}
	}
	update := existing.Update().SetKind(enum.Client)
	if in.Closed != nil || existing.Kind != enum.Client {
		update.SetStatus(status)
	}
	if existing.Kind == enum.Prospect && len(existing.CustomFields) > 0 {
		// A prospect's values become the client's only where they fit the
		// client's definitions; the others are dropped, never blocking the
		// back office. The conversion's audit event keeps them (its
		// custom_fields change, old and new).
		defs, err := customfield.Definitions(ctx, client, enum.Client)
		if err != nil {
			return nil, false, nil, err
		}
		if kept, dropped := customfield.Fit(defs, existing.CustomFields); dropped || !maps.EqualFunc(kept, existing.CustomFields, func(a, b any) bool { return a == b }) {
			update.SetCustomFields(kept)
		}
	}
	if err := writeThirdParty(update.Mutation(), ch, existing); err != nil {
		return nil, false, nil, err
	}
	// The same client sent again changes nothing, its version included:
	// a sync from the back office must not make a rep's edit a CONFLICT.
	if same, err := unchanged(existing, update.Mutation()); err != nil || same {
		return existing, false, nil, err
	}
	tp, err := update.Save(ctx)
	if ent.IsConstraintError(err) {
		return nil, false, nil, errs.E(errs.Conflict, "code %s is already used", *ch[thirdparty.FieldCode])
	}
	return tp, false, nil, err
}

// CreateThirdParty creates a supplier or another third party.
func CreateThirdParty(ctx context.Context, client *ent.Client, in CreateThirdPartyInput) (*ent.ThirdParty, error) {
	if err := auth.Require(ctx, rights.Integrate, rights.Administer); err != nil {
		return nil, err
	}
	if in.Kind != enum.Supplier && in.Kind != enum.Other {
		return nil, errs.Invalid("kind", "createThirdParty creates SUPPLIER or OTHER third parties; prospects come from createProspect and clients from upsertClient")
	}
	ch := changes{}
	ch.set(thirdparty.FieldName, &in.Name)
	ch.set(thirdparty.FieldCode, in.Code)
	ch.set(thirdparty.FieldLegalName, in.LegalName)
	ch.set(thirdparty.FieldSiren, in.Siren)
	ch.set(thirdparty.FieldSiret, in.Siret)
	ch.set(thirdparty.FieldApeCode, in.ApeCode)
	ch.set(thirdparty.FieldVatNumber, in.VatNumber)
	ch.set(thirdparty.FieldEmail, in.Email)
	ch.set(thirdparty.FieldPhone, in.Phone)
	ch.set(thirdparty.FieldWebsite, in.Website)
	ch.setAddress(in.Address)
	create := client.ThirdParty.Create().SetKind(in.Kind).SetStatus(thirdparty.StatusACTIVE)
	if err := writeThirdParty(create.Mutation(), ch, nil); err != nil {
		return nil, err
	}
	tp, err := create.Save(ctx)
	if ent.IsConstraintError(err) {
		return nil, errs.Invalid("code", "code %s is already used", *ch[thirdparty.FieldCode])
	}
	return tp, err
}

// idText shows an ID in messages as the API does.
func idText(id int) string { return gid.Encode(id) }

// unchanged reports whether the update m would write the values that
// existing (the record as just read) holds already. Through existing's
// JSON form, whose keys are the columns (a nil value is left out).
func unchanged(existing *ent.ThirdParty, m *ent.ThirdPartyMutation) (bool, error) {
	b, err := json.Marshal(existing)
	if err != nil {
		return false, err
	}
	var stored map[string]any
	if err := json.Unmarshal(b, &stored); err != nil {
		return false, err
	}
	text := func(v any) string {
		if v == nil {
			return ""
		}
		return fmt.Sprint(v)
	}
	for _, f := range m.Fields() {
		nv, _ := m.Field(f)
		if text(nv) != text(stored[f]) {
			return false, nil
		}
	}
	for _, f := range m.ClearedFields() {
		if stored[f] != nil {
			return false, nil
		}
	}
	return true, nil
}
