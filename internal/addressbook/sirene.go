package addressbook

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect/sql"

	"carnet/ent"
	"carnet/ent/organisation"
	"carnet/ent/predicate"
	"carnet/ent/thirdparty"
	"carnet/internal/auth"
	"carnet/internal/errs"
	"carnet/internal/rights"
	"carnet/internal/sirene"
	"carnet/internal/validate"
	"carnet/internal/viewer"
)

// createLookupBudget bounds the SIRENE look-up of createProspect: a
// prospect is created without auto-fill rather than wait longer. The
// look-up holds no transaction, but the user waits.
const createLookupBudget = 4 * time.Second

// SireneClient returns the SIRENE client of the viewer's organisation, or
// FEATURE_DISABLED when SIRENE is not configured for it.
func SireneClient(ctx context.Context, client *ent.Client) (*sirene.Client, error) {
	org, err := client.Organisation.Query().
		Where(organisation.ID(viewer.FromContext(ctx).OrgID)).
		Only(ctx)
	if err != nil {
		return nil, fmt.Errorf("addressbook: organisation: %w", err)
	}
	s := sirene.Settings{Configured: org.SireneEnabled != nil, BaseURL: org.SireneBaseURL, APIKey: org.SireneAPIKey}
	if org.SireneEnabled != nil {
		s.Enabled = *org.SireneEnabled
	}
	c := sirene.ProviderFrom(ctx).Client(s)
	if c == nil {
		return nil, errs.E(errs.FeatureDisabled, "SIRENE is not configured for this organisation (configureSirene, or CARNET_SIRENE_API_KEY)")
	}
	return c, nil
}

// SireneLookup looks up a SIRET or SIREN (right 100001); it fills nothing.
func SireneLookup(ctx context.Context, client *ent.Client, identifier string) (*sirene.Company, error) {
	if err := auth.Require(ctx, rights.ReadAddressBook, rights.WriteAddressBook); err != nil {
		return nil, err
	}
	c, err := SireneClient(ctx, client)
	if err != nil {
		return nil, err
	}
	return c.Lookup(ctx, identifier)
}

func validCountry(c string) bool {
	_, err := validate.Country(c)
	return err == nil
}

// sireneColumns are the values SIRENE gives a record, by column; empty
// values are left out. The VAT number is computed from the SIREN.
func sireneColumns(co *sirene.Company) map[string]string {
	cols := map[string]string{
		thirdparty.FieldName: co.Name, thirdparty.FieldLegalName: co.LegalName, thirdparty.FieldSiren: co.SIREN, thirdparty.FieldSiret: co.SIRET, thirdparty.FieldApeCode: co.APE,
	}
	if co.SIREN != "" {
		cols[thirdparty.FieldVatNumber] = validate.VATFromSIREN(co.SIREN)
	}
	// A foreign country INSEE names without a known code (its label,
	// "PEROU") is no ISO code: the address is left for the user to fill,
	// rather than stored as French or with a country the API refuses.
	if a := co.Address; a != nil && validCountry(a.Country) {
		cols[thirdparty.FieldAddressLine1], cols[thirdparty.FieldAddressLine2], cols[thirdparty.FieldAddressLine3] = a.Line1, a.Line2, a.Line3
		cols[thirdparty.FieldPostalCode], cols[thirdparty.FieldCity], cols[thirdparty.FieldCountry] = a.PostalCode, a.City, a.Country
	}
	for k, v := range cols {
		if v == "" {
			delete(cols, k)
		}
	}
	return cols
}

