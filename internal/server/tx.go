package server

import (
	"context"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// transactioner runs each mutation in one transaction, as
// entgql.Transactioner does (whose field serialisation it keeps), but
// sends a failure to begin or commit the transaction through the error
// presenter: entgql answers those with the driver's text and no code
// (seen when PostgreSQL goes away between a mutation and its commit).
// It also lets requests that never became an operation through, where
// entgql's panics.
type transactioner struct {
	entgql.Transactioner
	present graphql.ErrorPresenterFunc
}

// InterceptResponse runs a mutation under a transaction.
func (t transactioner) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	// No operation context: a request that did not decode (gqlgen's
	// DispatchError), on which entgql's Transactioner panics.
	if !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	op := graphql.GetOperationContext(ctx).Operation
	if op == nil || op.Operation != ast.Mutation || ownTransaction(op) {
		return next(ctx)
	}
	txCtx, tx, err := t.OpenTx(ctx)
	if err != nil {
		return &graphql.Response{Errors: gqlerror.List{t.present(ctx, err)}}
	}
	defer func() {
		if r := recover(); r != nil {
			_ = tx.Rollback()
			panic(r)
		}
	}()
	rsp := next(txCtx)
	if len(rsp.Errors) > 0 {
		_ = tx.Rollback()
		return &graphql.Response{Errors: rsp.Errors}
	}
	if err := tx.Commit(); err != nil {
		return &graphql.Response{Errors: gqlerror.List{t.present(ctx, err)}}
	}
	return rsp
}

// ownTxFields are the mutations that call SIRENE: they read and validate,
// look up, then write in a short transaction of their own
// (internal/addressbook), so that no write transaction, and on SQLite no
// write lock, waits on INSEE. Sent with other fields in one operation,
// they run inside its transaction like every mutation and call no
// SIRENE (see addressbook.CreateProspect and UpdateFromSirene).
var ownTxFields = map[string]bool{"createProspect": true, "updateThirdPartyFromSirene": true}

// ownTransaction reports whether op is a mutation of exactly one field
// that opens its own transaction (__typename aside): the operation then
// runs without one.
func ownTransaction(op *ast.OperationDefinition) bool {
	if op == nil || op.Operation != ast.Mutation {
		return false
	}
	own := 0
	for _, sel := range op.SelectionSet {
		f, ok := sel.(*ast.Field)
		if !ok || len(f.Directives) > 0 {
			return false // fragments, @skip, @include: the general case
		}
		switch {
		case f.Name == "__typename":
		case ownTxFields[f.Name]:
			own++
		default:
			return false
		}
	}
	return own == 1
}
