// Package gqldoc describes the parts of the GraphQL schema that entgql
// generates without useful descriptions: the entity types, enum values,
// order fields, where-inputs, connections and their arguments. Hook runs
// inside entgql (ent/entc.go) before graph/ent.graphql is written, so the
// descriptions reach gqlgen, introspection and schema.graphql alike.
//
// What an entity or a field is comes from the ent schema (a field's
// Comment, the schema.Comment annotation of a type, the Enum annotation of
// an enum field); the rest follows systematic rules from what entgql
// generated. The package imports nothing generated, so entc can run when
// the generated code does not compile.
package gqldoc

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/entc/gen"
	"entgo.io/ent/schema/field"
	"github.com/vektah/gqlparser/v2/ast"
)

// Page sizes of connections, as internal/server applies them before
// execution (a test in cmd/schemaprint checks that they agree).
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// Enum documents a GraphQL enum generated from an ent enum field: entgql
// writes enum values without descriptions. Put it on one field of each
// enum type (a type shared by several fields needs it once).
type Enum struct {
	// Description of the enum type.
	Description string
	// Values maps each value to its description; every value needs one.
	Values map[string]string
}

// Name implements ent's schema.Annotation.
func (Enum) Name() string { return "GQLEnum" }

// DefaultOrder is the order of a type's connections when orderBy is
// absent: it becomes the default value of their orderBy argument, so that
// entgql's field collection (which loads a page of records' connections
// at once) and the resolvers order alike. Without it entgql orders by ID.
type DefaultOrder struct {
	// Field is an order field of the type, e.g. "DATE".
	Field string
	// Direction is ASC or DESC.
	Direction string
}

// Name implements ent's schema.Annotation.
func (DefaultOrder) Name() string { return "GQLDefaultOrder" }

// setDefaultOrder gives every orderBy argument of gqlType's order the
// default of t's DefaultOrder annotation, if any.
func setDefaultOrder(t *gen.Type, gqlType string, s *ast.Schema) error {
	raw, ok := t.Annotations[DefaultOrder{}.Name()]
	if !ok {
		return nil
	}
	var o DefaultOrder
	b, err := json.Marshal(raw)
	if err == nil {
		err = json.Unmarshal(b, &o)
	}
	if err != nil {
		return fmt.Errorf("gqldoc: %s: default order: %w", t.Name, err)
	}
	for _, def := range s.Types {
		for _, f := range def.Fields {
			for _, a := range f.Arguments {
				if a.Name == "orderBy" && a.Type.Name() == gqlType+"Order" {
					a.DefaultValue = &ast.Value{Kind: ast.ObjectValue, Children: ast.ChildValueList{
						{Name: "field", Value: &ast.Value{Kind: ast.EnumValue, Raw: o.Field}},
						{Name: "direction", Value: &ast.Value{Kind: ast.EnumValue, Raw: o.Direction}},
					}}
				}
			}
		}
	}
	return nil
}

// Hook is an entgql schema hook that fills in the descriptions. It fails
// when the ent schema lacks one that no rule can derive (an entity without
// schema.Comment, an enum without an Enum annotation), so that a new
// entity cannot ship undocumented.
func Hook(g *gen.Graph, s *ast.Schema) error {
	describeRelay(s)
	describeDirectives(s)
	if q := s.Types["Query"]; q != nil {
		q.Description = queryDescription
		set(q, "node", "Fetches any object by its global ID. An ID that is unknown, of another organisation "+
			"or hidden from the viewer gives null with NOT_FOUND; a malformed one BAD_USER_INPUT; an object "+
			"whose type the viewer may not read FORBIDDEN.")
		set(q, "nodes", "Fetches objects by their global IDs, in the order given. Each ID that cannot be "+
			"fetched (as for node) gives null at its place and an error at its path; with a single ID, "+
			"the error fails the whole field.")
		if f := q.Fields.ForName("node"); f != nil && len(f.Arguments) == 1 {
			f.Arguments[0].Description = "A global ID, as every object's id gives it."
		}
		if f := q.Fields.ForName("nodes"); f != nil && len(f.Arguments) == 1 {
			f.Arguments[0].Description = "Global IDs, as objects' id give them."
		}
	}
	enums := map[string]*gen.Field{}
	for _, t := range g.Nodes {
		ant, err := entgqlAnnotation(t.Annotations)
		if err != nil {
			return err
		}
		name := t.Name
		if ant.Type != "" {
			name = ant.Type
		}
		def := s.Types[name]
		if def == nil {
			continue // skipped (entgql.Skip)
		}
		if err := describeType(t, def); err != nil {
			return err
		}
		if err := collectEnums(t, name, enums); err != nil {
			return err
		}
		describeConnection(s, name)
		if err := setDefaultOrder(t, name, s); err != nil {
			return err
		}
		if err := describeOrderField(t, s.Types[name+"OrderField"]); err != nil {
			return err
		}
		if err := describeWhereInput(t, name, s.Types[name+"WhereInput"]); err != nil {
			return err
		}
	}
	if err := describeEnums(s, enums); err != nil {
		return err
	}
	for _, def := range s.Types {
		for _, f := range def.Fields {
			describePageArguments(f)
		}
	}
	wrapAll(s)
	return nil
}

