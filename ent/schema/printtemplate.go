package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// PrintTemplate is a "modèle d'édition" of kind record sheet: a Go
// html/template over the data model of internal/printing, offered in some
// formats.
type PrintTemplate struct {
	ent.Schema
}

// Fields of the PrintTemplate.
func (PrintTemplate) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").
			NotEmpty().
			MaxLen(utf8Bytes(100)).
			Comment("Name shown to users (100 characters at most), unique within the organisation."),
		field.Strings("formats").
			Annotations(entgql.Skip()),
		field.Text("body").
			Annotations(entgql.Skip(entgql.SkipType)).
			Comment("The template (Go html/template syntax) over the record sheet's data model."),
	}
}

// Mixin of the PrintTemplate.
func (PrintTemplate) Mixin() []ent.Mixin {
	return []ent.Mixin{TenantMixin{}, TimeMixin{}}
}

// Indexes of the PrintTemplate.
func (PrintTemplate) Indexes() []ent.Index {
	return []ent.Index{index.Fields("organisation_id", "name").Unique()}
}

// Annotations of the PrintTemplate.
func (PrintTemplate) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("A record-sheet template (modèle d'édition): a Go html/template over the record sheet's data model " +
			"(see the README), offered in some formats. Everyone reads them; right 100009 defines them."),
		entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField),
	}
}
