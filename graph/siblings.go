package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"carnet/ent"
)

// siblings returns the IDs of the third parties listed beside the one
// being resolved (the page of a connection, or a list), so that a loader
// can ask for all of them at once: batching then does not depend on how
// fast gqlgen's goroutines reach the loader.
func siblings(ctx context.Context) []int {
	for fc := graphql.GetFieldContext(ctx); fc != nil; fc = fc.Parent {
		switch list := fc.Result.(type) {
		case []*ent.ThirdPartyEdge:
			ids := make([]int, 0, len(list))
			for _, e := range list {
				if e != nil && e.Node != nil {
					ids = append(ids, e.Node.ID)
				}
			}
			return ids
		case []*ent.ThirdParty:
			ids := make([]int, 0, len(list))
			for _, tp := range list {
				if tp != nil {
					ids = append(ids, tp.ID)
				}
			}
			return ids
		}
	}
	return nil
}

// contactSiblings returns the third parties of the contacts listed beside
// the one being resolved, for the loaders keyed by a contact's third party.
func contactSiblings(ctx context.Context) []int {
	for fc := graphql.GetFieldContext(ctx); fc != nil; fc = fc.Parent {
		switch list := fc.Result.(type) {
		case []*ent.ContactEdge:
			ids := make([]int, 0, len(list))
			for _, e := range list {
				if e != nil && e.Node != nil {
					ids = append(ids, e.Node.ThirdPartyID)
				}
			}
			return ids
		case []*ent.Contact:
			ids := make([]int, 0, len(list))
			for _, c := range list {
				if c != nil {
					ids = append(ids, c.ThirdPartyID)
				}
			}
			return ids
		}
	}
	return nil
}
