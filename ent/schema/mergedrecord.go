package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// MergedRecord remembers, for a year, that a third party or a contact was
// merged into another (internal/merge), so that node(id) of the merged ID
// answers the kept record and links held by other systems keep working.
// No foreign key: the merged record is gone, and the kept one may go too
// (node then answers NOT_FOUND).
type MergedRecord struct {
	ent.Schema
}

// Fields of the MergedRecord.
func (MergedRecord) Fields() []ent.Field {
	return []ent.Field{
		field.Int("old_id").
			Immutable().
			Comment("The global ID of the merged (deleted) record."),
		field.Int("kept_id").
			Comment("The global ID of the record it was merged into (followed along later merges of that one)."),
		field.String("entity").
			Immutable().
			Comment("ThirdParty or Contact."),
		field.Time("merged_at").
			Default(now).
			Immutable().
			Comment("When the merge was made; the hint is kept for merge.HintLifetime after it."),
	}
}

// Mixin of the MergedRecord.
func (MergedRecord) Mixin() []ent.Mixin {
	return []ent.Mixin{TenantMixin{}}
}

// Indexes of the MergedRecord.
func (MergedRecord) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("old_id").Unique(),
		index.Fields("kept_id"),
		index.Fields("organisation_id", "merged_at"),
	}
}

// Annotations of the MergedRecord.
func (MergedRecord) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