const queryDescription = `The entry point of reads. Every request needs a bearer token
(Authorization: Bearer <token>; else HTTP 401, UNAUTHENTICATED) and sees
only its organisation's data. An operation deeper than 12 levels, of
complexity above 10,000 (a connection costs its page size times its
fields), or with more than 400 fields, 30 aliases or 20 directives is
refused before it runs with QUERY_TOO_COMPLEX. Past the per-token rate
limit the answer is HTTP 429, RATE_LIMITED, with Retry-After.`

// describeRelay rewrites the descriptions of the Relay types entgql adds.
func describeRelay(s *ast.Schema) {
	if c := s.Types["Cursor"]; c != nil {
		c.Description = "An opaque position in a connection (an edge's `cursor`, or " +
			"`pageInfo.startCursor`/`endCursor`): pass it back as `after` or `before`, " +
			"with the same `orderBy` and `where`, to read the next or previous page."
	}
	if n := s.Types["Node"]; n != nil {
		n.Description = "An object with a global ID, per the Relay Global Object Identification " +
			"specification: `node(id:)` fetches any of them back."
		if id := n.Fields.ForName("id"); id != nil {
			id.Description = idDescription
		}
	}
}

const idDescription = "The global ID: opaque and stable; `node(id:)` fetches the object back."

// describeDirectives describes gqlgen's code-generation directives, which
// the schema declares for gqlgen and which have no effect on requests.
func describeDirectives(s *ast.Schema) {
	docs := map[string]struct {
		description string
		arguments   map[string]string
	}{
		"goModel": {
			"Code generation (gqlgen): the Go type behind a GraphQL type. No effect on requests.",
			map[string]string{
				"model":         "The Go type, as import/path.Name.",
				"models":        "Several Go types, the first that fits being used.",
				"forceGenerate": "Generate the Go type even when one is bound.",
			},
		},
		"goField": {
			"Code generation (gqlgen): how a field maps to Go. No effect on requests.",
			map[string]string{
				"forceResolver": "Resolve the field with a resolver method rather than a struct field.",
				"name":          "The Go struct field that holds the value.",
				"omittable":     "Tell an absent input field from a null one (absent: unchanged; null: cleared).",
			},
		},
	}
	for name, doc := range docs {
		d := s.Directives[name]
		if d == nil {
			continue
		}
		// entgql shares these definitions between schemas: describe a copy.
		c := *d
		c.Description = doc.description
		c.Arguments = nil
		for _, a := range d.Arguments {
			ca := *a
			ca.Description = doc.arguments[a.Name]
			c.Arguments = append(c.Arguments, &ca)
		}
		s.Directives[name] = &c
	}
}

// describeType gives an entity's object type the text of its
// schema.Comment annotation, and its id field the global ID's.
func describeType(t *gen.Type, def *ast.Definition) error {
	var comment struct{ Text string }
	if err := decode(t.Annotations["Comment"], &comment); err != nil {
		return fmt.Errorf("gqldoc: %s: %w", t.Name, err)
	}
	if strings.TrimSpace(comment.Text) == "" {
		return fmt.Errorf("gqldoc: %s has no schema.Comment annotation to describe it in GraphQL", t.Name)
	}
	def.Description = comment.Text
	if id := def.Fields.ForName("id"); id != nil {
		id.Description = idDescription
	}
	for _, e := range t.Edges {
		// entgql drops the comment of an edge it makes a connection.
		if f := def.Fields.ForName(camel(e.Name)); f != nil && f.Description == "" {
			f.Description = e.Comment()
		}
	}
	return nil
}