// autofill completes the changes of a new prospect with SIRENE's values
// for identifier, for the fields the user left empty (their values win;
// the address as a whole, see fillFromSirene). When SIRENE cannot answer,
// or may not be called because a transaction is open, the prospect is
// created without it and a warning says why; it never fails the creation.
func autofill(ctx context.Context, client *ent.Client, ch changes, identifier string) *errs.Warning {
	c, err := SireneClient(ctx, client)
	if err != nil {
		return nil // not configured: nothing to fill, nothing to say
	}
	if inTransaction(ctx) {
		return &errs.Warning{Code: errs.SireneUnavailable, Message: "created without SIRENE auto-fill: SIRENE is not called inside a transaction; send createProspect alone in its mutation operation"}
	}
	lctx, cancel := context.WithTimeout(ctx, createLookupBudget)
	defer cancel()
	co, err := c.Lookup(lctx, identifier)
	if err != nil {
		e, _ := errs.As(err)
		w := &errs.Warning{Code: errs.SireneUnavailable, Message: "created without SIRENE auto-fill: SIRENE did not answer"}
		if e != nil {
			w = &errs.Warning{Code: e.Code, Message: "created without SIRENE auto-fill: " + e.Message}
		}
		return w
	}
	fill := fillFromSirene(sireneColumns(co), func(col string) *string { return ch[col] })
	for col, v := range fill {
		ch[col] = v
	}
	return nil
}

// addressColumns are the parts of an address, which SIRENE fills as one
// field.
var addressColumns = []string{thirdparty.FieldAddressLine1, thirdparty.FieldAddressLine2, thirdparty.FieldAddressLine3,
	thirdparty.FieldPostalCode, thirdparty.FieldCity, thirdparty.FieldCountry}

// addressKeys say whether an address is empty: line 1, postal code and
// city all empty.
var addressKeys = []string{thirdparty.FieldAddressLine1, thirdparty.FieldPostalCode, thirdparty.FieldCity}

// fillFromSirene returns what SIRENE's values (by column) write over a
// record whose values current gives: each empty field gets SIRENE's value,
// and the address is one field, written whole (every part SIRENE's, those
// it lacks cleared) only when its line 1, postal code and city are all
// empty, so that a register address never meets a typed city. A nil value
// clears the column.
func fillFromSirene(values map[string]string, current func(col string) *string) changes {
	fill := changes{}
	for col, v := range values {
		if slices.Contains(addressColumns, col) || !empty(current(col)) {
			continue
		}
		v := v
		fill[col] = &v
	}
	hasAddress := false
	for _, col := range addressKeys {
		if _, ok := values[col]; ok {
			hasAddress = true
		}
		if !empty(current(col)) {
			return fill
		}
	}
	if !hasAddress {
		return fill
	}
	for _, col := range addressColumns {
		if v, ok := values[col]; ok {
			fill[col] = &v
		} else if !empty(current(col)) {
			fill[col] = nil
		}
	}
	return fill
}

