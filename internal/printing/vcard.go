package printing

import (
	"strings"
	"unicode/utf8"
)

// VCard writes contacts as vCard 4.0 (RFC 6350), one card each, with the
// organisation name: importable by common address books. Text values are
// escaped (\\, \,, \;, \n) and lines folded at 75 octets.
//
// It is not github.com/emersion/go-vcard's encoder, which escapes only
// backslash, LF and comma: a semicolon in a name would end its component
// of N, a lone CR would reach the file as a line break, and long lines
// would not be folded (vcard_test.go).
func VCard(org string, contacts []Contact) []byte {
	var b strings.Builder
	for _, c := range contacts {
		line(&b, "BEGIN:VCARD")
		line(&b, "VERSION:4.0")
		line(&b, "N:"+esc(c.LastName)+";"+esc(c.FirstName)+";;"+esc(c.Civility)+";")
		line(&b, "FN:"+esc(strings.TrimSpace(c.FirstName+" "+c.LastName)))
		if org != "" {
			line(&b, "ORG:"+esc(org))
		}
		if c.JobTitle != "" {
			line(&b, "TITLE:"+esc(c.JobTitle))
		}
		if c.DirectLine != "" {
			line(&b, "TEL;TYPE=work,voice;VALUE=uri:tel:"+c.DirectLine)
		}
		if c.Mobile != "" {
			line(&b, "TEL;TYPE=cell;VALUE=uri:tel:"+c.Mobile)
		}
		if c.Email != "" {
			line(&b, "EMAIL;TYPE=work:"+esc(c.Email))
		}
		line(&b, "END:VCARD")
	}
	return []byte(b.String())
}

// esc escapes a vCard text value.
func esc(s string) string {
	// A lone CR is a line break too for many readers: escaped like LF,
	// so that a stored name cannot end the card and start another.
	return strings.NewReplacer(`\`, `\\`, ",", `\,`, ";", `\;`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// line writes a content line folded at 75 octets, never inside a
// character, ended by CRLF.
func line(b *strings.Builder, s string) {
	max := 75
	for len(s) > max {
		cut := max
		for !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		max = 74 // the continuation's leading space counts
	}
	b.WriteString(s)
	b.WriteString("\r\n")
}
