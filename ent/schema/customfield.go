package schema

import (
	"regexp"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"carnet/ent/schema/enum"
	"carnet/ent/schema/gqldoc"
)

// CustomFieldDefinition declares a custom field that an organisation adds
// to the records of one kind of third party, or to their contacts.
type CustomFieldDefinition struct {
	ent.Schema
}

// Fields of the CustomFieldDefinition.
func (CustomFieldDefinition) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("entity").
			Values("THIRD_PARTY", "CONTACT").
			Default("THIRD_PARTY").
			Immutable().
			Annotations(entgql.Type("CustomFieldEntity"), gqldoc.Enum{
				Description: "The records a custom field is drawn on.",
				Values: map[string]string{
					"THIRD_PARTY": "The third parties of the definition's target kind (ThirdParty.customFields).",
					"CONTACT":     "The contacts of the third parties of the definition's target kind, PROSPECT or CLIENT (Contact.customFields).",
				},
			}).
			Comment("The records that carry the field: THIRD_PARTY (the records of kind target) or CONTACT (the contacts of the records of kind target)."),
		field.Enum("target").
			GoType(enum.ThirdPartyKind("")).
			Annotations(entgql.Type("ThirdPartyKind")).
			Comment("The kind of third party whose records (entity THIRD_PARTY), or whose records' contacts (entity CONTACT), carry the field."),
		field.String("key").
			Match(regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)).
			Comment("Machine name: lower-case letters, digits and underscores, 40 at most."),
		field.String("label").
			NotEmpty().
			MaxLen(utf8Bytes(100)).
			Comment("Label shown to users (100 characters at most)."),
		field.Enum("type").
			Values("TEXT", "NUMBER", "BOOLEAN", "DATE", "CHOICE").
			Annotations(entgql.Type("CustomFieldType"), gqldoc.Enum{
				Description: "The type of a custom field's values, which the API reads and writes as text.",
				Values: map[string]string{
					"TEXT":    "Free text, 1,000 characters at most.",
					"NUMBER":  "A decimal number, such as 12.5 (read back in shortest form).",
					"BOOLEAN": "true or false (1, 0, t, f, TRUE and FALSE are also accepted; read back as true or false).",
					"DATE":    "A calendar day, YYYY-MM-DD.",
					"CHOICE":  "One of the definition's choices, exactly as written there.",
				},
			}).
			Comment("Type of the values: TEXT, NUMBER, BOOLEAN, DATE (YYYY-MM-DD) or CHOICE (one of choices)."),
		field.Bool("required").
			Default(false).
			Comment("A value is required: createProspect, createContact, and updateThirdParty or updateContact when their input has customFields, refuse a record without one (BAD_USER_INPUT). The back-office path (upsertClient, createThirdParty) does not check it."),
		field.Strings("choices").
			Optional().
			Comment("Allowed values of a CHOICE field; empty for other types."),
	}
}

// Mixin of the CustomFieldDefinition.
func (CustomFieldDefinition) Mixin() []ent.Mixin {
	return []ent.Mixin{TenantMixin{}, TimeMixin{}}
}

// Indexes of the CustomFieldDefinition.
func (CustomFieldDefinition) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("organisation_id", "entity", "target", "key").Unique(),
	}
}

// Annotations of the CustomFieldDefinition.
func (CustomFieldDefinition) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("A custom field that the organisation adds to the records of one kind of third party, or to their contacts; " +
			"the values are in ThirdParty.customFields and Contact.customFields. Everyone reads the definitions; right 100009 defines them (defineCustomField)."),
		entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField),
	}
}
