package graph

import (
	"carnet/ent"
	"carnet/graph/model"
)

// addressOf gathers a third party's address columns, or nil when none is set.
func addressOf(tp *ent.ThirdParty) *model.Address {
	a := &model.Address{
		Line1: tp.AddressLine1, Line2: tp.AddressLine2, Line3: tp.AddressLine3,
		PostalCode: tp.PostalCode, City: tp.City, Country: tp.Country,
	}
	if *a == (model.Address{}) {
		return nil
	}
	return a
}

// nonEmpty is s, or nil when s is empty.
func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