// collectEnums finds the GraphQL enum type of each enum field of t.
func collectEnums(t *gen.Type, gqlType string, enums map[string]*gen.Field) error {
	for _, f := range t.Fields {
		if !f.IsEnum() {
			continue
		}
		ant, err := entgqlAnnotation(f.Annotations)
		if err != nil {
			return err
		}
		name := ant.Type
		if name == "" {
			name = gqlType + f.StructField()
		}
		if prev := enums[name]; prev == nil || prev.Annotations[Enum{}.Name()] == nil {
			enums[name] = f
		}
	}
	return nil
}

// describeEnums copies each enum field's Enum annotation onto its type.
func describeEnums(s *ast.Schema, enums map[string]*gen.Field) error {
	for _, name := range sortedKeys(enums) {
		f, def := enums[name], s.Types[name]
		if def == nil {
			continue
		}
		var doc Enum
		if err := decode(f.Annotations[doc.Name()], &doc); err != nil {
			return fmt.Errorf("gqldoc: enum %s: %w", name, err)
		}
		if doc.Description == "" {
			return fmt.Errorf("gqldoc: enum %s (field %s) has no gqldoc.Enum annotation with a description", name, f.Name)
		}
		def.Description = doc.Description
		for _, v := range def.EnumValues {
			v.Description = doc.Values[v.Name]
			if v.Description == "" {
				return fmt.Errorf("gqldoc: enum %s: value %s has no description in its gqldoc.Enum annotation", name, v.Name)
			}
		}
	}
	return nil
}

// describeConnection describes the connection and edge types of a node.
func describeConnection(s *ast.Schema, gqlType string) {
	one, many := words(gqlType), words(plural(gqlType))
	if c := s.Types[gqlType+"Connection"]; c != nil {
		c.Description = fmt.Sprintf("A page of %s (a Relay connection).", many)
		set(c, "edges", fmt.Sprintf("The %s of the page, in order, each with its cursor.", many))
		set(c, "pageInfo", "Where the page stands: cursors to read on, and whether more pages exist.")
		set(c, "totalCount", fmt.Sprintf("How many %s match in all pages together (the filters applied, the page size not). "+
			"Asking for it counts every match, on every page that asks (a large organisation's lists take tenths of a second); "+
			"pageInfo does not need it.", many))
	}
	if e := s.Types[gqlType+"Edge"]; e != nil {
		e.Description = fmt.Sprintf("One %s of a page, with its cursor.", one)
		set(e, "node", fmt.Sprintf("The %s.", one))
		set(e, "cursor", fmt.Sprintf("The position of this %s: pass it as `after` or `before` to page from here.", one))
	}
	if o := s.Types[gqlType+"Order"]; o != nil {
		o.Description = fmt.Sprintf("How to order %s: a field and a direction. Ties are broken by ID, in the same direction.", many)
		set(o, "direction", "ASC (the default) or DESC.")
		set(o, "field", fmt.Sprintf("The field to order %s by.", many))
	}
}

// describeOrderField describes the values of a node's order-field enum:
// each orders by the field whose entgql.OrderField names it.
func describeOrderField(t *gen.Type, def *ast.Definition) error {
	if def == nil {
		return nil
	}
	many := words(plural(def.Name[:len(def.Name)-len("OrderField")]))
	def.Description = fmt.Sprintf("The fields %s can be ordered by.", many)
	byValue := map[string]*gen.Field{}
	for _, f := range t.Fields {
		ant, err := entgqlAnnotation(f.Annotations)
		if err != nil {
			return err
		}
		if ant.OrderField != "" {
			byValue[ant.OrderField] = f
		}
	}
	for _, v := range def.EnumValues {
		f := byValue[v.Name]
		if f == nil {
			return fmt.Errorf("gqldoc: %s.%s orders by no field known to gqldoc", def.Name, v.Name)
		}
		v.Description = fmt.Sprintf("By `%s`.", camel(f.Name))
		if f.Optional {
			v.Description += " Nulls come last in ascending order on PostgreSQL, first on SQLite."
		}
	}
	return nil
}

