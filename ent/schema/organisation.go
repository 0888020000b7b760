package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
)

// Organisation is a tenant: nothing of one organisation is visible to
// another. It holds the feature flags and the settings of the tenant.
type Organisation struct {
	ent.Schema
}

// Fields of the Organisation.
func (Organisation) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").
			NotEmpty().
			MaxLen(utf8Bytes(200)).
			Comment("Display name of the organisation."),
		field.Bool("management_links_enabled").
			Default(true).
			Annotations(entgql.Skip()),
		field.Bool("filiation_links_enabled").
			Default(true).
			Annotations(entgql.Skip()),
		field.Bool("sirene_enabled").
			Optional().
			Nillable().
			Annotations(entgql.Skip()).
			Comment("Null until configureSirene: the process's default connection applies."),
		field.String("sirene_base_url").
			Optional().
			Annotations(entgql.Skip()),
		field.String("sirene_api_key").
			Optional().
			Sensitive().
			Annotations(entgql.Skip()),
		field.String("language").
			Default("fr").
			Annotations(entgql.Skip()).
			Comment("Language of labels and messages when a request sends no Accept-Language, and of printed sheets: fr or en (internal/lang)."),
		field.Enum("duplicate_policy").
			Values("WARN", "BLOCK_EXACT").
			Default("WARN").
			Annotations(entgql.Skip()).
			Comment("What a likely duplicate does to a creation (internal/duplicates): WARN creates it with a warning; BLOCK_EXACT refuses the same SIREN or SIRET."),
		field.Int("retention_months").
			Default(36).
			Comment("The retention report lists contacts with no activity and no change for this many months (setRetentionMonths, right 100009; 36 by default)."),
	}
}

// Mixin of the Organisation.
func (Organisation) Mixin() []ent.Mixin {
	return []ent.Mixin{TimeMixin{}}
}

// Annotations of the Organisation.
func (Organisation) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("A tenant: its users see nothing of any other organisation. It holds the feature flags and the SIRENE settings; " +
			"a viewer sees their own organisation only, and right 100009 changes it."),
		entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField),
	}
}
