package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Company is a company (société) of an organisation. Users log in to one
// company; the shared company's link types are offered to everyone.
type Company struct {
	ent.Schema
}

// Fields of the Company.
func (Company) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").
			NotEmpty().
			MaxLen(utf8Bytes(200)).
			Comment("Name of the company (200 characters at most), unique within the organisation."),
		field.Bool("shared").
			Default(false).
			Comment("The shared (group) company, the seed's \"société *****\": at most one per organisation."),
	}
}

// Mixin of the Company.
func (Company) Mixin() []ent.Mixin {
	return []ent.Mixin{TenantMixin{}, TimeMixin{}}
}

// Indexes of the Company.
func (Company) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("organisation_id", "name").Unique(),
	}
}

// Annotations of the Company.
func (Company) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("A company (société) of the organisation. Every user logs in to one; link types belong to a company, " +
			"and those of the shared (group) company are offered to every user. Everyone reads them; right 100009 creates them."),
		entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField),
	}
}
