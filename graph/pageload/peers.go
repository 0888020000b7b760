package pageload

import (
	"context"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"

	"carnet/ent"
)

// step is one field (or one list index) on the way from the operation's
// root field to the object being resolved.
type step struct {
	fc    *graphql.FieldContext
	index bool
}

// route returns the steps from the root field down to the object whose
// field ctx resolves, and its path in the response with list indexes left
// out ("contacts.edges.node.thirdParty"): every object at that path is
// resolved by the same part of the document, so they are loaded together.
func route(ctx context.Context) ([]step, string) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return nil, ""
	}
	var steps []step
	for p := fc.Parent; p != nil; p = p.Parent {
		switch {
		case p.Index != nil:
			steps = append(steps, step{fc: p, index: true})
		case p.Field.Field != nil:
			steps = append(steps, step{fc: p})
		}
	}
	var path strings.Builder
	for i, j := 0, len(steps)-1; i < j; i, j = i+1, j-1 {
		steps[i], steps[j] = steps[j], steps[i]
	}
	for _, s := range steps {
		if s.index {
			path.WriteString("[]")
		} else {
			path.WriteString("." + s.fc.Field.Alias)
		}
	}
	return steps, path.String()
}

// peers returns every object at the path of steps, walking down from the
// root field's result through what is already in memory: connections and
// their edges, ent edges loaded with their records (entgql's field
// collection), and the lists these loaders loaded for the path above. An
// object reached through anything else (a field that queries on its own)
// is not found here: its own load then asks for it alone.
func (l *Loaders) peers(ctx context.Context, steps []step) []any {
	if len(steps) == 0 || steps[0].index || steps[0].fc.Result == nil {
		return nil
	}
	objs := []any{steps[0].fc.Result}
	path := "." + steps[0].fc.Field.Alias
	for _, s := range steps[1:] {
		var next []any
		for _, o := range objs {
			if s.index {
				next = append(next, elements(o)...)
			} else {
				next = append(next, l.child(ctx, o, path, s.fc)...)
			}
		}
		if s.index {
			path += "[]"
		} else {
			path += "." + s.fc.Field.Alias
		}
		objs = next
	}
	return objs
}

// nodes is a record's connection read from the rows entgql loaded with it
// (Named<Edge>): its edges are the rows, each edge's node the row itself.
type nodes struct{ list reflect.Value }

// nodeEdge is one edge of nodes.
type nodeEdge struct{ node any }

// elements returns the elements of list o.
func elements(o any) []any {
	if n, ok := o.(nodes); ok {
		out := make([]any, 0, n.list.Len())
		for i := range n.list.Len() {
			out = append(out, nodeEdge{n.list.Index(i).Interface()})
		}
		return out
	}
	v := reflect.ValueOf(o)
	if v.Kind() == reflect.Pointer && !v.IsNil() && v.Elem().Kind() == reflect.Slice {
		v = v.Elem()
	}
	if v.Kind() != reflect.Slice {
		return nil
	}
	out := make([]any, 0, v.Len())
	for i := range v.Len() {
		if e := v.Index(i); !isNil(e) {
			out = append(out, e.Interface())
		}
	}
	return out
}

// child returns what field fc of o (an object at path) resolves to, when
// it is already in memory.
func (l *Loaders) child(ctx context.Context, o any, path string, fc *graphql.FieldContext) []any {
	name, alias := fc.Field.Name, fc.Field.Alias
	switch o := o.(type) {
	case nil:
		return nil
	case nodes:
		if name == "edges" {
			return []any{o}
		}
		return nil
	case nodeEdge:
		if name == "node" {
			return []any{o.node}
		}
		return nil
	}
	if got, ok := l.loadedList(ctx, o, path, name); ok {
		return got
	}
	if got := inMemory(o, name, alias); got != nil {
		return got
	}
	// A third party re-read with what the document asks of it here.
	if tp, ok := o.(*ent.ThirdParty); ok && tp != nil {
		if again, ok := l.contacts.loaded(ctx, path, tp.ID); ok && again != nil {
			return inMemory(again, name, alias)
		}
	}
	return nil
}

// inMemory returns what field name (under alias) of record o resolves to,
// when it was loaded with o.
func inMemory(o any, name, alias string) []any {
	v := reflect.ValueOf(o)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	method := exported(name)
	// A record's connection loaded with it under the field's alias.
	if m := v.MethodByName("Named" + method); m.IsValid() {
		if out := m.Call([]reflect.Value{reflect.ValueOf(alias)}); out[1].IsNil() {
			return []any{nodes{out[0]}}
		}
	}
	// An ent edge loaded with its record.
	if edges := v.Elem().FieldByName("Edges"); edges.IsValid() && edges.Kind() == reflect.Struct {
		if m := edges.MethodByName(method + "OrErr"); m.IsValid() {
			if out := m.Call(nil); out[1].IsNil() && !isNil(out[0]) {
				return []any{out[0].Interface()}
			}
			return nil
		}
	}
	// A plain struct field (a connection's edges, an edge's node).
	t := v.Elem().Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if tag, _, _ := strings.Cut(f.Tag.Get("json"), ","); f.IsExported() && (tag == name || strings.EqualFold(f.Name, name)) {
			if fv := v.Elem().Field(i); !isNil(fv) {
				return []any{fv.Interface()}
			}
			return nil
		}
	}
	return nil
}

func exported(name string) string {
	r, n := utf8.DecodeRuneInString(name)
	return string(unicode.ToUpper(r)) + name[n:]
}

func isNil(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
		return v.IsNil()
	case reflect.Invalid:
		return true
	}
	return false
}
