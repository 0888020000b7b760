package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"carnet/ent/schema/gqldoc"
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
			Comment("Who made the change: the user's name at the time, or \"system\" for a change made without a user (the command line)."),
		field.Enum("action").
			Values("CREATE", "UPDATE", "DELETE").
			Immutable().
			Annotations(entgql.Type("AuditAction"), gqldoc.Enum{
				Description: "What a change did to a record.",
				Values: map[string]string{
					"CREATE": "The record was created: `changes` lists the fields set, with a null old value.",
					"UPDATE": "The record was changed: `changes` lists the fields whose value changed, old and new.",
					"DELETE": "The record was deleted: `changes` lists its last values, with a null new value.",
				},
			}).
			Comment("What was done."),
		field.String("entity").
			Immutable().
			Comment("The kind of record changed: \"ThirdParty\", \"Contact\", \"ManagementLink\", \"FiliationLink\", \"Activity\", \"Document\", \"Opportunity\", \"User\", \"Token\", \"LinkType\", \"CustomFieldDefinition\" or \"PrintTemplate\"; \"PersonalDataExport\" and \"PersonalDataErasure\" for a person's data exported or erased (exportPersonalData, erasePersonalData)."),
		field.Int("record_id").
			Immutable().
			Annotations(entgql.Skip()),
		field.Int("third_party_id").
			Optional().
			Nillable().
			Immutable().
			Annotations(entgql.Skip()).
			Comment("The third party the record is or hangs on (a contact's, an activity's...), when it has one, as it was at the change: the closed-client rule reads it (no foreign key: events outlive records)."),
		field.Int("linked_third_party_id").
			Optional().
			Nillable().
			Immutable().
			Annotations(entgql.Skip()).
			Comment("A link's other third party."),
		field.JSON("changes", map[string]any{}).
			Immutable().
			Annotations(entgql.Skip()),
	}
}

// Mixin of the AuditEvent.
func (AuditEvent) Mixin() []ent.Mixin {
	return []ent.Mixin{TenantMixin{}}
}

// Indexes of the AuditEvent: the trail (of a record, or of everything)
// in created_at, id order, as pages read it.
func (AuditEvent) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("organisation_id", "record_id", "created_at", "id"),
		index.Fields("organisation_id", "created_at", "id"),
	}
}

// Annotations of the AuditEvent.
func (AuditEvent) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("One change in the audit trail: who created, changed or deleted a third party or a contact, and its fields' old and new values. " +
			"Written in the transaction of the change, never changed, kept after the record is deleted. Readable with right 100009 only; " +
			"the events of a closed client and of what hangs on it (its contacts, activities, documents, opportunities and links) only with 191516 too."),
		entgql.RelayConnection(),
		entgql.QueryField("auditEvents").Description("The audit trail of third parties and contacts (right 100009, else FORBIDDEN; " +
			"the events of a closed client and of what hangs on it only with 191516). " +
			"Oldest first when orderBy is absent (by ID); orderBy: {field: CREATED_AT, direction: DESC} gives the newest first. " +
			"The events of one record: where: {recordId: ID}, even after the record was deleted."),
	}
}
