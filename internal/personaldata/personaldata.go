// Package personaldata answers a person's rights over what Carnet holds
// about them (GDPR): the export of everything about a contact, its
// definitive erasure, and the retention report of contacts left
// untouched.
//
// All three need right 100009 (administer): the export and the erasure
// read and rewrite the audit trail, which only administrators read; the
// organisation's data steward is one of them.
package personaldata

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"carnet/ent"
	"carnet/ent/activity"
	"carnet/ent/auditevent"
	"carnet/ent/contact"
	"carnet/ent/document"
	"carnet/ent/export"
	"carnet/ent/opportunity"
	"carnet/ent/searchentry"
	"carnet/ent/searchword"
	"carnet/internal/audit"
	"carnet/internal/auth"
	"carnet/internal/db"
	"carnet/internal/db/rowlock"
	"carnet/internal/documents"
	"carnet/internal/errs"
	"carnet/internal/gid"
	"carnet/internal/printing"
	"carnet/internal/rights"
	"carnet/internal/viewer"
)

// Erased replaces every erased value: in activities' texts and in the
// audit trail.
const Erased = "[effacé]"

// Audit entities of the events this package writes: they hold the
// contact's ID and nothing else about the person.
const (
	EntityExport  = "PersonalDataExport"
	EntityErasure = "PersonalDataErasure"
)

// getContact returns contact id as the viewer sees it, after the right
// check (right 100009).
func getContact(ctx context.Context, client *ent.Client, id int) (*ent.Contact, error) {
	if err := auth.Require(ctx, rights.Administer); err != nil {
		return nil, err
	}
	c, err := client.Contact.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, errs.E(errs.NotFound, "no contact with ID %s", gid.Encode(id))
	}
	if err != nil {
		return nil, fmt.Errorf("personaldata: contact: %w", err)
	}
	return c, nil
}

// Document is the export: what Carnet holds about one person.
type Document struct {
	ExportedAt   time.Time         `json:"exportedAt"`
	Contact      map[string]any    `json:"contact"`
	ThirdParty   map[string]any    `json:"thirdParty"`
	Activities   []map[string]any  `json:"activities"`
	Documents    []map[string]any  `json:"documents"`
	AuditEvents  []map[string]any  `json:"auditEvents"`
	Explanations map[string]string `json:"explanations"`
}

// Export writes everything Carnet holds about contact id (its fields,
// its third party's name, the activities that name it, its documents,
// the audit events of all of these) as one JSON file, downloadable like
// a print (unlisted, kept 24 hours, deleted with the contact), and
// records the export in the audit trail (right 100009).
func Export(ctx context.Context, client *ent.Client, store *documents.Store, id int) (*printing.Result, error) {
	c, err := getContact(ctx, client, id)
	if err != nil {
		return nil, err
	}
	if store == nil {
		return nil, errs.E(errs.Internal, "document storage is not configured")
	}
	doc, err := Collect(ctx, client, c)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("personaldata: encode: %w", err)
	}
	name := "personal-data-" + gid.Encode(c.ID) + ".json"
	saved, err := documents.Save(ctx, client, store, documents.Owner{ContactID: &c.ID}, name, name, &buf, false)
	if err != nil {
		return nil, err
	}
	const jsonType = "application/json"
	if saved, err = client.Document.UpdateOne(saved).SetContentType(jsonType).Save(auth.System(ctx)); err != nil {
		return nil, fmt.Errorf("personaldata: export type: %w", err)
	}
	err = audit.Record(ctx, client, auditevent.ActionCREATE, EntityExport, c.ID, &c.ThirdPartyID,
		map[string]any{"document": map[string]any{"old": nil, "new": saved.ID}})
	if err != nil {
		return nil, err
	}
	return &printing.Result{URL: documents.URL(ctx, gid.Encode(saved.ID)), Filename: name, ContentType: jsonType}, nil
}

