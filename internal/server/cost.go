package server

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"carnet/internal/errs"
)

// Limits of one GraphQL operation, checked before anything runs (after
// pageLimits has given every connection its page size). They follow the
// OWASP GraphQL cheat sheet and GitHub's and Shopify's public limits.
const (
	// MaxComplexity bounds the cost of an operation: each field costs 1,
	// and a connection's edges cost its page size (first or last) times
	// their fields, so nested pages multiply (totalCount and pageInfo are
	// counted once). A page of 100 third parties with 5 fields and 5
	// contacts of 3 fields each is about 2,600.
	MaxComplexity = 10000
	// MaxDepth bounds the nesting of fields. Relay takes three levels per
	// hop (connection, edges, node); introspection's ofType chains are not
	// counted, so GraphiQL's introspection query passes.
	MaxDepth = 12
	// MaxAliases bounds the aliased fields of an operation.
	MaxAliases = 30
	// MaxFields bounds the fields of an operation, fragments expanded.
	MaxFields = 400
	// MaxDirectives bounds the directives of an operation.
	MaxDirectives = 20
)

// costLimits refuses operations past the limits with QUERY_TOO_COMPLEX.
type costLimits struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = costLimits{}

func (costLimits) ExtensionName() string                   { return "CostLimits" }
func (costLimits) Validate(graphql.ExecutableSchema) error { return nil }

func (costLimits) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	m := &meter{vars: oc.Variables}
	complexity := m.cost(oc.Operation.SelectionSet, 1)
	switch {
	case m.over != "":
		return tooComplex(m.over)
	case complexity > MaxComplexity:
		return tooComplex(fmt.Sprintf("the operation's complexity is %d, more than the limit of %d (a connection costs its page size times its fields: ask for smaller pages)", complexity, MaxComplexity))
	}
	return nil
}

func tooComplex(msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": string(errs.QueryTooComplex)}}
}

// meter measures an operation.
type meter struct {
	vars                       map[string]any
	fields, aliases, directive int
	over                       string // the first limit passed
}

// cost returns the complexity of set at depth, counting fields, aliases,
// directives and depth on the way.
func (m *meter) cost(set ast.SelectionSet, depth int) int {
	total := 0
	for _, sel := range set {
		if m.over != "" {
			return total
		}
		switch s := sel.(type) {
		case *ast.Field:
			m.fields++
			m.directive += len(s.Directives)
			if s.Alias != "" && s.Alias != s.Name {
				m.aliases++
			}
			d := depth
			if s.Name == "ofType" {
				d-- // introspection's type references
			}
			switch {
			case m.fields > MaxFields:
				m.over = fmt.Sprintf("the operation has more than %d fields", MaxFields)
			case m.aliases > MaxAliases:
				m.over = fmt.Sprintf("the operation has more than %d aliases", MaxAliases)
			case m.directive > MaxDirectives:
				m.over = fmt.Sprintf("the operation has more than %d directives", MaxDirectives)
			case d > MaxDepth:
				m.over = fmt.Sprintf("the operation nests fields deeper than %d levels", MaxDepth)
			}
			if page := m.pageSize(s); page > 1 {
				total += 1 + m.connection(s.SelectionSet, d+1, page)
			} else {
				total += 1 + m.cost(s.SelectionSet, d+1)
			}
		case *ast.InlineFragment:
			m.directive += len(s.Directives)
			total += m.cost(s.SelectionSet, depth)
		case *ast.FragmentSpread:
			m.directive += len(s.Directives)
			if s.Definition != nil {
				total += m.cost(s.Definition.SelectionSet, depth)
			}
		}
	}
	return total
}

// connection returns the cost of a connection's selection: its edges (or
// nodes) once per item of the page, totalCount and pageInfo once.
func (m *meter) connection(set ast.SelectionSet, depth, page int) int {
	total := 0
	for _, sel := range set {
		f, ok := sel.(*ast.Field)
		if !ok || (f.Name != "edges" && f.Name != "nodes") {
			total += m.cost(ast.SelectionSet{sel}, depth)
			continue
		}
		total += page * m.cost(ast.SelectionSet{f}, depth)
	}
	return total
}

// pageSize is a connection's first or last (pageLimits gave every
// connection one), 1 for any other field.
func (m *meter) pageSize(f *ast.Field) int {
	if f.Definition == nil || f.Definition.Arguments.ForName("first") == nil {
		return 1
	}
	args := f.ArgumentMap(m.vars)
	for _, name := range []string{"first", "last"} {
		if n, ok := pageArg(args[name]); ok && n > 0 {
			return n
		}
	}
	return 1
}
