package schema

import (
	"carnet/ent/schema/enum"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// ThirdParty is a "tiers": a client, prospect, supplier or other third
// party of the organisation.
type ThirdParty struct {
	ent.Schema
}

// optionalText is a nullable text field of a record, visible in GraphQL.
func optionalText(name string, maxLen int, comment string, ann ...schema.Annotation) ent.Field {
	return field.String(name).Optional().Nillable().MaxLen(utf8Bytes(maxLen)).Comment(comment).Annotations(ann...)
}

// addressPart is a nullable part of the postal address: filterable, but
// shown in GraphQL through the Address object only.
func addressPart(name string, maxLen int) ent.Field {
	return field.String(name).Optional().Nillable().MaxLen(utf8Bytes(maxLen)).
		Annotations(entgql.Skip(entgql.SkipType))
}

// Fields of the ThirdParty.
func (ThirdParty) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").
			GoType(enum.ThirdPartyKind("")).
			Annotations(entgql.Type("ThirdPartyKind")).
			Comment("Client, prospect, supplier or other third party."),
		field.Enum("status").
			Values("DRAFT", "VALIDATED", "ACTIVE", "CLOSED").
			Comment("Prospects are DRAFT then VALIDATED; clients ACTIVE or CLOSED; suppliers and others ACTIVE."),
		field.Int("version").
			Default(1).
			Comment("Incremented by every change; updates give the version they were made on (optimistic locking)."),
		optionalText("code", 50, "Client code of the back office, unique within the organisation.",
			entgql.OrderField("CODE")),
		field.String("name").
			NotEmpty().
			MaxLen(utf8Bytes(200)).
			Annotations(entgql.OrderField("NAME")).
			Comment("Calling name (nom d'appel), used day to day."),
		optionalText("legal_name", 200, "Legal name (raison sociale)."),
		optionalText("siren", 9, "SIREN, 9 digits."),
		optionalText("siret", 14, "SIRET of the establishment, 14 digits."),
		optionalText("ape_code", 6, "APE/NAF activity code, format 62.01Z."),
		optionalText("vat_number", 20, "Intra-community VAT number."),
		addressPart("address_line1", 200),
		addressPart("address_line2", 200),
		addressPart("address_line3", 200),
		addressPart("postal_code", 20),
		addressPart("city", 100),
		addressPart("country", 2),
		optionalText("phone", 20, "Switchboard phone number, E.164."),
		optionalText("email", 254, "Generic e-mail address."),
		optionalText("website", 500, "Web site URL."),
		field.Int("owner_id").
			Optional().
			Nillable().
			Annotations(entgql.Skip()),
		field.Int("network_id").
			Optional().
			Nillable().
			Annotations(entgql.Skip()).
			Comment("The filiation network (connected component) the third party belongs to: the smallest ID of its members; null when it has no filiation link."),
		field.JSON("custom_fields", map[string]any{}).
			Optional().
			Annotations(entgql.Skip()),
	}
}

// Edges of the ThirdParty.
func (ThirdParty) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("owner", User.Type).
			Field("owner_id").
			Unique().
			Comment("The sales rep in charge of the record."),
		edge.From("contacts", Contact.Type).
			Ref("third_party").
			Annotations(entgql.RelayConnection()).
			Comment("Contacts (people) of the third party."),
	}
}

// Mixin of the ThirdParty.
func (ThirdParty) Mixin() []ent.Mixin {
	return []ent.Mixin{TenantMixin{}, TimeMixin{}}
}

// Indexes of the ThirdParty.
func (ThirdParty) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("organisation_id", "code").Unique(),
		index.Fields("organisation_id", "kind", "status"),
		index.Fields("organisation_id", "name"),
		index.Fields("organisation_id", "updated_at"),
		index.Fields("organisation_id", "siren"),
		index.Fields("owner_id"),
		index.Fields("organisation_id", "network_id"),
	}
}

// Annotations of the ThirdParty.
func (ThirdParty) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField("thirdParties").Description("Third parties of the organisation, filtered and ordered."),
	}
}
