// Package opportunities owns the deals of the sales pipeline: the
// portfolio and the signing calendar lead from them to records.
package opportunities

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"

	"carnet/ent"
	"carnet/ent/activity"
	"carnet/ent/contact"
	"carnet/ent/opportunity"
	"carnet/ent/predicate"
	"carnet/internal/auth"
	"carnet/internal/db/rowlock"
	"carnet/internal/errs"
	"carnet/internal/optional"
	"carnet/internal/rights"
	"carnet/internal/viewer"
)

// CreateInput creates an opportunity.
type CreateInput struct {
	Name                string     `json:"name"`
	ThirdPartyID        int        `json:"thirdPartyId"`
	Amount              *float64   `json:"amount"`
	Currency            *string    `json:"currency"`
	Stage               *string    `json:"stage"`
	Probability         *int       `json:"probability"`
	ExpectedSigningDate *time.Time `json:"expectedSigningDate"`
	ContactIDs          []int      `json:"contactIds"`
}

// UpdateInput changes an opportunity: absent fields are unchanged, null
// clears; contactIds replaces the contacts when given.
type UpdateInput struct {
	Name                graphql.Omittable[*string]    `json:"name"`
	Amount              graphql.Omittable[*float64]   `json:"amount"`
	Currency            graphql.Omittable[*string]    `json:"currency"`
	Stage               graphql.Omittable[*string]    `json:"stage"`
	Probability         graphql.Omittable[*int]       `json:"probability"`
	ExpectedSigningDate graphql.Omittable[*time.Time] `json:"expectedSigningDate"`
	OwnerID             graphql.Omittable[*int]       `json:"ownerId"`
	ContactIDs          []int                         `json:"contactIds"`
}

var currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

func checkName(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || utf8.RuneCountInString(s) > 200 {
		return "", errs.Invalid("name", "name must have 1 to 200 characters")
	}
	return s, nil
}

func checkAmount(a *float64) error {
	if a != nil && *a < 0 {
		return errs.Invalid("amount", "amount cannot be negative")
	}
	return nil
}

func checkCurrency(c string) (string, error) {
	c = strings.ToUpper(strings.TrimSpace(c))
	if !currencyCode.MatchString(c) {
		return "", errs.Invalid("currency", "currency must be an ISO 4217 code such as EUR")
	}
	return c, nil
}

func checkProbability(p *int) error {
	if p != nil && (*p < 0 || *p > 100) {
		return errs.Invalid("probability", "probability is a percentage, 0 to 100")
	}
	return nil
}

func checkStage(s *string) (*string, error) {
	if s == nil || strings.TrimSpace(*s) == "" {
		return nil, nil
	}
	t := strings.TrimSpace(*s)
	if utf8.RuneCountInString(t) > 50 {
		return nil, errs.Invalid("stage", "stage is longer than 50 characters")
	}
	return &t, nil
}

// contactsOf checks that ids are contacts of the third party.
func contactsOf(ctx context.Context, client *ent.Client, thirdPartyID int, ids []int) error {
	if len(ids) == 0 {
		return nil
	}
	n, err := client.Contact.Query().Where(contact.IDIn(ids...), contact.ThirdPartyID(thirdPartyID)).Count(ctx)
	if err != nil {
		return fmt.Errorf("opportunities: contacts: %w", err)
	}
	if n != len(uniq(ids)) {
		return errs.Invalid("contactIds", "every contact must be a contact of the opportunity's third party")
	}
	return nil
}

func uniq(ids []int) map[int]bool {
	m := map[int]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// Create creates an opportunity owned by the viewer (right 100002).
func Create(ctx context.Context, client *ent.Client, in CreateInput) (*ent.Opportunity, error) {
	if err := auth.Require(ctx, rights.WriteAddressBook); err != nil {
		return nil, err
	}
	name, err := checkName(in.Name)
	if err != nil {
		return nil, err
	}
	if err := checkAmount(in.Amount); err != nil {
		return nil, err
	}
	if err := checkProbability(in.Probability); err != nil {
		return nil, err
	}
	stage, err := checkStage(in.Stage)
	if err != nil {
		return nil, err
	}
	currency := "EUR"
	if in.Currency != nil {
		if currency, err = checkCurrency(*in.Currency); err != nil {
			return nil, err
		}
	}
	if _, err := client.ThirdParty.Get(ctx, in.ThirdPartyID); err != nil {
		if ent.IsNotFound(err) {
			return nil, errs.Invalid("thirdPartyId", "no third party with this ID")
		}
		return nil, fmt.Errorf("opportunities: third party: %w", err)
	}
	if err := contactsOf(ctx, client, in.ThirdPartyID, in.ContactIDs); err != nil {
		return nil, err
	}
	return client.Opportunity.Create().
		SetName(name).SetThirdPartyID(in.ThirdPartyID).SetNillableAmount(in.Amount).
		SetCurrency(currency).SetNillableStage(stage).SetNillableProbability(in.Probability).
		SetNillableExpectedSigningDate(in.ExpectedSigningDate).
		SetOwnerID(viewer.FromContext(ctx).UserID).
		AddContactIDs(in.ContactIDs...).
		Save(ctx)
}

func get(ctx context.Context, client *ent.Client, id int) (*ent.Opportunity, error) {
	o, err := client.Opportunity.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, errs.E(errs.NotFound, "no opportunity with this ID")
	}
	if err != nil {
		return nil, fmt.Errorf("opportunities: find: %w", err)
	}
	return o, nil
}

