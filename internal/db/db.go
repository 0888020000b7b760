// Package db opens Carnet's database — an embedded SQLite file by default,
// PostgreSQL in production — and applies the versioned migrations of its
// dialect (migrations/<dialect>, generated from ent/schema by migrategen).
package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/lib/pq" // PostgreSQL driver "postgres"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // pure-Go SQLite driver "sqlite"

	"carnet/ent"
	_ "carnet/ent/runtime" // schema hooks and privacy policies
	"carnet/internal/db/prepared"
	"carnet/internal/metrics"
)

//go:embed migrations
var migrations embed.FS

// DefaultURL is the database used when none is configured.
const DefaultURL = "sqlite:carnet.db"

// DB is an open database with its ent client.
type DB struct {
	// Client is the ent client on SQL.
	Client *ent.Client
	// SQL is the connection pool.
	SQL *sql.DB
	// Dialect is dialect.SQLite or dialect.Postgres.
	Dialect string
	// URL is the database's URL as opened (a PostgreSQL one with its
	// connect_timeout): the token cache's listener connects to it.
	URL string
}

// Open connects to the database of rawURL: "sqlite:PATH" (a path relative
// to the working directory) or "postgres://…". It does not migrate.
func Open(ctx context.Context, rawURL string) (*DB, error) {
	if rawURL == "" {
		rawURL = DefaultURL
	}
	var (
		sqlDB *sql.DB
		dia   string
		err   error
	)
	switch {
	case strings.HasPrefix(rawURL, "sqlite:"):
		dia = dialect.SQLite
		sqlDB, err = openSQLite(strings.TrimPrefix(rawURL, "sqlite:"))
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		dia = dialect.Postgres
		rawURL = withConnectTimeout(rawURL)
		sqlDB, err = sql.Open("postgres", withOneRoundTrip(rawURL))
		if err == nil {
			sqlDB.SetMaxOpenConns(20)
			sqlDB.SetMaxIdleConns(10)
			sqlDB.SetConnMaxLifetime(30 * time.Minute)
		}
	default:
		return nil, fmt.Errorf("db: DATABASE_URL must start with sqlite: or postgres://, got %q", redact(rawURL))
	}
	if err != nil {
		return nil, fmt.Errorf("db: open %s: %w", redact(rawURL), err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("db: connect to %s: %w", redact(rawURL), err)
	}
	drv := metrics.Instrument(prepared.Driver(entsql.OpenDB(dia, sqlDB), sqlDB))
	return &DB{Client: ent.NewClient(ent.Driver(drv)), SQL: sqlDB, Dialect: dia, URL: rawURL}, nil
}

// ConnectTimeout bounds the opening of a PostgreSQL connection when the
// URL sets no connect_timeout (nor PGCONNECT_TIMEOUT). lib/pq ignores the
// context during the start-up handshake: without it, a server that
// accepts connections and never answers (a frozen host) would hold every
// request that needs a new connection for ever.
const ConnectTimeout = 5 * time.Second

// withConnectTimeout adds connect_timeout to a PostgreSQL URL lacking one.
func withConnectTimeout(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || os.Getenv("PGCONNECT_TIMEOUT") != "" {
		return rawURL // sql.Open reports a malformed URL
	}
	q := u.Query()
	if q.Has("connect_timeout") {
		return rawURL
	}
	q.Set("connect_timeout", strconv.Itoa(int(ConnectTimeout/time.Second)))
	u.RawQuery = q.Encode()
	return u.String()
}

// withOneRoundTrip turns on lib/pq's binary_parameters unless the URL
// sets it: a statement with arguments then takes one round trip (parse,
// bind and execute sent together) instead of two (a separate prepare),
// which is most of a short query's cost. lib/pq then sends []byte
// arguments in binary format: ent's statements pass them as text
// (metrics.Instrument), and nothing else of Carnet binds a []byte.
func withOneRoundTrip(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL
	}
	q := u.Query()
	if q.Has("binary_parameters") {
		return rawURL
	}
	q.Set("binary_parameters", "yes")
	u.RawQuery = q.Encode()
	return u.String()
}

// openSQLite opens an SQLite file with foreign keys on, WAL and a busy
// timeout. SQLite has one writer at a time: write transactions take the
// write lock when they begin (_txlock=immediate) and wait for it (busy
// timeout) rather than fail half-way; WAL lets readers run beside them.
func openSQLite(path string) (*sql.DB, error) {
	if path == "" {
		return nil, fmt.Errorf("empty SQLite path")
	}
	if path != ":memory:" && !strings.HasPrefix(path, "file:") {
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return nil, err
			}
		}
	}
	dsn := path
	if !strings.HasPrefix(dsn, "file:") {
		dsn = "file:" + dsn
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	// _time_format=sqlite stores times as "2006-01-02 15:04:05.999999999-07:00"
	// (not Go's String form, which carries the monotonic clock and breaks
	// comparisons such as cursor pagination on timestamps).
	// mmap_size: reads map the file rather than copy each page through a
	// read call into every connection's small page cache (2 MB): a search
	// tier that probed a few thousand rows ran 2–4 times faster warm in
	// the sqlite3 shell. The mapped pages are the operating system's page
	// cache, shared by the connections; only address space is reserved.
	dsn += sep + "_time_format=sqlite&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate" +
		"&_pragma=mmap_size(" + strconv.Itoa(sqliteMmapSize) + ")"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(4)
	return db, nil
}

// sqliteMmapSize is how much of an SQLite file is read through mmap.
const sqliteMmapSize = 1 << 30

