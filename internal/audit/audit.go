// Package audit keeps the audit trail: an ent hook on third parties and
// contacts records, in the transaction of each change, who created,
// changed or deleted which record, which fields, and their old and new
// values. Events are rows of their own (no foreign key): they outlive the
// record.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	gen "entgo.io/ent"

	"carnet/ent"
	"carnet/ent/auditevent"
	"carnet/ent/contact"
	"carnet/ent/privacy"
	"carnet/ent/thirdparty"
	"carnet/internal/viewer"
)

// skipped are fields whose changes are bookkeeping, not edits.
var skipped = map[string]bool{"updated_at": true, "created_at": true, "version": true, "network_id": true, "organisation_id": true}

// mutation is what the hook needs of a ThirdParty or Contact mutation.
type mutation interface {
	gen.Mutation
	ID() (int, bool)
	IDs(context.Context) ([]int, error)
	Client() *ent.Client
}

// loader reads the current rows of ids as field maps.
type loader func(ctx context.Context, client *ent.Client, ids []int) (map[int]map[string]any, error)

// ThirdParties is the audit hook of third parties.
func ThirdParties(next gen.Mutator) gen.Mutator {
	return hook("ThirdParty", func(ctx context.Context, c *ent.Client, ids []int) (map[int]map[string]any, error) {
		rows, err := c.ThirdParty.Query().Where(thirdparty.IDIn(ids...)).All(ctx)
		return fields(rows, func(r *ent.ThirdParty) int { return r.ID }, err)
	}, next)
}

// Contacts is the audit hook of contacts.
func Contacts(next gen.Mutator) gen.Mutator {
	return hook("Contact", func(ctx context.Context, c *ent.Client, ids []int) (map[int]map[string]any, error) {
		rows, err := c.Contact.Query().Where(contact.IDIn(ids...)).All(ctx)
		return fields(rows, func(r *ent.Contact) int { return r.ID }, err)
	}, next)
}

// fields turns rows into field maps by ID (through their JSON form, whose
// keys are the columns).
func fields[T any](rows []T, id func(T) int, err error) (map[int]map[string]any, error) {
	if err != nil {
		return nil, err
	}
	out := make(map[int]map[string]any, len(rows))
	for _, r := range rows {
		b, err := json.Marshal(r)
		if err != nil {
			return nil, err
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, err
		}
		delete(m, "edges")
		out[id(r)] = m
	}
	return out, nil
}

// plain is a value as JSON would carry it.
func plain(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

func hook(entity string, load loader, next gen.Mutator) gen.Mutator {
	return gen.MutateFunc(func(ctx context.Context, gm gen.Mutation) (gen.Value, error) {
		m, ok := gm.(mutation)
		if !ok {
			return next.Mutate(ctx, gm)
		}
		sys := privacy.DecisionContext(ctx, privacy.Allow)
		var before map[int]map[string]any
		if !m.Op().Is(gen.OpCreate) {
			ids, err := affected(sys, m)
			if err != nil {
				return nil, err
			}
			if len(ids) == 0 {
				return next.Mutate(ctx, m)
			}
			if before, err = load(sys, m.Client(), ids); err != nil {
				return nil, fmt.Errorf("audit: %w", err)
			}
		}
		v, err := next.Mutate(ctx, m)
		if err != nil {
			return v, err
		}
		var events []*ent.AuditEventCreate
		add := func(action auditevent.Action, id, org int, changes map[string]any) {
			if len(changes) == 0 {
				return
			}
			events = append(events, newEvent(ctx, m.Client(), action, entity, id, org, changes))
		}
		switch {
		case m.Op().Is(gen.OpCreate):
			after, err := fields([]any{v}, func(any) int { return 0 }, nil)
			if err != nil {
				return nil, fmt.Errorf("audit: %w", err)
			}
			row := after[0]
			changes := map[string]any{}
			for k, nv := range row {
				if !skipped[k] && nv != nil && k != "id" {
					changes[k] = map[string]any{"old": nil, "new": nv}
				}
			}
			add(auditevent.ActionCREATE, intOf(row["id"]), intOf(row["organisation_id"]), changes)
		case m.Op().Is(gen.OpDelete | gen.OpDeleteOne):
			for id, row := range before {
				changes := map[string]any{}
				for k, ov := range row {
					if !skipped[k] && ov != nil && k != "id" {
						changes[k] = map[string]any{"old": ov, "new": nil}
					}
				}
				add(auditevent.ActionDELETE, id, intOf(row["organisation_id"]), changes)
			}
		default:
			for id, row := range before {
				changes := map[string]any{}
				for _, f := range m.Fields() {
					nv, _ := m.Field(f)
					if nv, ov := plain(nv), row[f]; !skipped[f] && fmt.Sprint(nv) != fmt.Sprint(ov) {
						changes[f] = map[string]any{"old": ov, "new": nv}
					}
				}
				for _, f := range m.ClearedFields() {
					if ov := row[f]; !skipped[f] && ov != nil {
						changes[f] = map[string]any{"old": ov, "new": nil}
					}
				}
				add(auditevent.ActionUPDATE, id, intOf(row["organisation_id"]), changes)
			}
		}
		if len(events) > 0 {
			if err := m.Client().AuditEvent.CreateBulk(events...).Exec(sys); err != nil {
				return nil, fmt.Errorf("audit: %w", err)
			}
		}
		return v, nil
	})
}

func affected(ctx context.Context, m mutation) ([]int, error) {
	if id, ok := m.ID(); ok && m.Op().Is(gen.OpUpdateOne|gen.OpDeleteOne) {
		return []int{id}, nil
	}
	return m.IDs(ctx)
}

func intOf(v any) int {
	f, _ := v.(float64)
	return int(f)
}

// newEvent prepares the event of a change by the viewer (or the system).
func newEvent(ctx context.Context, client *ent.Client, action auditevent.Action, entity string, id, org int, changes map[string]any) *ent.AuditEventCreate {
	c := client.AuditEvent.Create().SetOrganisationID(org).SetAction(action).SetEntity(entity).
		SetRecordID(id).SetChanges(changes).SetActor("system")
	if v := viewer.FromContext(ctx); v != nil && v.UserID != 0 {
		c.SetActorID(v.UserID).SetActor(fmt.Sprintf("user %d", v.UserID))
		if u, err := client.User.Get(privacy.DecisionContext(ctx, privacy.Allow), v.UserID); err == nil {
			c.SetActor(u.Name)
		}
	}
	return c
}

// Change is one field of an event, as the API shows it.
type Change struct {
	Field string  `json:"field"`
	Old   *string `json:"old"`
	New   *string `json:"new"`
}

// Changes lists the fields of an event by name.
func Changes(e *ent.AuditEvent) []*Change {
	out := make([]*Change, 0, len(e.Changes))
	for f, v := range e.Changes {
		m, _ := v.(map[string]any)
		out = append(out, &Change{Field: f, Old: text(m["old"]), New: text(m["new"])})
	}
	slices.SortFunc(out, func(a, b *Change) int { return strings.Compare(a.Field, b.Field) })
	return out
}

func text(v any) *string {
	if v == nil {
		return nil
	}
	b, _ := json.Marshal(v)
	s := string(b)
	return &s
}
