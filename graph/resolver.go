package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"carnet/ent"
)

// Resolver is the root resolver: it holds what every resolver needs.
type Resolver struct {
	client *ent.Client
}

// NewSchema returns the executable schema served by Carnet.
func NewSchema(client *ent.Client) graphql.ExecutableSchema {
	return NewExecutableSchema(Config{Resolvers: &Resolver{client: client}})
}

// Schema returns the parsed schema, for printing the published schema.
func Schema() *ast.Schema {
	return NewExecutableSchema(Config{}).Schema()
}

// ent returns the client of the current mutation's transaction, or the
// shared client for queries. Every resolver goes through it, so that a
// mutation's reads see its own writes and never wait on another
// connection.
func (r *Resolver) ent(ctx context.Context) *ent.Client {
	if c := ent.FromContext(ctx); c != nil {
		return c
	}
	return r.client
}
