// Package audit keeps the audit trail: an ent hook on every record a user
// edits (third parties, contacts, links, activities, documents,
// opportunities, and the administration's users, tokens, link types,
// custom fields and print templates) records, in the transaction of each
// change, who created, changed or deleted which record, which fields, and
// their old and new values. Events are rows of their own (no foreign
// key): they outlive the record. Sensitive fields (token hashes) never
// reach the trail: rows are read through their JSON form, which omits
// them.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	entgo "entgo.io/ent"

	"carnet/ent"
	"carnet/ent/activity"
	"carnet/ent/auditevent"
	"carnet/ent/contact"
	"carnet/ent/customfielddefinition"
	"carnet/ent/document"
	"carnet/ent/filiationlink"
	"carnet/ent/linktype"
	"carnet/ent/managementlink"
	"carnet/ent/opportunity"
	"carnet/ent/printtemplate"
	"carnet/ent/privacy"
	"carnet/ent/thirdparty"
	"carnet/ent/token"
	"carnet/ent/user"
	"carnet/internal/viewer"
)

// skipped are fields whose changes are bookkeeping, not edits.
var skipped = map[string]bool{
	"updated_at": true, "created_at": true, "version": true, "network_id": true,
	"organisation_id": true, "last_used_at": true,
	"relation": true, // a filiation link's derived key
}

// bookkeeping tells whether an update touches skipped fields only (a
// token's last use, a filiation network's renumbering): it records
// nothing, so the hook does not even read the rows.
func bookkeeping(m entgo.Mutation) bool {
	if !m.Op().Is(entgo.OpUpdate|entgo.OpUpdateOne) || touchesEdges(m) {
		return false
	}
	for _, f := range append(m.Fields(), m.ClearedFields()...) {
		if !skipped[f] {
			return false
		}
	}
	return true
}

// mutation is what the hook needs of a ThirdParty or Contact mutation.
type mutation interface {
	entgo.Mutation
	ID() (int, bool)
	IDs(context.Context) ([]int, error)
	Client() *ent.Client
}

// loader reads the current rows of ids as field maps.
type loader func(ctx context.Context, client *ent.Client, ids []int) (map[int]map[string]any, error)

// ThirdParties is the audit hook of third parties.
func ThirdParties(next entgo.Mutator) entgo.Mutator {
	return hook("ThirdParty", rowsOf(func(ctx context.Context, c *ent.Client, ids []int) ([]*ent.ThirdParty, error) {
		return c.ThirdParty.Query().Where(thirdparty.IDIn(ids...)).All(ctx)
	}, func(r *ent.ThirdParty) int { return r.ID }), next)
}

// Contacts is the audit hook of contacts.
func Contacts(next entgo.Mutator) entgo.Mutator {
	return hook("Contact", rowsOf(func(ctx context.Context, c *ent.Client, ids []int) ([]*ent.Contact, error) {
		return c.Contact.Query().Where(contact.IDIn(ids...)).All(ctx)
	}, func(r *ent.Contact) int { return r.ID }), next)
}

// ManagementLinks is the audit hook of management links.
func ManagementLinks(next entgo.Mutator) entgo.Mutator {
	return hook("ManagementLink", rowsOf(func(ctx context.Context, c *ent.Client, ids []int) ([]*ent.ManagementLink, error) {
		return c.ManagementLink.Query().Where(managementlink.IDIn(ids...)).All(ctx)
	}, func(r *ent.ManagementLink) int { return r.ID }), next)
}

// FiliationLinks is the audit hook of filiation links.
func FiliationLinks(next entgo.Mutator) entgo.Mutator {
	return hook("FiliationLink", rowsOf(func(ctx context.Context, c *ent.Client, ids []int) ([]*ent.FiliationLink, error) {
		return c.FiliationLink.Query().Where(filiationlink.IDIn(ids...)).All(ctx)
	}, func(r *ent.FiliationLink) int { return r.ID }), next)
}

// Activities is the audit hook of activities.
func Activities(next entgo.Mutator) entgo.Mutator {
	return hook("Activity", rowsOf(func(ctx context.Context, c *ent.Client, ids []int) ([]*ent.Activity, error) {
		return c.Activity.Query().Where(activity.IDIn(ids...)).All(ctx)
	}, func(r *ent.Activity) int { return r.ID }), next)
}

// Documents is the audit hook of documents (their metadata: the file
// itself is not copied into the trail).
func Documents(next entgo.Mutator) entgo.Mutator {
	return hook("Document", rowsOf(func(ctx context.Context, c *ent.Client, ids []int) ([]*ent.Document, error) {
		return c.Document.Query().Where(document.IDIn(ids...)).All(ctx)
	}, func(r *ent.Document) int { return r.ID }), next)
}