// UpdateFromSirene fills the empty fields (null or blank) of a third party
// with SIRENE's values for its SIRET (else SIREN), never overwriting one
// (the address as a whole, see fillFromSirene), and reports the fields it
// filled (right 100002).
//
// SIRENE is called outside any transaction; the write is a short
// transaction of its own that applies only while those fields are still
// empty (UPDATE … WHERE), so a concurrent edit is never overwritten: the
// answer is then applied again to the new state. Called inside the
// operation's transaction (a mutation of several fields), it refuses.
func UpdateFromSirene(ctx context.Context, client *ent.Client, id int) (*ent.ThirdParty, []string, error) {
	if err := auth.Require(ctx, rights.WriteAddressBook); err != nil {
		return nil, nil, err
	}
	tp, err := getThirdParty(ctx, client, id)
	if err != nil {
		return nil, nil, err
	}
	identifier := tp.Siret
	if identifier == nil {
		identifier = tp.Siren
	}
	if identifier == nil {
		return nil, nil, errs.Invalid("id", "the record has no SIRET or SIREN to look up")
	}
	c, err := SireneClient(ctx, client)
	if err != nil {
		return nil, nil, err
	}
	if inTransaction(ctx) {
		return nil, nil, errs.Invalid("id", "SIRENE is not called inside a transaction: send updateThirdPartyFromSirene alone in its mutation operation")
	}
	co, err := c.Lookup(ctx, *identifier)
	if err != nil {
		return nil, nil, err
	}
	values := sireneColumns(co)
	for attempt := 0; attempt < 3; attempt++ {
		var filled []string
		done := false
		err := write(ctx, client, func(tx *ent.Client) error {
			// The record as it is now: the look-up took time.
			tp, err := getThirdParty(ctx, tx, id)
			if err != nil {
				return err
			}
			fill := fillFromSirene(values, func(col string) *string { return stored(tp, col) })
			if len(fill) == 0 {
				done = true
				return nil
			}
			update := tx.ThirdParty.Update().Where(thirdparty.ID(id))
			var stillEmpty []predicate.ThirdParty
			for _, col := range sireneOrder {
				v, ok := fill[col]
				if !ok {
					continue
				}
				if v == nil {
					err = update.Mutation().ClearField(col)
				} else {
					filled = append(filled, col)
					err = update.Mutation().SetField(col, *v)
				}
				if err != nil {
					return err
				}
				if !slices.Contains(addressColumns, col) {
					stillEmpty = append(stillEmpty, isEmpty(col))
				}
			}
			if slices.ContainsFunc(addressColumns, func(col string) bool { _, ok := fill[col]; return ok }) {
				for _, col := range addressKeys { // the address is still empty as a whole
					stillEmpty = append(stillEmpty, isEmpty(col))
				}
			}
			n, err := update.Where(stillEmpty...).Save(ctx)
			if err != nil {
				return fmt.Errorf("addressbook: update from SIRENE: %w", err)
			}
			done = n == 1
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
		if done {
			if tp, err = getThirdParty(ctx, client, id); err != nil {
				return nil, nil, err
			}
			return tp, apiNames(filled), nil
		}
	}
	return nil, nil, errs.E(errs.Conflict, "the record kept changing during the update from SIRENE: retry")
}

// sireneOrder is the order in which filled fields are reported.
var sireneOrder = []string{thirdparty.FieldName, thirdparty.FieldLegalName, thirdparty.FieldSiren, thirdparty.FieldSiret, thirdparty.FieldApeCode, thirdparty.FieldVatNumber,
	thirdparty.FieldAddressLine1, thirdparty.FieldAddressLine2, thirdparty.FieldAddressLine3, thirdparty.FieldPostalCode, thirdparty.FieldCity, thirdparty.FieldCountry}

func empty(s *string) bool { return s == nil || strings.TrimSpace(*s) == "" }

// isEmpty matches records whose column is null or blank.
func isEmpty(col string) predicate.ThirdParty {
	return predicate.ThirdParty(func(s *sql.Selector) {
		s.Where(sql.Or(sql.IsNull(s.C(col)), sql.ExprP("TRIM("+s.C(col)+") = ''")))
	})
}

// stored returns the value of a column of tp.
func stored(tp *ent.ThirdParty, col string) *string {
	name := tp.Name
	switch col {
	case thirdparty.FieldName:
		return &name
	case thirdparty.FieldLegalName:
		return tp.LegalName
	case thirdparty.FieldSiren:
		return tp.Siren
	case thirdparty.FieldSiret:
		return tp.Siret
	case thirdparty.FieldApeCode:
		return tp.ApeCode
	case thirdparty.FieldVatNumber:
		return tp.VatNumber
	case thirdparty.FieldAddressLine1:
		return tp.AddressLine1
	case thirdparty.FieldAddressLine2:
		return tp.AddressLine2
	case thirdparty.FieldAddressLine3:
		return tp.AddressLine3
	case thirdparty.FieldPostalCode:
		return tp.PostalCode
	case thirdparty.FieldCity:
		return tp.City
	case thirdparty.FieldCountry:
		return tp.Country
	}
	return nil
}

// apiNames turns column names into the API's field names.
func apiNames(cols []string) []string {
	names := map[string]string{
		thirdparty.FieldName: "name", thirdparty.FieldLegalName: "legalName", thirdparty.FieldSiren: "siren", thirdparty.FieldSiret: "siret", thirdparty.FieldApeCode: "apeCode",
		thirdparty.FieldVatNumber: "vatNumber", thirdparty.FieldAddressLine1: "address.line1", thirdparty.FieldAddressLine2: "address.line2",
		thirdparty.FieldAddressLine3: "address.line3", thirdparty.FieldPostalCode: "address.postalCode", thirdparty.FieldCity: "address.city",
		thirdparty.FieldCountry: "address.country",
	}
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = names[c]
	}
	return out
}
