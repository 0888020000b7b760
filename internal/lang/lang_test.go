package lang_test

import (
	"context"
	"testing"

	"carnet/internal/lang"
)

func TestNegotiateMatchesFrenchOrEnglishElseFallback(t *testing.T) {
	for _, tc := range []struct {
		header   string
		fallback lang.Language
		want     lang.Language
	}{
		{"", lang.FR, lang.FR},
		{"", lang.EN, lang.EN},
		{"en", lang.FR, lang.EN},
		{"en-GB,en;q=0.9", lang.FR, lang.EN},
		{"fr-CA", lang.EN, lang.FR},
		{"de-DE,en;q=0.5", lang.FR, lang.EN},
		{"en;q=0.3,fr;q=0.8", lang.EN, lang.FR},
		{"de", lang.EN, lang.EN},
		{"de", lang.FR, lang.FR},
		{"!!!", lang.EN, lang.EN},
		{"*", lang.FR, lang.FR},
		{"*", lang.EN, lang.EN},
		{"en, *;q=0.5", lang.FR, lang.EN},
	} {
		if got := lang.Negotiate(tc.header, tc.fallback); got != tc.want {
			t.Errorf("Negotiate(%q, %s) = %s, want %s", tc.header, tc.fallback, got, tc.want)
		}
	}
}

func TestContextDefaultsToFrench(t *testing.T) {
	if got := lang.FromContext(context.Background()); got != lang.FR {
		t.Errorf("no language in context: %s, want fr", got)
	}
	if got := lang.FromContext(lang.NewContext(context.Background(), lang.EN)); got != lang.EN {
		t.Errorf("got %s, want en", got)
	}
}

func TestUnmarshalGQLIsCaseSensitive(t *testing.T) {
	var l lang.Language
	if err := l.UnmarshalGQL("EN"); err != nil || l != lang.EN {
		t.Fatalf("EN: %v %s", err, l)
	}
	for _, bad := range []any{"en", "DE", 1} {
		if err := l.UnmarshalGQL(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
