// Package lang is the language of a request: French or English, chosen
// once where the viewer is built (Accept-Language, else the
// organisation's language, else French) and carried in its context.
// Labels (internal/labels) and error messages (internal/errs) read it.
package lang

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/language"
)

// Language is a language the API speaks. Its value is what the database
// stores (organisation.language); GraphQL shows it upper-case (FR, EN).
type Language string

// The languages of the API. French is the portal's language, the default.
const (
	FR Language = "fr"
	EN Language = "en"
)

// Default is the language of a new organisation, and of a request
// before it is authenticated when it sends no Accept-Language.
const Default = FR

// All lists the languages, the default first.
var All = []Language{FR, EN}

// Valid reports whether l is a language of the API.
func (l Language) Valid() bool { return l == FR || l == EN }

// Or returns l, or fallback when l is not a language of the API.
func (l Language) Or(fallback Language) Language {
	if l.Valid() {
		return l
	}
	return fallback
}

// matcher matches Accept-Language against the API's languages.
var matcher = language.NewMatcher([]language.Tag{language.French, language.English})

// Negotiate returns the language an Accept-Language header asks for, or
// fallback when it is empty, unreadable or names neither French nor
// English (e.g. "de" alone).
func Negotiate(acceptLanguage string, fallback Language) Language {
	if strings.TrimSpace(acceptLanguage) == "" {
		return fallback
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	// "*" (sent by Node's fetch, among others) names no language: it
	// parses as und, which the matcher would read as English.
	tags = slices.DeleteFunc(tags, func(t language.Tag) bool { return t == language.Und })
	if err != nil || len(tags) == 0 {
		return fallback
	}
	_, index, confidence := matcher.Match(tags...)
	if confidence == language.No {
		return fallback
	}
	return All[index]
}

type ctxKey struct{}

// NewContext returns ctx carrying l.
func NewContext(ctx context.Context, l Language) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// FromContext returns the language of ctx, or Default when none was set.
func FromContext(ctx context.Context) Language {
	if l, ok := ctx.Value(ctxKey{}).(Language); ok {
		return l
	}
	return Default
}

// MarshalGQL writes the language as its GraphQL enum value (FR, EN).
func (l Language) MarshalGQL(w io.Writer) {
	_, _ = io.WriteString(w, strconv.Quote(strings.ToUpper(string(l))))
}

// UnmarshalGQL reads the GraphQL enum value (FR, EN).
func (l *Language) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("a Language is a string, got %T", v)
	}
	got := Language(strings.ToLower(s))
	if s != strings.ToUpper(s) || !got.Valid() {
		return fmt.Errorf("%q is not a Language (FR, EN)", s)
	}
	*l = got
	return nil
}

// Lookup returns the language of ctx, if one was set.
func Lookup(ctx context.Context) (Language, bool) {
	l, ok := ctx.Value(ctxKey{}).(Language)
	return l, ok
}
