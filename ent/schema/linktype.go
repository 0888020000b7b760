package schema

import (
	"regexp"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// LinkType is a type of management or filiation link, defined by a
// company. Users are offered the types of their login company and of the
// shared company.
type LinkType struct {
	ent.Schema
}

// Fields of the LinkType.
func (LinkType) Fields() []ent.Field {
	return []ent.Field{
		field.String("code").
			Match(regexp.MustCompile(`^[A-Z0-9_]{1,30}$`)).
			Comment("Code, e.g. DONORDRE, CL_A_FACT, SITE_LIV: upper-case letters, digits and underscores."),
		field.String("label").
			NotEmpty().
			MaxLen(utf8Bytes(100)).
			Comment("Label shown to users."),
		field.Enum("category").
			Values("MANAGEMENT", "FILIATION").
			Annotations(entgql.Type("LinkCategory")).
			Comment("MANAGEMENT (ordering party, bill-to, delivery site…) or FILIATION (group structure)."),
		field.Enum("direction").
			Values("UP", "DOWN", "TRANSVERSE").
			Optional().
			Nillable().
			Annotations(entgql.Type("LinkDirection")).
			Comment("For a FILIATION type, where the linked third party stands: UP (above: parent, head office), DOWN (below: subsidiary, branch) or TRANSVERSE (beside: partner). Null for MANAGEMENT types."),
		field.Int("company_id").
			Immutable().
			Annotations(entgql.Skip()),
	}
}

// Edges of the LinkType.
func (LinkType) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("company", Company.Type).
			Field("company_id").
			Unique().
			Required().
			Immutable().
			Comment("The company that defines the type."),
	}
}

// Mixin of the LinkType.
func (LinkType) Mixin() []ent.Mixin {
	return []ent.Mixin{TenantMixin{}, TimeMixin{}}
}

// Indexes of the LinkType.
func (LinkType) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("organisation_id", "company_id", "code").Unique(),
	}
}

// Annotations of the LinkType.
func (LinkType) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField)}
}