// Opportunities is the audit hook of opportunities, their contacts
// included (an edge: the row's "contacts", their sorted IDs).
func Opportunities(next entgo.Mutator) entgo.Mutator {
	return hook("Opportunity", func(ctx context.Context, c *ent.Client, ids []int) (map[int]map[string]any, error) {
		rows, err := c.Opportunity.Query().Where(opportunity.IDIn(ids...)).
			WithContacts(func(q *ent.ContactQuery) { q.Select(contact.FieldID) }).All(ctx)
		out, err := fields(rows, func(r *ent.Opportunity) int { return r.ID }, err)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			cs := make([]int, len(r.Edges.Contacts))
			for i, c := range r.Edges.Contacts {
				cs[i] = c.ID
			}
			slices.Sort(cs)
			out[r.ID]["contacts"] = plain(cs)
		}
		return out, nil
	}, next)
}

// edgeFields are the edges audited as fields of their records' rows
// (their loaders put them there): changed by the mutation's edges, not
// its fields.
var edgeFields = map[string]bool{"contacts": true}

// Users is the audit hook of users (rights, activation).
func Users(next entgo.Mutator) entgo.Mutator {
	return hook("User", rowsOf(func(ctx context.Context, c *ent.Client, ids []int) ([]*ent.User, error) {
		return c.User.Query().Where(user.IDIn(ids...)).All(ctx)
	}, func(r *ent.User) int { return r.ID }), next)
}

// Tokens is the audit hook of API tokens (issue and revocation; the
// token's hash is sensitive and never recorded).
func Tokens(next entgo.Mutator) entgo.Mutator {
	return hook("Token", rowsOf(func(ctx context.Context, c *ent.Client, ids []int) ([]*ent.Token, error) {
		return c.Token.Query().Where(token.IDIn(ids...)).All(ctx)
	}, func(r *ent.Token) int { return r.ID }), next)
}

// LinkTypes is the audit hook of link types.
func LinkTypes(next entgo.Mutator) entgo.Mutator {
	return hook("LinkType", rowsOf(func(ctx context.Context, c *ent.Client, ids []int) ([]*ent.LinkType, error) {
		return c.LinkType.Query().Where(linktype.IDIn(ids...)).All(ctx)
	}, func(r *ent.LinkType) int { return r.ID }), next)
}

// CustomFieldDefinitions is the audit hook of custom field definitions.
func CustomFieldDefinitions(next entgo.Mutator) entgo.Mutator {
	return hook("CustomFieldDefinition", rowsOf(func(ctx context.Context, c *ent.Client, ids []int) ([]*ent.CustomFieldDefinition, error) {
		return c.CustomFieldDefinition.Query().Where(customfielddefinition.IDIn(ids...)).All(ctx)
	}, func(r *ent.CustomFieldDefinition) int { return r.ID }), next)
}

// PrintTemplates is the audit hook of print templates.
func PrintTemplates(next entgo.Mutator) entgo.Mutator {
	return hook("PrintTemplate", rowsOf(func(ctx context.Context, c *ent.Client, ids []int) ([]*ent.PrintTemplate, error) {
		return c.PrintTemplate.Query().Where(printtemplate.IDIn(ids...)).All(ctx)
	}, func(r *ent.PrintTemplate) int { return r.ID }), next)
}

