package schema

import (
	"carnet/ent/schema/enum"

	"regexp"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// CustomFieldDefinition declares a custom field that an organisation adds
// to the records of one kind of third party.
type CustomFieldDefinition struct {
	ent.Schema
}

// Fields of the CustomFieldDefinition.
func (CustomFieldDefinition) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("target").
			GoType(enum.ThirdPartyKind("")).
			Annotations(entgql.Type("ThirdPartyKind")).
			Comment("The kind of third party whose records carry the field."),
		field.String("key").
			Match(regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)).
			Comment("Machine name: lower-case letters, digits and underscores, 40 at most."),
		field.String("label").
			NotEmpty().
			MaxLen(utf8Bytes(100)).
			Comment("Label shown to users."),
		field.Enum("type").
			Values("TEXT", "NUMBER", "BOOLEAN", "DATE", "CHOICE").
			Annotations(entgql.Type("CustomFieldType")).
			Comment("Type of the values: TEXT, NUMBER, BOOLEAN, DATE (YYYY-MM-DD) or CHOICE (one of choices)."),
		field.Bool("required").
			Default(false).
			Comment("A record of the target kind cannot be saved without a value."),
		field.Strings("choices").
			Optional().
			Comment("Allowed values of a CHOICE field."),
	}
}

// Mixin of the CustomFieldDefinition.
func (CustomFieldDefinition) Mixin() []ent.Mixin {
	return []ent.Mixin{TenantMixin{}, TimeMixin{}}
}

// Indexes of the CustomFieldDefinition.
func (CustomFieldDefinition) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("organisation_id", "target", "key").Unique(),
	}
}

// Annotations of the CustomFieldDefinition.
func (CustomFieldDefinition) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField),
	}
}
