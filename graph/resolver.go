package graph

import (
	"context"
	"encoding/json"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"carnet/ent"
	"carnet/internal/errs"
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

// warnings is the response's extensions.warnings: registered once (gqlgen
// refuses a second registration of a key), then appended to by the
// operation's later fields, which run one after another in a mutation.
type warnings struct{ list []*errs.Warning }

func (w *warnings) MarshalJSON() ([]byte, error) { return json.Marshal(w.list) }

// warn adds w (if any) to the response's extensions.warnings.
func warn(ctx context.Context, w *errs.Warning) {
	if w == nil {
		return
	}
	if ws, ok := graphql.GetExtension(ctx, "warnings").(*warnings); ok {
		ws.list = append(ws.list, w)
		return
	}
	graphql.RegisterExtension(ctx, "warnings", &warnings{list: []*errs.Warning{w}})
}
