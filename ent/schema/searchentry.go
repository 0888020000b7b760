package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// SearchEntry is one word of a searchable record (a third party or a
// contact), folded by search.Fold: the search field's index. Entries are
// written by the hooks of ThirdParty and Contact in the transaction of
// every change, so search never scans the records themselves. See
// internal/search for the design.
type SearchEntry struct {
	ent.Schema
}

// Fields of the SearchEntry.
func (SearchEntry) Fields() []ent.Field {
	return []ent.Field{
		field.Int("record_id").
			Comment("Global ID of the third party or contact."),
		field.Int("third_party_id").
			Comment("The third party: the record itself, or the contact's."),
		field.String("kind").
			Comment("CONTACT, PROSPECT, CLIENT, SUPPLIER or OTHER."),
		field.Bool("closed").
			Comment("A closed client or one of its contacts: needs right 191516."),
		field.String("word").
			Comment("One folded word of the record's name, code or identifiers."),
		field.Bool("leading").
			Comment("The word starts the record's label (a contact: its first or last name)."),
		field.String("label").
			Comment("The folded label of the record, for exact matches and ordering."),
		field.Text("terms").
			Default("").
			Comment("Every folded word of the record, each after a space (two before a leading word): the other words of a multi-word query are matched on it (LIKE '% word%') in the word index."),
	}
}

// Mixin of the SearchEntry.
func (SearchEntry) Mixin() []ent.Mixin {
	return []ent.Mixin{TenantMixin{}}
}

// Indexes of the SearchEntry.
func (SearchEntry) Indexes() []ent.Index {
	return []ent.Index{
		// Word prefixes, in result order: (word, label, record). Searches
		// also read kind, closed and leading (the kinds asked for, the
		// closed-client rule, the tier): on PostgreSQL they are included,
		// so that tiers are index-only scans and never visit the table.
		// Multi-word queries read it alone too: terms holds the record's
		// other words, so no probe per candidate is needed.
		index.Fields("organisation_id", "word", "label", "record_id").
			Annotations(entsql.IncludeColumns("kind", "closed", "leading", "terms")),
		// Prefixes of leading words first: a partial index of the leading
		// entries only (a quarter of them), which searches name by the
		// literal condition "leading" (a bound parameter would not match
		// the index's predicate in a generic plan).
		index.Fields("organisation_id", "word", "label", "record_id").
			StorageKey("searchentry_leading_word").
			Annotations(entsql.IncludeColumns("kind", "closed"), entsql.IndexWhere(`"leading"`)),
		// Re-indexing or removing a record.
		index.Fields("record_id"),
		// Closing a client closes its contacts' entries.
		index.Fields("third_party_id"),
		// Infixes go through the vocabulary (SearchWord and its trigram
		// index), then by exact word here: no trigram index on entries.
	}
}

// SQLiteKeyColumns are columns that SQLite's migrations append to the key
// of indexes (by name), since SQLite has no INCLUDE: the search tiers then
// read these indexes only, as on PostgreSQL, rather than the table row of
// every entry they check. The leading index gets terms (and leading, the
// condition of its rows) on SQLite too: there a multi-word query's leading
// tier probed a row per candidate, up to tens of milliseconds at 100,000
// third parties, where reading the index alone takes about one
// (cmd/migrategen applies them).
var SQLiteKeyColumns = map[string][]string{
	"searchentry_organisation_id_word_label_record_id": {"kind", "closed", "leading", "terms"},
	"searchentry_leading_word":                         {"kind", "closed", "leading", "terms"},
}

// Annotations of the SearchEntry.
func (SearchEntry) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
