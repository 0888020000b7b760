package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"carnet/ent/schema/enum"
	"carnet/ent/schema/gqldoc"
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
// shown in GraphQL through the Address object only, at path (which the
// filters' descriptions name).
func addressPart(name string, maxLen int, path string) ent.Field {
	return field.String(name).Optional().Nillable().MaxLen(utf8Bytes(maxLen)).
		Comment("The object shows it as `" + path + "`.").
		Annotations(entgql.Skip(entgql.SkipType))
}

// Fields of the ThirdParty.
func (ThirdParty) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").
			GoType(enum.ThirdPartyKind("")).
			Annotations(entgql.Type("ThirdPartyKind"), gqldoc.Enum{
				Description: "The kind of a third party.",
				Values: map[string]string{
					"CLIENT":   "A client: integrated by the back office (upsertClient, by its code), ACTIVE or CLOSED.",
					"PROSPECT": "A prospect: created by sales reps (createProspect), DRAFT then VALIDATED; upsertClient with its prospectId turns it into a client.",
					"SUPPLIER": "A supplier (createThirdParty), ACTIVE.",
					"OTHER":    "Any other third party (createThirdParty), ACTIVE.",
				},
			}).
			Comment("Client, prospect, supplier or other third party."),
		field.Enum("status").
			Values("DRAFT", "VALIDATED", "ACTIVE", "CLOSED").
			Annotations(gqldoc.Enum{
				Description: "Where a third party stands: prospects are DRAFT then VALIDATED; clients ACTIVE or CLOSED; suppliers and others ACTIVE.",
				Values: map[string]string{
					"DRAFT":     "A prospect as created, not yet validated.",
					"VALIDATED": "A prospect validated by validateProspect (right 191515).",
					"ACTIVE":    "A client in business, or any supplier or other third party.",
					"CLOSED":    "A closed client (upsertClient with closed: true): it and its contacts are seen only with right 191516.",
				},
			}).
			Comment("Prospects are DRAFT then VALIDATED; clients ACTIVE or CLOSED; suppliers and others ACTIVE."),
		field.Int("version").
			Default(1).
			Comment("Incremented by every change; updates give the version they were made on (optimistic locking)."),
		optionalText("code", 50, "Client code of the back office (50 characters at most), unique within the organisation.",
			entgql.OrderField("CODE")),
		field.String("name").
			NotEmpty().
			MaxLen(utf8Bytes(200)).
			Annotations(entgql.OrderField("NAME")).
			Comment("Calling name (nom d'appel), used day to day (200 characters at most)."),
		optionalText("legal_name", 200, "Legal name (raison sociale), 200 characters at most."),
		optionalText("siren", 9, "SIREN, the 9-digit company number (Luhn checksum checked)."),
		optionalText("siret", 14, "SIRET of the establishment, 14 digits starting with the SIREN (checksum checked)."),
		optionalText("ape_code", 6, "APE/NAF activity code, written 62.01Z."),
		optionalText("vat_number", 20, "Intra-community VAT number, upper-case without separators (FR + key + SIREN for a French company)."),
		addressPart("address_line1", 200, "address.line1"),
		addressPart("address_line2", 200, "address.line2"),
		addressPart("address_line3", 200, "address.line3"),
		addressPart("postal_code", 20, "address.postalCode"),
		addressPart("city", 100, "address.city"),
		addressPart("country", 2, "address.country"),
		optionalText("phone", 20, "Switchboard phone number, E.164 (e.g. +33123456789)."),
		optionalText("email", 254, "Generic e-mail address (254 characters at most)."),
		optionalText("website", 500, "Website: an http(s) URL of 500 characters at most."),
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
		field.String("name_key").
			Default("").
			Annotations(entgql.Skip()).
			Comment("The name as the duplicate rules compare it (duplicates.NameKey: folded words without legal forms, sorted), set by duplicates.NameKeyHook."),
		field.String("name_key_reversed").
			Default("").
			Annotations(entgql.Skip()).
			Comment("name_key read backwards: one typo near the start of a name leaves its end intact, found by prefix on this column."),
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
			Comment("Contacts (people) of the third party, by ID unless orderBy says otherwise."),
		edge.From("activities", Activity.Type).
			Ref("third_party").
			Annotations(entgql.RelayConnection()).
			Comment("Every activity that concerns the record: its own, its contacts' and those logged from its opportunities. " +
				"Newest first (by date, or the creation time when there is none; then the latest recorded) unless orderBy says otherwise; " +
				"`where` narrows them (e.g. `{hasContactWith: {id: …}}`, `{hasOpportunityWith: {id: …}}`, `typeIn`, `dateGTE`/`dateLT`)."),
	}
}

// Mixin of the ThirdParty.
func (ThirdParty) Mixin() []ent.Mixin {
	return []ent.Mixin{TenantMixin{}, TimeMixin{}}
}

// Indexes of the ThirdParty. Each order field of the API has an index
// (organisation_id, field, id): a page ORDER BY field, id (id breaks
// ties, in the same direction) with a LIMIT is then read from the index
// in either direction, without sorting the organisation
// (docs/DESIGN.md, "List pages").
func (ThirdParty) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("organisation_id", "code").Unique(),
		index.Fields("organisation_id", "kind", "status"),
		index.Fields("organisation_id", "code", "id"),
		// Codes belong to clients and suppliers only: a kind filter
		// with CODE order would read every other kind's entries first.
		index.Fields("organisation_id", "kind", "code", "id"),
		index.Fields("organisation_id", "name", "id"),
		index.Fields("organisation_id", "updated_at", "id"),
		index.Fields("organisation_id", "created_at", "id"),
		index.Fields("organisation_id", "siren"),
		// Duplicate look-ups and the stewards' report (internal/duplicates):
		// each exact key per organisation, the name key with the postal code.
		index.Fields("organisation_id", "siret"),
		index.Fields("organisation_id", "vat_number"),
		index.Fields("organisation_id", "email"),
		index.Fields("organisation_id", "phone"),
		index.Fields("organisation_id", "name_key", "postal_code"),
		index.Fields("organisation_id", "name_key_reversed"),
		index.Fields("owner_id"),
		index.Fields("organisation_id", "network_id"),
	}
}

// Annotations of the ThirdParty.
func (ThirdParty) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("A third party (tiers): a client, a prospect, a supplier or another. Read with right 100001 (or the back office's 100005); " +
			"closed clients only with 191516. Prospects come from createProspect (right 100002), clients from the back office's upsertClient (100005), " +
			"suppliers and others from createThirdParty (100005 or 100009). Every change increments version (optimistic locking)."),
		entgql.RelayConnection(),
		entgql.QueryField("thirdParties").Description("Third parties of the organisation the viewer may read (right 100001 or 100005, else FORBIDDEN; " +
			"closed clients only with 191516), filtered by where and ordered by orderBy. A whole filiation group: where: {inFiliationNetworkOf: ID}."),
	}
}
