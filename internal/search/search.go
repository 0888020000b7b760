// Package search answers the search field of "Comptes & contacts": one
// query over contacts, prospects and clients (suppliers and other third
// parties when asked).
//
// This first version matches names case-insensitively with LIKE through
// ent (wildcards in the query are escaped, privacy rules apply as for any
// read); the search issue replaces it with normalised, indexed word keys.
package search

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"carnet/ent"
	"carnet/ent/contact"
	"carnet/ent/schema/enum"
	"carnet/ent/thirdparty"
	"carnet/internal/errs"
)

// Kind is what a hit is.
type Kind string

// The kinds of hits.
const (
	Contact  Kind = "CONTACT"
	Prospect Kind = "PROSPECT"
	Client   Kind = "CLIENT"
	Supplier Kind = "SUPPLIER"
	Other    Kind = "OTHER"
)

// defaultKinds are searched when the caller names none.
var defaultKinds = []Kind{Contact, Prospect, Client}

// MarshalGQL writes the kind as a GraphQL enum value.
func (k Kind) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(k))) }

// UnmarshalGQL reads a GraphQL enum value.
func (k *Kind) UnmarshalGQL(v any) error {
	s, _ := v.(string)
	switch Kind(s) {
	case Contact, Prospect, Client, Supplier, Other:
		*k = Kind(s)
		return nil
	}
	return fmt.Errorf("%v is not a SearchKind", v)
}

// Hit is one search result.
type Hit struct {
	Kind   Kind      `json:"kind"`
	Label  string    `json:"label"`
	Detail *string   `json:"detail"`
	Node   ent.Noder `json:"node"`
	rank   int
}

// Limits of a query.
const (
	MaxQueryLen = 100
	MaxFirst    = 100
)

// Search returns the best hits for query, first at most (default 10).
func Search(ctx context.Context, client *ent.Client, query string, first *int, kinds []Kind) ([]*Hit, error) {
	q := strings.Join(strings.Fields(strings.ReplaceAll(query, "\x00", " ")), " ")
	if q == "" {
		return nil, errs.Invalid("query", "query is empty")
	}
	if utf8.RuneCountInString(q) > MaxQueryLen {
		return nil, errs.Invalid("query", "query is longer than %d characters", MaxQueryLen)
	}
	n := 10
	if first != nil {
		n = *first
	}
	if n < 1 || n > MaxFirst {
		return nil, errs.Invalid("first", "first must be between 1 and %d", MaxFirst)
	}
	if len(kinds) == 0 {
		kinds = defaultKinds
	}
	var tpKinds []enum.ThirdPartyKind
	for _, k := range kinds {
		if k != Contact {
			tpKinds = append(tpKinds, enum.ThirdPartyKind(k))
		}
	}
	var hits []*Hit
	lower := strings.ToLower(q)
	if len(tpKinds) > 0 {
		tps, err := client.ThirdParty.Query().
			Where(thirdparty.KindIn(tpKinds...), thirdparty.Or(thirdparty.NameContainsFold(q), thirdparty.CodeContainsFold(q))).
			Order(ent.Asc(thirdparty.FieldName), ent.Asc(thirdparty.FieldID)).
			Limit(n).
			All(ctx)
		if err != nil {
			return nil, fmt.Errorf("search: third parties: %w", err)
		}
		for _, tp := range tps {
			hits = append(hits, &Hit{Kind: Kind(tp.Kind), Label: tp.Name, Detail: thirdPartyDetail(tp), Node: tp, rank: rank(lower, tp.Name)})
		}
	}
	if slices.Contains(kinds, Contact) {
		cs, err := client.Contact.Query().
			Where(contact.Or(contact.LastNameContainsFold(q), contact.FirstNameContainsFold(q))).
			WithThirdParty().
			Order(ent.Asc(contact.FieldLastName), ent.Asc(contact.FieldID)).
			Limit(n).
			All(ctx)
		if err != nil {
			return nil, fmt.Errorf("search: contacts: %w", err)
		}
		for _, c := range cs {
			label := c.LastName
			if c.FirstName != nil {
				label = *c.FirstName + " " + c.LastName
			}
			hits = append(hits, &Hit{Kind: Contact, Label: label, Detail: contactDetail(c), Node: c, rank: rank(lower, label)})
		}
	}
	slices.SortStableFunc(hits, func(a, b *Hit) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		return strings.Compare(strings.ToLower(a.Label), strings.ToLower(b.Label))
	})
	if len(hits) > n {
		hits = hits[:n]
	}
	return hits, nil
}

// rank orders hits: the whole label, then a prefix of it, then a prefix
// of another word, then anything else.
func rank(q, label string) int {
	l := strings.ToLower(label)
	switch {
	case l == q:
		return 0
	case strings.HasPrefix(l, q):
		return 1
	case strings.Contains(" "+l, " "+q):
		return 2
	}
	return 3
}

func thirdPartyDetail(tp *ent.ThirdParty) *string {
	var parts []string
	if tp.City != nil {
		parts = append(parts, *tp.City)
	}
	if tp.Code != nil {
		parts = append(parts, *tp.Code)
	}
	return joined(parts)
}

func contactDetail(c *ent.Contact) *string {
	var parts []string
	if c.JobTitle != nil {
		parts = append(parts, *c.JobTitle)
	}
	if tp := c.Edges.ThirdParty; tp != nil {
		parts = append(parts, tp.Name)
	}
	return joined(parts)
}

func joined(parts []string) *string {
	if len(parts) == 0 {
		return nil
	}
	s := strings.Join(parts, " · ")
	return &s
}
