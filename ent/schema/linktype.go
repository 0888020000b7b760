package schema

import (
	"regexp"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"carnet/ent/schema/gqldoc"
)

// LinkType is a type of management or filiation link, defined by a
// company. Users are offered the types of their login company and of the
// shared company.
type LinkType struct {
	ent.Schema
}

// Fields of the LinkType.
func (LinkType) Fields() []ent.Field {
	return []ent.Field{
		field.String("code").
			Match(regexp.MustCompile(`^[A-Z0-9_]{1,30}$`)).
			Comment("Code, e.g. DONORDRE, CL_A_FACT, SITE_LIV: 1 to 30 upper-case letters, digits and underscores, unique within the company."),
		field.String("label").
			NotEmpty().
			MaxLen(utf8Bytes(100)).
			Comment("Label shown to users (100 characters at most)."),
		field.Enum("category").
			Values("MANAGEMENT", "FILIATION").
			Annotations(entgql.Type("LinkCategory"), gqldoc.Enum{
				Description: "The two families of links.",
				Values: map[string]string{
					"MANAGEMENT": "Links between clients and prospects for sales documents: ordering party (DONORDRE), bill-to party (CL_A_FACT), delivery site (SITE_LIV)… Their types have no direction.",
					"FILIATION":  "Links of a group's structure: parent and subsidiary, head office and branch, partners. Their types may have a direction.",
				},
			}).
			Comment("MANAGEMENT (ordering party, bill-to, delivery site…) or FILIATION (group structure)."),
		field.Enum("direction").
			Values("UP", "DOWN", "TRANSVERSE").
			Optional().
			Nillable().
			Annotations(entgql.Type("LinkDirection"), gqldoc.Enum{
				Description: "Where the third party on a side of a filiation link stands relative to the other party, and which way filiationGraph moves.",
				Values: map[string]string{
					"UP":         "Above: the party of this side is the parent or the head office. filiationGraph moves UP from a subsidiary to its parent.",
					"DOWN":       "Below: the party of this side is a subsidiary or a branch. filiationGraph moves DOWN from a parent to its subsidiaries.",
					"TRANSVERSE": "Beside: the two are partners. filiationGraph moves TRANSVERSE between partners (and along links whose types have no direction).",
				},
			}).
			Comment("For a FILIATION type, optionally, where the third party of the side it types stands relative to the other party: UP (above: parent, head office), DOWN (below: subsidiary, branch) or TRANSVERSE (beside: partner). Null for MANAGEMENT types."),
		field.Int("company_id").
			Immutable().
			Annotations(entgql.Skip()),
	}
}

// Edges of the LinkType.
func (LinkType) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("company", Company.Type).
			Field("company_id").
			Unique().
			Required().
			Immutable().
			Comment("The company that defines the type."),
	}
}

// Mixin of the LinkType.
func (LinkType) Mixin() []ent.Mixin {
	return []ent.Mixin{TenantMixin{}, TimeMixin{}}
}

// Indexes of the LinkType.
func (LinkType) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("organisation_id", "company_id", "code").Unique(),
	}
}

// Annotations of the LinkType.
func (LinkType) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("A type of management or filiation link, defined by a company: users are offered the types of their login company " +
			"and of the shared company. carnet init gives the shared company DONORDRE, CL_A_FACT and SITE_LIV (management) " +
			"and SOC_MERE, FILIALE, SIEGE, ETABLISSEMENT and PARTENAIRE (filiation). Everyone reads them; right 100009 defines them."),
		entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField),
	}
}
