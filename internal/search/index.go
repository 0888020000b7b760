package search

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	entgo "entgo.io/ent"

	"carnet/ent"
	"carnet/ent/contact"
	"carnet/ent/hook"
	"carnet/ent/privacy"
	"carnet/ent/schema/enum"
	"carnet/ent/searchentry"
	"carnet/ent/searchword"
	"carnet/ent/thirdparty"
)

// Entry is one row of the search index, as the bulk loader (carnet gen)
// writes it.
type Entry struct {
	RecordID, ThirdPartyID int
	Kind                   Kind
	Closed, Leading        bool
	Word, Label            string
	// Terms is every word of the record, each after a space, and after
	// two if it is leading (see Terms).
	Terms string
}

// withTerms sets the terms of entries, all of one record, to their words:
// each word after a space, a leading word after two. "% w%" then matches
// the records with a word starting with w, and the terms alone tell
// which words lead.
func withTerms(entries []Entry) []Entry {
	var b strings.Builder
	for _, e := range entries {
		if e.Leading {
			b.WriteByte(' ')
		}
		b.WriteByte(' ')
		b.WriteString(e.Word)
	}
	terms := b.String()
	for i := range entries {
		entries[i].Terms = terms
	}
	return entries
}

// isClosed reports whether a third party is a closed client.
func isClosed(kind enum.ThirdPartyKind, status thirdparty.Status) bool {
	return kind == enum.Client && status == thirdparty.StatusCLOSED
}

// ThirdPartyEntries returns the index entries of a third party: the
// words of its name (the first one leading), legal name and code, and its
// SIREN and SIRET as words.
func ThirdPartyEntries(id int, kind enum.ThirdPartyKind, status thirdparty.Status, name string, legalName, code, siren, siret *string) []Entry {
	label := Fold(name)
	base := Entry{RecordID: id, ThirdPartyID: id, Kind: Kind(kind), Closed: isClosed(kind, status), Label: label}
	var out []Entry
	seen := map[string]bool{}
	add := func(text string, leadingFirst bool) {
		for i, w := range Words(text) {
			leading := leadingFirst && i == 0
			if seen[w] && !leading {
				continue
			}
			seen[w] = true
			e := base
			e.Word, e.Leading = w, leading
			out = append(out, e)
		}
	}
	add(name, true)
	for _, s := range []*string{legalName, code, siren, siret} {
		if s != nil {
			add(*s, false)
		}
	}
	return withTerms(out)
}

// ContactEntries returns the index entries of a contact: the words of its
// first and last names, the first word of each leading.
func ContactEntries(id, thirdPartyID int, closed bool, firstName *string, lastName string) []Entry {
	label := Fold(contactLabel(firstName, lastName))
	base := Entry{RecordID: id, ThirdPartyID: thirdPartyID, Kind: Contact, Closed: closed, Label: label}
	var out []Entry
	seen := map[string]bool{}
	for _, text := range []string{lastName, deref(firstName)} {
		for i, w := range Words(text) {
			if seen[w] {
				continue
			}
			seen[w] = true
			e := base
			e.Word, e.Leading = w, i == 0
			out = append(out, e)
		}
	}
	return withTerms(out)
}

func contactLabel(firstName *string, lastName string) string {
	if firstName == nil || *firstName == "" {
		return lastName
	}
	return *firstName + " " + lastName
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// write replaces the entries of records ids by entries.
func write(ctx context.Context, client *ent.Client, orgID int, ids []int, entries []Entry) error {
	if len(ids) > 0 {
		if _, err := client.SearchEntry.Delete().Where(searchentry.RecordIDIn(ids...)).Exec(ctx); err != nil {
			return fmt.Errorf("search: clear entries: %w", err)
		}
	}
	if err := addWords(ctx, client, orgID, entries); err != nil {
		return err
	}
	const batch = 500
	for len(entries) > 0 {
		n := min(batch, len(entries))
		creates := make([]*ent.SearchEntryCreate, n)
		for i, e := range entries[:n] {
			creates[i] = client.SearchEntry.Create().SetOrganisationID(orgID).
				SetRecordID(e.RecordID).SetThirdPartyID(e.ThirdPartyID).SetKind(string(e.Kind)).
				SetClosed(e.Closed).SetWord(e.Word).SetLeading(e.Leading).SetLabel(e.Label).SetTerms(e.Terms)
		}
		if err := client.SearchEntry.CreateBulk(creates...).Exec(ctx); err != nil {
			return fmt.Errorf("search: write entries: %w", err)
		}
		entries = entries[n:]
	}
	return nil
}

// addWords records the words of entries in the organisation's
// vocabulary (words are never removed: a stale word only leads to an
// empty range).
func addWords(ctx context.Context, client *ent.Client, orgID int, entries []Entry) error {
	seen := map[string]bool{}
	var creates []*ent.SearchWordCreate
	for _, e := range entries {
		if !seen[e.Word] {
			seen[e.Word] = true
			creates = append(creates, client.SearchWord.Create().SetOrganisationID(orgID).SetWord(e.Word))
		}
	}
	if len(creates) == 0 {
		return nil
	}
	err := client.SearchWord.CreateBulk(creates...).
		OnConflictColumns(searchword.FieldOrganisationID, searchword.FieldWord).DoNothing().
		Exec(ctx)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("search: vocabulary: %w", err)
	}
	return nil
}

// system lets the index hooks read and write what the change touched,
// whatever the viewer may see: the change itself was already allowed.
func system(ctx context.Context) context.Context {
	return privacy.DecisionContext(ctx, privacy.Allow)
}

