package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// Token is a bearer token of a user. Only the SHA-256 of the secret is
// stored; the secret is shown once, when the token is created.
type Token struct {
	ent.Schema
}

// Fields of the Token.
func (Token) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").
			Optional().
			MaxLen(utf8Bytes(200)).
			Comment("What the token is for."),
		field.String("hash").
			NotEmpty().
			Unique().
			Immutable().
			Sensitive().
			Annotations(entgql.Skip()),
		field.Int("user_id").
			Immutable().
			Annotations(entgql.Skip()),
		field.Time("expires_at").
			Optional().
			Nillable().
			Comment("When the token stops working; null: never."),
		field.Time("revoked_at").
			Optional().
			Nillable().
			Comment("When the token was revoked; null: not revoked."),
		field.Time("last_used_at").
			Optional().
			Nillable().
			Comment("Last time the token authenticated a request (to the minute)."),
	}
}

// Edges of the Token.
func (Token) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("user", User.Type).
			Field("user_id").
			Unique().
			Required().
			Immutable().
			Comment("The user the token authenticates."),
	}
}

// Mixin of the Token.
func (Token) Mixin() []ent.Mixin {
	return []ent.Mixin{TenantMixin{}, TimeMixin{}}
}

// Annotations of the Token.
func (Token) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("A bearer token of a user. Only a hash of the secret is stored: the secret is shown once, by createToken. " +
			"Users see their own tokens; right 100009 sees everyone's."),
		entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField),
	}
}
