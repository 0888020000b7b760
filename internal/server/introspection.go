package server

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"carnet/internal/errs"
)

// noIntrospection refuses, before anything runs, the operations that ask
// for __schema or __type when introspection is off (production). Without
// it gqlgen answers each such field with an uncoded error, which the
// presenter can only log and count as INTERNAL.
type noIntrospection struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = noIntrospection{}

func (noIntrospection) ExtensionName() string                   { return "NoIntrospection" }
func (noIntrospection) Validate(graphql.ExecutableSchema) error { return nil }
func (noIntrospection) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	var refused *gqlerror.Error
	eachField(oc.Operation.SelectionSet, func(f *ast.Field) bool {
		if f.Name != "__schema" && f.Name != "__type" {
			return true
		}
		refused = gqlerror.ErrorPosf(f.Position, "introspection (%s) is turned off in production: the schema is published as schema.graphql", f.Name)
		refused.Extensions = map[string]any{"code": string(errs.Forbidden)}
		return false
	})
	return refused
}
