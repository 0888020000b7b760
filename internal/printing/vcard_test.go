package printing

import (
	"strings"
	"testing"
)

// These are the reasons the writer is Carnet's own rather than
// github.com/emersion/go-vcard's encoder, which escapes only \, LF and
// comma: a semicolon in a name would end its component of N, a lone CR
// would reach the file as is, and lines are not folded.

func TestVCardEscapesEveryTextSeparatorAndLoneCR(t *testing.T) {
	card := string(VCard("Dupré & fils; SARL", []Contact{{
		FirstName: "Zoé", LastName: "Dupont;Durand\rEND:VCARD\rBEGIN:VCARD\r\nFN:x",
		JobTitle: `Directrice, achats; export \ import`,
	}}))
	for _, want := range []string{
		`N:Dupont\;Durand\nEND:VCARD\nBEGIN:VCARD\nFN:x;Zoé;;;` + "\r\n",
		`TITLE:Directrice\, achats\; export \\ import` + "\r\n",
		`ORG:Dupré & fils\; SARL` + "\r\n",
	} {
		if !strings.Contains(card, want) {
			t.Errorf("card lacks %q:\n%s", want, card)
		}
	}
	if strings.Contains(strings.ReplaceAll(card, "\r\n", ""), "\r") || strings.Count(card, "\r\nBEGIN:VCARD") != 0 {
		t.Fatalf("a CR split the card: %q", card)
	}
}

func TestVCardFoldsLinesAt75OctetsNeverInsideACharacter(t *testing.T) {
	card := string(VCard("", []Contact{{LastName: "Dupont", JobTitle: strings.Repeat("é", 100)}}))
	var title []string
	for i, l := range strings.Split(strings.TrimSuffix(card, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line %d has %d octets: %q", i, len(l), l)
		}
		if strings.HasPrefix(l, "TITLE:") || (len(title) > 0 && strings.HasPrefix(l, " ")) {
			title = append(title, strings.TrimPrefix(l, " "))
		}
	}
	if got := strings.Join(title, ""); got != "TITLE:"+strings.Repeat("é", 100) {
		t.Fatalf("unfolded title = %q", got)
	}
}
