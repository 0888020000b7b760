package auth

import (
	"context"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"carnet/ent"
	"carnet/ent/token"
	"carnet/internal/viewer"
)

// Cache remembers, for a short time, the viewers of the tokens it has
// authenticated, so that most requests cost no statement: a sales rep's
// search field sends a request per keystroke, and looking the token up
// cost as much server time as the GraphQL layer around the search.
//
// An answer is reused only while it holds:
//   - for at most the cache's TTL (the bound on how long a change made
//     by another process — revoked token, changed rights — goes unseen);
//   - until any token, user, company or organisation is changed through
//     ent in this process (InvalidateHook: revocations take effect at
//     once here);
//   - before the token expires, and before its use is next to be recorded
//     (last_used_at keeps its one-minute resolution).
//
// Refusals are never cached. A nil *Cache, or a TTL of zero, looks every
// token up. Off by default (server.Config.AuthCacheTTL): replicas must
// see each other's revocations at once.
type Cache struct {
	ttl     time.Duration
	entries *lru.Cache[string, cachedViewer]
}

type cachedViewer struct {
	v          *viewer.Viewer
	until      time.Time
	generation uint64
}

// generation counts the changes that may alter a viewer; an entry made
// under an older generation is stale.
var generation atomic.Uint64

// NewCache returns a cache of up to size tokens kept for ttl at most.
func NewCache(size int, ttl time.Duration) *Cache {
	if ttl <= 0 || size <= 0 {
		return nil
	}
	entries, err := lru.New[string, cachedViewer](size)
	if err != nil {
		panic(err) // size > 0
	}
	return &Cache{ttl: ttl, entries: entries}
}

// Authenticate is auth.Authenticate through the cache.
func (c *Cache) Authenticate(ctx context.Context, client *ent.Client, secret string) (*viewer.Viewer, error) {
	if c == nil {
		return Authenticate(ctx, client, secret)
	}
	key := Hash(secret)
	// Read before the look-up: a change committed meanwhile makes the
	// entry stale.
	g := generation.Load()
	if e, ok := c.entries.Get(key); ok && e.generation == g && time.Now().Before(e.until) {
		return e.v, nil
	}
	v, holds, err := authenticate(ctx, client, secret)
	if err != nil {
		return nil, err
	}
	until := time.Now().Add(c.ttl)
	if holds.Before(until) {
		until = holds
	}
	c.entries.Add(key, cachedViewer{v: v, until: until, generation: g})
	return v, nil
}

// Invalidate makes every cached viewer stale.
func Invalidate() { generation.Add(1) }

// InvalidateHook is an ent hook for the entities a viewer is made of
// (tokens, users, companies, organisations): after a change, and again
// after the commit of its transaction, cached viewers are stale. Issuing a
// token or recording its use changes no viewer and invalidates nothing.
func InvalidateHook(next ent.Mutator) ent.Mutator {
	return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
		v, err := next.Mutate(ctx, m)
		if err != nil || keepsViewers(m) {
			return v, err
		}
		Invalidate()
		if tm, ok := m.(interface{ Tx() (*ent.Tx, error) }); ok {
			if tx, err := tm.Tx(); err == nil {
				tx.OnCommit(func(next ent.Committer) ent.Committer {
					return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
						err := next.Commit(ctx, tx)
						Invalidate()
						return err
					})
				})
			}
		}
		return v, nil
	})
}

// keepsViewers tells whether m issues a token or only records a token's
// use (last_used_at).
func keepsViewers(m ent.Mutation) bool {
	if m.Type() != ent.TypeToken {
		return false
	}
	if m.Op().Is(ent.OpCreate) {
		return true
	}
	if !m.Op().Is(ent.OpUpdateOne | ent.OpUpdate) {
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
