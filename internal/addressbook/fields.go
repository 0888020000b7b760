package addressbook

import (
	"strings"
	"unicode/utf8"

	"entgo.io/ent"
	"github.com/99designs/gqlgen/graphql"

	"carnet/ent/contact"
	"carnet/ent/thirdparty"
	"carnet/internal/errs"
	"carnet/internal/validate"
)

// changes are the column values a create or an update writes, cleaned and
// validated: a nil value clears the column. Keys are ent column names.
type changes map[string]*string

// rule says how one input field is cleaned and checked.
type rule struct {
	column   string
	field    string // GraphQL input path, for extensions.field
	required bool
	maxLen   int
	check    func(string) (string, error)
}

// thirdPartyRules are the rules of a third party's text fields, in the
// order errors are reported.
var thirdPartyRules = []rule{
	{column: thirdparty.FieldName, field: "name", required: true, maxLen: 200},
	{column: thirdparty.FieldCode, field: "code", maxLen: 50},
	{column: thirdparty.FieldLegalName, field: "legalName", maxLen: 200},
	{column: thirdparty.FieldSiren, field: "siren", check: validate.SIREN},
	{column: thirdparty.FieldSiret, field: "siret", check: validate.SIRET},
	{column: thirdparty.FieldApeCode, field: "apeCode", check: validate.APE},
	{column: thirdparty.FieldVatNumber, field: "vatNumber", check: validate.VAT},
	{column: thirdparty.FieldEmail, field: "email", check: validate.Email},
	{column: thirdparty.FieldPhone, field: "phone", check: validate.Phone},
	{column: thirdparty.FieldWebsite, field: "website", check: validate.Website},
	{column: thirdparty.FieldAddressLine1, field: "address.line1", maxLen: 200},
	{column: thirdparty.FieldAddressLine2, field: "address.line2", maxLen: 200},
	{column: thirdparty.FieldAddressLine3, field: "address.line3", maxLen: 200},
	{column: thirdparty.FieldCountry, field: "address.country", check: validate.Country},
	{column: thirdparty.FieldPostalCode, field: "address.postalCode", maxLen: 20},
	{column: thirdparty.FieldCity, field: "address.city", maxLen: 100},
}

// contactRules are the rules of a contact's fields.
var contactRules = []rule{
	{column: contact.FieldLastName, field: "lastName", required: true, maxLen: 100},
	{column: contact.FieldFirstName, field: "firstName", maxLen: 100},
	{column: contact.FieldCivility, field: "civility", maxLen: 20},
	{column: contact.FieldJobTitle, field: "jobTitle", maxLen: 100},
	{column: contact.FieldDirectLine, field: "directLine", check: validate.Phone},
	{column: contact.FieldMobile, field: "mobile", check: validate.Phone},
	{column: contact.FieldEmail, field: "email", check: validate.Email},
}

// set records a value given by the client: trimmed, blank meaning null.
func (c changes) set(column string, v *string) {
	if v != nil {
		if s := strings.TrimSpace(*v); s != "" {
			c[column] = &s
			return
		}
	}
	c[column] = nil
}

// setGiven records v only when the client gave it (absent: unchanged).
func (c changes) setGiven(column string, v graphql.Omittable[*string]) {
	if val, given := v.ValueOK(); given {
		c.set(column, val)
	}
}

// setAddress records every part of an address.
func (c changes) setAddress(a *AddressInput) {
	if a == nil {
		a = &AddressInput{}
	}
	c.set(thirdparty.FieldAddressLine1, a.Line1)
	c.set(thirdparty.FieldAddressLine2, a.Line2)
	c.set(thirdparty.FieldAddressLine3, a.Line3)
	c.set(thirdparty.FieldPostalCode, a.PostalCode)
	c.set(thirdparty.FieldCity, a.City)
	c.set(thirdparty.FieldCountry, a.Country)
}

