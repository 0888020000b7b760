package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// ManagementLink joins two clients or prospects, one side the ordering
// party (type DONORDRE), the other a bill-to party, a delivery site or
// another management type.
type ManagementLink struct {
	ent.Schema
}

// Fields of the ManagementLink.
func (ManagementLink) Fields() []ent.Field {
	return []ent.Field{
		field.Int("third_party_id").Annotations(entgql.Skip()),
		field.Int("type_id").Annotations(entgql.Skip()),
		field.Int("linked_third_party_id").Annotations(entgql.Skip()),
		field.Int("linked_type_id").Annotations(entgql.Skip()),
		field.Int("ordering_party_id").
			Annotations(entgql.Skip()).
			Comment("The side whose type is DONORDRE (derived, for the default rule)."),
		field.Bool("is_default").
			Default(false).
			Comment("The bill-to party that sales documents pre-select for the ordering party: at most one default link per record, whichever side the record is on; never a delivery site (isDefault is ignored there, with a warning)."),
	}
}

// Edges of the ManagementLink.
func (ManagementLink) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("third_party", ThirdParty.Type).Field("third_party_id").Unique().Required().
			Comment("One side of the link, of type `type`."),
		edge.To("type", LinkType.Type).Field("type_id").Unique().Required().
			Comment("The type of the third party's side."),
		edge.To("linked_third_party", ThirdParty.Type).Field("linked_third_party_id").Unique().Required().
			Comment("The other side of the link, of type `linkedType`."),
		edge.To("linked_type", LinkType.Type).Field("linked_type_id").Unique().Required().
			Comment("The type of the linked third party's side."),
	}
}

// Mixin of the ManagementLink.
func (ManagementLink) Mixin() []ent.Mixin {
	return []ent.Mixin{TenantMixin{}, TimeMixin{}}
}

// Indexes of the ManagementLink.
func (ManagementLink) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("third_party_id", "type_id", "linked_third_party_id", "linked_type_id").Unique(),
		index.Fields("linked_third_party_id"),
		// At most one default link per record, whichever side it is on:
		// one index per column; a record default on one side and on the
		// other is kept out by links.Lock, which every link change takes.
		index.Fields("third_party_id").Unique().
			StorageKey("managementlink_one_default_per_record").
			Annotations(entsql.IndexWhere("is_default")),
		index.Fields("linked_third_party_id").Unique().
			StorageKey("managementlink_one_default_per_linked_record").
			Annotations(entsql.IndexWhere("is_default")),
		index.Fields("ordering_party_id"),
	}
}

// Annotations of the ManagementLink.
func (ManagementLink) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("A management link between two clients or prospects: one side is the ordering party (type DONORDRE), " +
			"the other a bill-to party (CL_A_FACT), a delivery site (SITE_LIV) or another management type. " +
			"Seen only with the MANAGEMENT_LINKS feature on, on the tab of a record whose kind's read right the viewer holds (191517 for a client, 191519 for a prospect), " +
			"which lists all its links; node(id) finds a link when the viewer may open the tab of either record. " +
			"Created from the tab of thirdParty with its kind's change right (191518 / 191520); changed or deleted with that of either record's kind."),
		entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField),
	}
}

// FiliationLink joins two third parties of one group (parent/subsidiary,
// head office/branch, partners), with a FILIATION type on each side.
type FiliationLink struct {
	ent.Schema
}

// Fields of the FiliationLink.
func (FiliationLink) Fields() []ent.Field {
	return []ent.Field{
		field.Int("third_party_id").Annotations(entgql.Skip()),
		field.Int("linked_third_party_id").Annotations(entgql.Skip()),
		field.Int("type_id").Annotations(entgql.Skip()),
		field.Int("linked_type_id").Annotations(entgql.Skip()),
		field.String("relation").
			Annotations(entgql.Skip()).
			Comment("The link in one spelling whichever way round it was entered (derived, filled by filiation.RelationHook and gen): " +
				"the smaller third-party ID, the larger one, then the type of each one's side, colon-separated. Unique: the same relation is never stored twice."),
	}
}

// Edges of the FiliationLink.
func (FiliationLink) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("third_party", ThirdParty.Type).Field("third_party_id").Unique().Required().
			Comment("One side of the link: the record it was created from, of type `type`."),
		edge.To("linked_third_party", ThirdParty.Type).Field("linked_third_party_id").Unique().Required().
			Comment("The other side of the link, of type `linkedType`."),
		edge.To("type", LinkType.Type).Field("type_id").Unique().Required().
			Comment("The type of the third party's side: its direction, when it has one, says where the third party stands relative to the linked one (UP: above it)."),
		edge.To("linked_type", LinkType.Type).Field("linked_type_id").Unique().Required().
			Comment("The type of the linked third party's side: its direction, when it has one, says where the linked third party stands relative to the first (UP: above it, e.g. its parent)."),
	}
}

// Mixin of the FiliationLink.
func (FiliationLink) Mixin() []ent.Mixin {
	return []ent.Mixin{TenantMixin{}, TimeMixin{}}
}

// Indexes of the FiliationLink.
func (FiliationLink) Indexes() []ent.Index {
	return []ent.Index{
		// One row per relation, whichever way round, even under races.
		index.Fields("relation").Unique(),
		index.Fields("third_party_id"),
		index.Fields("linked_third_party_id"),
	}
}

// Annotations of the FiliationLink.
func (FiliationLink) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("A filiation link between two third parties of one group (parent/subsidiary, head office/branch, partners), " +
			"with a FILIATION type on each side (the record's and the linked party's). Seen only with the FILIATION_LINKS feature on, on the tab of a record the viewer may open " +
			"(191521 for a client, 191523 for a prospect, the right to read the address book for a supplier or an other third party), which lists all its links; " +
			"node(id) finds a link when the viewer may open the tab of either record. Created from the tab of thirdParty with its kind's change right " +
			"(191522 / 191524, either for a supplier or other); changed or deleted with that of either record's kind."),
		entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField),
	}
}
