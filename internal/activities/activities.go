// Package activities owns the actions (calls, meetings, e-mails, tasks,
// notes) recorded on a third party's record: each concerns a third party,
// optionally one of its contacts and the opportunity it was logged from.
package activities

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	entgo "entgo.io/ent"
	"github.com/99designs/gqlgen/graphql"

	"carnet/ent"
	"carnet/ent/activity"
	"carnet/ent/hook"
	"carnet/ent/thirdparty"
	"carnet/internal/auth"
	"carnet/internal/db/rowlock"
	"carnet/internal/errs"
	"carnet/internal/optional"
	"carnet/internal/rights"
	"carnet/internal/viewer"
)

// MaxNotes is the longest notes field, in characters.
const MaxNotes = 10000

// CreateInput records an activity.
type CreateInput struct {
	ThirdPartyID  *int `json:"thirdPartyId"`
	ContactID     *int `json:"contactId"`
	OpportunityID *int `json:"opportunityId"`
	// SubjectID is the deprecated single subject: a contact, a third
	// party or an opportunity, taken as the field it names.
	SubjectID *int          `json:"subjectId"`
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

// Create records an activity (right 100002); the viewer is its author.
// The third party is given or derived from the contact or the
// opportunity; each of them must belong to it.
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
	if err := fromSubject(ctx, client, &in); err != nil {
		return nil, err
	}
	tp, err := concerned(ctx, client, in)
	if err != nil {
		return nil, err
	}
	// The third party's row before the insert references the contact's:
	// the order of a deletion's locks (rowlock.ForUpdate).
	locked, err := client.ThirdParty.Query().Where(thirdparty.ID(tp)).Unique(false).Modify(rowlock.ForKeyShare).IDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("activities: lock third party: %w", err)
	}
	if len(locked) == 0 {
		return nil, errs.E(errs.NotFound, "the third party was deleted")
	}
	return client.Activity.Create().SetType(in.Type).SetSubject(subject).SetNillableNotes(notes).
		SetNillableDate(in.Date).SetNillableDueDate(in.DueDate).SetNillableDone(in.Done).
		SetThirdPartyID(tp).SetNillableContactID(in.ContactID).SetNillableOpportunityID(in.OpportunityID).
		SetAuthorID(viewer.FromContext(ctx).UserID).
		Save(ctx)
}

// fromSubject maps the deprecated subjectId onto the field it names.
func fromSubject(ctx context.Context, client *ent.Client, in *CreateInput) error {
	if in.SubjectID == nil {
		return nil
	}
	if in.ThirdPartyID != nil || in.ContactID != nil || in.OpportunityID != nil {
		return errs.Invalid("subjectId", "subjectId cannot be given with thirdPartyId, contactId or opportunityId")
	}
	id := *in.SubjectID
	switch {
	case exists(client.ThirdParty.Get(ctx, id)):
		in.ThirdPartyID = &id
	case exists(client.Contact.Get(ctx, id)):
		in.ContactID = &id
	case exists(client.Opportunity.Get(ctx, id)):
		in.OpportunityID = &id
	default:
		return &errs.Error{Code: errs.NotFound, Message: "no contact, third party or opportunity with this subjectId", Field: "subjectId"}
	}
	return nil
}

// concerned returns the third party of in: the one given, else the
// contact's or the opportunity's, checking that they all agree.
func concerned(ctx context.Context, client *ent.Client, in CreateInput) (int, error) {
	if in.ThirdPartyID == nil && in.ContactID == nil && in.OpportunityID == nil {
		return 0, errs.Invalid("thirdPartyId", "thirdPartyId, contactId or opportunityId is required")
	}
	var tp int
	if in.ThirdPartyID != nil {
		if _, err := client.ThirdParty.Get(ctx, *in.ThirdPartyID); err != nil {
			return 0, notFound(err, "thirdPartyId", "third party")
		}
		tp = *in.ThirdPartyID
	}
	if in.ContactID != nil {
		c, err := client.Contact.Get(ctx, *in.ContactID)
		if err != nil {
			return 0, notFound(err, "contactId", "contact")
		}
		if tp != 0 && c.ThirdPartyID != tp {
			return 0, errs.Invalid("contactId", "the contact belongs to another third party")
		}
		tp = c.ThirdPartyID
	}
	if in.OpportunityID != nil {
		o, err := client.Opportunity.Get(ctx, *in.OpportunityID)
		if err != nil {
			return 0, notFound(err, "opportunityId", "opportunity")
		}
		if tp != 0 && o.ThirdPartyID != tp {
			if in.ThirdPartyID == nil {
				return 0, errs.Invalid("opportunityId", "the opportunity and the contact belong to different third parties")
			}
			return 0, errs.Invalid("opportunityId", "the opportunity belongs to another third party")
		}
		tp = o.ThirdPartyID
	}
	return tp, nil
}

func exists[T any](_ T, err error) bool { return err == nil }

// notFound is NOT_FOUND on field when err says that the row is not
// there (or hidden from the viewer), err wrapped otherwise.
func notFound(err error, field, what string) error {
	if ent.IsNotFound(err) {
		return &errs.Error{Code: errs.NotFound, Message: fmt.Sprintf("no %s with this %s", what, field), Field: field}
	}
	return fmt.Errorf("activities: find %s: %w", what, err)
}

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

// ListedAtHook keeps listed_at, the order of the lists, equal to the
// date, or to the creation time when there is none.
func ListedAtHook(next entgo.Mutator) entgo.Mutator {
	return hook.ActivityFunc(func(ctx context.Context, m *ent.ActivityMutation) (ent.Value, error) {
		if date, ok := m.Date(); ok {
			m.SetListedAt(date)
		} else if m.Op().Is(entgo.OpCreate) {
			created, ok := m.CreatedAt()
			if !ok {
				created = time.Now().UTC()
				m.SetCreatedAt(created)
			}
			m.SetListedAt(created)
		} else if m.DateCleared() {
			if !m.Op().Is(entgo.OpUpdateOne) {
				return nil, fmt.Errorf("activities: clearing dates of many activities at once")
			}
			created, err := m.OldCreatedAt(ctx)
			if err != nil {
				return nil, fmt.Errorf("activities: listed_at: %w", err)
			}
			m.SetListedAt(created)
		}
		return next.Mutate(ctx, m)
	})
}
