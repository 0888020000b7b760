package server

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"carnet/internal/errs"
	"carnet/internal/scalar"
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
// connections that name neither a first of DefaultPageSize. Parsed
// documents are shared through the query cache, so it never edits the
// one it is given: when a default is due, it edits a copy of the
// document (cloneDoc), made for this request only.
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
	due, err := walkPages(oc.Operation.SelectionSet, oc.Variables, false)
	if err != nil || !due {
		return err
	}
	i := slices.Index(oc.Doc.Operations, oc.Operation)
	if i < 0 {
		return gqlerror.Errorf("page limits: the operation is not in its document")
	}
	oc.Doc = cloneDoc(oc.Doc)
	oc.Operation = oc.Doc.Operations[i]
	_, err = walkPages(oc.Operation.SelectionSet, oc.Variables, true)
	return err
}

// walkPages checks the page arguments of the connections under set and
// reports whether one of them needs the default first; with edit, it
// adds it.
func walkPages(set ast.SelectionSet, vars map[string]any, edit bool) (due bool, err *gqlerror.Error) {
	eachField(set, func(f *ast.Field) bool {
		more, e := limitPage(f, vars, edit)
		due, err = due || more, e
		return e == nil
	})
	return due, err
}

// eachField calls visit on every field under set, the fields of inline
// fragments and of named fragments (each once) included, until visit
// returns false.
func eachField(set ast.SelectionSet, visit func(*ast.Field) bool) {
	seen := map[string]bool{}
	var walk func(ast.SelectionSet) bool
	walk = func(set ast.SelectionSet) bool {
		for _, sel := range set {
			var sub ast.SelectionSet
			switch s := sel.(type) {
			case *ast.Field:
				if !visit(s) {
					return false
				}
				sub = s.SelectionSet
			case *ast.InlineFragment:
				sub = s.SelectionSet
			case *ast.FragmentSpread:
				if s.Definition == nil || seen[s.Name] {
					continue
				}
				seen[s.Name] = true
				sub = s.Definition.SelectionSet
			}
			if !walk(sub) {
				return false
			}
		}
		return true
	}
	walk(set)
}

// cloneDoc copies doc down to every selection, so that arguments can be
// added to its fields without touching doc. Values, positions and schema
// definitions are shared: nothing edits them.
func cloneDoc(doc *ast.QueryDocument) *ast.QueryDocument {
	out := *doc
	frags := make(map[*ast.FragmentDefinition]*ast.FragmentDefinition, len(doc.Fragments))
	out.Fragments = make(ast.FragmentDefinitionList, len(doc.Fragments))
	for i, f := range doc.Fragments {
		c := *f
		frags[f], out.Fragments[i] = &c, &c
	}
	for _, f := range out.Fragments {
		f.SelectionSet = cloneSet(f.SelectionSet, frags)
	}
	out.Operations = make(ast.OperationList, len(doc.Operations))
	for i, op := range doc.Operations {
		c := *op
		c.SelectionSet = cloneSet(op.SelectionSet, frags)
		out.Operations[i] = &c
	}
	return &out
}

func cloneSet(set ast.SelectionSet, frags map[*ast.FragmentDefinition]*ast.FragmentDefinition) ast.SelectionSet {
	if set == nil {
		return nil
	}
	out := make(ast.SelectionSet, len(set))
	for i, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			c := *s
			c.Arguments = slices.Clip(c.Arguments) // an append copies
			c.SelectionSet = cloneSet(s.SelectionSet, frags)
			out[i] = &c
		case *ast.InlineFragment:
			c := *s
			c.SelectionSet = cloneSet(s.SelectionSet, frags)
			out[i] = &c
		case *ast.FragmentSpread:
			c := *s
			if d := frags[s.Definition]; d != nil {
				c.Definition = d
			}
			out[i] = &c
		default:
			out[i] = sel
		}
	}
	return out
}

