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