// Collect gathers what Carnet holds about contact c. Read as the system
// once the right was checked: every activity naming the person counts,
// whoever may read it.
func Collect(ctx context.Context, client *ent.Client, c *ent.Contact) (*Document, error) {
	sys := auth.System(ctx)
	out := &Document{
		ExportedAt: time.Now().UTC(),
		Contact:    rowOf(c),
		Explanations: map[string]string{
			"contact":     "The person's record: every field, custom fields included.",
			"thirdParty":  "The prospect or client the person belongs to.",
			"activities":  "Calls, meetings, e-mails, tasks and notes that name the person.",
			"documents":   "Files attached to the person (the bytes are downloadable from Carnet).",
			"auditEvents": "Every recorded change of the person's record, of those activities and of those documents.",
		},
		Activities:  []map[string]any{},
		Documents:   []map[string]any{},
		AuditEvents: []map[string]any{},
	}
	out.Contact["id"] = gid.Encode(c.ID)
	if tp, err := client.ThirdParty.Get(sys, c.ThirdPartyID); err == nil {
		out.ThirdParty = map[string]any{"id": gid.Encode(tp.ID), "name": tp.Name, "kind": tp.Kind}
	} else if !ent.IsNotFound(err) {
		return nil, fmt.Errorf("personaldata: third party: %w", err)
	}
	records := []int{c.ID}
	acts, err := client.Activity.Query().Where(activity.ContactID(c.ID)).Order(ent.Asc(activity.FieldID)).All(sys)
	if err != nil {
		return nil, fmt.Errorf("personaldata: activities: %w", err)
	}
	for _, a := range acts {
		row := rowOf(a)
		row["id"] = gid.Encode(a.ID)
		out.Activities = append(out.Activities, row)
		records = append(records, a.ID)
	}
	docs, err := client.Document.Query().Where(document.ContactID(c.ID), document.Listed(true)).Order(ent.Asc(document.FieldID)).All(sys)
	if err != nil {
		return nil, fmt.Errorf("personaldata: documents: %w", err)
	}
	for _, d := range docs {
		out.Documents = append(out.Documents, map[string]any{
			"id": gid.Encode(d.ID), "title": d.Title, "filename": d.Filename, "contentType": d.ContentType,
			"size": d.Size, "sha256": d.Sha256, "createdAt": d.CreatedAt,
		})
		records = append(records, d.ID)
	}
	events, err := client.AuditEvent.Query().Where(auditevent.RecordIDIn(records...)).Order(ent.Asc(auditevent.FieldID)).All(sys)
	if err != nil {
		return nil, fmt.Errorf("personaldata: audit events: %w", err)
	}
	for _, e := range events {
		out.AuditEvents = append(out.AuditEvents, map[string]any{
			"id": gid.Encode(e.ID), "createdAt": e.CreatedAt, "actor": e.Actor, "action": e.Action,
			"entity": e.Entity, "recordId": gid.Encode(e.RecordID), "changes": e.Changes,
		})
	}
	return out, nil
}

// rowOf is v's JSON form as a map (its columns, without edges and
// tenancy).
func rowOf(v any) map[string]any {
	b, _ := json.Marshal(v)
	m := map[string]any{}
	_ = json.Unmarshal(b, &m)
	delete(m, "edges")
	delete(m, "organisation_id")
	return m
}

