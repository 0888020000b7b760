package server

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
)

// Bounds of the query cache: queryCacheSize documents of at most
// maxCachedQuery bytes of text each, so that clients sending many large
// distinct documents cannot grow it past a few tens of MB.
const (
	queryCacheSize = 1000
	maxCachedQuery = 4 << 10
)

// queryCache keeps parsed and validated documents by their text (gqlgen
// skips parsing and validation on a hit). Documents are shared between
// requests: nothing may edit one (pageLimits edits a copy).
type queryCache struct {
	*lru.LRU[*ast.QueryDocument]
}

var _ graphql.Cache[*ast.QueryDocument] = queryCache{}

func newQueryCache() queryCache {
	return queryCache{lru.New[*ast.QueryDocument](queryCacheSize)}
}

// Add keeps doc unless its text is longer than maxCachedQuery.
func (c queryCache) Add(ctx context.Context, query string, doc *ast.QueryDocument) {
	if len(query) <= maxCachedQuery {
		c.LRU.Add(ctx, query, doc)
	}
}

// Bounds of the automatic persisted queries: persistedQueriesSize
// documents of at most maxPersistedQuery bytes each (a few tens of MB at
// most). A longer document is run but not kept: its client sends it in
// full each time after a PERSISTED_QUERY_NOT_FOUND.
const (
	persistedQueriesSize = 1000
	maxPersistedQuery    = 32 << 10
)

// persistedQueries keeps the documents of automatic persisted queries by
// their SHA-256 (hex), for gqlgen's extension.AutomaticPersistedQuery.
type persistedQueries struct {
	*lru.LRU[string]
}

var _ graphql.Cache[string] = persistedQueries{}

func newPersistedQueries() persistedQueries {
	return persistedQueries{lru.New[string](persistedQueriesSize)}
}

// Add keeps query unless it is longer than maxPersistedQuery.
func (c persistedQueries) Add(ctx context.Context, hash, query string) {
	if len(query) <= maxPersistedQuery {
		c.LRU.Add(ctx, hash, query)
	}
}

// persistedHash is the sha256Hash of a request's persistedQuery
// extension, or "".
func persistedHash(extensions map[string]any) string {
	pq, _ := extensions["persistedQuery"].(map[string]any)
	h, _ := pq["sha256Hash"].(string)
	return h
}
