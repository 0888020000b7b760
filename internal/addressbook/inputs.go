package addressbook

import (
	"github.com/99designs/gqlgen/graphql"

	"carnet/ent/schema/enum"
	"carnet/internal/customfield"
)

// The GraphQL inputs of the address book, bound by gqlgen (gqlgen.yml).
// Pointers are optional values; graphql.Omittable distinguishes an absent
// field (unchanged) from null (cleared) in updates.

// AddressInput is a postal address to write.
type AddressInput struct {
	Line1      *string `json:"line1"`
	Line2      *string `json:"line2"`
	Line3      *string `json:"line3"`
	PostalCode *string `json:"postalCode"`
	City       *string `json:"city"`
	Country    *string `json:"country"`
}

// CreateProspectInput creates a prospect.
type CreateProspectInput struct {
	Name         string                    `json:"name"`
	LegalName    *string                   `json:"legalName"`
	Siren        *string                   `json:"siren"`
	Siret        *string                   `json:"siret"`
	ApeCode      *string                   `json:"apeCode"`
	VatNumber    *string                   `json:"vatNumber"`
	Email        *string                   `json:"email"`
	Phone        *string                   `json:"phone"`
	Website      *string                   `json:"website"`
	Address      *AddressInput             `json:"address"`
	CustomFields []*customfield.ValueInput `json:"customFields"`
}

// UpdateThirdPartyInput changes a third party.
type UpdateThirdPartyInput struct {
	Name         graphql.Omittable[*string]       `json:"name"`
	LegalName    graphql.Omittable[*string]       `json:"legalName"`
	Siren        graphql.Omittable[*string]       `json:"siren"`
	Siret        graphql.Omittable[*string]       `json:"siret"`
	ApeCode      graphql.Omittable[*string]       `json:"apeCode"`
	VatNumber    graphql.Omittable[*string]       `json:"vatNumber"`
	Email        graphql.Omittable[*string]       `json:"email"`
	Phone        graphql.Omittable[*string]       `json:"phone"`
	Website      graphql.Omittable[*string]       `json:"website"`
	Address      graphql.Omittable[*AddressInput] `json:"address"`
	CustomFields []*customfield.ValueInput        `json:"customFields"`
}

// UpsertClientInput creates or updates a client by its code.
type UpsertClientInput struct {
	Code       string        `json:"code"`
	Name       string        `json:"name"`
	ProspectID *int          `json:"prospectId"`
	Closed     *bool         `json:"closed"`
	LegalName  *string       `json:"legalName"`
	Siren      *string       `json:"siren"`
	Siret      *string       `json:"siret"`
	ApeCode    *string       `json:"apeCode"`
	VatNumber  *string       `json:"vatNumber"`
	Email      *string       `json:"email"`
	Phone      *string       `json:"phone"`
	Website    *string       `json:"website"`
	Address    *AddressInput `json:"address"`
	// KeepAddressParts (the CSV import, not the API) keeps the stored
	// value of each address part that Address leaves empty, where the
	// API's address replaces the whole address.
	KeepAddressParts bool `json:"-"`
}

// CreateThirdPartyInput creates a supplier or another third party.
type CreateThirdPartyInput struct {
	Kind      enum.ThirdPartyKind `json:"kind"`
	Name      string              `json:"name"`
	Code      *string             `json:"code"`
	LegalName *string             `json:"legalName"`
	Siren     *string             `json:"siren"`
	Siret     *string             `json:"siret"`
	ApeCode   *string             `json:"apeCode"`
	VatNumber *string             `json:"vatNumber"`
	Email     *string             `json:"email"`
	Phone     *string             `json:"phone"`
	Website   *string             `json:"website"`
	Address   *AddressInput       `json:"address"`
}

// CreateContactInput creates a contact on a prospect or a client.
type CreateContactInput struct {
	ThirdPartyID int     `json:"thirdPartyId"`
	LastName     string  `json:"lastName"`
	FirstName    *string `json:"firstName"`
	Civility     *string `json:"civility"`
	JobTitle     *string `json:"jobTitle"`
	DirectLine   *string `json:"directLine"`
	Mobile       *string `json:"mobile"`
	Email        *string `json:"email"`
	// CustomFields are checked against the definitions of the contacts of
	// the third party's kind.
	CustomFields []*customfield.ValueInput `json:"customFields"`
}

// UpdateContactInput changes a contact.
type UpdateContactInput struct {
	LastName   graphql.Omittable[*string] `json:"lastName"`
	FirstName  graphql.Omittable[*string] `json:"firstName"`
	Civility   graphql.Omittable[*string] `json:"civility"`
	JobTitle   graphql.Omittable[*string] `json:"jobTitle"`
	DirectLine graphql.Omittable[*string] `json:"directLine"`
	Mobile     graphql.Omittable[*string] `json:"mobile"`
	Email      graphql.Omittable[*string] `json:"email"`
	// CustomFields are written over the stored values; nil: unchanged.
	CustomFields []*customfield.ValueInput `json:"customFields"`
}