// describeWhereInput describes the filter input of a node field by field,
// from the predicates ent generated for each field and edge.
func describeWhereInput(t *gen.Type, gqlType string, def *ast.Definition) error {
	if def == nil {
		return nil
	}
	many := words(plural(gqlType))
	def.Description = fmt.Sprintf("Filters %s. Every condition given must hold (they combine with AND); "+
		"and, or and not combine whole filters. The …Contains, …HasPrefix and …HasSuffix conditions are "+
		"case-sensitive on PostgreSQL (SQLite ignores the case of ASCII letters there); the …EqualFold and "+
		"…ContainsFold ones ignore case (SQLite: of ASCII letters only). Accents always count; the search "+
		"field ignores them.", many)
	set(def, "not", fmt.Sprintf("Matches the %s this filter does not match.", many))
	set(def, "and", fmt.Sprintf("Matches the %s that every filter of the list matches.", many))
	set(def, "or", fmt.Sprintf("Matches the %s that at least one filter of the list matches.", many))

	fields := append([]*gen.Field{t.ID}, t.Fields...)
	for _, f := range fields {
		if f.Sensitive() || !f.Type.Comparable() {
			continue
		}
		subject := "`" + camel(f.Name) + "`"
		ant, err := entgqlAnnotation(f.Annotations)
		if err != nil {
			return err
		}
		for _, op := range f.Ops() {
			name := camel(f.Name + "_" + op.Name())
			if op == gen.EQ {
				name = camel(f.Name)
			}
			fd := def.Fields.ForName(name)
			if fd == nil {
				continue
			}
			fd.Description = predicate(subject, f, op)
			if op == gen.EQ && ant.Skip.Is(entgql.SkipType) && f.Comment() != "" {
				// Not a field of the object type: say where it shows.
				fd.Description += " " + f.Comment()
			}
		}
	}
	for _, e := range t.Edges {
		subject := "`" + camel(e.Name) + "`"
		if fd := def.Fields.ForName(camel("has_" + e.Name)); fd != nil {
			if e.Unique {
				fd.Description = fmt.Sprintf("true: %s is set; false: it is not.", subject)
			} else {
				fd.Description = fmt.Sprintf("true: %s has at least one element; false: it has none.", subject)
			}
		}
		if fd := def.Fields.ForName(camel("has_" + e.Name + "_with")); fd != nil {
			if e.Unique {
				fd.Description = fmt.Sprintf("%s is set and matches every filter of the list.", subject)
			} else {
				fd.Description = fmt.Sprintf("At least one element of %s matches every filter of the list.", subject)
			}
		}
	}
	return nil
}

// predicate describes the condition of op on field f.
func predicate(subject string, f *gen.Field, op gen.Op) string {
	var (
		isTime = f.Type.Type == field.TypeTime
		isText = f.Type.Type == field.TypeString
		after  = "is greater than"
		before = "is less than"
		value  = "the given value"
	)
	switch {
	case isTime:
		after, before, value = "is after", "is before", "the given time"
	case isText:
		after, before, value = "sorts after", "sorts before", "the given text"
	}
	nulls := ""
	if f.Optional {
		nulls = " A null " + subject + " does not match."
	}
	switch op {
	case gen.EQ:
		return fmt.Sprintf("%s equals %s.", subject, value)
	case gen.NEQ:
		return fmt.Sprintf("%s differs from %s.%s", subject, value, nulls)
	case gen.In:
		return fmt.Sprintf("%s is one of the given values.", subject)
	case gen.NotIn:
		return fmt.Sprintf("%s is none of the given values.%s", subject, nulls)
	case gen.GT:
		return fmt.Sprintf("%s %s %s.", subject, after, value)
	case gen.GTE:
		return fmt.Sprintf("%s %s or equals %s.", subject, after, value)
	case gen.LT:
		return fmt.Sprintf("%s %s %s.", subject, before, value)
	case gen.LTE:
		return fmt.Sprintf("%s %s or equals %s.", subject, before, value)
	case gen.IsNil:
		return fmt.Sprintf("true: %s is null (false adds no condition).", subject)
	case gen.NotNil:
		return fmt.Sprintf("true: %s is not null (false adds no condition).", subject)
	case gen.EqualFold:
		return fmt.Sprintf("%s equals the given text, ignoring case.", subject)
	case gen.Contains:
		return fmt.Sprintf("%s contains the given text.", subject)
	case gen.ContainsFold:
		return fmt.Sprintf("%s contains the given text, ignoring case.", subject)
	case gen.HasPrefix:
		return fmt.Sprintf("%s starts with the given text.", subject)
	case gen.HasSuffix:
		return fmt.Sprintf("%s ends with the given text.", subject)
	}
	return fmt.Sprintf("%s: the %s condition.", subject, op.Name())
}

