package duplicates

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"entgo.io/ent/dialect/sql"

	"carnet/ent"
	"carnet/ent/contact"
	"carnet/ent/predicate"
	"carnet/ent/thirdparty"
	"carnet/internal/errs"
)

// Group is a key shared by several records of the organisation: a reason
// and its value (a SIREN, an e-mail…; for SIMILAR_NAME the name key and
// the postal code, "dupont fils 69001").
type Group struct {
	Reason  Reason      `json:"reason"`
	Value   string      `json:"value"`
	Records []ent.Noder `json:"records"`
	cursor  string
}

// GroupPage is a page of groups (DuplicateGroupPage).
type GroupPage struct {
	Edges    []*GroupEdge  `json:"edges"`
	PageInfo GroupPageInfo `json:"pageInfo"`
}

// GroupEdge is a group and its cursor.
type GroupEdge struct {
	Node   *Group `json:"node"`
	Cursor string `json:"cursor"`
}

// GroupPageInfo tells where a page ends.
type GroupPageInfo struct {
	HasNextPage bool    `json:"hasNextPage"`
	EndCursor   *string `json:"endCursor"`
}

// Page sizes of Groups when none is given, and at most (as the API's
// connections).
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// key is a column set whose shared values make groups.
type key struct {
	reason  Reason
	contact bool     // a contacts' column, else third parties'
	columns []string // one, or (name_key, postal_code)
}

// keys are the grouped keys, in report order; a cursor names one by its
// position.
var keys = []key{
	{SameSiren, false, []string{thirdparty.FieldSiren}},
	{SameSiret, false, []string{thirdparty.FieldSiret}},
	{SameVAT, false, []string{thirdparty.FieldVatNumber}},
	{SameEmail, false, []string{thirdparty.FieldEmail}},
	{SamePhone, false, []string{thirdparty.FieldPhone}},
	{SimilarName, false, []string{thirdparty.FieldNameKey, thirdparty.FieldPostalCode}},
	{SameEmail, true, []string{contact.FieldEmail}},
	{SamePhone, true, []string{contact.FieldMobile}},
	{SamePhone, true, []string{contact.FieldDirectLine}},
}

// cursor is where a page of groups starts after: a key and its values.
type cursor struct {
	Key    int      `json:"k"`
	Values []string `json:"v"`
}

func (c cursor) String() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func parseCursor(s string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.Key < 0 || c.Key >= len(keys) || len(c.Values) != len(keys[c.Key].columns) {
		return c, errs.Invalid("after", "not a cursor of duplicateGroups: pass back a cursor from its edges or pageInfo")
	}
	return c, nil
}

// Groups returns the first groups after the cursor after ("" for the
// first page), in report order, each with its records (at most
// MaxCandidates of them, by ID) as the viewer may read them: a group
// whose records the viewer sees fewer than two of is not one.
func Groups(ctx context.Context, client *ent.Client, first *int, after *string) (*GroupPage, error) {
	n := DefaultPageSize
	if first != nil {
		n = *first
	}
	if n < 0 || n > MaxPageSize {
		return nil, errs.Invalid("first", "first must be between 0 and %d", MaxPageSize)
	}
	start := cursor{Key: 0}
	if after != nil && *after != "" {
		c, err := parseCursor(*after)
		if err != nil {
			return nil, err
		}
		start = c
	}
	var groups []*Group
	for k := start.Key; k < len(keys) && len(groups) <= n; k++ {
		var from []string
		if k == start.Key {
			from = start.Values
		}
		values, err := groupValues(ctx, client, keys[k], from, n+1-len(groups))
		if err != nil {
			return nil, err
		}
		found, err := withRecords(ctx, client, k, values)
		if err != nil {
			return nil, err
		}
		groups = append(groups, found...)
	}
	page := &GroupPage{Edges: []*GroupEdge{}}
	if len(groups) > n {
		groups, page.PageInfo.HasNextPage = groups[:n], true
	}
	for _, g := range groups {
		page.Edges = append(page.Edges, &GroupEdge{Node: g, Cursor: g.cursor})
	}
	if len(groups) > 0 {
		page.PageInfo.EndCursor = &groups[len(groups)-1].cursor
	}
	return page, nil
}

// row is a grouped key's values.
type row struct {
	K1 string `json:"k1"`
	K2 string `json:"k2"`
}

func (r row) values(n int) []string {
	if n == 1 {
		return []string{r.K1}
	}
	return []string{r.K1, r.K2}
}

