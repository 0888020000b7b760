package server

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"carnet/internal/errs"
)

// Page sizes of connections.
const (
	// MaxPageSize is the largest first or last a connection accepts.
	MaxPageSize = 100
	// DefaultPageSize is the first of a connection that gives neither
	// first nor last.
	DefaultPageSize = 20
)

// pageLimits checks first/last of every connection of the operation
// before anything runs (entgql loads nested connections with their
// parents, so a per-field check would come too late), and gives the
// connections that name neither a first of DefaultPageSize. It edits
// the operation's own document: documents are parsed per request (no
// shared query cache), so this never races.
type pageLimits struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = pageLimits{}

func (pageLimits) ExtensionName() string                   { return "PageLimits" }
func (pageLimits) Validate(graphql.ExecutableSchema) error { return nil }
func (pageLimits) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	seen := map[string]bool{}
	return walkPages(oc.Operation.SelectionSet, oc.Variables, seen)
}

func walkPages(set ast.SelectionSet, vars map[string]any, seen map[string]bool) *gqlerror.Error {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if err := limitPage(s, vars); err != nil {
				return err
			}
			if err := walkPages(s.SelectionSet, vars, seen); err != nil {
				return err
			}
		case *ast.InlineFragment:
			if err := walkPages(s.SelectionSet, vars, seen); err != nil {
				return err
			}
		case *ast.FragmentSpread:
			if s.Definition == nil || seen[s.Name] {
				continue
			}
			seen[s.Name] = true
			if err := walkPages(s.Definition.SelectionSet, vars, seen); err != nil {
				return err
			}
		}
	}
	return nil
}

// limitPage checks and defaults the page arguments of a connection field.
func limitPage(f *ast.Field, vars map[string]any) *gqlerror.Error {
	if f.Definition == nil || !strings.HasSuffix(f.Definition.Type.Name(), "Connection") ||
		f.Definition.Arguments.ForName("first") == nil {
		return nil
	}
	args := f.ArgumentMap(vars)
	given := false
	for _, name := range []string{"first", "last"} {
		v, ok := args[name]
		if !ok || v == nil {
			continue
		}
		given = true
		n, _ := v.(int64)
		if n < 0 || n > MaxPageSize {
			return &gqlerror.Error{
				Message:    fmt.Sprintf("%s.%s must be between 0 and %d, got %d", f.Alias, name, MaxPageSize, n),
				Path:       nil,
				Extensions: map[string]any{"code": string(errs.BadUserInput), "field": name},
			}
		}
	}
	if !given {
		f.Arguments = append(f.Arguments, &ast.Argument{
			Name:  "first",
			Value: &ast.Value{Kind: ast.IntValue, Raw: strconv.Itoa(DefaultPageSize)},
		})
	}
	return nil
}
