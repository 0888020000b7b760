package gen

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"carnet/ent/schema/enum"
	"carnet/internal/filiation"
)

// Link shapes: half of the generated third parties (in ID order) form
// filiation groups of groupSize — a parent (SOC_MERE), 3 subsidiaries
// (FILIALE), 9 branches (ETABLISSEMENT, their subsidiary's side SIEGE) and
// 27 sites under them, and a PARTENAIRE / PARTENAIRE link between two
// subsidiaries that closes a cycle; in the other half, clients
// and prospects come by fours: an ordering party (DONORDRE) with two
// bill-to parties (the first the default) and a delivery site.
const groupSize = 40

// The columns of the links gen writes: organisation_id, created_at,
// updated_at, then linkRows' values.
const (
	mgmtColumns = "organisation_id, created_at, updated_at, third_party_id, type_id, linked_third_party_id, linked_type_id, ordering_party_id, is_default"
	filColumns  = "organisation_id, created_at, updated_at, third_party_id, linked_third_party_id, type_id, linked_type_id, relation"
)

// noLinkTypes says why a run made no links.
const noLinkTypes = "gen: the organisation lacks standard link types: no links generated"

// linkRows are the links to insert.
type linkRows struct {
	mgmt [][]any // third_party_id, type_id, linked_third_party_id, linked_type_id, ordering_party_id, is_default
	fil  [][]any // third_party_id, linked_third_party_id, type_id, linked_type_id, relation
}

// filRow is a filiation link row: a of type aType, b of type bType.
func filRow(a, aType, b, bType int) []any {
	return []any{a, b, aType, bType, filiation.Relation(a, aType, b, bType)}
}

// links returns the management and filiation links of the third parties
// of [p.tpStart, p.tpStart+p.n): gen reserves a contiguous block, so the
// plan alone says which ID has which kind (the loader writes the groups'
// network IDs with the rows, see plan.network).
func (p *plan) links() linkRows {
	var lr linkRows
	if p.types == nil {
		return lr
	}
	types := p.types
	// Groups are runs of groupSize consecutive IDs from the block's start.
	for g := 0; g+groupSize <= p.grouped; g += groupSize {
		m := func(i int) int { return p.tpStart + g + i }
		for i := 1; i <= 3; i++ {
			lr.fil = append(lr.fil, filRow(m(0), types["SOC_MERE"], m(i), types["FILIALE"]))
		}
		for i := 4; i < groupSize; i++ {
			parent := m((i-4)/3 + 1) // 4..12 under 1..3, 13..39 under 4..12
			lr.fil = append(lr.fil, filRow(parent, types["SIEGE"], m(i), types["ETABLISSEMENT"]))
		}
		lr.fil = append(lr.fil, filRow(m(1), types["PARTENAIRE"], m(2), types["PARTENAIRE"]))
	}
	var four []int
	for i := p.grouped; i < p.n; i++ {
		if k := profiles[p.profile[i]].kind; k != enum.Client && k != enum.Prospect {
			continue
		}
		if four = append(four, p.tpStart+i); len(four) < 4 {
			continue
		}
		o := four[0]
		lr.mgmt = append(lr.mgmt,
			[]any{o, types["DONORDRE"], four[1], types["CL_A_FACT"], o, true},
			[]any{o, types["DONORDRE"], four[2], types["CL_A_FACT"], o, false},
			[]any{o, types["DONORDRE"], four[3], types["SITE_LIV"], o, false})
		four = four[:0]
	}
	return lr
}

// addLinks inserts the links of the plan's block (outside bulk mode).
func (w *writer) addLinks(ctx context.Context, p *plan) (mgmt, fil int, err error) {
	if p.types == nil {
		fmt.Fprintln(w.out, noLinkTypes)
		return 0, 0, nil
	}
	lr := p.links()
	return len(lr.mgmt), len(lr.fil), w.insertLinks(ctx, p, lr)
}

// hasLinkTypes tells whether the link types gen uses all exist.
func hasLinkTypes(types map[string]int) bool {
	for _, code := range []string{"DONORDRE", "CL_A_FACT", "SITE_LIV", "SOC_MERE", "FILIALE", "SIEGE", "ETABLISSEMENT", "PARTENAIRE"} {
		if types[code] == 0 {
			return false
		}
	}
	return true
}

// linkTypes returns the organisation's link type IDs by code (the first
// of each code).
func (w *writer) linkTypes(ctx context.Context, orgID int) (map[string]int, error) {
	rows, err := w.d.SQL.QueryContext(ctx, w.q(`SELECT id, code FROM link_types WHERE organisation_id = ? ORDER BY id`), orgID)
	if err != nil {
		return nil, fmt.Errorf("gen: link types: %w", err)
	}
	defer rows.Close()
	types := map[string]int{}
	for rows.Next() {
		var id int
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return nil, fmt.Errorf("gen: link types: %w", err)
		}
		if types[code] == 0 {
			types[code] = id
		}
	}
	return types, rows.Err()
}

// insertLinks writes the links and network IDs in one transaction.
func (w *writer) insertLinks(ctx context.Context, p *plan, lr linkRows) error {
	tx, err := w.d.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("gen: links: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	now := time.Now().UTC()
	if err := w.insertRows(ctx, tx, "management_links", mgmtColumns, p.orgID, now, lr.mgmt); err != nil {
		return err
	}
	if err := w.insertRows(ctx, tx, "filiation_links", filColumns, p.orgID, now, lr.fil); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("gen: links: %w", err)
	}
	return nil
}

// insertRows inserts rows (after organisation_id, created_at, updated_at)
// in multi-row statements.
func (w *writer) insertRows(ctx context.Context, tx *sql.Tx, table, columns string, orgID int, now time.Time, rows [][]any) error {
	const batch = 1000 // 9 columns: well under PostgreSQL's 65,535 parameters
	for start := 0; start < len(rows); start += batch {
		part := rows[start:min(start+batch, len(rows))]
		var b strings.Builder
		fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", table, columns)
		var args []any
		for i, r := range part {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?" + strings.Repeat(", ?", len(r)) + ")")
			args = append(append(args, orgID, now, now), r...)
		}
		if _, err := tx.ExecContext(ctx, w.q(b.String()), args...); err != nil {
			return fmt.Errorf("gen: %s: %w", table, err)
		}
	}
	return nil
}

// addVocabulary records the distinct words of the organisation's search
// entries (what the index hooks do row by row; bulk mode has its own
// statement, vocabularyBulk).
func (w *writer) addVocabulary(ctx context.Context, orgID int) error {
	_, err := w.d.SQL.ExecContext(ctx, w.q(`INSERT INTO search_words (organisation_id, word)
		SELECT DISTINCT organisation_id, word FROM search_entries WHERE organisation_id = ?
		ON CONFLICT DO NOTHING`), orgID)
	if err != nil {
		return fmt.Errorf("gen: search vocabulary: %w", err)
	}
	return nil
}
