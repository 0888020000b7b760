package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// SearchWord is one distinct word of an organisation's search index: the
// vocabulary that infix queries look through (a few words) before reading
// the entries of the words found, rather than filtering every entry.
type SearchWord struct {
	ent.Schema
}

// Fields of the SearchWord.
func (SearchWord) Fields() []ent.Field {
	return []ent.Field{
		field.String("word").
			Comment("A folded word some search entry of the organisation has."),
	}
}

// Mixin of the SearchWord.
func (SearchWord) Mixin() []ent.Mixin {
	return []ent.Mixin{TenantMixin{}}
}

// Indexes of the SearchWord.
func (SearchWord) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("organisation_id", "word").Unique(),
		// Infixes (3+ characters) on PostgreSQL: trigram GIN.
		index.Fields("word").
			StorageKey("searchword_word_trgm").
			Annotations(
				entsql.IndexTypes(map[string]string{dialect.Postgres: "GIN"}),
				entsql.OpClass("gin_trgm_ops"),
			),
	}
}

// Annotations of the SearchWord.
func (SearchWord) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
