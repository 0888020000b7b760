package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"carnet/ent"
	"carnet/ent/privacy"
	"carnet/internal/db"
	"carnet/internal/errs"
)

// presentError is the one place where errors become GraphQL errors with
// an extensions.code of the API contract. Known errors keep a message for
// humans; anything else is logged with the request id and shown as
// INTERNAL, so that no SQL, driver or stack detail reaches a client.
func presentError(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		code, message, field := classify(err)
		if code == "" {
			// Parse and validation errors of the document itself.
			if f, ok := gqlErr.Extensions["field"].(string); ok {
				field = f
			}
			if c, ok := gqlErr.Extensions["code"].(string); ok {
				switch c {
				case errcode.ValidationFailed, errcode.ParseFailed:
					code, message = errs.BadUserInput, gqlErr.Message
					if strings.Contains(message, "introspection depth") {
						// gqlparser's guard against circular introspection.
						code = errs.QueryTooComplex
					}
				default:
					code, message = errs.Code(c), gqlErr.Message
				}
			}
		}
		if code == "" && !graphql.HasOperationContext(ctx) {
			// The body never became an operation: unreadable, too large
			// or not JSON. gqlgen's text echoes the body: replace it.
			code, message = errs.BadUserInput, badBodyMessage(gqlErr.Message)
		}
		if code == "" && db.Unavailable(err) {
			// PostgreSQL is down, restarting or unreachable: worth a retry.
			id := RequestID(ctx)
			log.WarnContext(ctx, "database unavailable", "request_id", id, "err", err.Error())
			code, message = errs.Internal, unavailableMessage(id)
		}
		if code == "" {
			id := RequestID(ctx)
			log.ErrorContext(ctx, "internal error", "request_id", id, "err", err.Error())
			code, message = errs.Internal, "internal error; quote request id "+id+" to support"
		}
		if code == errs.BadUserInput && field == "" && len(gqlErr.Path) > 1 {
			// An argument that did not decode (e.g. a malformed ID): gqlgen's
			// path ends with the argument's name.
			if name, ok := gqlErr.Path[len(gqlErr.Path)-1].(ast.PathName); ok {
				field = string(name)
			}
		}
		gqlErr.Message = message
		gqlErr.Extensions = map[string]any{"code": string(code)}
		if field != "" {
			gqlErr.Extensions["field"] = field
		}
		return gqlErr
	}
}

// splitLists is a field middleware: a resolver's errs.List (every invalid
// field of an input) becomes one GraphQL error per element, each through
// the presenter with its own extensions.field.
func splitLists(ctx context.Context, next graphql.Resolver) (any, error) {
	res, err := next(ctx)
	var list errs.List
	if err == nil || !errors.As(err, &list) || len(list) == 0 {
		return res, err
	}
	var locs []gqlerror.Location
	if fc := graphql.GetFieldContext(ctx); fc != nil && fc.Field.Position != nil && fc.Field.Position.Line > 0 {
		locs = []gqlerror.Location{{Line: fc.Field.Position.Line, Column: fc.Field.Position.Column}}
	}
	out := make(gqlerror.List, len(list))
	for i, e := range list {
		out[i] = &gqlerror.Error{Err: e, Message: e.Message, Path: graphql.GetPath(ctx), Locations: locs}
	}
	return res, out
}

// classify finds the code of an error from Carnet or ent; "" when unknown.
func classify(err error) (code errs.Code, message, field string) {
	if e, ok := errs.As(err); ok {
		return e.Code, e.Message, e.Field
	}
	var validation *ent.ValidationError
	var notFound *ent.NotFoundError
	switch {
	case errors.Is(err, privacy.Deny):
		return errs.Forbidden, "you do not have the right to do this", ""
	case errors.As(err, &notFound):
		return errs.NotFound, "not found", ""
	case errors.As(err, &validation):
		f := camel(validation.Name)
		return errs.BadUserInput, "invalid value for " + f, f
	case ent.IsConstraintError(err):
		return errs.Conflict, "this conflicts with an existing record", ""
	case emptyWhere(err):
		return errs.BadUserInput, "a filter inside not, and, or or a has…With is empty: leave it out, or give it a condition", "where"
	case errors.Is(err, context.DeadlineExceeded):
		return errs.Internal, "the request took too long", ""
	}
	return "", "", ""
}

// emptyWhere reports an empty where input nested in another (not: {},
// or: [{}], hasContactsWith: [{}]): entgql's filters accept an empty
// where at the top only.
func emptyWhere(err error) bool {
	for _, e := range emptyWhereInputs {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// emptyWhereInputs are entgql's errors for empty where inputs, one per
// filtered type (a test compares them with the generated code).
var emptyWhereInputs = []error{
	ent.ErrEmptyActivityWhereInput, ent.ErrEmptyAuditEventWhereInput, ent.ErrEmptyContactWhereInput,
	ent.ErrEmptyOpportunityWhereInput, ent.ErrEmptyThirdPartyWhereInput,
}

// badBodyMessage explains why a request body was refused, from gqlgen's
// message.
func badBodyMessage(gqlgenMessage string) string {
	switch {
	case strings.Contains(gqlgenMessage, "request body too large"):
		return fmt.Sprintf("the request body is larger than %d bytes", MaxBodyBytes)
	case strings.Contains(gqlgenMessage, "could not be decoded"):
		return `the request body is not JSON of the form {"query": "…", "variables": {…}}`
	}
	return "the request body could not be read"
}

// unavailableMessage is the message of INTERNAL errors due to the
// database being unreachable (the API has no code of its own for them).
func unavailableMessage(requestID string) string {
	return "the database is unavailable; retry in a moment (request id " + requestID + ")"
}

// camel turns an ent column name into the API's field name.
func camel(s string) string {
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}