// describePageArguments describes the page arguments of a connection
// field, with the limits the server applies.
func describePageArguments(f *ast.FieldDefinition) {
	if f.Type == nil || !strings.HasSuffix(f.Type.Name(), "Connection") || f.Arguments.ForName("first") == nil {
		return
	}
	for _, a := range f.Arguments {
		if d, ok := PageArguments[a.Name]; ok {
			a.Description = d
		}
	}
	if a := f.Arguments.ForName("orderBy"); a != nil {
		a.Description = "How to order the elements; by ID (ascending) when absent."
	}
	if a := f.Arguments.ForName("where"); a != nil {
		a.Description = "Conditions the elements must meet; all elements when absent."
	}
}

// PageArguments are the descriptions of the page arguments of every
// connection field, generated or hand-written.
var PageArguments = map[string]string{
	"first": fmt.Sprintf("Returns the first n elements, 0 to %d (else BAD_USER_INPUT); "+
		"%d when neither first nor last is given.", MaxPageSize, DefaultPageSize),
	"after": "Returns the elements after this cursor (an edge's `cursor` or `pageInfo.endCursor`).",
	"last": fmt.Sprintf("Returns the last n elements (of those before `before`, if given), "+
		"0 to %d (else BAD_USER_INPUT).", MaxPageSize),
	"before": "Returns the elements before this cursor (an edge's `cursor` or `pageInfo.startCursor`).",
}

// set sets the description of def's field name, if def has one.
func set(def *ast.Definition, name, description string) {
	if f := def.Fields.ForName(name); f != nil {
		f.Description = description
	}
}

// entgqlAnnotation decodes the entgql annotation of an ent type or field.
func entgqlAnnotation(ants gen.Annotations) (*entgql.Annotation, error) {
	ant := &entgql.Annotation{}
	if ants == nil || ants[ant.Name()] == nil {
		return ant, nil
	}
	return ant, ant.Decode(ants[ant.Name()])
}

// decode decodes an annotation (as entc loads it: decoded JSON) into v.
func decode(annotation, v any) error {
	if annotation == nil {
		return nil
	}
	buf, err := json.Marshal(annotation)
	if err != nil {
		return err
	}
	return json.Unmarshal(buf, v)
}

var (
	camel  = gen.Funcs["camel"].(func(string) string)
	plural = gen.Funcs["plural"].(func(string) string)
)

// words turns a Go or GraphQL type name into lower-case words:
// ThirdParties → third parties.
func words(name string) string {
	var b strings.Builder
	for i, r := range name {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte(' ')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// wrapAll wraps the one-line descriptions of the schema at lineWidth, as
// the hand-written schema is: descriptions are Markdown, where a line
// break inside a paragraph is a space.
func wrapAll(s *ast.Schema) {
	for _, def := range s.Types {
		def.Description = wrap(def.Description)
		for _, f := range def.Fields {
			f.Description = wrap(f.Description)
			for _, a := range f.Arguments {
				a.Description = wrap(a.Description)
			}
		}
		for _, v := range def.EnumValues {
			v.Description = wrap(v.Description)
		}
	}
	for _, d := range s.Directives {
		d.Description = wrap(d.Description)
		for _, a := range d.Arguments {
			a.Description = wrap(a.Description)
		}
	}
}

// lineWidth is the longest line of a wrapped description.
const lineWidth = 72

// wrap breaks a one-line text into lines of lineWidth characters at most
// (a longer word stays whole); text with line breaks is left as written.
func wrap(text string) string {
	if strings.Contains(text, "\n") {
		return text
	}
	var b strings.Builder
	n := 0
	for _, w := range strings.Fields(text) {
		l := utf8.RuneCountInString(w)
		switch {
		case n == 0:
		case n+1+l > lineWidth:
			b.WriteByte('\n')
			n = 0
		default:
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += l
	}
	return b.String()
}

// sortedKeys returns the keys of m in order (for stable error messages).
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
