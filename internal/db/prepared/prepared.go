// Package prepared runs chosen hot statements as prepared statements.
//
// ent sends every statement as a new, unnamed one: the database parses
// and plans it each time. For the statements of the search field and of
// authentication, which run on every keystroke and every request, that
// is most of their cost on PostgreSQL: planning a search tier takes about
// 0.5 ms where running it takes 0.05–0.4 ms (server log at a million
// third parties). A prepared statement is parsed once per connection,
// and after five runs PostgreSQL keeps a generic plan when it costs no
// more than the custom ones, so later runs skip planning.
//
// Code opts in per context (With): only statements that come in a few
// shapes should, because each prepared statement holds memory on every
// connection that ran it. Statements are kept per SQL text, by
// database/sql (sql.Stmt prepares on each connection as needed and
// prepares again after a reconnection), in a least-recently-used cache of
// MaxStatements (hashicorp/golang-lru) whose evictions close them.
// Statements in a transaction are never prepared: a transaction's
// statements run as ent sends them.
package prepared

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	lru "github.com/hashicorp/golang-lru/v2"
)

// MaxStatements bounds how many SQL texts are kept prepared.
const MaxStatements = 256

type key struct{}

// With marks ctx: the queries run under it outside a transaction are
// prepared and their statements kept.
func With(ctx context.Context) context.Context { return context.WithValue(ctx, key{}, true) }

// wanted reports whether ctx asks for prepared statements.
func wanted(ctx context.Context) bool { v, _ := ctx.Value(key{}).(bool); return v }

// Driver wraps an ent SQL driver on db so that the queries of contexts
// marked by With run as prepared statements.
func Driver(drv *entsql.Driver, db *sql.DB) dialect.Driver {
	return newDriver(drv, db, MaxStatements)
}

func newDriver(drv *entsql.Driver, db *sql.DB, size int) *driver {
	// An evicted statement closes once the queries running on it have
	// started (database/sql then closes it when their rows are closed).
	cache, _ := lru.NewWithEvict(size, func(_ string, s *stmt) { go s.close() })
	return &driver{Driver: drv, db: db, cache: cache}
}

type driver struct {
	*entsql.Driver
	db    *sql.DB
	cache *lru.Cache[string, *stmt]
}

// stmt is a kept statement; closed once evicted.
type stmt struct {
	mu     sync.RWMutex
	stmt   *sql.Stmt
	closed bool
}

func (s *stmt) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	_ = s.stmt.Close()
}

// query runs the statement; ok is false if it was closed meanwhile.
func (s *stmt) query(ctx context.Context, args []any) (rows *sql.Rows, ok bool, err error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, false, nil
	}
	rows, err = s.stmt.QueryContext(ctx, args...)
	return rows, true, err
}

// Query runs query, prepared when ctx asks for it.
func (d *driver) Query(ctx context.Context, query string, args, v any) error {
	if !wanted(ctx) {
		return d.Driver.Query(ctx, query, args, v)
	}
	rows, ok := v.(*entsql.Rows)
	if !ok {
		return fmt.Errorf("prepared: query: %T is not *sql.Rows", v)
	}
	argv, ok := args.([]any)
	if args != nil && !ok {
		return fmt.Errorf("prepared: query: %T is not []any", args)
	}
	s, err := d.stmt(ctx, query)
	if err != nil {
		return err
	}
	r, ok, err := s.query(ctx, argv)
	if !ok { // evicted since: run it as ent would
		return d.Driver.Query(ctx, query, args, v)
	}
	if err != nil {
		return err
	}
	*rows = entsql.Rows{ColumnScanner: r}
	return nil
}

// stmt returns the prepared statement of query, preparing it once.
func (d *driver) stmt(ctx context.Context, query string) (*stmt, error) {
	if s, ok := d.cache.Get(query); ok {
		return s, nil
	}
	prepared, err := d.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	s := &stmt{stmt: prepared}
	// Two requests may prepare one text at once: the first one kept wins.
	if prev, found, _ := d.cache.PeekOrAdd(query, s); found {
		_ = prepared.Close()
		return prev, nil
	}
	return s, nil
}

// Close closes the prepared statements, then the database.
func (d *driver) Close() error {
	d.cache.Purge()
	return d.Driver.Close()
}
