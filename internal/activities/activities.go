// Package activities owns the actions (calls, meetings, e-mails, tasks,
// notes) recorded on contacts, third parties and opportunities.
package activities

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"

	"carnet/ent"
	"carnet/ent/activity"
	"carnet/internal/auth"
	"carnet/internal/errs"
	"carnet/internal/optional"
	"carnet/internal/rights"
	"carnet/internal/viewer"
)

// MaxNotes is the longest notes field, in characters.
const MaxNotes = 10000

// CreateInput records an activity.
type CreateInput struct {
	SubjectID int           `json:"subjectId"`
	Type      activity.Type `json:"type"`
	Subject   string        `json:"subject"`
	Notes     *string       `json:"notes"`
	Date      *time.Time    `json:"date"`
	DueDate   *time.Time    `json:"dueDate"`
	Done      *bool         `json:"done"`
}

// UpdateInput changes an activity: absent fields are unchanged, null
// clears.
type UpdateInput struct {
	Type    graphql.Omittable[*activity.Type] `json:"type"`
	Subject graphql.Omittable[*string]        `json:"subject"`
	Notes   graphql.Omittable[*string]        `json:"notes"`
	Date    graphql.Omittable[*time.Time]     `json:"date"`
	DueDate graphql.Omittable[*time.Time]     `json:"dueDate"`
	Done    graphql.Omittable[*bool]          `json:"done"`
}

func checkSubject(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errs.Invalid("subject", "subject is required")
	}
	if utf8.RuneCountInString(s) > 200 {
		return "", errs.Invalid("subject", "subject is longer than 200 characters")
	}
	return s, nil
}

func checkNotes(n *string) (*string, error) {
	if n == nil || strings.TrimSpace(*n) == "" {
		return nil, nil
	}
	if utf8.RuneCountInString(*n) > MaxNotes {
		return nil, errs.Invalid("notes", "notes are longer than %d characters", MaxNotes)
	}
	return n, nil
}

// Create records an activity on a contact, a third party or an
// opportunity (right 100002); the viewer is its author.
func Create(ctx context.Context, client *ent.Client, in CreateInput) (*ent.Activity, error) {
	if err := auth.Require(ctx, rights.WriteAddressBook); err != nil {
		return nil, err
	}
	subject, err := checkSubject(in.Subject)
	if err != nil {
		return nil, err
	}
	notes, err := checkNotes(in.Notes)
	if err != nil {
		return nil, err
	}
	create := client.Activity.Create().SetType(in.Type).SetSubject(subject).SetNillableNotes(notes).
		SetNillableDate(in.Date).SetNillableDueDate(in.DueDate).SetNillableDone(in.Done).
		SetAuthorID(viewer.FromContext(ctx).UserID)
	switch {
	case exists(client.ThirdParty.Get(ctx, in.SubjectID)):
		create.SetThirdPartyID(in.SubjectID)
	case exists(client.Contact.Get(ctx, in.SubjectID)):
		create.SetContactID(in.SubjectID)
	case exists(client.Opportunity.Get(ctx, in.SubjectID)):
		create.SetOpportunityID(in.SubjectID)
	default:
		return nil, errs.E(errs.NotFound, "no contact, third party or opportunity with this subjectId")
	}
	return create.Save(ctx)
}

func exists[T any](_ T, err error) bool { return err == nil }

// Update changes an activity (right 100002).
func Update(ctx context.Context, client *ent.Client, id int, in UpdateInput) (*ent.Activity, error) {
	if err := auth.Require(ctx, rights.WriteAddressBook); err != nil {
		return nil, err
	}
	if _, err := get(ctx, client, id); err != nil {
		return nil, err
	}
	u := client.Activity.UpdateOneID(id)
	if t, ok := in.Type.ValueOK(); ok {
		if t == nil {
			return nil, errs.Invalid("type", "type cannot be null")
		}
		u.SetType(*t)
	}
	if s, ok := in.Subject.ValueOK(); ok {
		if s == nil {
			return nil, errs.Invalid("subject", "subject cannot be null")
		}
		subject, err := checkSubject(*s)
		if err != nil {
			return nil, err
		}
		u.SetSubject(subject)
	}
	if n, ok := in.Notes.ValueOK(); ok {
		notes, err := checkNotes(n)
		if err != nil {
			return nil, err
		}
		optional.SetOrClear(notes, u.SetNotes, u.ClearNotes)
	}
	optional.Apply(in.Date, u.SetDate, u.ClearDate)
	optional.Apply(in.DueDate, u.SetDueDate, u.ClearDueDate)
	if d, ok := in.Done.ValueOK(); ok {
		u.SetDone(d != nil && *d)
	}
	return u.Save(ctx)
}

func get(ctx context.Context, client *ent.Client, id int) (*ent.Activity, error) {
	a, err := client.Activity.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, errs.E(errs.NotFound, "no activity with this ID")
	}
	if err != nil {
		return nil, fmt.Errorf("activities: find: %w", err)
	}
	return a, nil
}

// Delete deletes an activity (right 100002).
func Delete(ctx context.Context, client *ent.Client, id int) error {
	if err := auth.Require(ctx, rights.WriteAddressBook); err != nil {
		return err
	}
	if _, err := get(ctx, client, id); err != nil {
		return err
	}
	return client.Activity.DeleteOneID(id).Exec(ctx)
}

// NewestFirst is the order of activity lists.
var NewestFirst = &ent.ActivityOrder{Direction: "DESC", Field: ent.ActivityOrderFieldCreatedAt}
