package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Document is a file attached to a third party or a contact. The bytes
// live in blob storage (internal/documents), the row holds what the API
// shows and where the bytes are.
type Document struct {
	ent.Schema
}

// Fields of the Document.
func (Document) Fields() []ent.Field {
	return []ent.Field{
		field.String("title").
			NotEmpty().
			MaxLen(utf8Bytes(200)).
			Comment("Title shown on the record (200 characters at most; the file name when none was given)."),
		field.String("filename").
			NotEmpty().
			Comment("The file's name as uploaded, without any directory (255 bytes at most), given back on download."),
		field.String("content_type").
			Comment("Media type sniffed from the first 512 bytes, not trusted from the name or the client (e.g. application/pdf, image/png, text/plain; charset=utf-8)."),
		field.Int64("size").
			Annotations(entgql.Type("Int")).
			Comment("Size in bytes."),
		field.String("sha256").
			Comment("SHA-256 of the bytes, hexadecimal."),
		field.Bool("listed").
			Default(true).
			Annotations(entgql.Skip()).
			Comment("false for a printed sheet not attached to the record: downloadable, not listed."),
		field.String("storage_key").
			Immutable().
			Annotations(entgql.Skip()),
		field.Int("third_party_id").Optional().Nillable().Annotations(entgql.Skip()),
		field.Int("contact_id").Optional().Nillable().Annotations(entgql.Skip()),
		field.Int("author_id").Optional().Nillable().Annotations(entgql.Skip()),
	}
}

// Edges of the Document.
func (Document) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("third_party", ThirdParty.Type).Field("third_party_id").Unique().
			Annotations(entgql.Skip()),
		edge.To("contact", Contact.Type).Field("contact_id").Unique().
			Annotations(entgql.Skip()),
		edge.To("author", User.Type).Field("author_id").Unique().
			Comment("Who uploaded it."),
	}
}

// Mixin of the Document.
func (Document) Mixin() []ent.Mixin {
	return []ent.Mixin{TenantMixin{}, TimeMixin{}}
}

// Indexes of the Document: a record's documents in the order of their
// pages (newest first: created_at, id).
func (Document) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("third_party_id", "created_at", "id"),
		index.Fields("contact_id", "created_at", "id"),
	}
}

// Annotations of the Document.
func (Document) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("A file attached to a third party or a contact (a printed record sheet too, when attached). " +
			"Read like its record (right 100001 or 100005; a closed client's only with 191516); uploaded and deleted with right 100004; downloaded from url."),
		entgql.RelayConnection(),
		entgql.Skip(entgql.SkipWhereInput),
	}
}
