package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// AuditEvent records who created, changed or deleted a record, which
// fields, with their old and new values. Events do not reference the
// record (no foreign key): they outlive its deletion.
type AuditEvent struct {
	ent.Schema
}

// Fields of the AuditEvent.
func (AuditEvent) Fields() []ent.Field {
	return []ent.Field{
		field.Time("created_at").
			Default(now).
			Immutable().
			Annotations(entgql.OrderField("CREATED_AT")).
			Comment("When the change was made."),
		field.Int("actor_id").
			Optional().
			Nillable().
			Immutable().
			Annotations(entgql.Skip()),
		field.String("actor").
			Immutable().
			Comment("Who made the change: the user's name, or system for the CLI."),
		field.Enum("action").
			Values("CREATE", "UPDATE", "DELETE").
			Immutable().
			Annotations(entgql.Type("AuditAction")).
			Comment("What was done."),
		field.String("entity").
			Immutable().
			Comment("The kind of record: ThirdParty, Contact, ManagementLink, FiliationLink, Activity, Document, Opportunity, User, Token, LinkType, CustomFieldDefinition or PrintTemplate."),
		field.Int("record_id").
			Immutable().
			Annotations(entgql.Skip()),
		field.JSON("changes", map[string]any{}).
			Immutable().
			Annotations(entgql.Skip()),
	}
}

// Mixin of the AuditEvent.
func (AuditEvent) Mixin() []ent.Mixin {
	return []ent.Mixin{TenantMixin{}}
}

// Indexes of the AuditEvent.
func (AuditEvent) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("organisation_id", "record_id", "created_at"),
		index.Fields("organisation_id", "created_at"),
	}
}

// Annotations of the AuditEvent.
func (AuditEvent) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField("auditEvents").Description("The audit trail: who created, changed or deleted which record, newest first by default (right 100009)."),
	}
}