// rowsOf makes a loader of a typed query.
func rowsOf[T any](query func(context.Context, *ent.Client, []int) ([]T, error), id func(T) int) loader {
	return func(ctx context.Context, c *ent.Client, ids []int) (map[int]map[string]any, error) {
		rows, err := query(ctx, c, ids)
		return fields(rows, id, err)
	}
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

func hook(entity string, load loader, next entgo.Mutator) entgo.Mutator {
	return entgo.MutateFunc(func(ctx context.Context, gm entgo.Mutation) (entgo.Value, error) {
		m, ok := gm.(mutation)
		if !ok || bookkeeping(m) {
			return next.Mutate(ctx, gm)
		}
		sys := privacy.DecisionContext(ctx, privacy.Allow)
		var before map[int]map[string]any
		if !m.Op().Is(entgo.OpCreate) {
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
		rows := map[int]map[string]any{} // each event's record, after the change (before a deletion)
		add := func(action auditevent.Action, id, org int, changes map[string]any) {
			if len(changes) == 0 {
				return
			}
			e := newEvent(ctx, m.Client(), action, entity, id, org, changes)
			if tp, linked := owners(sys, m.Client(), entity, id, rows[id]); tp != nil {
				e.SetNillableThirdPartyID(tp).SetNillableLinkedThirdPartyID(linked)
			}
			events = append(events, e)
		}
		switch {
		case m.Op().Is(entgo.OpCreate):
			after, err := fields([]any{v}, func(any) int { return 0 }, nil)
			if err != nil {
				return nil, fmt.Errorf("audit: %w", err)
			}
			row := after[0]
			rows[intOf(row["id"])] = row
			changes := map[string]any{}
			for k, nv := range row {
				if !skipped[k] && nv != nil && k != "id" {
					changes[k] = map[string]any{"old": nil, "new": nv}
				}
			}
			for _, e := range m.AddedEdges() {
				if edgeFields[e] {
					var ids []int
					for _, id := range m.AddedIDs(e) {
						if n, ok := id.(int); ok {
							ids = append(ids, n)
						}
					}
					slices.Sort(ids)
					changes[e] = map[string]any{"old": nil, "new": plain(ids)}
				}
			}
			add(auditevent.ActionCREATE, intOf(row["id"]), intOf(row["organisation_id"]), changes)
		case m.Op().Is(entgo.OpDelete | entgo.OpDeleteOne):
			rows = before
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
			// Audited edges changed: the rows after, read again.
			var after map[int]map[string]any
			if touchesEdges(m) {
				var err error
				if after, err = load(sys, m.Client(), slices.Collect(maps.Keys(before))); err != nil {
					return nil, fmt.Errorf("audit: %w", err)
				}
			}
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
				for e := range edgeFields {
					if nv, ok := after[id][e]; ok && fmt.Sprint(row[e]) != fmt.Sprint(nv) {
						changes[e] = map[string]any{"old": row[e], "new": nv}
					}
				}
				now := maps.Clone(row)
				for f, c := range changes {
					now[f] = c.(map[string]any)["new"]
				}
				rows[id] = now
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

// touchesEdges tells whether m adds, removes or clears an audited edge.
func touchesEdges(m entgo.Mutation) bool {
	for _, e := range slices.Concat(m.AddedEdges(), m.RemovedEdges(), m.ClearedEdges()) {
		if edgeFields[e] {
			return true
		}
	}
	return false
}

func affected(ctx context.Context, m mutation) ([]int, error) {
	if id, ok := m.ID(); ok && m.Op().Is(entgo.OpUpdateOne|entgo.OpDeleteOne) {
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

// owners returns the third party that the record of an event is or hangs
// on, and a link's other one: the closed-client rule of the trail reads
// them. A contact's or an opportunity's third party is read when an
// activity or a document names only those.
func owners(ctx context.Context, client *ent.Client, entity string, id int, row map[string]any) (tp, linked *int) {
	ref := func(key string) *int {
		if v, ok := row[key].(float64); ok && v != 0 {
			n := int(v)
			return &n
		}
		return nil
	}
	of := func(key string, query func(int) (int, error)) *int {
		if ref := ref(key); ref != nil {
			if n, err := query(*ref); err == nil {
				return &n
			}
		}
		return nil
	}
	contactOwner := func(id int) (int, error) {
		return client.Contact.Query().Where(contact.ID(id)).Select(contact.FieldThirdPartyID).Int(ctx)
	}
	switch entity {
	case "ThirdParty":
		return &id, nil
	case "Contact", "Opportunity":
		return ref("third_party_id"), nil
	case "ManagementLink", "FiliationLink":
		return ref("third_party_id"), ref("linked_third_party_id")
	case "Document":
		if tp := ref("third_party_id"); tp != nil {
			return tp, nil
		}
		return of("contact_id", contactOwner), nil
	case "Activity":
		if tp := ref("third_party_id"); tp != nil {
			return tp, nil
		}
		if tp := of("contact_id", contactOwner); tp != nil {
			return tp, nil
		}
		return of("opportunity_id", func(id int) (int, error) {
			return client.Opportunity.Query().Where(opportunity.ID(id)).Select(opportunity.FieldThirdPartyID).Int(ctx)
		}), nil
	}
	return nil, nil
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

// Record adds an event that no single row change describes (a merge: the
// kept record, the records merged into it and what moved), in the
// caller's transaction, as the viewer; changes maps each field to its old
// and new values like the hooks' events. thirdParty is the third party
// the record is or hangs on (the closed-client rule reads it).
func Record(ctx context.Context, client *ent.Client, entity string, id, org int, thirdParty *int, changes map[string]any) error {
	sys := privacy.DecisionContext(ctx, privacy.Allow)
	e := newEvent(ctx, client, auditevent.ActionUPDATE, entity, id, org, changes).SetNillableThirdPartyID(thirdParty)
	if err := e.Exec(sys); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}
