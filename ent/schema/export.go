package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"carnet/ent/schema/gqldoc"
)

// Export is a bulk export of an organisation's data (internal/exports):
// produced in the background with its requester's rights, stored as a
// file in the documents' blob storage, downloaded from its url.
type Export struct {
	ent.Schema
}

// Fields of the Export.
func (Export) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").
			Values("THIRD_PARTIES", "CONTACTS", "FILIATION_GRAPH", "MANAGEMENT_LINKS").
			Immutable().
			Annotations(entgql.Type("ExportKind"), gqldoc.Enum{
				Description: "What an export holds.",
				Values: map[string]string{
					"THIRD_PARTIES":    "Every third party the requester sees, one row each (JSONL or CSV).",
					"CONTACTS":         "Every contact the requester sees, one row each, with its third party's code and name (JSONL or CSV).",
					"FILIATION_GRAPH":  "The filiation links the requester sees, parent to child, with the third parties they join (GRAPHML or GEXF; JSONL or CSV: the edges). rootId: one network only.",
					"MANAGEMENT_LINKS": "The management links the requester sees, ordering party to the other side, with the third parties they join (GRAPHML or GEXF; JSONL or CSV: the edges).",
				},
			}).
			Comment("What the export holds."),
		field.Enum("format").
			Values("JSONL", "CSV", "GRAPHML", "GEXF").
			Immutable().
			Annotations(entgql.Type("ExportFormat"), gqldoc.Enum{
				Description: "The file format of an export.",
				Values: map[string]string{
					"JSONL":   "JSON Lines: one JSON object per line, UTF-8.",
					"CSV":     "CSV for spreadsheets: UTF-8 with a byte order mark, `;` between fields, a header row, CRLF line ends.",
					"GRAPHML": "GraphML (directed), for networkx, Gephi, yEd: graph kinds only.",
					"GEXF":    "GEXF 1.2 (directed), for Gephi and networkx: graph kinds only.",
				},
			}).
			Comment("The file format."),
		field.Enum("status").
			Values("PENDING", "RUNNING", "DONE", "FAILED").
			Default("PENDING").
			Annotations(entgql.Type("ExportStatus"), gqldoc.Enum{
				Description: "Where an export stands.",
				Values: map[string]string{
					"PENDING": "Accepted, waiting for a worker.",
					"RUNNING": "Being written.",
					"DONE":    "Written: url downloads it.",
					"FAILED":  "Stopped: error says why; nothing was kept.",
				},
			}).
			Comment("PENDING, RUNNING, then DONE or FAILED."),
		field.Int("root_id").
			Optional().
			Nillable().
			Immutable().
			Annotations(entgql.Skip()).
			Comment("The third party whose filiation network a FILIATION_GRAPH export is limited to."),
		field.Int("row_count").
			Default(0).
			Comment("Rows written so far: records for THIRD_PARTIES and CONTACTS, edges (links) for the graph kinds."),
		field.Int("node_count").
			Optional().
			Nillable().
			Comment("Nodes (third parties) of a graph export once written; null for THIRD_PARTIES and CONTACTS."),
		field.String("error").
			Optional().
			Nillable().
			Comment("Why the export failed (FAILED only)."),
		field.String("storage_key").
			Optional().
			Nillable().
			Annotations(entgql.Skip()),
		field.String("filename").
			Optional().
			Nillable().
			Annotations(entgql.Skip()),
		field.Int64("size").
			Optional().
			Nillable().
			Annotations(entgql.Skip()),
		field.Int("author_id").
			Immutable().
			Annotations(entgql.Skip()),
		field.Time("finished_at").
			Optional().
			Nillable().
			Comment("When the export became DONE or FAILED (UTC)."),
	}
}

// Edges of the Export.
func (Export) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("author", User.Type).Field("author_id").Unique().Required().Immutable().
			Annotations(entgql.Skip()),
	}
}

// Mixin of the Export.
func (Export) Mixin() []ent.Mixin {
	return []ent.Mixin{TenantMixin{}, TimeMixin{}}
}

// Indexes of the Export: the organisation's unfinished exports (one at a
// time) and the expired ones (cleanup), by creation.
func (Export) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("organisation_id", "status", "created_at"),
		index.Fields("created_at"),
	}
}

// Annotations of the Export.
func (Export) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("A bulk export (startExport), written in the background with its requester's rights and downloaded from url. " +
			"Seen by its requester and the organisation's administrators (100009); downloadable for 24 hours after it was started, then removed."),
		entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField),
	}
}
