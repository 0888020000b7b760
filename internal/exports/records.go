package exports

import (
	"context"
	"fmt"
	"io"

	"carnet/ent"
	"carnet/ent/contact"
	"carnet/ent/export"
	"carnet/ent/thirdparty"
	"carnet/internal/gid"
	"carnet/internal/labels"
)

// write writes j's file on w.
func (r *Runner) write(ctx context.Context, j job, w io.Writer, p *progress) (counts, error) {
	switch j.kind {
	case export.KindTHIRD_PARTIES:
		return r.thirdParties(ctx, j, w, p)
	case export.KindCONTACTS:
		return r.contacts(ctx, j, w, p)
	default:
		g, err := r.graph(ctx, j, p)
		if err != nil {
			return counts{}, err
		}
		return g.write(w, j.format, j.lang)
	}
}

// thirdPartyColumns are the columns of a THIRD_PARTIES export.
var thirdPartyColumns = []string{"id", "kind", "kindLabel", "status", "statusLabel", "code", "name", "legalName",
	"siren", "siret", "apeCode", "vatNumber", "addressLine1", "addressLine2", "addressLine3", "postalCode", "city", "country",
	"phone", "email", "website", "ownerId", "customFields", "createdAt", "updatedAt"}

func (r *Runner) thirdParties(ctx context.Context, j job, w io.Writer, p *progress) (counts, error) {
	t, err := newTable(w, j.format, thirdPartyColumns)
	if err != nil {
		return counts{}, err
	}
	after := 0
	for {
		page, err := r.client.ThirdParty.Query().Where(thirdparty.IDGT(after)).
			Order(ent.Asc(thirdparty.FieldID)).Limit(r.opt.PageSize).All(ctx)
		if err != nil {
			return counts{}, fmt.Errorf("exports: third parties after %d: %w", after, err)
		}
		for _, tp := range page {
			if err := t.row([]any{gid.Encode(tp.ID), tp.Kind, labels.Kind(tp.Kind, j.lang), tp.Status, labels.Status(tp.Kind, tp.Status, j.lang),
				tp.Code, tp.Name, tp.LegalName, tp.Siren, tp.Siret, tp.ApeCode, tp.VatNumber,
				tp.AddressLine1, tp.AddressLine2, tp.AddressLine3, tp.PostalCode, tp.City, tp.Country,
				tp.Phone, tp.Email, tp.Website, optionalID(tp.OwnerID), customFields(tp.CustomFields), tp.CreatedAt, tp.UpdatedAt}); err != nil {
				return counts{}, err
			}
		}
		if len(page) == 0 {
			break
		}
		after = page[len(page)-1].ID
		if err := p.page(len(page)); err != nil {
			return counts{}, err
		}
		if len(page) < r.opt.PageSize {
			break
		}
	}
	return counts{rows: p.rows}, t.close()
}

// contactColumns are the columns of a CONTACTS export.
var contactColumns = []string{"id", "thirdPartyId", "thirdPartyCode", "thirdPartyName", "civility", "firstName", "lastName",
	"jobTitle", "directLine", "mobile", "email", "customFields", "createdAt", "updatedAt"}

func (r *Runner) contacts(ctx context.Context, j job, w io.Writer, p *progress) (counts, error) {
	t, err := newTable(w, j.format, contactColumns)
	if err != nil {
		return counts{}, err
	}
	after := 0
	for {
		page, err := r.client.Contact.Query().Where(contact.IDGT(after)).
			Order(ent.Asc(contact.FieldID)).Limit(r.opt.PageSize).All(ctx)
		if err != nil {
			return counts{}, fmt.Errorf("exports: contacts after %d: %w", after, err)
		}
		// The page's third parties, in one statement per 500.
		ids := make([]int, 0, len(page))
		for _, c := range page {
			ids = append(ids, c.ThirdPartyID)
		}
		tps, err := r.thirdPartiesByID(ctx, ids)
		if err != nil {
			return counts{}, err
		}
		for _, c := range page {
			var code, name *string
			if tp := tps[c.ThirdPartyID]; tp != nil {
				code, name = tp.Code, &tp.Name
			}
			if err := t.row([]any{gid.Encode(c.ID), gid.Encode(c.ThirdPartyID), code, name, c.Civility, c.FirstName, c.LastName,
				c.JobTitle, c.DirectLine, c.Mobile, c.Email, customFields(c.CustomFields), c.CreatedAt, c.UpdatedAt}); err != nil {
				return counts{}, err
			}
		}
		if len(page) == 0 {
			break
		}
		after = page[len(page)-1].ID
		if err := p.page(len(page)); err != nil {
			return counts{}, err
		}
		if len(page) < r.opt.PageSize {
			break
		}
	}
	return counts{rows: p.rows}, t.close()
}

// thirdPartiesByID reads the third parties of ids the viewer sees, 500
// IDs per statement.
func (r *Runner) thirdPartiesByID(ctx context.Context, ids []int) (map[int]*ent.ThirdParty, error) {
	out := make(map[int]*ent.ThirdParty, len(ids))
	seen := make(map[int]bool, len(ids))
	var todo []int
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			todo = append(todo, id)
		}
	}
	for len(todo) > 0 {
		n := min(len(todo), 500)
		tps, err := r.client.ThirdParty.Query().Where(thirdparty.IDIn(todo[:n]...)).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("exports: third parties: %w", err)
		}
		for _, tp := range tps {
			out[tp.ID] = tp
		}
		todo = todo[n:]
	}
	return out, nil
}

// optionalID is the global ID of id, or nil.
func optionalID(id *int) any {
	if id == nil {
		return nil
	}
	return gid.Encode(*id)
}

// customFields is a record's custom values, an empty object for none.
func customFields(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}
