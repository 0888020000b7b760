// Package errs is Carnet's one error type: a machine code from the API
// contract, a message meant for a human and, for bad input, the offending
// field. The error presenter (internal/server/errors.go) turns it into
// extensions.code; any other error is reported as INTERNAL and only logged.
package errs

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"carnet/internal/lang"
)

// Code is a machine-readable error code of the API contract.
type Code string

// The codes of the API contract, listed for clients in docs/frontend.md
// ("Errors").
const (
	Unauthenticated   Code = "UNAUTHENTICATED"
	Forbidden         Code = "FORBIDDEN"
	NotFound          Code = "NOT_FOUND"
	BadUserInput      Code = "BAD_USER_INPUT"
	Conflict          Code = "CONFLICT"
	FeatureDisabled   Code = "FEATURE_DISABLED"
	SireneUnavailable Code = "SIRENE_UNAVAILABLE"
	SireneNotFound    Code = "SIRENE_NOT_FOUND"
	RateLimited       Code = "RATE_LIMITED"
	Overloaded        Code = "OVERLOADED"
	Timeout           Code = "TIMEOUT"
	QueryTooComplex   Code = "QUERY_TOO_COMPLEX"
	Internal          Code = "INTERNAL"
	// Merged is a warning's code only: a merge dropped or changed a link,
	// or node(id) answered the record an ID was merged into.
	Merged Code = "MERGED"
)

// Error is an error a client may see.
type Error struct {
	Code    Code
	Message string
	// Field is the input field at fault, for BAD_USER_INPUT.
	Field string
	// Format and Args are what Message was made of: Format is the key of
	// the message's translations (catalogue.go), Args fill it in.
	Format string
	Args   []any
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, e.Field)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// E returns an error of code with a formatted message.
func E(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Format: format, Args: args}
}

// Invalid returns a BAD_USER_INPUT error about field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: BadUserInput, Message: fmt.Sprintf(format, args...), Field: field, Format: format, Args: args}
}

// List is several errors reported at once, in order: one per invalid
// input field, so that a form can mark every field in one round trip. The
// GraphQL layer turns it into one GraphQL error per element
// (internal/server/errors.go).
type List []*Error

func (l List) Error() string {
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Unwrap gives the list's errors to errors.As (CodeOf a list is its
// first error's code).
func (l List) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Add records err: a *Error or every error of a List. Any other error is
// not about the input: Add returns it, for the caller to return at once.
func (l *List) Add(err error) error {
	var list List
	switch {
	case err == nil:
	case errors.As(err, &list):
		*l = append(*l, list...)
	default:
		e, ok := As(err)
		if !ok {
			return err
		}
		*l = append(*l, e)
	}
	return nil
}

// Err returns nil for an empty list, its one error alone, or the list.
func (l List) Err() error {
	switch len(l) {
	case 0:
		return nil
	case 1:
		return l[0]
	}
	return l
}

// Has reports whether the list holds an error about field.
func (l List) Has(field string) bool {
	for _, e := range l {
		if e.Field == field {
			return true
		}
	}
	return false
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// CodeOf returns the code of err: its *Error's code, or INTERNAL.
func CodeOf(err error) Code {
	if e, ok := As(err); ok {
		return e.Code
	}
	return Internal
}

// WriteHTTPFor is WriteHTTP with the message in r's language: the one
// authentication chose, else Accept-Language, else French.
func WriteHTTPFor(w http.ResponseWriter, r *http.Request, status int, e *Error) {
	l, ok := lang.Lookup(r.Context())
	if !ok {
		l = lang.Negotiate(r.Header.Get("Accept-Language"), lang.Default)
	}
	out := *e
	out.Message = e.In(l, nil)
	WriteHTTP(w, status, &out)
}

// WriteHTTP answers an HTTP request outside GraphQL (authentication,
// limits, downloads) with e as a GraphQL-shaped error body:
// {"errors":[{"message", "extensions":{"code"}}]}.
func WriteHTTP(w http.ResponseWriter, status int, e *Error) {
	ext := map[string]any{"code": string(e.Code)}
	if e.Field != "" {
		ext["field"] = e.Field
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{"message": e.Message, "extensions": ext}}})
}

// Warning is a non-fatal note about a mutation that succeeded, shown in
// the response's extensions.warnings (a SIRENE auto-fill skipped, an
// option that has no effect).
type Warning struct {
	Code    Code   `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
	// Candidates are the records a POSSIBLE_DUPLICATE warning is about.
	Candidates []WarningCandidate `json:"candidates,omitempty"`
}

// WarningCandidate is a record named by a warning: its API ID, its name
// and why it is named (DuplicateReason values).
type WarningCandidate struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Reasons []string `json:"reasons"`
}
