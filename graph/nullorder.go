package graph

import (
	"context"

	"entgo.io/contrib/entgql"

	"carnet/ent"
	"carnet/ent/contact"
	"carnet/ent/opportunity"
	"carnet/ent/predicate"
	"carnet/ent/thirdparty"
)

// Orders on a nullable field (a third party's CODE, a contact's
// FIRST_NAME, an opportunity's AMOUNT or EXPECTED_SIGNING_DATE) cannot go
// through entgql's pager alone: its cursor compares (value, id) >
// (cursor value, cursor id), which is never true when either side is
// NULL, so pages lose the records without a value, and databases place
// NULLs differently (first in SQLite, last in PostgreSQL). Such a
// connection is read here as two segments, each paged by entgql on a
// non-null key: ascending, the records with a value by (value, ID), then
// those without by ID; descending is the exact reverse (no value first).
// A cursor tells its segment: the records without a value have cursors
// without a value, so entgql's condition on them is on the ID alone.
// Both segments are still ordered by (value, ID), which is the ID order
// where the value is NULL: the query then matches the index
// (organisation_id, [kind,] value, id) and PostgreSQL reads the segment
// from it. Ordered by ID alone, it walked the primary key filtering the
// value's NULL-ness, and read the whole table when no row matched (the
// clients without a code: 0.8 s on 1M third parties).

// segment is one page of one segment, or of the whole connection.
type segment[E any] struct {
	edges []E
	info  ent.PageInfo
	total int
}

// fetchFunc pages one segment: withValue picks the records that have a
// value (ordered by it, then ID) or those without (ordered by ID), both
// in the connection's direction.
type fetchFunc[E any] func(withValue bool, after *ent.Cursor, first *int, before *ent.Cursor, last *int) (segment[E], error)

// pageNullable pages a connection ordered in dir on a nullable field.
// cursor gives an edge's cursor.
func pageNullable[E any](dir entgql.OrderDirection, after *ent.Cursor, first *int, before *ent.Cursor, last *int,
	fetch fetchFunc[E], cursor func(E) *ent.Cursor) (segment[E], error) {
	if first != nil && last != nil {
		return fetch(true, after, first, before, last) // entgql refuses both
	}
	// The segments in the connection's order, and the part between the
	// cursors.
	segs := []bool{true, false}
	if dir == entgql.OrderDirectionDesc {
		segs = []bool{false, true}
	}
	index := func(c *ent.Cursor) int {
		if (c.Value != nil) == segs[0] {
			return 0
		}
		return 1
	}
	lo, hi := 0, len(segs)-1
	if after != nil {
		lo = index(after)
	}
	if before != nil {
		hi = index(before)
	}
	backward := last != nil
	limit := first
	if backward {
		limit = last
	}
	rem := -1 // no limit
	if limit != nil {
		rem = *limit
	}
	var order []int
	for i := lo; i <= hi; i++ {
		order = append(order, i)
	}
	if backward {
		for i, j := 0, len(order)-1; i < j; i, j = i+1, j-1 {
			order[i], order[j] = order[j], order[i]
		}
	}
	out := segment[E]{edges: []E{}}
	read := map[int]segment[E]{}
	visited := 0            // segments of order read for edges
	var lastRead segment[E] // the one read last
	for _, i := range order {
		if rem == 0 {
			break
		}
		var a, b *ent.Cursor
		if i == lo {
			a = after
		}
		if i == hi {
			b = before
		}
		var n *int
		if rem > 0 {
			n = new(int)
			*n = rem
		}
		var s segment[E]
		var err error
		if backward {
			s, err = fetch(segs[i], a, nil, b, n)
		} else {
			s, err = fetch(segs[i], a, n, b, nil)
		}
		if err != nil {
			return s, err
		}
		read[i], lastRead = s, s
		visited++
		if backward {
			out.edges = append(s.edges, out.edges...)
		} else {
			out.edges = append(out.edges, s.edges...)
		}
		if rem > 0 {
			rem -= len(s.edges)
		}
	}
	// Ask the segments not read for a page of 0: it counts them when the
	// client asks for totalCount; for pageInfo alone it only says whether
	// they have rows (hasNextPage), without counting (ent/template).
	zero := 0
	for i, withValue := range segs {
		if _, ok := read[i]; ok {
			continue
		}
		s, err := fetch(withValue, nil, &zero, nil, nil)
		if err != nil {
			return s, err
		}
		read[i] = s
	}
	for _, s := range read {
		out.total += s.total
	}
	// More past the page: in the segment read last, or in a segment the
	// full page did not reach.
	more := false
	for _, i := range order[visited:] {
		more = more || read[i].info.HasNextPage // first: 0: rows exist
	}
	if backward {
		out.info.HasNextPage = before != nil
		out.info.HasPreviousPage = after != nil || lastRead.info.HasPreviousPage || more
	} else {
		out.info.HasPreviousPage = after != nil
		out.info.HasNextPage = before != nil || lastRead.info.HasNextPage || more
	}
	if l := len(out.edges); l > 0 {
		out.info.StartCursor = cursor(out.edges[0])
		out.info.EndCursor = cursor(out.edges[l-1])
	}
	return out, nil
}