// groupValues returns the values of key k shared by two records or more,
// in order after from (nil: from the start), at most limit: one GROUP BY
// over the key's index (organisation_id, columns…), the privacy rules'
// filters (tenant, closed clients) applied by ent.
func groupValues(ctx context.Context, client *ent.Client, k key, from []string, limit int) ([][]string, error) {
	modify := func(s *sql.Selector) {
		cols := make([]string, len(k.columns))
		sel := make([]string, len(k.columns))
		for i, c := range k.columns {
			cols[i] = s.C(c)
			sel[i] = sql.As(cols[i], fmt.Sprintf("k%d", i+1))
			s.Where(sql.And(sql.NotNull(cols[i]), sql.NEQ(cols[i], "")))
		}
		if from != nil {
			args := make([]any, len(from))
			for i, v := range from {
				args[i] = v
			}
			s.Where(sql.CompositeGT(cols, args...))
		}
		s.Select(sel...).GroupBy(cols...).Having(sql.GT(sql.Count("*"), 1)).OrderBy(cols...).Limit(limit)
	}
	var rows []row
	var err error
	if k.contact {
		err = client.Contact.Query().Modify(modify).Scan(ctx, &rows)
	} else {
		err = client.ThirdParty.Query().Modify(modify).Scan(ctx, &rows)
	}
	if err != nil {
		return nil, fmt.Errorf("duplicates: groups of %s: %w", k.reason, err)
	}
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = r.values(len(k.columns))
	}
	return out, nil
}

// withRecords reads the records of the groups of key k with values, one
// query per page and key.
func withRecords(ctx context.Context, client *ent.Client, k int, values [][]string) ([]*Group, error) {
	if len(values) == 0 {
		return nil, nil
	}
	def := keys[k]
	firsts := make([]string, len(values))
	for i, v := range values {
		firsts[i] = v[0]
	}
	byValue := map[[2]string][]ent.Noder{}
	add := func(v [2]string, n ent.Noder) {
		if len(byValue[v]) < MaxCandidates {
			byValue[v] = append(byValue[v], n)
		}
	}
	if def.contact {
		in := sql.FieldIn(def.columns[0], firsts...)
		cs, err := client.Contact.Query().Where(predicate.Contact(in)).Order(ent.Asc(contact.FieldID)).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("duplicates: group records: %w", err)
		}
		for _, c := range cs {
			add([2]string{contactField(c, def.columns[0])}, c)
		}
	} else {
		preds := []predicate.ThirdParty{predicate.ThirdParty(sql.FieldIn(def.columns[0], firsts...))}
		if len(def.columns) == 2 {
			seconds := make([]string, len(values))
			for i, v := range values {
				seconds[i] = v[1]
			}
			preds = append(preds, predicate.ThirdParty(sql.FieldIn(def.columns[1], seconds...)))
		}
		tps, err := client.ThirdParty.Query().Where(preds...).Order(ent.Asc(thirdparty.FieldID)).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("duplicates: group records: %w", err)
		}
		for _, tp := range tps {
			var v [2]string
			for i, c := range def.columns {
				v[i] = thirdPartyField(tp, c)
			}
			add(v, tp)
		}
	}
	var out []*Group
	for _, v := range values {
		var kv [2]string
		copy(kv[:], v)
		records := byValue[kv]
		if len(records) < 2 {
			continue
		}
		g := &Group{Reason: def.reason, Value: v[0], Records: records, cursor: cursor{Key: k, Values: v}.String()}
		if len(v) == 2 {
			g.Value = v[0] + " " + v[1]
		}
		out = append(out, g)
	}
	return out, nil
}

// thirdPartyField returns a grouped column of a third party.
func thirdPartyField(tp *ent.ThirdParty, column string) string {
	switch column {
	case thirdparty.FieldSiren:
		return deref(tp.Siren)
	case thirdparty.FieldSiret:
		return deref(tp.Siret)
	case thirdparty.FieldVatNumber:
		return deref(tp.VatNumber)
	case thirdparty.FieldEmail:
		return deref(tp.Email)
	case thirdparty.FieldPhone:
		return deref(tp.Phone)
	case thirdparty.FieldNameKey:
		return tp.NameKey
	case thirdparty.FieldPostalCode:
		return deref(tp.PostalCode)
	}
	return ""
}

// contactField returns a grouped column of a contact.
func contactField(c *ent.Contact, column string) string {
	switch column {
	case contact.FieldEmail:
		return deref(c.Email)
	case contact.FieldMobile:
		return deref(c.Mobile)
	case contact.FieldDirectLine:
		return deref(c.DirectLine)
	}
	return ""
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
