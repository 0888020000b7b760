package server

import (
	"carnet/internal/lang"
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"syscall"
	"testing"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/lib/pq"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// fakeTx is a transaction whose commit fails with err.
type fakeTx struct {
	err                 error
	committed, rolledBk bool
}

func (t *fakeTx) Commit() error   { t.committed = true; return t.err }
func (t *fakeTx) Rollback() error { t.rolledBk = true; return nil }

// TestTransactionerPresentsBeginAndCommitFailures: when the database goes
// away between a mutation and its commit (or before it begins), the
// answer is a clean error of the API, not the driver's text.
func TestTransactionerPresentsBeginAndCommitFailures(t *testing.T) {
	reset := &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	shutdown := &pq.Error{Code: "57P01", Message: "terminating connection due to administrator command"}
	for _, tc := range []struct {
		name                 string
		beginErr, commitErr  error
		wantMessage          string
		wantCommit, wantBack bool
	}{
		{name: "begin refused", beginErr: refused, wantMessage: "the database is unavailable"},
		{name: "commit reset", commitErr: reset, wantMessage: "the database is unavailable", wantCommit: true},
		{name: "commit after a shutdown", commitErr: shutdown, wantMessage: "the database is unavailable", wantCommit: true},
		{name: "commit fails otherwise", commitErr: errors.New("pq: could not serialize access"), wantMessage: "internal error", wantCommit: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tx := &fakeTx{err: tc.commitErr}
			opener := entgql.TxOpenerFunc(func(ctx context.Context) (context.Context, driver.Tx, error) {
				if tc.beginErr != nil {
					return nil, nil, tc.beginErr
				}
				return ctx, tx, nil
			})
			tr := transactioner{Transactioner: entgql.Transactioner{TxOpener: opener},
				present: presentError(slog.New(slog.NewTextHandler(io.Discard, nil)))}
			ctx := graphql.WithOperationContext(lang.NewContext(context.Background(), lang.EN),
				&graphql.OperationContext{Operation: &ast.OperationDefinition{Operation: ast.Mutation}})
			ran := false
			resp := tr.InterceptResponse(ctx, func(context.Context) *graphql.Response {
				ran = true
				return &graphql.Response{Data: []byte(`{"ok":true}`)}
			})
			if ran == (tc.beginErr != nil) {
				t.Errorf("resolvers ran: %v", ran)
			}
			if tx.committed != tc.wantCommit {
				t.Errorf("committed: %v, want %v", tx.committed, tc.wantCommit)
			}
			if len(resp.Errors) != 1 || resp.Data != nil {
				t.Fatalf("response: %+v", resp)
			}
			e := resp.Errors[0]
			if e.Extensions["code"] != "INTERNAL" || !strings.HasPrefix(e.Message, tc.wantMessage) {
				t.Errorf("error: %q %v, want INTERNAL %q…", e.Message, e.Extensions, tc.wantMessage)
			}
			for _, leak := range []string{"pq", "tcp", "reset", "refused", "terminating", "serialize"} {
				if strings.Contains(e.Message, leak) {
					t.Errorf("the message leaks %q: %s", leak, e.Message)
				}
			}
		})
	}
}

// TestTransactionerRollsBackOnErrorsAndSkipsQueries keeps entgql's
// behaviour: resolver errors roll back; queries run without a transaction.
func TestTransactionerRollsBackOnErrorsAndSkipsQueries(t *testing.T) {
	opened := 0
	tx := &fakeTx{}
	tr := transactioner{Transactioner: entgql.Transactioner{TxOpener: entgql.TxOpenerFunc(func(ctx context.Context) (context.Context, driver.Tx, error) {
		opened++
		return ctx, tx, nil
	})}, present: presentError(slog.New(slog.NewTextHandler(io.Discard, nil)))}

	query := graphql.WithOperationContext(context.Background(),
		&graphql.OperationContext{Operation: &ast.OperationDefinition{Operation: ast.Query}})
	tr.InterceptResponse(query, func(context.Context) *graphql.Response { return &graphql.Response{} })
	if opened != 0 {
		t.Fatalf("a query opened %d transactions", opened)
	}

	mutation := graphql.WithOperationContext(context.Background(),
		&graphql.OperationContext{Operation: &ast.OperationDefinition{Operation: ast.Mutation}})
	resp := tr.InterceptResponse(mutation, func(ctx context.Context) *graphql.Response {
		return graphql.ErrorResponse(ctx, "CONFLICT")
	})
	if opened != 1 || tx.committed || !tx.rolledBk || len(resp.Errors) != 1 {
		t.Fatalf("opened %d, committed %v, rolled back %v, errors %v", opened, tx.committed, tx.rolledBk, resp.Errors)
	}
}

// TestOwnTransaction: only a mutation whose one field calls SIRENE runs
// without the operation's transaction.
func TestOwnTransaction(t *testing.T) {
	for doc, want := range map[string]bool{
		`mutation { createProspect(input: {name: "x"}) { id } }`:                                                 true,
		`mutation($id: ID!) { __typename u: updateThirdPartyFromSirene(id: $id) { id } }`:                        true,
		`mutation { a: createProspect(input: {name: "x"}) { id } b: createProspect(input: {name: "y"}) { id } }`: false,
		`mutation { createProspect(input: {name: "x"}) { id } deleteContact(id: "1") }`:                          false,
		`mutation { createProspect(input: {name: "x"}) @skip(if: false) { id } }`:                                false,
		`mutation { ... on Mutation { createProspect(input: {name: "x"}) { id } } }`:                             false,
		`mutation { updateContact(id: "1", expectedVersion: 1, input: {}) { id } }`:                              false,
		`query { createProspect }`: false,
	} {
		d, err := parser.ParseQuery(&ast.Source{Input: doc})
		if err != nil {
			t.Fatal(err)
		}
		if got := ownTransaction(d.Operations[0]); got != want {
			t.Errorf("%s: %v, want %v", doc, got, want)
		}
	}
}
