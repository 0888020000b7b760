package duplicates

import (
	"context"
	"fmt"

	"carnet/ent"
	"carnet/internal/errs"
	"carnet/internal/gid"
	"carnet/internal/validate"
)

// ThirdPartyProbeInput is a third party's values as a form holds them
// (duplicateCandidates(thirdParty:)).
type ThirdPartyProbeInput struct {
	Name       *string `json:"name"`
	Siren      *string `json:"siren"`
	Siret      *string `json:"siret"`
	VatNumber  *string `json:"vatNumber"`
	Email      *string `json:"email"`
	Phone      *string `json:"phone"`
	PostalCode *string `json:"postalCode"`
	City       *string `json:"city"`
}

// ContactProbeInput is a contact's values as a form holds them
// (duplicateCandidates(contact:)).
type ContactProbeInput struct {
	ThirdPartyID *int    `json:"thirdPartyId"`
	FirstName    *string `json:"firstName"`
	LastName     *string `json:"lastName"`
	Email        *string `json:"email"`
	Mobile       *string `json:"mobile"`
	DirectLine   *string `json:"directLine"`
}

// normal returns s as validate's normaliser stores it, nil when s is
// absent or not valid yet (a form being typed).
func normal(s *string, norm func(string) (string, error)) *string {
	if s == nil {
		return nil
	}
	v, err := norm(*s)
	if err != nil || v == "" {
		return nil
	}
	return &v
}

// Candidates answers duplicateCandidates: the candidates of a stored
// record (of), or of a form's values; exactly one of the three is given.
func Candidates(ctx context.Context, client *ent.Client, of *int, tp *ThirdPartyProbeInput, c *ContactProbeInput) ([]*Candidate, error) {
	cs, err := candidates(ctx, client, of, tp, c)
	out := make([]*Candidate, len(cs))
	for i := range cs {
		out[i] = &cs[i]
	}
	return out, err
}

func candidates(ctx context.Context, client *ent.Client, of *int, tp *ThirdPartyProbeInput, c *ContactProbeInput) ([]Candidate, error) {
	n := 0
	for _, given := range []bool{of != nil, tp != nil, c != nil} {
		if given {
			n++
		}
	}
	if n != 1 {
		return nil, errs.Invalid("of", "give exactly one of of, thirdParty and contact")
	}
	switch {
	case tp != nil:
		return ThirdParties(ctx, client, tp.probe())
	case c != nil:
		return Contacts(ctx, client, c.probe())
	}
	noder, err := client.Noder(ctx, *of)
	if ent.IsNotFound(err) || err != nil && !isInternal(err) {
		return nil, errs.E(errs.NotFound, "no third party or contact with ID %s", gid.Encode(*of))
	}
	if err != nil {
		return nil, fmt.Errorf("duplicates: read %d: %w", *of, err)
	}
	switch r := noder.(type) {
	case *ent.ThirdParty:
		return ThirdParties(ctx, client, ThirdPartyProbe{
			Name: r.Name, Siren: r.Siren, Siret: r.Siret, VatNumber: r.VatNumber, Email: r.Email, Phone: r.Phone,
			PostalCode: r.PostalCode, City: r.City, Exclude: r.ID,
		})
	case *ent.Contact:
		return Contacts(ctx, client, ContactProbe{
			ThirdPartyID: r.ThirdPartyID, FirstName: r.FirstName, LastName: r.LastName,
			Email: r.Email, Mobile: r.Mobile, Direct: r.DirectLine, Exclude: r.ID,
		})
	}
	return nil, errs.Invalid("of", "%s is neither a third party nor a contact", gid.Encode(*of))
}

// isInternal tells a failure of the database from a record the viewer
// may not see (not found, or denied by privacy).
func isInternal(err error) bool {
	_, ok := errs.As(err)
	return !ok && !ent.IsNotFound(err) && !ent.IsNotSingular(err) && !isDenied(err)
}

func (in *ThirdPartyProbeInput) probe() ThirdPartyProbe {
	p := ThirdPartyProbe{
		Siren:      normal(in.Siren, validate.SIREN),
		Siret:      normal(in.Siret, validate.SIRET),
		VatNumber:  normal(in.VatNumber, validate.VAT),
		Email:      normal(in.Email, validate.Email),
		Phone:      normal(in.Phone, validate.Phone),
		PostalCode: in.PostalCode,
		City:       in.City,
	}
	if in.Name != nil {
		p.Name = *in.Name
	}
	if p.Siret != nil && p.Siren == nil {
		siren := validate.SIRENOfSIRET(*p.Siret)
		p.Siren = &siren
	}
	if p.Siren != nil && p.VatNumber == nil {
		vat := validate.VATFromSIREN(*p.Siren)
		p.VatNumber = &vat
	}
	return p
}

func (in *ContactProbeInput) probe() ContactProbe {
	p := ContactProbe{
		FirstName: in.FirstName,
		Email:     normal(in.Email, validate.Email),
		Mobile:    normal(in.Mobile, validate.Phone),
		Direct:    normal(in.DirectLine, validate.Phone),
	}
	if in.ThirdPartyID != nil {
		p.ThirdPartyID = *in.ThirdPartyID
	}
	if in.LastName != nil {
		p.LastName = *in.LastName
	}
	return p
}
