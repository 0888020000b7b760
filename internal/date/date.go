// Package date is the GraphQL Date scalar: a calendar day written
// "YYYY-MM-DD", held in Go as a time.Time at midnight UTC.
package date

import (
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"carnet/internal/errs"
)

// MarshalDate writes t as "YYYY-MM-DD".
func MarshalDate(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(t.UTC().Format(time.DateOnly)))
	})
}

// UnmarshalDate reads "YYYY-MM-DD".
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
