package duplicates_test

import (
	"testing"

	"carnet/internal/duplicates"
)

func TestSimilarNames_FoldedWordsInAnyOrderLegalFormsIgnoredOneTypoFromFiveLetters(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"Garage Dupont Frères", "frères dupont GARAGE", true},
		{"SARL Dupont", "Dupont", true},
		{"Ets Martin SAS", "Martin", true},
		{"Boulangerie Lefebvre", "Boulangerie Lefebre", true}, // a letter removed
		{"Lefebvre", "Lefevbre", true},                        // two swapped
		{"Lefebvre", "Lefebvra", true},                        // one changed
		{"Dupont", "Dupomt", true},                            // 6 letters
		{"Bati Ouest", "Bato Ouest", false},                   // 4 letters
		{"Durand", "Durant Fils", false},                      // a word more
		{"Boulangerie Lefebvre", "Boulangeri Lefebre", false}, // two typos
		{"SARL", "SAS", false},                                // nothing but legal forms
		{"Dupont", "Dupond Martin", false},
	} {
		if got := duplicates.SimilarNames(duplicates.NameKey(tc.a), duplicates.NameKey(tc.b)); got != tc.want {
			t.Errorf("%q ~ %q: got %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}