// Erase deletes contact id for good and removes the person from what
// stays (right 100009), in the operation's transaction:
//
//   - the activities that name the contact stay with their third party,
//     without the contact, the person's name, e-mail and phones in their
//     subject and notes replaced by [effacé]; so do the opportunities
//     that name it (their name);
//   - the contact's documents (its files, its vCards, its personal data
//     exports) are deleted, and the third party's unattached printed
//     sheets (they list its contacts); documents of the third party stay;
//   - the organisation's CONTACTS exports are deleted (they list every
//     contact);
//   - the contact's search entries go with it, and the words of the
//     vocabulary no other entry uses;
//   - the audit events of the contact, of those activities, opportunities and documents
//     have every value that names the person replaced by [effacé]; the
//     organisation's other events have the person's full name, e-mail
//     and phones replaced.
//
// Files are removed only once the transaction commits. version, when
// given, must be the contact's (else CONFLICT).
func Erase(ctx context.Context, client *ent.Client, id int, version *int) error {
	c, err := getContact(ctx, client, id)
	if err != nil {
		return err
	}
	if version != nil && *version != c.Version {
		return errs.E(errs.Conflict, "the record was changed since version %d (it is now at version %d or later): reload it and apply your change again", *version, c.Version)
	}
	sys := auth.System(ctx)
	org := viewer.FromContext(ctx).OrgID
	if _, err := client.Contact.Query().Where(contact.ID(id)).Unique(false).Modify(rowlock.ForUpdate).IDs(sys); err != nil {
		return fmt.Errorf("personaldata: lock contact: %w", err)
	}
	wide, narrow := needles(c)

	// Activities: kept with their third party, without the person.
	acts, err := client.Activity.Query().Where(activity.ContactID(id)).All(sys)
	if err != nil {
		return fmt.Errorf("personaldata: activities: %w", err)
	}
	records := []int{id}
	for _, a := range acts {
		records = append(records, a.ID)
		u := client.Activity.UpdateOne(a).ClearContact().SetSubject(scrub(a.Subject, narrow))
		if a.Notes != nil {
			u.SetNotes(scrub(*a.Notes, narrow))
		}
		if err := u.Exec(sys); err != nil {
			return fmt.Errorf("personaldata: activity %d: %w", a.ID, err)
		}
	}

	// Opportunities that name the contact keep it off their name; the
	// link itself goes with the contact.
	opps, err := client.Opportunity.Query().Where(opportunity.HasContactsWith(contact.ID(id))).All(sys)
	if err != nil {
		return fmt.Errorf("personaldata: opportunities: %w", err)
	}
	for _, o := range opps {
		records = append(records, o.ID)
		if name := scrub(o.Name, narrow); name != o.Name {
			if err := client.Opportunity.UpdateOne(o).SetName(name).Exec(sys); err != nil {
				return fmt.Errorf("personaldata: opportunity %d: %w", o.ID, err)
			}
		}
	}

	// Documents: the contact's, and the third party's unattached prints.
	docs, err := client.Document.Query().
		Where(document.Or(document.ContactID(id), document.And(document.ThirdPartyID(c.ThirdPartyID), document.Listed(false)))).
		IDs(sys)
	if err != nil {
		return fmt.Errorf("personaldata: documents: %w", err)
	}
	records = append(records, docs...)
	if len(docs) > 0 {
		if _, err := client.Document.Delete().Where(document.IDIn(docs...)).Exec(sys); err != nil {
			return fmt.Errorf("personaldata: delete documents: %w", err)
		}
	}
	if err := deleteContactExports(ctx, client, org); err != nil {
		return err
	}

	words, err := client.SearchEntry.Query().Where(searchentry.RecordID(id)).Select(searchentry.FieldWord).Strings(sys)
	if err != nil {
		return fmt.Errorf("personaldata: search words: %w", err)
	}
	// As the system: right 100009 was checked, and the erasure does not
	// also need the right to delete records (100003).
	if err := client.Contact.DeleteOneID(id).Exec(sys); err != nil {
		return fmt.Errorf("personaldata: delete contact: %w", err)
	}
	if len(words) > 0 {
		_, err := client.SearchWord.Delete().Where(searchword.OrganisationID(org), searchword.WordIn(words...),
			func(s *sql.Selector) {
				e := sql.Table(searchentry.Table)
				s.Where(sql.Not(sql.Exists(sql.Select(e.C(searchentry.FieldID)).From(e).Where(sql.And(
					sql.ColumnsEQ(e.C(searchentry.FieldOrganisationID), s.C(searchword.FieldOrganisationID)),
					sql.ColumnsEQ(e.C(searchentry.FieldWord), s.C(searchword.FieldWord)),
				)))))
			}).Exec(sys)
		if err != nil {
			return fmt.Errorf("personaldata: search vocabulary: %w", err)
		}
	}

	// The audit trail, last: the changes above wrote events too.
	if err := scrubEvents(ctx, client, org, records, wide, narrow); err != nil {
		return err
	}
	return audit.Record(ctx, client, auditevent.ActionDELETE, EntityErasure, id, &c.ThirdPartyID,
		map[string]any{"erased": map[string]any{"old": nil, "new": true}})
}

// deleteContactExports deletes the organisation's CONTACTS exports; their
// files go once the transaction commits.
func deleteContactExports(ctx context.Context, client *ent.Client, org int) error {
	sys := auth.System(ctx)
	exps, err := client.Export.Query().Where(export.OrganisationID(org), export.KindEQ(export.KindCONTACTS)).All(sys)
	if err != nil {
		return fmt.Errorf("personaldata: exports: %w", err)
	}
	if len(exps) == 0 {
		return nil
	}
	var ids []int
	var keys []string
	for _, e := range exps {
		ids = append(ids, e.ID)
		if e.StorageKey != nil {
			keys = append(keys, *e.StorageKey)
		}
	}
	if _, err := client.Export.Delete().Where(export.IDIn(ids...)).Exec(sys); err != nil {
		return fmt.Errorf("personaldata: delete exports: %w", err)
	}
	store := documents.StoreFrom(ctx)
	if store == nil || len(keys) == 0 {
		return nil
	}
	removeAll := func() {
		for _, k := range keys {
			_ = store.Remove(context.WithoutCancel(ctx), k)
		}
	}
	db.AfterCommit(ent.TxFromContext(ctx), removeAll)
	return nil
}

