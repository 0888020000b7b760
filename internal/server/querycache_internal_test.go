package server

import (
	"context"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
)

func TestQueryCache_KeepsShortTextsOnly(t *testing.T) {
	ctx := context.Background()
	c := newQueryCache()
	short, long := "{ me { name } }", "{ me { name } }"+strings.Repeat(" ", maxCachedQuery)
	doc := &ast.QueryDocument{}
	c.Add(ctx, short, doc)
	c.Add(ctx, long, doc)
	if got, ok := c.Get(ctx, short); !ok || got != doc {
		t.Errorf("a short text is not kept: %v %v", got, ok)
	}
	if _, ok := c.Get(ctx, long); ok {
		t.Errorf("a text of %d bytes is kept; the bound is %d", len(long), maxCachedQuery)
	}
}
