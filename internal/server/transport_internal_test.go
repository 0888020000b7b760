package server

import (
	"context"
	"testing"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// An answer without an operation (gqlgen reports a request that never
// became one) passes through the transactioner untouched: entgql's own
// asks gqlgen for the operation, which panics.
func TestTransactioner_AnswerWithoutAnOperationPassesThrough(t *testing.T) {
	tx := transactioner{Transactioner: entgql.Transactioner{}} // no TxOpener: opening a transaction would panic too
	resp := tx.InterceptResponse(context.Background(), func(context.Context) *graphql.Response {
		return &graphql.Response{Errors: gqlerror.List{{Message: "bad request"}}}
	})
	if resp == nil || len(resp.Errors) != 1 || resp.Errors[0].Message != "bad request" {
		t.Fatalf("got %+v", resp)
	}
}