// needles are the strings that name the person: wide ones (full name,
// e-mail, phones) are erased wherever they appear in the organisation's
// audit trail; narrow ones add the first and last names alone, erased
// only in what names the person (its activities and their events), so
// that a namesake's records keep theirs.
func needles(c *ent.Contact) (wide, narrow []string) {
	add := func(list []string, s string) []string {
		s = strings.TrimSpace(s)
		if len([]rune(s)) < 2 {
			return list
		}
		return append(list, s)
	}
	first := ""
	if c.FirstName != nil {
		first = *c.FirstName
	}
	if first != "" {
		wide = add(wide, first+" "+c.LastName)
		wide = add(wide, c.LastName+" "+first)
	}
	for _, p := range []*string{c.Email, c.DirectLine, c.Mobile} {
		if p == nil {
			continue
		}
		wide = add(wide, *p)
		if strings.HasPrefix(*p, "+33") && len(*p) == 12 {
			wide = add(wide, "0"+(*p)[3:]) // the national form of a French number
		}
	}
	narrow = append(add(nil, c.LastName), wide...)
	narrow = add(narrow, first)
	// Longest first, so that "Jeanne Dupont" goes whole before "Dupont".
	sort.SliceStable(narrow, func(i, j int) bool { return len(narrow[i]) > len(narrow[j]) })
	sort.SliceStable(wide, func(i, j int) bool { return len(wide[i]) > len(wide[j]) })
	return wide, narrow
}

// scrub replaces every occurrence of the needles in s, whatever its case.
func scrub(s string, needles []string) string {
	for _, n := range needles {
		s = regexp.MustCompile("(?i)"+regexp.QuoteMeta(n)).ReplaceAllLiteralString(s, Erased)
	}
	return s
}

// scrubEvents rewrites the organisation's audit events that name the
// person: every value of the events of records (the contact, its
// activities and documents) goes through the narrow needles, and the
// contact's own values are replaced whole; other events through the
// wide needles.
func scrubEvents(ctx context.Context, client *ent.Client, org int, records []int, wide, narrow []string) error {
	sys := auth.System(ctx)
	events, err := client.AuditEvent.Query().Where(auditevent.OrganisationID(org), func(s *sql.Selector) {
		col := s.C(auditevent.FieldChanges)
		if s.Dialect() == dialect.Postgres {
			col = "CAST(" + col + " AS TEXT)"
		}
		ors := []*sql.Predicate{sql.InInts(s.C(auditevent.FieldRecordID), records...)}
		for _, n := range wide {
			ors = append(ors, sql.P(func(b *sql.Builder) {
				b.WriteString("LOWER(" + col + ") LIKE ").Arg("%" + strings.ToLower(n) + "%")
			}))
		}
		s.Where(sql.Or(ors...))
	}).All(sys)
	if err != nil {
		return fmt.Errorf("personaldata: audit events: %w", err)
	}
	own := map[int]bool{}
	for _, r := range records {
		own[r] = true
	}
	for _, e := range events {
		var changes map[string]any
		switch {
		case e.Entity == "Contact" && e.RecordID == records[0]:
			changes = eraseValues(e.Changes)
		case own[e.RecordID]:
			changes = scrubValue(e.Changes, narrow).(map[string]any)
		default:
			changes = scrubValue(e.Changes, wide).(map[string]any)
		}
		b, err := json.Marshal(changes)
		if err != nil {
			return fmt.Errorf("personaldata: audit event %d: %w", e.ID, err)
		}
		err = client.AuditEvent.Update().Where(auditevent.ID(e.ID)).Modify(func(u *sql.UpdateBuilder) {
			u.Set(auditevent.FieldChanges, string(b))
		}).Exec(sys)
		if err != nil {
			return fmt.Errorf("personaldata: audit event %d: %w", e.ID, err)
		}
	}
	return nil
}

// eraseValues replaces every non-null old and new value of a contact's
// event, keeping which fields changed.
func eraseValues(changes map[string]any) map[string]any {
	out := make(map[string]any, len(changes))
	for f, ch := range changes {
		m, ok := ch.(map[string]any)
		if !ok {
			out[f] = Erased
			continue
		}
		c := map[string]any{}
		for k, v := range m {
			if v != nil {
				v = Erased
			}
			c[k] = v
		}
		out[f] = c
	}
	return out
}

// scrubValue replaces the needles in every string of v (a decoded JSON
// value).
func scrubValue(v any, needles []string) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = scrubValue(x, needles)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = scrubValue(x, needles)
		}
		return out
	case string:
		return scrub(t, needles)
	}
	return v
}
