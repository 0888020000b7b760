package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"carnet/ent/schema/gqldoc"
	"carnet/graph"
	"carnet/internal/filiation"
	"carnet/internal/search"
	"carnet/internal/server"
)

// TestPublishedSchemaDescribesEverything loads the published schema.graphql
// and lists every type, field, argument, input field, enum value and
// directive of Carnet's own without a description: a client reads the
// schema (or introspection) as its documentation.
func TestPublishedSchemaDescribesEverything(t *testing.T) {
	src, err := os.ReadFile("../../schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	schema, gqlErr := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: string(src)})
	if gqlErr != nil {
		t.Fatal(gqlErr)
	}
	reportUndescribed(t, "schema.graphql", schema)
}

// TestServedSchemaDescribesEverything checks the schema gqlgen executes and
// answers introspection from: descriptions added to schema.graphql alone
// would not reach GraphiQL or a client's code generator.
func TestServedSchemaDescribesEverything(t *testing.T) {
	reportUndescribed(t, "served schema", graph.Schema())
}

func reportUndescribed(t *testing.T, name string, schema *ast.Schema) {
	t.Helper()
	missing := undescribed(schema)
	if len(missing) > 0 {
		t.Errorf("%s: %d elements have no description:\n%s", name, len(missing), strings.Join(missing, "\n"))
	}
}

// undescribed returns the coordinates (Type, Type.field, Type.field(arg:),
// Enum.VALUE, @directive(arg:)) of elements without a description. The
// built-in scalars and directives and the introspection types belong to
// the GraphQL specification and are skipped.
func undescribed(schema *ast.Schema) []string {
	var missing []string
	check := func(coordinate, description string) {
		if strings.TrimSpace(description) == "" {
			missing = append(missing, coordinate)
		}
	}
	for name, def := range schema.Types {
		if def.BuiltIn || strings.HasPrefix(name, "__") {
			continue
		}
		check(name, def.Description)
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			check(name+"."+f.Name, f.Description)
			for _, a := range f.Arguments {
				check(name+"."+f.Name+"("+a.Name+":)", a.Description)
			}
		}
		for _, v := range def.EnumValues {
			check(name+"."+v.Name, v.Description)
		}
	}
	for name, d := range schema.Directives {
		if d.Position != nil && d.Position.Src != nil && d.Position.Src.BuiltIn {
			continue
		}
		check("@"+name, d.Description)
		for _, a := range d.Arguments {
			check("@"+name+"("+a.Name+":)", a.Description)
		}
	}
	sort.Strings(missing)
	return missing
}

// TestPageArgumentsStateTheServersLimits checks that every connection
// field, generated or hand-written, describes first/last/after/before
// alike, with the page sizes internal/server applies.
func TestPageArgumentsStateTheServersLimits(t *testing.T) {
	if gqldoc.DefaultPageSize != server.DefaultPageSize || gqldoc.MaxPageSize != server.MaxPageSize {
		t.Fatalf("gqldoc documents pages of %d (max %d), the server applies %d (max %d)",
			gqldoc.DefaultPageSize, gqldoc.MaxPageSize, server.DefaultPageSize, server.MaxPageSize)
	}
	connections := 0
	for _, def := range graph.Schema().Types {
		for _, f := range def.Fields {
			if !strings.HasSuffix(f.Type.Name(), "Connection") || f.Arguments.ForName("first") == nil {
				continue
			}
			connections++
			for name, want := range gqldoc.PageArguments {
				a := f.Arguments.ForName(name)
				if a == nil {
					t.Errorf("%s.%s has no %s argument", def.Name, f.Name, name)
					continue
				}
				if got := strings.Join(strings.Fields(a.Description), " "); got != want {
					t.Errorf("%s.%s(%s:) says %q, want %q", def.Name, f.Name, name, got, want)
				}
			}
		}
	}
	if connections < 10 {
		t.Errorf("found %d connection fields; the check looks at the wrong schema", connections)
	}
}

// TestDescriptionsStateTheLimitsInForce checks limits that the
// hand-written descriptions quote against the constants that apply them.
func TestDescriptionsStateTheLimitsInForce(t *testing.T) {
	query := graph.Schema().Query
	for _, c := range []struct{ field, argument, text string }{
		{"filiationGraph", "depth", fmt.Sprintf("to %d", filiation.MaxDepth)},
		{"filiationGraph", "", grouped(filiation.MaxNodes) + " nodes"},
		{"search", "query", fmt.Sprintf("1 to %d characters", search.MaxQueryLen)},
		{"search", "first", fmt.Sprintf("1 to %d", search.MaxFirst)},
		{"linkCandidates", "query", fmt.Sprintf("at least %d", search.MinLinkQueryLen)},
	} {
		f := query.Fields.ForName(c.field)
		if f == nil {
			t.Fatalf("Query.%s is missing", c.field)
		}
		description := f.Description
		if c.argument != "" {
			description = f.Arguments.ForName(c.argument).Description
		}
		if got := strings.Join(strings.Fields(description), " "); !strings.Contains(got, c.text) {
			t.Errorf("Query.%s(%s) does not say %q: %q", c.field, c.argument, c.text, got)
		}
	}
	limits := strings.Join(strings.Fields(query.Description), " ")
	for _, text := range []string{
		fmt.Sprintf("deeper than %d levels", server.MaxDepth),
		fmt.Sprintf("complexity above %s", grouped(server.MaxComplexity)),
		fmt.Sprintf("more than %d fields, %d aliases or %d directives", server.MaxFields, server.MaxAliases, server.MaxDirectives),
	} {
		if !strings.Contains(limits, text) {
			t.Errorf("Query's description does not say %q: %q", text, limits)
		}
	}
	depth := query.Fields.ForName("filiationGraph").Arguments.ForName("depth").DefaultValue
	if depth == nil || depth.Raw != fmt.Sprint(filiation.DefaultDepth) {
		t.Errorf("filiationGraph's depth defaults to %v, filiation.DefaultDepth is %d", depth, filiation.DefaultDepth)
	}
}

// grouped writes n as the descriptions do, in groups of three digits:
// 10000 → 10,000.
func grouped(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
