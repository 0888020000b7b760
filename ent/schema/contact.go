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
		field.Int("third_party_id").
			Immutable().
			Annotations(entgql.Skip()),
		field.Int("version").
			Default(1).
			Comment("Incremented by every change; updates give the version they were made on (optimistic locking)."),
		optionalText("civility", 20, "Civility (M., Mme, Dr…)."),
		optionalText("first_name", 100, "First name.", entgql.OrderField("FIRST_NAME")),
		field.String("last_name").
			NotEmpty().
			MaxLen(utf8Bytes(100)).
			Annotations(entgql.OrderField("LAST_NAME")).
			Comment("Last name."),
		optionalText("job_title", 100, "Job title."),
		optionalText("direct_line", 20, "Direct line, E.164."),
		optionalText("mobile", 20, "Mobile phone, E.164."),
		optionalText("email", 254, "E-mail address."),
	}
}

// Edges of the Contact.
func (Contact) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("third_party", ThirdParty.Type).
			Field("third_party_id").
			Unique().
			Required().
			Immutable().
			Comment("The third party the contact belongs to."),
		edge.From("opportunities", Opportunity.Type).
			Ref("contacts").
			Annotations(entgql.Skip()),
	}
}

// Mixin of the Contact.
func (Contact) Mixin() []ent.Mixin {
	return []ent.Mixin{TenantMixin{}, TimeMixin{}}
}

// Indexes of the Contact.
func (Contact) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("organisation_id", "last_name"),
		index.Fields("third_party_id"),
	}
}

// Annotations of the Contact.
func (Contact) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField("contacts").Description("Contacts of the organisation, filtered and ordered."),
	}
}
