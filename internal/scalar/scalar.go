// Package scalar binds the GraphQL scalars Cursor, Time, Date and Upload
// to Go types (entgql's, gqlgen's, time.Time), with decoding errors that
// are the client's: BAD_USER_INPUT on the argument (the error presenter
// names it), where the stock decoders' errors carry no code and would
// read as INTERNAL.
package scalar

import (
	"io"
	"strconv"
	"time"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"

	"carnet/internal/errs"
)

// MarshalCursor writes an entgql cursor.
func MarshalCursor(c entgql.Cursor[int]) graphql.Marshaler { return c }

// UnmarshalCursor reads a cursor that a connection of this API wrote.
func UnmarshalCursor(v any) (entgql.Cursor[int], error) {
	var c entgql.Cursor[int]
	if err := c.UnmarshalGQL(v); err != nil {
		return c, errs.Invalid("", "not a cursor of this API: pass back a cursor from a page's edges or pageInfo")
	}
	return c, nil
}

// MarshalTime writes RFC 3339 (gqlgen's Time).
func MarshalTime(t time.Time) graphql.Marshaler { return graphql.MarshalTime(t) }

// UnmarshalTime reads RFC 3339, as gqlgen's Time does.
func UnmarshalTime(v any) (time.Time, error) {
	t, err := graphql.UnmarshalTime(v)
	if err != nil {
		return t, errs.Invalid("", "a Time is a string in RFC 3339, such as 2026-11-27T09:30:00Z")
	}
	return t, nil
}

// MarshalDate writes a Date, a calendar day held as a time.Time at
// midnight UTC, as "YYYY-MM-DD".
func MarshalDate(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(t.UTC().Format(time.DateOnly)))
	})
}

// UnmarshalDate reads "YYYY-MM-DD" as midnight UTC.
func UnmarshalDate(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, errs.Invalid("", "a Date is a string YYYY-MM-DD, got %T", v)
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, errs.Invalid("", "%q is not a date YYYY-MM-DD", s)
	}
	return t, nil
}

// MarshalUpload is gqlgen's (uploads are never answered).
func MarshalUpload(u graphql.Upload) graphql.Marshaler { return graphql.MarshalUpload(u) }

// UnmarshalUpload takes a file part of a multipart request; anything
// else (a string, an object sent as JSON) is the client's error.
func UnmarshalUpload(v any) (graphql.Upload, error) {
	u, err := graphql.UnmarshalUpload(v)
	if err != nil {
		return u, errs.Invalid("", "an Upload is a file part of a multipart request (GraphQL multipart request specification), mapped to this variable")
	}
	return u, nil
}