// Update changes an opportunity (right 100002).
func Update(ctx context.Context, client *ent.Client, id int, in UpdateInput) (*ent.Opportunity, error) {
	if err := auth.Require(ctx, rights.WriteAddressBook); err != nil {
		return nil, err
	}
	o, err := get(ctx, client, id)
	if err != nil {
		return nil, err
	}
	u := client.Opportunity.UpdateOneID(id)
	if v, ok := in.Name.ValueOK(); ok {
		if v == nil {
			return nil, errs.Invalid("name", "name cannot be null")
		}
		name, err := checkName(*v)
		if err != nil {
			return nil, err
		}
		u.SetName(name)
	}
	if v, ok := in.Amount.ValueOK(); ok {
		if err := checkAmount(v); err != nil {
			return nil, err
		}
		optional.SetOrClear(v, u.SetAmount, u.ClearAmount)
	}
	if v, ok := in.Currency.ValueOK(); ok {
		c := "EUR"
		if v != nil {
			if c, err = checkCurrency(*v); err != nil {
				return nil, err
			}
		}
		u.SetCurrency(c)
	}
	if v, ok := in.Stage.ValueOK(); ok {
		stage, err := checkStage(v)
		if err != nil {
			return nil, err
		}
		optional.SetOrClear(stage, u.SetStage, u.ClearStage)
	}
	if v, ok := in.Probability.ValueOK(); ok {
		if err := checkProbability(v); err != nil {
			return nil, err
		}
		optional.SetOrClear(v, u.SetProbability, u.ClearProbability)
	}
	optional.Apply(in.ExpectedSigningDate, u.SetExpectedSigningDate, u.ClearExpectedSigningDate)
	if v, ok := in.OwnerID.ValueOK(); ok {
		if v == nil {
			u.ClearOwner()
		} else {
			if _, err := client.User.Get(ctx, *v); err != nil {
				return nil, errs.Invalid("ownerId", "no user with this ID")
			}
			u.SetOwnerID(*v)
		}
	}
	if in.ContactIDs != nil {
		if err := contactsOf(ctx, client, o.ThirdPartyID, in.ContactIDs); err != nil {
			return nil, err
		}
		u.ClearContacts().AddContactIDs(in.ContactIDs...)
	}
	return u.Save(ctx)
}

// Delete deletes an opportunity and its activities (right 100003).
func Delete(ctx context.Context, client *ent.Client, id int) error {
	if err := auth.Require(ctx, rights.DeleteRecords); err != nil {
		return err
	}
	if _, err := get(ctx, client, id); err != nil {
		return err
	}
	if err := DeleteFor(ctx, client, opportunity.ID(id)); err != nil {
		return err
	}
	return nil
}

// DeleteFor deletes the opportunities matching preds and their
// activities, as the system: it serves the cascades of deletions the
// viewer was allowed (an opportunity, its third party).
func DeleteFor(ctx context.Context, client *ent.Client, preds ...predicate.Opportunity) error {
	sys := auth.System(ctx)
	ids, err := client.Opportunity.Query().Where(preds...).Unique(false).Modify(rowlock.ForUpdate).IDs(sys)
	if err != nil || len(ids) == 0 {
		return err
	}
	if _, err := client.Activity.Delete().Where(activity.OpportunityIDIn(ids...)).Exec(sys); err != nil {
		return fmt.Errorf("opportunities: delete activities: %w", err)
	}
	if _, err := client.Opportunity.Delete().Where(opportunity.IDIn(ids...)).Exec(sys); err != nil {
		return fmt.Errorf("opportunities: delete: %w", err)
	}
	return nil
}
