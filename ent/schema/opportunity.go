package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Opportunity is a deal in the sales pipeline with a third party: the
// portfolio and the signing calendar lead to records from it.
type Opportunity struct {
	ent.Schema
}

// Fields of the Opportunity.
func (Opportunity) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").
			NotEmpty().
			MaxLen(utf8Bytes(200)).
			Annotations(entgql.OrderField("NAME")).
			Comment("Name of the deal (200 characters at most)."),
		field.Float("amount").
			Optional().
			Nillable().
			Annotations(entgql.OrderField("AMOUNT")).
			Comment("Expected amount, in currency (0 or more)."),
		field.String("currency").
			Default("EUR").
			Comment("ISO 4217 currency code (default EUR)."),
		field.String("stage").
			Optional().
			Nillable().
			Comment("Stage in the pipeline, free text of 50 characters at most, e.g. Qualification, Proposition, Négociation, Gagnée, Perdue."),
		field.Int("probability").
			Optional().
			Nillable().
			Comment("Probability of signing, 0 to 100 (%)."),
		field.Time("expected_signing_date").
			Optional().
			Nillable().
			Annotations(entgql.Type("Date"), entgql.OrderField("EXPECTED_SIGNING_DATE")).
			Comment("Expected signing date, a calendar day (the signing calendar)."),
		field.Int("third_party_id").Annotations(entgql.Skip()),
		field.Int("owner_id").Optional().Nillable().Annotations(entgql.Skip()),
	}
}

// Edges of the Opportunity.
func (Opportunity) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("third_party", ThirdParty.Type).Field("third_party_id").Unique().Required().
			Comment("The third party of the deal: its record."),
		edge.To("owner", User.Type).Field("owner_id").Unique().
			Comment("The sales rep in charge."),
		edge.To("contacts", Contact.Type).
			Annotations(entgql.Skip()).
			Comment("Contacts involved (of the third party)."),
		edge.From("activities", Activity.Type).
			Ref("opportunity").
			Annotations(entgql.RelayConnection()).
			Comment("The activities logged from the opportunity, newest first (as ThirdParty.activities)."),
	}
}

// Mixin of the Opportunity.
func (Opportunity) Mixin() []ent.Mixin {
	return []ent.Mixin{TenantMixin{}, TimeMixin{}}
}

// Indexes of the Opportunity: one (organisation_id, field, id) per
// order field, as for ThirdParty.
func (Opportunity) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("organisation_id", "expected_signing_date", "id"),
		index.Fields("organisation_id", "name", "id"),
		index.Fields("organisation_id", "amount", "id"),
		index.Fields("organisation_id", "updated_at", "id"),
		index.Fields("organisation_id", "created_at", "id"),
		index.Fields("organisation_id", "owner_id"),
		index.Fields("third_party_id"),
	}
}

// Annotations of the Opportunity.
func (Opportunity) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("A deal in the sales pipeline with a third party. Read like its third party (right 100001 or 100005; " +
			"a closed client's only with 191516); created and changed with right 100002, deleted with 100003."),
		entgql.RelayConnection(),
		entgql.QueryField("opportunities").Description("The opportunities portfolio (where: ownerId, stage, thirdPartyId) and the signing calendar " +
			"(filter and order by expectedSigningDate). Right 100001 or 100005 (else FORBIDDEN); a closed client's only with 191516."),
	}
}
