package auth

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"weak"

	"entgo.io/ent/dialect"
	lru "github.com/hashicorp/golang-lru/v2"

	"carnet/ent"
	"carnet/ent/token"
	"carnet/internal/viewer"
)

// Cache remembers the viewers of the tokens it has authenticated (user,
// rights, feature flags), so that most requests cost no statement: a
// sales rep's search field sends a request per keystroke, and looking the
// token up cost as much server time as the GraphQL layer around it.
//
// It is exact: every change of a token, a user or an organisation made
// through ent drops the viewers it concerns (InvalidateHook), in this
// process at once and again at the commit, and in every other process
// through PostgreSQL's NOTIFY, sent in the change's transaction and so
// delivered at its commit (Listen). A cache that must listen serves
// nothing while it does not (before its first LISTEN, while its
// connection is down or unresponsive): it looks every token up, and
// empties itself when it listens again, since notifications may have
// been lost meanwhile.
//
// An entry also ends after the TTL (a safety bound), at the token's
// expiry, and when the token's use is next to be recorded (last_used_at
// keeps its one-minute resolution). Refusals are never cached. A nil
// *Cache looks every token up.
type Cache struct {
	ttl     time.Duration
	entries *lru.Cache[string, cachedViewer]

	// mu orders invalidations and additions: an entry is added only if
	// no invalidation happened since its look-up began (gen unchanged).
	mu  sync.Mutex
	gen uint64

	// mustListen is set by Listen: then the cache serves only while
	// listening is true.
	mustListen bool
	listening  atomic.Bool
	gaps       atomic.Uint64 // times it stopped listening
}

type cachedViewer struct {
	v     *viewer.Viewer
	until time.Time
}

// NewCache returns a cache of up to size tokens kept for ttl at most (nil
// when either is zero: no cache). Alone it is exact within one process
// (SQLite); with PostgreSQL and several processes, call Listen.
func NewCache(size int, ttl time.Duration) *Cache {
	if ttl <= 0 || size <= 0 {
		return nil
	}
	entries, err := lru.New[string, cachedViewer](size)
	if err != nil {
		panic(err) // size > 0
	}
	c := &Cache{ttl: ttl, entries: entries}
	register(c)
	return c
}

// Authenticate is auth.Authenticate through the cache.
func (c *Cache) Authenticate(ctx context.Context, client *ent.Client, secret string) (*viewer.Viewer, error) {
	if c == nil || (c.mustListen && !c.listening.Load()) {
		return Authenticate(ctx, client, secret)
	}
	key := Hash(secret)
	if e, ok := c.entries.Get(key); ok && time.Now().Before(e.until) {
		return e.v, nil
	}
	// Read before the look-up: an invalidation meanwhile (a change
	// committed, the listener lost) keeps the answer out of the cache.
	c.mu.Lock()
	gen := c.gen
	c.mu.Unlock()
	v, holds, err := authenticate(ctx, client, secret)
	if err != nil {
		return nil, err
	}
	until := time.Now().Add(c.ttl)
	if holds.Before(until) {
		until = holds
	}
	c.mu.Lock()
	if c.gen == gen {
		c.entries.Add(key, cachedViewer{v: v, until: until})
	}
	c.mu.Unlock()
	return v, nil
}

// Len is the number of entries, expired ones included (for tests).
func (c *Cache) Len() int {
	if c == nil {
		return 0
	}
	return c.entries.Len()
}

// Serving tells whether the cache answers from its entries: false when
// it must listen and does not.
func (c *Cache) Serving() bool {
	return c != nil && (!c.mustListen || c.listening.Load())
}

// Gaps is the number of times the cache stopped listening (its
// connection lost or unresponsive).
func (c *Cache) Gaps() uint64 {
	if c == nil {
		return 0
	}
	return c.gaps.Load()
}

// A Change names what a write changed: a token, a user, an organisation
// (its flags, its language), or everything.
type Change struct {
	Kind string // "token", "user", "org" or "all"
	ID   int
}

// String is the notification's payload: "token:12", "user:5", "org:1",
// "all".
func (ch Change) String() string {
	if ch.Kind == "all" {
		return "all"
	}
	return ch.Kind + ":" + strconv.Itoa(ch.ID)
}

// parseChange reads a payload; anything unknown means everything.
func parseChange(payload string) Change {
	kind, id, ok := strings.Cut(payload, ":")
	n, err := strconv.Atoi(id)
	if !ok || err != nil || (kind != "token" && kind != "user" && kind != "org") {
		return Change{Kind: "all"}
	}
	return Change{Kind: kind, ID: n}
}

