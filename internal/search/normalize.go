package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxWordLen bounds a stored word: longer words are cut (a prefix query
// of that length still finds them).
const MaxWordLen = 64

// special are letters whose folding is not a matter of removing accents.
var special = map[rune]string{
	'œ': "oe", 'Œ': "oe", 'æ': "ae", 'Æ': "ae", 'ß': "ss", 'ẞ': "ss",
	'ø': "o", 'Ø': "o", 'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d",
	'þ': "th", 'Þ': "th", 'ı': "i", 'ĳ': "ij", 'Ĳ': "ij", 'ŀ': "l", 'Ŀ': "l",
}

// folded caches the folding of the Latin letters of U+00C0–U+024F, the
// ones French (and most European) names use.
var folded = func() map[rune]string {
	m := make(map[rune]string, 400)
	for r := rune(0xC0); r <= 0x24F; r++ {
		if s, ok := special[r]; ok {
			m[r] = s
			continue
		}
		if s := stripMarks(r); s != "" {
			m[r] = s
		}
	}
	return m
}()

// stripMarks decomposes r and keeps its lower-cased letters and digits.
func stripMarks(r rune) string {
	var b strings.Builder
	for _, c := range norm.NFKD.String(string(r)) {
		if !unicode.IsLetter(c) && !unicode.IsDigit(c) {
			continue
		}
		c = unicode.ToLower(c)
		if sp, ok := special[c]; ok {
			b.WriteString(sp)
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Fold returns s lower-cased, without accents, with ligatures expanded
// (œ→oe, æ→ae, ß→ss) and every character that is not a letter or a digit
// (apostrophes, hyphens, punctuation, NUL) turned into a single space. It
// is the one normaliser of Carnet's search: indexing and querying both go
// through it, so they always agree.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // no leading space
	for _, r := range s {
		var out string
		switch {
		case r < utf8.RuneSelf:
			switch {
			case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
				b.WriteByte(byte(r))
				space = false
				continue
			case 'A' <= r && r <= 'Z':
				b.WriteByte(byte(r) + 'a' - 'A')
				space = false
				continue
			}
		case folded[r] != "":
			out = folded[r]
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			out = stripMarks(r)
		}
		if out == "" {
			if !space {
				b.WriteByte(' ')
				space = true
			}
			continue
		}
		b.WriteString(out)
		space = false
	}
	return strings.TrimSuffix(b.String(), " ")
}

// Words returns the words of Fold(s), each cut to MaxWordLen bytes.
func Words(s string) []string {
	words := strings.Fields(Fold(s))
	for i, w := range words {
		if len(w) > MaxWordLen {
			words[i] = w[:MaxWordLen]
		}
	}
	return words
}

// prefixEnd returns the smallest string greater than every string that
// starts with p, or "" when there is none. Prefix matching is then the
// index-friendly range [p, prefixEnd(p)), which a btree answers in order.
// Folded words are ASCII letters and digits (other scripts aside), so the
// successor stays in that alphabet ('9' is followed by 'a'): collations
// that ignore punctuation at their first level, like en_US, then order
// the bounds as C does.
func prefixEnd(p string) string {
	b := []byte(p)
	for i := len(b) - 1; i >= 0; i-- {
		switch c := b[i]; {
		case c == '9':
			b[i] = 'a'
		case c == 'z' || c == 0xff:
			continue
		default:
			b[i]++
		}
		return string(b[:i+1])
	}
	return ""
}