// hasAddress reports whether any part of an address is set.
func (c changes) hasAddress() bool {
	for _, col := range []string{thirdparty.FieldAddressLine1, thirdparty.FieldAddressLine2, thirdparty.FieldAddressLine3, thirdparty.FieldPostalCode, thirdparty.FieldCity} {
		if c[col] != nil {
			return true
		}
	}
	return false
}

// validate checks and normalises the changes against rules. creating says
// whether absent required fields are missing (create) or unchanged (update).
// Every invalid field is reported, in the rules' order (an errs.List).
func (c changes) validate(rules []rule, creating bool) error {
	var problems errs.List
	for _, r := range rules {
		v, given := c[r.column]
		if !given {
			if creating && r.required {
				problems = append(problems, errs.Invalid(r.field, "%s is required", r.field))
			}
			continue
		}
		if v == nil {
			if r.required {
				problems = append(problems, errs.Invalid(r.field, "%s cannot be blank", r.field))
			}
			continue
		}
		if r.maxLen > 0 && utf8.RuneCountInString(*v) > r.maxLen {
			problems = append(problems, errs.Invalid(r.field, "%s is longer than %d characters", r.field, r.maxLen))
			continue
		}
		if r.check != nil {
			norm, err := r.check(*v)
			if err != nil {
				problems = append(problems, errs.Invalid(r.field, "%s: %v", r.field, err))
				continue
			}
			c[r.column] = &norm
		}
	}
	// The postal code's form depends on the country: not checked against
	// a country that is itself wrong.
	if pc := c[thirdparty.FieldPostalCode]; pc != nil && !problems.Has("address.postalCode") && !problems.Has("address.country") {
		country := "FR"
		if cc := c[thirdparty.FieldCountry]; cc != nil {
			country = *cc
		}
		norm, err := validate.PostalCode(country, *pc)
		if err != nil {
			problems = append(problems, errs.Invalid("address.postalCode", "address.postalCode: %v", err))
		} else {
			c[thirdparty.FieldPostalCode] = &norm
		}
	}
	return problems.Err()
}

// deriveIdentifiers completes the SIREN from the SIRET and the French VAT
// number from the SIREN, and checks that SIRET and SIREN agree. current
// gives the stored value of a column (nil for a new record).
func (c changes) deriveIdentifiers(current func(column string) *string) error {
	value := func(col string) *string {
		if v, given := c[col]; given {
			return v
		}
		return current(col)
	}
	siret, siren := value(thirdparty.FieldSiret), value(thirdparty.FieldSiren)
	if siret != nil && siren == nil {
		s := validate.SIRENOfSIRET(*siret)
		c[thirdparty.FieldSiren], siren = &s, &s
	}
	if siret != nil && validate.SIRENOfSIRET(*siret) != *siren {
		return errs.Invalid("siret", "siret %s is not an establishment of SIREN %s", *siret, *siren)
	}
	if siren != nil && value(thirdparty.FieldVatNumber) == nil {
		vat := validate.VATFromSIREN(*siren)
		c[thirdparty.FieldVatNumber] = &vat
	}
	// A French VAT number is the SIREN's, checked when either is written
	// (a stored pair is not reopened by a change of the phone number).
	_, vatGiven := c[thirdparty.FieldVatNumber]
	_, sirenGiven := c[thirdparty.FieldSiren]
	if vat := value(thirdparty.FieldVatNumber); siren != nil && vat != nil && strings.HasPrefix(*vat, "FR") && (vatGiven || sirenGiven) {
		if want := validate.VATFromSIREN(*siren); *vat != want {
			if !vatGiven { // a new SIREN: the stored number was the old one's
				c[thirdparty.FieldVatNumber] = &want
				return nil
			}
			return errs.Invalid("vatNumber", "vatNumber %s is not the VAT number of SIREN %s, which is %s", *vat, *siren, want)
		}
	}
	return nil
}

// apply writes the changes into an ent mutation.
func (c changes) apply(m ent.Mutation) error {
	for col, v := range c {
		var err error
		if v == nil {
			if m.Op().Is(ent.OpCreate) {
				continue
			}
			err = m.ClearField(col)
		} else {
			err = m.SetField(col, *v)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