// drop removes the entries ch concerns, and keeps look-ups in flight from
// adding theirs.
func (c *Cache) drop(ch Change) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	if ch.Kind == "all" {
		c.entries.Purge()
		return
	}
	for _, k := range c.entries.Keys() {
		e, ok := c.entries.Peek(k)
		if !ok {
			continue
		}
		switch {
		case ch.Kind == "token" && e.v.TokenID == ch.ID,
			ch.Kind == "user" && e.v.UserID == ch.ID,
			ch.Kind == "org" && e.v.OrgID == ch.ID:
			c.entries.Remove(k)
		}
	}
}

// caches are this process's caches, which InvalidateHook reaches
// directly (weak: a cache no server uses any more is collected).
var caches struct {
	sync.Mutex
	list []weak.Pointer[Cache]
}

func register(c *Cache) {
	caches.Lock()
	defer caches.Unlock()
	caches.list = append(caches.list, weak.Make(c))
}

// Invalidate drops the entries ch concerns from every cache of this
// process.
func Invalidate(ch Change) {
	caches.Lock()
	live := caches.list[:0]
	var cs []*Cache
	for _, p := range caches.list {
		if c := p.Value(); c != nil {
			live = append(live, p)
			cs = append(cs, c)
		}
	}
	clear(caches.list[len(live):])
	caches.list = live
	caches.Unlock()
	for _, c := range cs {
		c.drop(ch)
	}
}

// Channel is the PostgreSQL notification channel of viewer changes.
const Channel = "carnet_auth"

// InvalidateHook is an ent hook for the entities a viewer is made of
// (tokens, users, organisations). After a change it drops the viewers
// concerned from this process's caches, at once and again after the
// commit (a look-up may have read the old rows meanwhile); on
// PostgreSQL it also sends NOTIFY carnet_auth in the change's
// transaction, which every listening process receives at the commit
// (outside a transaction, right after the change). Issuing a token or
// recording its use changes no viewer and invalidates nothing.
func InvalidateHook(next ent.Mutator) ent.Mutator {
	return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
		if keepsViewers(m) {
			return next.Mutate(ctx, m)
		}
		ch := changeOf(m)
		v, err := next.Mutate(ctx, m)
		if err != nil {
			return v, err
		}
		Invalidate(ch)
		if cm, ok := m.(interface{ Client() *ent.Client }); ok {
			if client := cm.Client(); client.Dialect() == dialect.Postgres {
				if err := client.ExecRaw(ctx, "SELECT pg_notify($1, $2)", Channel, ch.String()); err != nil {
					return nil, err
				}
			}
		}
		if tm, ok := m.(interface{ Tx() (*ent.Tx, error) }); ok {
			if tx, err := tm.Tx(); err == nil {
				tx.OnCommit(func(next ent.Committer) ent.Committer {
					return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
						err := next.Commit(ctx, tx)
						Invalidate(ch)
						return err
					})
				})
			}
		}
		return v, nil
	})
}

// changeOf names what m changes: the one row of an UpdateOne or a
// DeleteOne, everything for a bulk update or delete (none is used on
// these entities; exact and simple beats precise).
func changeOf(m ent.Mutation) Change {
	kind := map[string]string{ent.TypeToken: "token", ent.TypeUser: "user", ent.TypeOrganisation: "org"}[m.Type()]
	idm, ok := m.(interface{ ID() (int, bool) })
	if kind == "" || !ok || !m.Op().Is(ent.OpUpdateOne|ent.OpDeleteOne) {
		return Change{Kind: "all"}
	}
	id, ok := idm.ID()
	if !ok {
		return Change{Kind: "all"}
	}
	return Change{Kind: kind, ID: id}
}

// keepsViewers tells whether m changes no cached viewer: it creates a
// token, a user or an organisation (no token of theirs is cached: refusals
// never are), or only records a token's use (last_used_at).
func keepsViewers(m ent.Mutation) bool {
	if m.Op().Is(ent.OpCreate) {
		return true
	}
	if m.Type() != ent.TypeToken || !m.Op().Is(ent.OpUpdateOne|ent.OpUpdate) {
		return false
	}
	recorded := false
	for _, f := range m.Fields() {
		switch f {
		case token.FieldLastUsedAt:
			recorded = true
		case token.FieldUpdatedAt:
		default:
			return false
		}
	}
	return recorded && len(m.ClearedFields()) == 0
}
