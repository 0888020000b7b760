package gen

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Link shapes: half of the generated third parties (in ID order) form
// filiation groups of groupSize — a parent, 3 subsidiaries (FILIALE), 9
// branches (ETABLISSEMENT) and 27 sites under them, and a PARTENAIRE link
// between two subsidiaries that closes a cycle; in the other half, clients
// and prospects come by fours: an ordering party (DONORDRE) with two
// bill-to parties (the first the default) and a delivery site.
const groupSize = 40

// linkRows are the links to insert.
type linkRows struct {
	mgmt [][]any // third_party_id, type_id, linked_third_party_id, linked_type_id, ordering_party_id, is_default
	fil  [][]any // third_party_id, linked_third_party_id, type_id
}

// addLinks creates the management and filiation links of the third
// parties of [p.tpStart, p.tpStart+p.n) (the loader wrote the network IDs).
func (w *writer) addLinks(ctx context.Context, p *plan) (mgmt, fil int, err error) {
	types, err := w.linkTypes(ctx, p.orgID)
	if err != nil {
		return 0, 0, err
	}
	if !hasLinkTypes(types) {
		fmt.Fprintf(w.out, "gen: the organisation lacks standard link types: no links generated\n")
		return 0, 0, nil
	}
	rows, err := w.d.SQL.QueryContext(ctx, w.q(`SELECT id, kind FROM third_parties WHERE organisation_id = ? AND id >= ? AND id < ? ORDER BY id`),
		p.orgID, p.tpStart, p.tpStart+p.n)
	if err != nil {
		return 0, 0, fmt.Errorf("gen: links: %w", err)
	}
	var ids []int
	var kinds []string
	for rows.Next() {
		var id int
		var kind string
		if err := rows.Scan(&id, &kind); err != nil {
			rows.Close()
			return 0, 0, fmt.Errorf("gen: links: %w", err)
		}
		ids, kinds = append(ids, id), append(kinds, kind)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, fmt.Errorf("gen: links: %w", err)
	}

	var lr linkRows
	// Groups are runs of groupSize consecutive IDs from the block's start
	// (gen reserves a contiguous block); the loader wrote their members'
	// network IDs (plan.network).
	for g := 0; g+groupSize <= p.grouped && g+groupSize <= len(ids); g += groupSize {
		m := ids[g : g+groupSize]
		for i := 1; i <= 3; i++ {
			lr.fil = append(lr.fil, []any{m[0], m[i], types["FILIALE"]})
		}
		for i := 4; i < groupSize; i++ {
			parent := m[(i-4)/3+1] // 4..12 under 1..3, 13..39 under 4..12
			lr.fil = append(lr.fil, []any{parent, m[i], types["ETABLISSEMENT"]})
		}
		lr.fil = append(lr.fil, []any{m[1], m[2], types["PARTENAIRE"]})
	}
	var four []int
	for i := p.grouped; i < len(ids); i++ {
		if kinds[i] != "CLIENT" && kinds[i] != "PROSPECT" {
			continue
		}
		if four = append(four, ids[i]); len(four) < 4 {
			continue
		}
		o := four[0]
		lr.mgmt = append(lr.mgmt,
			[]any{o, types["DONORDRE"], four[1], types["CL_A_FACT"], o, true},
			[]any{o, types["DONORDRE"], four[2], types["CL_A_FACT"], o, false},
			[]any{o, types["DONORDRE"], four[3], types["SITE_LIV"], o, false})
		four = four[:0]
	}
	return len(lr.mgmt), len(lr.fil), w.insertLinks(ctx, p, lr)
}

// hasLinkTypes tells whether the link types gen uses all exist.
func hasLinkTypes(types map[string]int) bool {
	for _, code := range []string{"DONORDRE", "CL_A_FACT", "SITE_LIV", "FILIALE", "ETABLISSEMENT", "PARTENAIRE"} {
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
	if err := w.insertRows(ctx, tx, "management_links",
		"organisation_id, created_at, updated_at, third_party_id, type_id, linked_third_party_id, linked_type_id, ordering_party_id, is_default",
		p.orgID, now, lr.mgmt); err != nil {
		return err
	}
	if err := w.insertRows(ctx, tx, "filiation_links",
		"organisation_id, created_at, updated_at, third_party_id, linked_third_party_id, type_id",
		p.orgID, now, lr.fil); err != nil {
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
// entries (what the index hooks do row by row). In bulk mode the trigram
// index is built once after the insert rather than maintained row by row
// (its definition is the migration's).
func (w *writer) addVocabulary(ctx context.Context, orgID int, bulk bool) error {
	tx, err := w.d.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("gen: search vocabulary: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	stmts := []string{`INSERT INTO search_words (organisation_id, word)
		SELECT DISTINCT organisation_id, word FROM search_entries WHERE organisation_id = ?
		ON CONFLICT DO NOTHING`}
	if bulk {
		stmts = []string{`DROP INDEX IF EXISTS searchword_word_trgm`, stmts[0],
			`CREATE INDEX searchword_word_trgm ON search_words USING gin (word gin_trgm_ops)`}
	}
	for _, q := range stmts {
		args := []any{}
		if strings.Contains(q, "?") {
			args = append(args, orgID)
		}
		if _, err := tx.ExecContext(ctx, w.q(q), args...); err != nil {
			return fmt.Errorf("gen: search vocabulary: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("gen: search vocabulary: %w", err)
	}
	return nil
}