// limitPage checks the page arguments of a connection field and reports
// whether it needs the default first; with edit, it adds it.
func limitPage(f *ast.Field, vars map[string]any, edit bool) (bool, *gqlerror.Error) {
	if f.Definition == nil || !strings.HasSuffix(f.Definition.Type.Name(), "Connection") ||
		f.Definition.Arguments.ForName("first") == nil {
		return false, nil
	}
	args := f.ArgumentMap(vars)
	var given []string
	for _, name := range []string{"first", "last"} {
		v, ok := args[name]
		if !ok || v == nil {
			continue
		}
		given = append(given, name)
		if n, ok := pageArg(v); !ok || n < 0 || n > MaxPageSize {
			return false, pageError(name, "%s.%s must be an integer between 0 and %d, got %v", f.Alias, name, MaxPageSize, v)
		}
	}
	if len(given) == 2 {
		return false, pageError("last", "%s takes first or last, not both", f.Alias)
	}
	// Checked here for nested connections too: entgql's field collection
	// reads their cursors, and a malformed one made it panic.
	for _, name := range []string{"after", "before"} {
		if v := args[name]; v != nil {
			c, err := scalar.UnmarshalCursor(v)
			if err != nil {
				return false, pageError(name, "%s.%s is not a cursor of this API: pass back a cursor from a page's edges or pageInfo", f.Alias, name)
			}
			if !cursorFits(c.Value, args["orderBy"]) {
				return false, pageError(name, "%s.%s comes from another order or another connection: pass back a cursor of this connection with the same orderBy", f.Alias, name)
			}
		}
	}
	if len(given) == 0 && edit {
		// Replaced rather than added when it is there with a null value
		// (first: $n, $n null): arguments are looked up by first match.
		arg := &ast.Argument{Name: "first", Value: &ast.Value{Kind: ast.IntValue, Raw: strconv.Itoa(DefaultPageSize)}}
		if i := slices.IndexFunc(f.Arguments, func(a *ast.Argument) bool { return a.Name == "first" }); i >= 0 {
			f.Arguments = slices.Clone(f.Arguments)
			f.Arguments[i] = arg
		} else {
			f.Arguments = append(f.Arguments, arg)
		}
	}
	return len(given) == 0, nil
}

// pageArg reads a first or last as the field will when it runs: a
// literal is an int64, but a variable's value comes as the client sent
// it, and gqlgen also takes an Int written as a string ("1000").
func pageArg(v any) (int, bool) {
	n, err := graphql.UnmarshalInt(v)
	return n, err == nil
}

func pageError(field, format string, a ...any) *gqlerror.Error {
	return &gqlerror.Error{
		Message:    fmt.Sprintf(format, a...),
		Extensions: map[string]any{"code": string(errs.BadUserInput), "field": field},
	}
}

// nullableOrders are the order fields whose cursors may hold no value
// (graph/nullorder.go pages their records without one by ID).
var nullableOrders = map[string]bool{"CODE": true, "FIRST_NAME": true, "AMOUNT": true, "EXPECTED_SIGNING_DATE": true}

// cursorFits reports whether a cursor's value is of the kind that the
// connection's order writes: none when there is no orderBy (ID order), a
// time for the …_AT and …_DATE fields, a number for AMOUNT, a string for
// the others. A cursor of another order would compare values of another
// type: an error on PostgreSQL, a wrong page on SQLite.
func cursorFits(value, orderBy any) bool {
	field := ""
	if m, ok := orderBy.(map[string]any); ok {
		field, _ = m["field"].(string)
	}
	if field == "" || value == nil {
		return value == nil && (field == "" || nullableOrders[field])
	}
	isTime := strings.HasSuffix(field, "_AT") || strings.HasSuffix(field, "_DATE")
	switch value.(type) {
	case time.Time:
		return isTime
	case string:
		return !isTime && field != "AMOUNT"
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
		return field == "AMOUNT"
	}
	return false
}
