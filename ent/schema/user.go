package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// User is a person who uses Carnet, logged in to one company of the
// organisation, holding a set of rights.
type User struct {
	ent.Schema
}

// Fields of the User.
func (User) Fields() []ent.Field {
	return []ent.Field{
		field.String("email").
			NotEmpty().
			MaxLen(utf8Bytes(254)).
			Comment("E-mail address, unique within the organisation."),
		field.String("name").
			NotEmpty().
			MaxLen(utf8Bytes(200)).
			Comment("Display name (200 characters at most)."),
		field.Int("company_id").
			Annotations(entgql.Skip()),
		field.JSON("rights", []int{}).
			Default([]int{}).
			Annotations(entgql.Skip()),
	}
}

// Edges of the User.
func (User) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("company", Company.Type).
			Field("company_id").
			Unique().
			Required().
			Comment("The login company."),
		edge.From("tokens", Token.Type).
			Ref("user").
			Annotations(entgql.Skip()),
	}
}

// Mixin of the User.
func (User) Mixin() []ent.Mixin {
	return []ent.Mixin{TenantMixin{}, TimeMixin{}}
}

// Indexes of the User.
func (User) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("organisation_id", "email").Unique(),
	}
}

// Annotations of the User.
func (User) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("A person who uses Carnet: logged in to one company of the organisation, holding rights (numeric codes, see rights). " +
			"Anyone reads the users that records lead to (authors, owners); right 100009 lists, creates and changes them."),
		entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField),
	}
}
