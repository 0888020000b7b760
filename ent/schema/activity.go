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

// Activity is an action (call, meeting, e-mail, task, note). It concerns
// a third party (a prospect or a client: the record it shows on),
// optionally one of its contacts, and optionally the opportunity it was
// logged from (of the same third party).
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
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("What it is about (200 characters at most)."),
		field.Text("notes").
			Optional().
			Nillable().
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
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
		field.Time("listed_at").
			Default(now).
			Annotations(entgql.Skip(entgql.SkipType|entgql.SkipWhereInput|entgql.SkipMutationCreateInput|entgql.SkipMutationUpdateInput), entgql.OrderField("DATE")).
			Comment("The order of the lists: the date, or the creation time when there is none (activities.ListedAtHook)."),
		field.Int("third_party_id").Annotations(entgql.Skip()),
		field.Int("contact_id").Optional().Nillable().Annotations(entgql.Skip()),
		field.Int("opportunity_id").Optional().Nillable().Annotations(entgql.Skip()),
		field.Int("author_id").Optional().Nillable().Annotations(entgql.Skip()),
	}
}

// Edges of the Activity.
func (Activity) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("third_party", ThirdParty.Type).Field("third_party_id").Unique().Required().
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("The prospect or client the activity concerns: it shows on its record."),
		edge.To("contact", Contact.Type).Field("contact_id").Unique().
			Comment("The contact (of the third party) the activity names, if any."),
		edge.To("opportunity", Opportunity.Type).Field("opportunity_id").Unique().
			Comment("The opportunity (of the third party) the activity was logged from, if any."),
		edge.To("author", User.Type).Field("author_id").Unique().
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("Who recorded it."),
	}
}

// Mixin of the Activity.
func (Activity) Mixin() []ent.Mixin {
	return []ent.Mixin{TenantMixin{}, TimeMixin{}}
}

// Indexes of the Activity: a record's, a contact's and an opportunity's
// activities in the order of their pages (newest first: listed_at, id).
func (Activity) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("third_party_id", "listed_at", "id"),
		index.Fields("contact_id", "listed_at", "id"),
		index.Fields("opportunity_id", "listed_at", "id"),
	}
}

// Annotations of the Activity.
func (Activity) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("An action (a call, a meeting, an e-mail, a task or a note) that concerns a prospect or a client, " +
			"optionally one of its contacts and the opportunity it was logged from. " +
			"Read like the record it concerns (right 100001 or 100005; a closed client's only with 191516); created, changed and deleted with right 100002."),
		entgql.RelayConnection(),
		// Newest first: by date, or the creation time when there is none;
		// then the latest recorded (entgql's tie-break on ID follows the
		// direction).
		gqldoc.DefaultOrder{Field: "DATE", Direction: "DESC"},
	}
}
