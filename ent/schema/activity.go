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

// Activity is an action (call, meeting, e-mail, task, note) on a contact,
// a third party or an opportunity: exactly one of them is its subject.
type Activity struct {
	ent.Schema
}

// Fields of the Activity.
func (Activity) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("type").
			Values("CALL", "MEETING", "EMAIL", "TASK", "NOTE").
			Annotations(entgql.Type("ActivityType"), gqldoc.Enum{
				Description: "What kind of action an activity is.",
				Values: map[string]string{
					"CALL":    "A phone call.",
					"MEETING": "A meeting.",
					"EMAIL":   "An e-mail.",
					"TASK":    "A task to do: `dueDate` says by when, `done` whether it is done.",
					"NOTE":    "A note.",
				},
			}).
			Comment("Call, meeting, e-mail, task or note."),
		field.String("subject").
			NotEmpty().
			MaxLen(utf8Bytes(200)).
			Comment("What it is about (200 characters at most)."),
		field.Text("notes").
			Optional().
			Nillable().
			Comment("Free notes (10,000 characters at most)."),
		field.Time("date").
			Optional().
			Nillable().
			Comment("When it happened or is planned."),
		field.Time("due_date").
			Optional().
			Nillable().
			Comment("When a task is due."),
		field.Bool("done").
			Default(false).
			Comment("Whether it is done."),
		field.Int("third_party_id").Optional().Nillable().Annotations(entgql.Skip()),
		field.Int("contact_id").Optional().Nillable().Annotations(entgql.Skip()),
		field.Int("opportunity_id").Optional().Nillable().Annotations(entgql.Skip()),
		field.Int("author_id").Optional().Nillable().Annotations(entgql.Skip()),
	}
}

// Edges of the Activity.
func (Activity) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("third_party", ThirdParty.Type).Field("third_party_id").Unique().
			Annotations(entgql.Skip()),
		edge.To("contact", Contact.Type).Field("contact_id").Unique().
			Annotations(entgql.Skip()),
		edge.To("opportunity", Opportunity.Type).Field("opportunity_id").Unique().
			Annotations(entgql.Skip()),
		edge.To("author", User.Type).Field("author_id").Unique().
			Comment("Who recorded it."),
	}
}

// Mixin of the Activity.
func (Activity) Mixin() []ent.Mixin {
	return []ent.Mixin{TenantMixin{}, TimeMixin{}}
}

// Indexes of the Activity: a record's activities in the order of their
// pages (newest first: created_at, id).
func (Activity) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("third_party_id", "created_at", "id"),
		index.Fields("contact_id", "created_at", "id"),
		index.Fields("opportunity_id", "created_at", "id"),
	}
}

// Annotations of the Activity.
func (Activity) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("An action on a contact, a third party or an opportunity: a call, a meeting, an e-mail, a task or a note. " +
			"Read like the record it is about (right 100001 or 100005; a closed client's only with 191516); created, changed and deleted with right 100002."),
		entgql.RelayConnection(),
		entgql.Skip(entgql.SkipWhereInput),
	}
}
