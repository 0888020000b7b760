package filiation

import (
	"context"
	"fmt"

	entgo "entgo.io/ent"

	"carnet/ent"
	"carnet/ent/company"
	"carnet/ent/hook"
	"carnet/ent/linktype"
	"carnet/ent/predicate"
	"carnet/internal/auth"
	"carnet/internal/errs"
)

// A filiation link has a type on each side. A type's direction, when it
// has one, says where the party of its side stands relative to the other
// party: SOC_MERE is UP (the parent stands above), FILIALE DOWN. Walked
// from a party P to the other party Q, a link goes the way Q's side's type
// says; when that type has no direction, the inverse of P's side's; when
// neither has one, TRANSVERSE. UP from one end is therefore DOWN from the
// other.

// inverse is the direction of a link seen from its other end.
func inverse(d linktype.Direction) linktype.Direction {
	switch d {
	case linktype.DirectionUP:
		return linktype.DirectionDOWN
	case linktype.DirectionDOWN:
		return linktype.DirectionUP
	}
	return d
}

// Toward returns the direction of a link walked from the party whose side
// has type from to the party whose side has type to (either may be nil
// when unknown).
func Toward(from, to *ent.LinkType) linktype.Direction {
	if to != nil && to.Direction != nil {
		return *to.Direction
	}
	if from != nil && from.Direction != nil {
		return inverse(*from.Direction)
	}
	return linktype.DirectionTRANSVERSE
}

// compatible tells whether two sides' types may type one link: when both
// have a direction, each must be the other's inverse (UP with DOWN,
// TRANSVERSE with TRANSVERSE).
func compatible(a, b *ent.LinkType) bool {
	return a.Direction == nil || b.Direction == nil || *a.Direction == inverse(*b.Direction)
}

// Relation spells a link the same way whichever way round it is entered:
// the smaller third-party ID, the larger one, then the type of each one's
// side. A unique index on it refuses the same relation twice.
func Relation(tp, typ, linked, linkedTyp int) string {
	if linked < tp {
		tp, typ, linked, linkedTyp = linked, linkedTyp, tp, typ
	}
	return fmt.Sprintf("%d:%d:%d:%d", tp, linked, typ, linkedTyp)
}

// RelationHook fills a filiation link's relation from its sides and types
// on every creation and change.
func RelationHook(next entgo.Mutator) entgo.Mutator {
	return hook.FiliationLinkFunc(func(ctx context.Context, m *ent.FiliationLinkMutation) (entgo.Value, error) {
		if !m.Op().Is(entgo.OpCreate | entgo.OpUpdateOne | entgo.OpUpdate) {
			return next.Mutate(ctx, m)
		}
		tp, ok1 := m.ThirdPartyID()
		linked, ok2 := m.LinkedThirdPartyID()
		typ, ok3 := m.TypeID()
		linkedTyp, ok4 := m.LinkedTypeID()
		if m.Op().Is(entgo.OpCreate) {
			if ok1 && ok2 && ok3 && ok4 {
				m.SetRelation(Relation(tp, typ, linked, linkedTyp))
			}
			return next.Mutate(ctx, m)
		}
		if !ok1 && !ok2 && !ok3 && !ok4 {
			return next.Mutate(ctx, m)
		}
		id, ok := m.ID()
		if !m.Op().Is(entgo.OpUpdateOne) || !ok {
			return nil, fmt.Errorf("filiation: change the sides or types of links one at a time")
		}
		old, err := m.Client().FiliationLink.Get(auth.System(ctx), id)
		if err != nil {
			return nil, fmt.Errorf("filiation: link to change: %w", err)
		}
		if !ok1 {
			tp = old.ThirdPartyID
		}
		if !ok2 {
			linked = old.LinkedThirdPartyID
		}
		if !ok3 {
			typ = old.TypeID
		}
		if !ok4 {
			linkedTyp = old.LinkedTypeID
		}
		m.SetRelation(Relation(tp, typ, linked, linkedTyp))
		return next.Mutate(ctx, m)
	})
}

// Counterpart returns the type of the record's side of an earlier
// one-type link whose single type t said where the linked party stands:
// t itself when it has no direction or is TRANSVERSE; for UP or DOWN, the
// FILIATION type of the inverse direction of t's company, else of the
// shared company, the smallest ID first (both offered to whoever is
// offered t; the migration also looked, last, at the organisation's other
// companies). When there is none, one is created in t's company: code <CODE>_INV, label
// "<label> (inverse)" — as the migration of the one-type links did.
func Counterpart(ctx context.Context, client *ent.Client, t *ent.LinkType) (*ent.LinkType, error) {
	if t.Direction == nil || *t.Direction == linktype.DirectionTRANSVERSE {
		return t, nil
	}
	want := inverse(*t.Direction)
	sys := auth.System(ctx)
	for _, p := range []predicate.LinkType{
		linktype.CompanyID(t.CompanyID),
		linktype.HasCompanyWith(company.Shared(true)),
	} {
		c, err := client.LinkType.Query().Where(p, linktype.CategoryEQ(linktype.CategoryFILIATION), linktype.DirectionEQ(want)).
			Order(ent.Asc(linktype.FieldID)).First(sys)
		if err == nil {
			return c, nil
		}
		if !ent.IsNotFound(err) {
			return nil, fmt.Errorf("filiation: counterpart of %s: %w", t.Code, err)
		}
	}
	code := t.Code
	if len(code) > 26 {
		code = code[:26]
	}
	code += "_INV"
	label := []rune(t.Label)
	if len(label) > 80 {
		label = label[:80]
	}
	c, err := client.LinkType.Create().SetOrganisationID(t.OrganisationID).SetCompanyID(t.CompanyID).
		SetCode(code).SetLabel(string(label) + " (inverse)").SetCategory(linktype.CategoryFILIATION).SetDirection(want).Save(sys)
	if ent.IsConstraintError(err) {
		return nil, errs.Invalid("linkedTypeId", "link type %s has a direction and no type of the inverse direction exists to pair with it: give the linked party's type", t.Code)
	}
	if err != nil {
		return nil, fmt.Errorf("filiation: create the counterpart of %s: %w", t.Code, err)
	}
	return c, nil
}
