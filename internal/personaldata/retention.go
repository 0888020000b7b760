package personaldata

import (
	"context"
	"fmt"
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/dialect/sql"

	"carnet/ent"
	"carnet/ent/activity"
	"carnet/ent/contact"
	"carnet/internal/auth"
	"carnet/internal/errs"
	"carnet/internal/rights"
	"carnet/internal/viewer"
)

// SetRetentionMonths sets the organisation's retention period
// (right 100009).
func SetRetentionMonths(ctx context.Context, client *ent.Client, months int) (*ent.Organisation, error) {
	if err := auth.Require(ctx, rights.Administer); err != nil {
		return nil, err
	}
	if months < 1 || months > 600 {
		return nil, errs.Invalid("months", "months must be between 1 and 600")
	}
	return client.Organisation.UpdateOneID(viewer.FromContext(ctx).OrgID).SetRetentionMonths(months).Save(ctx)
}

// RetentionCutoff is the instant before which a contact untouched, and
// named by no activity touched, is listed for review.
func RetentionCutoff(now time.Time, months int) time.Time {
	return now.AddDate(0, -months, 0)
}

// ForRetentionReview lists the contacts with no change and no activity
// since the organisation's retention period (right 100009), least
// recently changed first. The contacts' (organisation_id, updated_at, id)
// index gives the order and the range; each candidate's activities are
// probed by the (contact_id, listed_at, id) index.
func ForRetentionReview(ctx context.Context, client *ent.Client, after *entgql.Cursor[int], first *int, before *entgql.Cursor[int], last *int) (*ent.ContactConnection, error) {
	if err := auth.Require(ctx, rights.Administer); err != nil {
		return nil, err
	}
	org, err := client.Organisation.Get(ctx, viewer.FromContext(ctx).OrgID)
	if err != nil {
		return nil, fmt.Errorf("personaldata: organisation: %w", err)
	}
	cutoff := RetentionCutoff(time.Now(), org.RetentionMonths)
	return client.Contact.Query().
		Where(contact.UpdatedAtLT(cutoff), func(s *sql.Selector) {
			a := sql.Table(activity.Table)
			s.Where(sql.Not(sql.Exists(sql.Select(a.C(activity.FieldID)).From(a).Where(sql.And(
				sql.ColumnsEQ(a.C(activity.FieldContactID), s.C(contact.FieldID)),
				sql.Or(sql.GTE(a.C(activity.FieldListedAt), cutoff), sql.GTE(a.C(activity.FieldUpdatedAt), cutoff)),
			)))))
		}).
		Paginate(ctx, after, first, before, last,
			ent.WithContactOrder(&ent.ContactOrder{Field: ent.ContactOrderFieldUpdatedAt, Direction: entgql.OrderDirectionAsc}))
}
