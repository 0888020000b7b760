package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/mixin"
)

// TenantMixin makes an entity belong to one organisation. Its policy
// (policy.go) filters every query and mutation by the viewer's
// organisation and stamps the organisation on creation, so tenant
// isolation never depends on a Where remembered in a resolver.
type TenantMixin struct {
	mixin.Schema
}

// Fields of the TenantMixin.
func (TenantMixin) Fields() []ent.Field {
	return []ent.Field{
		field.Int("organisation_id").
			Immutable().
			Annotations(entgql.Skip()),
	}
}

// Edges of the TenantMixin.
func (TenantMixin) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("organisation", Organisation.Type).
			Field("organisation_id").
			Unique().
			Required().
			Immutable().
			Annotations(entgql.Skip()),
	}
}

// TimeMixin records when a row was created and last changed.
type TimeMixin struct {
	mixin.Schema
}

// Fields of the TimeMixin.
func (TimeMixin) Fields() []ent.Field {
	return []ent.Field{
		field.Time("created_at").
			Default(now).
			Immutable().
			Annotations(entgql.OrderField("CREATED_AT")).
			Comment("When the record was created (UTC)."),
		field.Time("updated_at").
			Default(now).
			UpdateDefault(now).
			Annotations(entgql.OrderField("UPDATED_AT")).
			Comment("When the record was last written (UTC)."),
	}
}

// utf8Bytes is the byte length of n characters at most: ent's MaxLen
// counts bytes, while Carnet's limits (checked by the services, with
// clear messages) count characters. This keeps a database-level bound
// without refusing accented text that the services accept.
func utf8Bytes(n int) int { return n * 4 }

// now is the time of a change, in UTC: SQLite stores times as text, which
// sorts and compares right only when every time has the same offset.
func now() time.Time { return time.Now().UTC() }
