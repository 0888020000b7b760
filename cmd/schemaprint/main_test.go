package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"carnet/graph"
)

// The published schema lists every directive introspection shows but
// those of the specification: @defer from gqlgen's prelude included.
func TestPublishListsIntrospectedDirectives(t *testing.T) {
	var buf bytes.Buffer
	publish(&buf, graph.Schema())
	out := buf.String()
	for name := range graph.Schema().Directives {
		has := strings.Contains(out, "directive @"+name+"(") || strings.Contains(out, "directive @"+name+" ")
		if specifiedDirectives[name] && has {
			t.Errorf("directive @%s of the specification is written out", name)
		}
		if !specifiedDirectives[name] && !has {
			t.Errorf("directive @%s is introspected but missing from the published schema", name)
		}
	}
	if !strings.Contains(out, "directive @defer(") {
		t.Fatalf("@defer is missing:\n%.500s", out)
	}
	// The file loads back, @defer with its two arguments.
	s, err := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: out})
	if err != nil {
		t.Fatalf("the published schema does not load: %v", err)
	}
	if d := s.Directives["defer"]; d == nil || len(d.Arguments) != 2 {
		t.Fatalf("@defer read back as %+v", d)
	}
}
