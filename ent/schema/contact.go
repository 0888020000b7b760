package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Contact is a person attached to a third party.
type Contact struct {
	ent.Schema
}

// Fields of the Contact.
func (Contact) Fields() []ent.Field {
	return []ent.Field{
		// Changed only by a merge of third parties (internal/merge), which
		// moves the contact's activities, documents and opportunities too.
		field.Int("third_party_id").
			Annotations(entgql.Skip()),
		field.Int("version").
			Default(1).
			Comment("Incremented by every change; updates give the version they were made on (optimistic locking)."),
		optionalText("civility", 20, "Civility (M., Mme, Dr…), 20 characters at most."),
		optionalText("first_name", 100, "First name (100 characters at most).", entgql.OrderField("FIRST_NAME")),
		field.String("last_name").
			NotEmpty().
			MaxLen(utf8Bytes(100)).
			Annotations(entgql.OrderField("LAST_NAME")).
			Comment("Last name (100 characters at most)."),
		optionalText("job_title", 100, "Job title (100 characters at most)."),
		optionalText("direct_line", 20, "Direct line, E.164 (e.g. +33123456789)."),
		optionalText("mobile", 20, "Mobile phone, E.164 (e.g. +33612345678)."),
		optionalText("email", 254, "E-mail address (254 characters at most)."),
		field.JSON("custom_fields", map[string]any{}).
			Optional().
			Annotations(entgql.Skip()),
	}
}

// Edges of the Contact.
func (Contact) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("third_party", ThirdParty.Type).
			Field("third_party_id").
			Unique().
			Required().
			Comment("The third party the contact belongs to."),
		edge.From("opportunities", Opportunity.Type).
			Ref("contacts").
			Annotations(entgql.Skip()),
		edge.From("activities", Activity.Type).
			Ref("contact").
			Annotations(entgql.RelayConnection()).
			Comment("The activities that name the contact, newest first (as ThirdParty.activities)."),
	}
}

// Mixin of the Contact.
func (Contact) Mixin() []ent.Mixin {
	return []ent.Mixin{TenantMixin{}, TimeMixin{}}
}

// Indexes of the Contact: one (organisation_id, field, id) per order
// field, as for ThirdParty.
func (Contact) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("organisation_id", "last_name", "id"),
		index.Fields("organisation_id", "first_name", "id"),
		index.Fields("organisation_id", "updated_at", "id"),
		index.Fields("organisation_id", "created_at", "id"),
		index.Fields("third_party_id"),
		// Duplicate look-ups and the stewards' report (internal/duplicates).
		index.Fields("organisation_id", "email"),
		index.Fields("organisation_id", "mobile"),
		index.Fields("organisation_id", "direct_line"),
	}
}

// Annotations of the Contact.
func (Contact) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("A person at a prospect or a client. Read with right 100001 (or 100005); the contacts of a closed client only with 191516. " +
			"Created and changed with right 100002, deleted with 100003; every change increments version (optimistic locking)."),
		entgql.RelayConnection(),
		entgql.QueryField("contacts").Description("Contacts of the organisation the viewer may read (right 100001 or 100005, else FORBIDDEN; " +
			"those of closed clients only with 191516), filtered by where and ordered by orderBy."),
	}
}
