package search

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"lower-cases and strips accents", "Écoles Réunies", "ecoles reunies"},
		{"expands ligatures", "Œnologie Cœur Æther Straße", "oenologie coeur aether strasse"},
		{"cedilla and diaeresis", "Garçon Noël Anaïs", "garcon noel anais"},
		{"apostrophes split words", "L'Oréal d’Arcy", "l oreal d arcy"},
		{"hyphens split words", "Jean-Pierre Côte-Rôtie", "jean pierre cote rotie"},
		{"punctuation and spaces collapse", "  Dupont & Fils, S.A. ", "dupont fils s a"},
		{"keeps digits", "SIRET 732 829 320 00074", "siret 732 829 320 00074"},
		{"NUL and controls are separators", "a\x00b\tc", "a b c"},
		{"like-pattern characters are separators", `100% _x_ \y "z"`, "100 x y z"},
		{"other scripts keep their letters", "Ελλάδα Москва", "ελλαδα москва"},
		{"empty", "", ""},
		{"only punctuation", "'%_-", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Fold(tc.in); got != tc.want {
				t.Fatalf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestWordsCutsLongWords(t *testing.T) {
	w := Words(strings.Repeat("a", 200) + " b")
	if len(w) != 2 || len(w[0]) != MaxWordLen || w[1] != "b" {
		t.Fatalf("Words = %v", w)
	}
}

func TestPrefixEndBoundsEveryWordWithThePrefix(t *testing.T) {
	for _, tc := range []struct{ p, end string }{
		{"dup", "duq"}, {"ab9", "aba"}, {"az", "b"}, {"zz", ""}, {"7", "8"},
	} {
		if got := prefixEnd(tc.p); got != tc.end {
			t.Fatalf("prefixEnd(%q) = %q, want %q", tc.p, got, tc.end)
		}
		if tc.end == "" {
			continue
		}
		for _, w := range []string{tc.p, tc.p + "0", tc.p + "9", tc.p + "zzzz"} {
			if !(w >= tc.p && w < tc.end) {
				t.Fatalf("%q is outside [%q, %q)", w, tc.p, tc.end)
			}
		}
	}
}

// FuzzFold checks the normaliser's invariants: idempotent, lower-case,
// no leading, trailing or double spaces, valid UTF-8, never a pattern
// character.
func FuzzFold(f *testing.F) {
	for _, s := range []string{"Établissements Dupond", "L'Oréal", "Œuvre", "straße", "a\x00b", "%_\\'\"", "Jean-Pierre", "\xff\xfe", "ǅ ǈ ﬁ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Fold(s)
		if Fold(got) != got {
			t.Fatalf("not idempotent: Fold(%q) = %q, Fold again = %q", s, got, Fold(got))
		}
		if !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8 from %q: %q", s, got)
		}
		if strings.HasPrefix(got, " ") || strings.HasSuffix(got, " ") || strings.Contains(got, "  ") {
			t.Fatalf("bad spacing: %q", got)
		}
		if strings.ContainsAny(got, "%_\\'\"\x00-") || strings.ToLower(got) != got {
			t.Fatalf("unexpected characters: %q", got)
		}
		for _, w := range Words(s) {
			if w == "" || len(w) > MaxWordLen {
				t.Fatalf("bad word %q", w)
			}
		}
	})
}
