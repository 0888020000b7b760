package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"carnet/ent"
	"carnet/ent/privacy"
	"carnet/internal/db"
	"carnet/internal/errs"
	"carnet/internal/labels"
	"carnet/internal/lang"
)

// presentError is the one place where errors become GraphQL errors with
// an extensions.code of the API contract. Known errors keep a message for
// humans; anything else is logged with the request id and shown as
// INTERNAL, so that no SQL, driver or stack detail reaches a client.
func presentError(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		// Past the request's deadline, whatever the driver made of the
		// cancelled statement.
		e := timedOut(ctx, err)
		if e == nil {
			e = classify(err)
		}
		if e == nil {
			// Parse and validation errors of the document itself: gqlparser's
			// English text (it has no translations).
			e = &errs.Error{}
			if f, ok := gqlErr.Extensions["field"].(string); ok {
				e.Field = f
			}
			if c, ok := gqlErr.Extensions["code"].(string); ok {
				switch c {
				case errcode.ValidationFailed, errcode.ParseFailed:
					e.Code, e.Message = errs.BadUserInput, gqlErr.Message
					if strings.Contains(e.Message, "introspection depth") {
						// gqlparser's guard against circular introspection.
						e.Code = errs.QueryTooComplex
					}
				default:
					e.Code, e.Message = errs.Code(c), gqlErr.Message
				}
			}
		}
		if e.Code == "" && !graphql.HasOperationContext(ctx) {
			// The body never became an operation: unreadable, too large
			// or not JSON. gqlgen's text echoes the body: replace it.
			e = badBody(gqlErr.Message)
		}
		if e.Code == "" && db.Unavailable(err) {
			// PostgreSQL is down, restarting or unreachable: worth a retry.
			id := RequestID(ctx)
			log.WarnContext(ctx, "database unavailable", "request_id", id, "err", err.Error())
			e = unavailable(id)
		}
		if e.Code == "" {
			id := RequestID(ctx)
			log.ErrorContext(ctx, "internal error", "request_id", id, "err", err.Error())
			e = errs.E(errs.Internal, "internal error; quote request id %s to support", id)
		}
		field := e.Field
		if e.Code == errs.BadUserInput && field == "" && len(gqlErr.Path) > 1 {
			// An argument that did not decode (e.g. a malformed ID): gqlgen's
			// path ends with the argument's name.
			if name, ok := gqlErr.Path[len(gqlErr.Path)-1].(ast.PathName); ok {
				field = string(name)
			}
		}
		gqlErr.Message = e.In(lang.FromContext(ctx), labels.Arg)
		gqlErr.Extensions = map[string]any{"code": string(e.Code)}
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

// localized returns e with its message in the request's language: the
// one authentication chose, else Accept-Language, else French.
func localized(ctx context.Context, header http.Header, e *errs.Error) *errs.Error {
	l, ok := lang.Lookup(ctx)
	if !ok {
		l = lang.Negotiate(header.Get("Accept-Language"), lang.Default)
	}
	out := *e
	out.Message = e.In(l, labels.Arg)
	return &out
}

// classify finds the error of the API for an error from Carnet or ent;
// nil when unknown.
func classify(err error) *errs.Error {
	if e, ok := errs.As(err); ok {
		return e
	}
	var validation *ent.ValidationError
	var notFound *ent.NotFoundError
	switch {
	case errors.Is(err, privacy.Deny):
		return errs.E(errs.Forbidden, "you do not have the right to do this")
	case errors.As(err, &notFound):
		return errs.E(errs.NotFound, "not found")
	case errors.As(err, &validation):
		f := camel(validation.Name)
		return errs.Invalid(f, "invalid value for %s", f)
	case ent.IsConstraintError(err):
		return errs.E(errs.Conflict, "this conflicts with an existing record")
	case emptyWhere(err):
		return errs.Invalid("where", "a filter inside not, and, or or a has…With is empty: leave it out, or give it a condition")
	}
	return nil
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

// badBody explains why a request body was refused, from gqlgen's
// message.
func badBody(gqlgenMessage string) *errs.Error {
	switch {
	case strings.Contains(gqlgenMessage, "request body too large"):
		return errs.E(errs.BadUserInput, "the request body is larger than %d bytes", MaxBodyBytes)
	case strings.Contains(gqlgenMessage, "could not be decoded"):
		return errs.E(errs.BadUserInput, `the request body is not JSON of the form {"query": "…", "variables": {…}}`)
	}
	return errs.E(errs.BadUserInput, "the request body could not be read")
}

// unavailable is the INTERNAL error due to the database being
// unreachable (the API has no code of its own for it).
func unavailable(requestID string) *errs.Error {
	return errs.E(errs.Internal, "the database is unavailable; retry in a moment (request id %s)", requestID)
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