// pageThirdParties pages q's third parties.
func pageThirdParties(ctx context.Context, q func() *ent.ThirdPartyQuery, after *ent.Cursor, first *int, before *ent.Cursor, last *int,
	orderBy *ent.ThirdPartyOrder, where *ent.ThirdPartyWhereInput) (*ent.ThirdPartyConnection, error) {
	if orderBy == nil || orderBy.Field == nil || orderBy.Field.String() != "CODE" {
		return q().Paginate(ctx, after, first, before, last, ent.WithThirdPartyOrder(orderBy), ent.WithThirdPartyFilter(where.Filter))
	}
	s, err := pageNullable(orderBy.Direction, after, first, before, last,
		func(withValue bool, after *ent.Cursor, first *int, before *ent.Cursor, last *int) (segment[*ent.ThirdPartyEdge], error) {
			o, p := orderBy, thirdparty.CodeNotNil()
			if !withValue {
				p = thirdparty.CodeIsNil()
			}
			c, err := q().Where(p).Paginate(ctx, after, first, before, last, ent.WithThirdPartyOrder(o), ent.WithThirdPartyFilter(where.Filter))
			if err != nil {
				return segment[*ent.ThirdPartyEdge]{}, err
			}
			return segment[*ent.ThirdPartyEdge]{c.Edges, c.PageInfo, c.TotalCount}, nil
		}, func(e *ent.ThirdPartyEdge) *ent.Cursor { return &e.Cursor })
	if err != nil {
		return nil, err
	}
	return &ent.ThirdPartyConnection{Edges: s.edges, PageInfo: s.info, TotalCount: s.total}, nil
}

// pageContacts pages q's contacts.
func pageContacts(ctx context.Context, q func() *ent.ContactQuery, after *ent.Cursor, first *int, before *ent.Cursor, last *int,
	orderBy *ent.ContactOrder, where *ent.ContactWhereInput) (*ent.ContactConnection, error) {
	if !nullableContactOrder(orderBy) {
		return q().Paginate(ctx, after, first, before, last, ent.WithContactOrder(orderBy), ent.WithContactFilter(where.Filter))
	}
	s, err := pageNullable(orderBy.Direction, after, first, before, last,
		func(withValue bool, after *ent.Cursor, first *int, before *ent.Cursor, last *int) (segment[*ent.ContactEdge], error) {
			o, p := orderBy, contact.FirstNameNotNil()
			if !withValue {
				p = contact.FirstNameIsNil()
			}
			c, err := q().Where(p).Paginate(ctx, after, first, before, last, ent.WithContactOrder(o), ent.WithContactFilter(where.Filter))
			if err != nil {
				return segment[*ent.ContactEdge]{}, err
			}
			return segment[*ent.ContactEdge]{c.Edges, c.PageInfo, c.TotalCount}, nil
		}, func(e *ent.ContactEdge) *ent.Cursor { return &e.Cursor })
	if err != nil {
		return nil, err
	}
	return &ent.ContactConnection{Edges: s.edges, PageInfo: s.info, TotalCount: s.total}, nil
}

// nullableContactOrder says whether o orders contacts on a nullable field.
func nullableContactOrder(o *ent.ContactOrder) bool {
	return o != nil && o.Field != nil && o.Field.String() == "FIRST_NAME"
}

// pageOpportunities pages q's opportunities.
func pageOpportunities(ctx context.Context, q func() *ent.OpportunityQuery, after *ent.Cursor, first *int, before *ent.Cursor, last *int,
	orderBy *ent.OpportunityOrder, where *ent.OpportunityWhereInput) (*ent.OpportunityConnection, error) {
	var has, hasNot predicate.Opportunity
	if orderBy != nil && orderBy.Field != nil {
		switch orderBy.Field.String() {
		case "AMOUNT":
			has, hasNot = opportunity.AmountNotNil(), opportunity.AmountIsNil()
		case "EXPECTED_SIGNING_DATE":
			has, hasNot = opportunity.ExpectedSigningDateNotNil(), opportunity.ExpectedSigningDateIsNil()
		}
	}
	if has == nil {
		return q().Paginate(ctx, after, first, before, last, ent.WithOpportunityOrder(orderBy), ent.WithOpportunityFilter(where.Filter))
	}
	s, err := pageNullable(orderBy.Direction, after, first, before, last,
		func(withValue bool, after *ent.Cursor, first *int, before *ent.Cursor, last *int) (segment[*ent.OpportunityEdge], error) {
			o, p := orderBy, has
			if !withValue {
				p = hasNot
			}
			c, err := q().Where(p).Paginate(ctx, after, first, before, last, ent.WithOpportunityOrder(o), ent.WithOpportunityFilter(where.Filter))
			if err != nil {
				return segment[*ent.OpportunityEdge]{}, err
			}
			return segment[*ent.OpportunityEdge]{c.Edges, c.PageInfo, c.TotalCount}, nil
		}, func(e *ent.OpportunityEdge) *ent.Cursor { return &e.Cursor })
	if err != nil {
		return nil, err
	}
	return &ent.OpportunityConnection{Edges: s.edges, PageInfo: s.info, TotalCount: s.total}, nil
}
