package server

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"carnet/internal/errs"
)

// inputChecks refuses, before anything runs, two kinds of input that
// got past gqlparser's validation and reached the database or a decoder:
//   - a NUL character in a string (literal or variable): PostgreSQL
//     refuses it in text and jsonb (INTERNAL), SQLite stored it; no field
//     has a use for it;
//   - an enum value in a variable written in another case ("note" for
//     NOTE): gqlparser compares variables' enum values without case, and
//     the decoder then failed without a code (INTERNAL). Enum values are
//     case-sensitive in GraphQL.
//
// Errors are BAD_USER_INPUT with the field's path below its argument
// ("name", "address.line1"), as the other input errors.
type inputChecks struct {
	schema *ast.Schema
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = &inputChecks{}

func (*inputChecks) ExtensionName() string { return "InputChecks" }

func (c *inputChecks) Validate(es graphql.ExecutableSchema) error {
	c.schema = es.Schema()
	return nil
}

func (c *inputChecks) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	w := inputWalk{schema: c.schema, vars: oc.Variables}
	if err := w.selections(oc.Operation.SelectionSet); err != nil {
		return &gqlerror.Error{
			Message:    err.Message,
			Extensions: map[string]any{"code": string(errs.BadUserInput), "field": err.Field},
		}
	}
	return nil
}

type inputWalk struct {
	schema *ast.Schema
	vars   map[string]any
}

// selections checks the arguments of every field under set.
func (w inputWalk) selections(set ast.SelectionSet) (err *errs.Error) {
	eachField(set, func(f *ast.Field) bool {
		if f.Definition == nil {
			return true
		}
		for _, a := range f.Arguments {
			def := f.Definition.Arguments.ForName(a.Name)
			if def == nil {
				continue
			}
			path := a.Name
			if t := w.schema.Types[def.Type.Name()]; t != nil && t.Kind == ast.InputObject {
				path = "" // fields of an input are named from it (address.postalCode)
			}
			if err = w.value(a.Value, def.Type, path); err != nil {
				return false
			}
		}
		return true
	})
	return err
}

// value checks a literal of type typ.
func (w inputWalk) value(v *ast.Value, typ *ast.Type, path string) *errs.Error {
	if v == nil || typ == nil {
		return nil
	}
	switch v.Kind {
	case ast.Variable:
		return w.variable(w.vars[v.Raw], typ, path)
	case ast.StringValue, ast.BlockValue:
		return noNUL(v.Raw, path)
	case ast.ListValue:
		elem := typ
		if typ.Elem != nil {
			elem = typ.Elem
		}
		for _, c := range v.Children {
			if err := w.value(c.Value, elem, path); err != nil {
				return err
			}
		}
	case ast.ObjectValue:
		def := w.schema.Types[typ.Name()]
		if def == nil {
			return nil
		}
		for _, c := range v.Children {
			if f := def.Fields.ForName(c.Name); f != nil {
				if err := w.value(c.Value, f.Type, join(path, c.Name)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// variable checks a variable's value (as the client sent it) of type typ.
func (w inputWalk) variable(x any, typ *ast.Type, path string) *errs.Error {
	if x == nil || typ == nil {
		return nil
	}
	if typ.Elem != nil {
		if list, ok := x.([]any); ok {
			for _, e := range list {
				if err := w.variable(e, typ.Elem, path); err != nil {
					return err
				}
			}
			return nil
		}
		return w.variable(x, typ.Elem, path) // one value for a list
	}
	def := w.schema.Types[typ.Name()]
	if def == nil {
		return nil
	}
	switch def.Kind {
	case ast.Enum:
		if s, ok := x.(string); ok && def.EnumValues.ForName(s) == nil {
			names := make([]string, len(def.EnumValues))
			for i, e := range def.EnumValues {
				names[i] = e.Name
			}
			return errs.Invalid(fieldName(path), "%q is not a value of %s (values are case-sensitive): %s", s, def.Name, strings.Join(names, ", "))
		}
	case ast.InputObject:
		if m, ok := x.(map[string]any); ok {
			for k, v := range m {
				if f := def.Fields.ForName(k); f != nil {
					if err := w.variable(v, f.Type, join(path, k)); err != nil {
						return err
					}
				}
			}
		}
	default:
		if s, ok := x.(string); ok {
			return noNUL(s, path)
		}
	}
	return nil
}

func noNUL(s, path string) *errs.Error {
	if strings.IndexByte(s, 0) >= 0 {
		return errs.Invalid(fieldName(path), "%s contains a NUL character (\\u0000), which no text accepts", fieldName(path))
	}
	return nil
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func fieldName(path string) string {
	if path == "" {
		return "input"
	}
	return path
}