// reindexThirdParties rewrites the entries of third parties ids and the
// closed flag of their contacts' entries.
func reindexThirdParties(ctx context.Context, client *ent.Client, ids []int) error {
	ctx = system(ctx)
	tps, err := client.ThirdParty.Query().Where(thirdparty.IDIn(ids...)).All(ctx)
	if err != nil {
		return fmt.Errorf("search: reload third parties: %w", err)
	}
	for _, tp := range tps {
		entries := ThirdPartyEntries(tp.ID, tp.Kind, tp.Status, tp.Name, tp.LegalName, tp.Code, tp.Siren, tp.Siret)
		if err := write(ctx, client, tp.OrganisationID, []int{tp.ID}, entries); err != nil {
			return err
		}
		if err := client.SearchEntry.Update().
			Where(searchentry.ThirdPartyID(tp.ID), searchentry.Kind(string(Contact))).
			SetClosed(isClosed(tp.Kind, tp.Status)).
			Exec(ctx); err != nil {
			return fmt.Errorf("search: close contacts' entries: %w", err)
		}
	}
	return nil
}

// reindexContacts rewrites the entries of contacts ids.
func reindexContacts(ctx context.Context, client *ent.Client, ids []int) error {
	ctx = system(ctx)
	cs, err := client.Contact.Query().Where(contact.IDIn(ids...)).WithThirdParty().All(ctx)
	if err != nil {
		return fmt.Errorf("search: reload contacts: %w", err)
	}
	for _, c := range cs {
		tp := c.Edges.ThirdParty
		entries := ContactEntries(c.ID, c.ThirdPartyID, isClosed(tp.Kind, tp.Status), c.FirstName, c.LastName)
		if err := write(ctx, client, c.OrganisationID, []int{c.ID}, entries); err != nil {
			return err
		}
	}
	return nil
}

// remove deletes the entries of records ids (and, for third parties, of
// anything still attached to them).
func remove(ctx context.Context, client *ent.Client, ids []int) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := client.SearchEntry.Delete().
		Where(searchentry.Or(searchentry.RecordIDIn(ids...), searchentry.ThirdPartyIDIn(ids...))).
		Exec(system(ctx))
	if err != nil {
		return fmt.Errorf("search: remove entries: %w", err)
	}
	return nil
}

// indexed is what the index hooks need of a ThirdParty or Contact mutation.
type indexed interface {
	entgo.Mutation
	ID() (int, bool)
	IDs(context.Context) ([]int, error)
	Client() *ent.Client
}

// mutateAndIndex runs a mutation and keeps the index in step with it, in its
// transaction: new rows are indexed, deleted rows' entries removed, and
// updated rows re-indexed when they change a field the index uses
// (fields). reindex rewrites the entries of rows ids.
func mutateAndIndex(ctx context.Context, next entgo.Mutator, m indexed, fields []string, reindex func(context.Context, *ent.Client, []int) error) (entgo.Value, error) {
	if m.Op().Is(entgo.OpCreate) {
		v, err := next.Mutate(ctx, m)
		if err != nil {
			return nil, err
		}
		id, err := newID(v)
		if err != nil {
			return nil, err
		}
		return v, reindex(ctx, m.Client(), []int{id})
	}
	ids, err := affected(ctx, m)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	v, err := next.Mutate(ctx, m)
	if err != nil || len(ids) == 0 {
		return v, err
	}
	if m.Op().Is(entgo.OpDelete | entgo.OpDeleteOne) {
		return v, remove(ctx, m.Client(), ids)
	}
	if !touches(m, fields) {
		return v, nil
	}
	return v, reindex(ctx, m.Client(), ids)
}

// newID is the ID of the row a create returned.
func newID(v entgo.Value) (int, error) {
	switch r := v.(type) {
	case *ent.ThirdParty:
		return r.ID, nil
	case *ent.Contact:
		return r.ID, nil
	}
	return 0, fmt.Errorf("search: cannot index a %T", v)
}

// affected returns the IDs a mutation is about to change or delete.
func affected(ctx context.Context, m indexed) ([]int, error) {
	if id, ok := m.ID(); ok && m.Op().Is(entgo.OpUpdateOne|entgo.OpDeleteOne) {
		return []int{id}, nil
	}
	return m.IDs(system(ctx))
}

// touches reports whether an update sets or clears one of fields.
func touches(m entgo.Mutation, fields []string) bool {
	for _, f := range fields {
		if _, set := m.Field(f); set || m.FieldCleared(f) {
			return true
		}
	}
	return false
}

// ThirdPartyHook keeps the index of third parties in step with every
// create, update and delete, in the mutation's transaction.
func ThirdPartyHook(next entgo.Mutator) entgo.Mutator {
	return hook.ThirdPartyFunc(func(ctx context.Context, m *ent.ThirdPartyMutation) (entgo.Value, error) {
		return mutateAndIndex(ctx, next, m, []string{
			thirdparty.FieldName, thirdparty.FieldLegalName, thirdparty.FieldCode, thirdparty.FieldSiren,
			thirdparty.FieldSiret, thirdparty.FieldKind, thirdparty.FieldStatus,
		}, reindexThirdParties)
	})
}

// ContactHook keeps the index of contacts in step with every change.
func ContactHook(next entgo.Mutator) entgo.Mutator {
	return hook.ContactFunc(func(ctx context.Context, m *ent.ContactMutation) (entgo.Value, error) {
		return mutateAndIndex(ctx, next, m, []string{contact.FieldFirstName, contact.FieldLastName, contact.FieldThirdPartyID}, reindexContacts)
	})
}