// Statistics upkeep. SQLite's planner picks indexes from the statistics
// that ANALYZE stores (sqlite_stat1), and SQLite never gathers them by
// itself: without them it guesses, and searches read a whole
// organisation's index where a few rows by primary key would do (41–66 ms
// instead of 1–2 ms measured at 100,000 third parties). So Carnet keeps
// them: Optimize at start and every OptimizeEvery while serving (cheap:
// SQLite re-analyses only the tables that were never analysed or whose
// size changed much, each on a sample), Analyze after bulk loads (gen,
// import). PostgreSQL's autovacuum does this on its own: both are no-ops
// there.

// OptimizeEvery is how often a serving process runs Optimize.
const OptimizeEvery = time.Hour

// Optimize refreshes the planner's statistics where they are missing or
// stale (SQLite: PRAGMA optimize over every table, sampling at most
// analysis_limit rows per index, as SQLite's documentation recommends
// for long-lived connections).
func (d *DB) Optimize(ctx context.Context) error {
	return d.sqlite(ctx, "db: optimize: %w", "PRAGMA analysis_limit = 400", "PRAGMA optimize = 0x10002")
}

// Analyze gathers the planner's statistics of every table in full
// (SQLite), after a bulk load changed them.
func (d *DB) Analyze(ctx context.Context) error {
	return d.sqlite(ctx, "db: analyze: %w", "PRAGMA analysis_limit = 0", "ANALYZE")
}

// sqlite runs statements on one connection of an SQLite database (the
// pragmas hold per connection), and nothing on PostgreSQL.
func (d *DB) sqlite(ctx context.Context, wrap string, statements ...string) error {
	if d.Dialect != dialect.SQLite {
		return nil
	}
	conn, err := d.SQL.Conn(ctx)
	if err != nil {
		return fmt.Errorf(wrap, err)
	}
	defer conn.Close()
	for _, s := range statements {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return fmt.Errorf(wrap, err)
		}
	}
	return nil
}

// PostgresPrelude runs before the migrations on PostgreSQL: the search
// index needs pg_trgm (a trusted extension: the database owner may create
// it). It lives in public so that every schema's search_path finds it.
const PostgresPrelude = "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"

// Migrate applies the migrations that the database has not seen yet.
func (d *DB) Migrate(ctx context.Context) error {
	p, err := d.migrations(ctx)
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("db: migrate: %w", err)
	}
	return nil
}

// MigrateTo applies the migrations up to version (a migration's number)
// included: tests of a data migration write rows as an earlier schema had
// them.
func (d *DB) MigrateTo(ctx context.Context, version int64) error {
	p, err := d.migrations(ctx)
	if err != nil {
		return err
	}
	if _, err := p.UpTo(ctx, version); err != nil {
		return fmt.Errorf("db: migrate to %d: %w", version, err)
	}
	return nil
}

// migrations returns the goose provider of the dialect's migrations.
func (d *DB) migrations(ctx context.Context) (*goose.Provider, error) {
	if d.Dialect == dialect.Postgres {
		if _, err := d.SQL.ExecContext(ctx, PostgresPrelude); err != nil {
			return nil, fmt.Errorf("db: %w", err)
		}
	}
	dir, gooseDialect := "migrations/sqlite", database.DialectSQLite3
	if d.Dialect == dialect.Postgres {
		dir, gooseDialect = "migrations/postgres", database.DialectPostgres
	}
	sub, err := fs.Sub(migrations, dir)
	if err != nil {
		return nil, fmt.Errorf("db: migrations: %w", err)
	}
	opts := []goose.ProviderOption{goose.WithGoMigrations(nameKeysMigration(d.Dialect == dialect.Postgres))}
	if d.Dialect == dialect.Postgres {
		// Replicas starting together migrate one at a time: an advisory
		// lock per schema (tests migrate many schemas of one database side
		// by side), retried every second.
		var schema string
		if err := d.SQL.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
			return nil, fmt.Errorf("db: current schema: %w", err)
		}
		h := fnv.New64a()
		_, _ = h.Write([]byte("carnet-migrations:" + schema))
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(int64(h.Sum64()>>1)), lock.WithLockTimeout(1, 300))
		if err != nil {
			return nil, fmt.Errorf("db: migrations lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(gooseDialect, d.SQL, sub, opts...)
	if err != nil {
		return nil, fmt.Errorf("db: migrations: %w", err)
	}
	return p, nil
}

// Close closes the client and the pool.
func (d *DB) Close() error { return d.Client.Close() }

// redact hides the password of a database URL.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// WithTx runs fn with a client bound to one transaction: committed when fn
// returns nil, rolled back otherwise.
func WithTx(ctx context.Context, client *ent.Client, fn func(tx *ent.Client) error) error {
	tx, err := client.Tx(ctx)
	if err != nil {
		return fmt.Errorf("db: begin: %w", err)
	}
	if err := fn(tx.Client()); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("db: commit: %w", err)
	}
	return nil
}

// Unavailable says whether err means that the database could not be
// reached or went away — connection refused or reset, server shutting
// down, starting up or in recovery — rather than that a statement failed.
// Such errors pass once the database is back: callers may retry.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		// Class 08: connection exception; 57P01–57P03: admin or crash
		// shutdown, cannot connect now.
		return pqErr.Code.Class() == "08" || pqErr.Code == "57P01" || pqErr.Code == "57P02" || pqErr.Code == "57P03"
	}
	var netErr *net.OpError
	return errors.Is(err, driver.ErrBadConn) || errors.As(err, &netErr) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// AfterCommit runs f once tx has committed (never for a rollback), or at
// once when there is no transaction (tx nil): files removed, background
// work started, only for changes that were kept.
func AfterCommit(tx *ent.Tx, f func()) {
	if tx == nil {
		f()
		return
	}
	tx.OnCommit(func(next ent.Committer) ent.Committer {
		return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
			if err := next.Commit(ctx, tx); err != nil {
				return err
			}
			f()
			return nil
		})
	})
}
