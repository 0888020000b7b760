package fakefr

import (
	"unicode"
	"unicode/utf8"
)

// text is the input of the byte-level helpers: they work on both the
// generator's scratch buffer and plain strings without converting.
type text interface{ ~string | ~[]byte }

// decodeRune decodes the UTF-8 sequence at s[i:]; invalid input yields
// (utf8.RuneError, 1).
func decodeRune[S text](s S, i int) (rune, int) {
	c0 := s[i]
	n := len(s) - i
	switch {
	case c0 < 0x80:
		return rune(c0), 1
	case c0 >= 0xC2 && c0 < 0xE0 && n >= 2 && s[i+1]&0xC0 == 0x80:
		return rune(c0&0x1F)<<6 | rune(s[i+1]&0x3F), 2
	case c0 >= 0xE0 && c0 < 0xF0 && n >= 3 && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80:
		r := rune(c0&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
		if r < 0x800 || (r >= 0xD800 && r < 0xE000) {
			return utf8.RuneError, 1
		}
		return r, 3
	case c0 >= 0xF0 && c0 < 0xF5 && n >= 4 && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 && s[i+3]&0xC0 == 0x80:
		r := rune(c0&0x07)<<18 | rune(s[i+1]&0x3F)<<12 | rune(s[i+2]&0x3F)<<6 | rune(s[i+3]&0x3F)
		if r < 0x10000 || r > utf8.MaxRune {
			return utf8.RuneError, 1
		}
		return r, 4
	}
	return utf8.RuneError, 1
}

// latinFold maps U+00C0–U+017F to lower-case ASCII ("" for × and ÷).
var latinFold = func() (t [0x180 - 0xC0]string) {
	spec := []struct {
		n int
		s string
	}{
		// U+00C0–U+00FF
		{6, "a"}, {1, "ae"}, {1, "c"}, {4, "e"}, {4, "i"}, {1, "d"}, {1, "n"}, {5, "o"}, {1, ""},
		{1, "o"}, {4, "u"}, {1, "y"}, {1, "th"}, {1, "ss"},
		{6, "a"}, {1, "ae"}, {1, "c"}, {4, "e"}, {4, "i"}, {1, "d"}, {1, "n"}, {5, "o"}, {1, ""},
		{1, "o"}, {4, "u"}, {1, "y"}, {1, "th"}, {1, "y"},
		// U+0100–U+017F (Latin Extended-A)
		{6, "a"}, {8, "c"}, {4, "d"}, {10, "e"}, {8, "g"}, {4, "h"}, {10, "i"}, {2, "ij"},
		{2, "j"}, {3, "k"}, {10, "l"}, {7, "n"}, {2, "n"}, {6, "o"}, {2, "oe"}, {6, "r"},
		{8, "s"}, {6, "t"}, {12, "u"}, {2, "w"}, {3, "y"}, {6, "z"}, {1, "s"},
	}
	i := 0
	for _, e := range spec {
		for range e.n {
			t[i] = e.s
			i++
		}
	}
	if i != len(t) {
		panic("fakefr: latinFold table size")
	}
	return
}()

// foldRune returns the lower-case ASCII spelling of a non-ASCII letter, or ""
// when it has none (the rune then counts as a separator).
func foldRune(r rune) string {
	switch {
	case r >= 0xC0 && r < 0x180:
		return latinFold[r-0xC0]
	case r == 0x1E9E: // ẞ
		return "ss"
	}
	return ""
}

func isLowerAlnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// Slug returns an ASCII lower-case slug of s: accents are folded (é→e, à→a,
// ç→c, œ→oe, æ→ae, ß→ss), every run of other characters becomes a single
// '-', and leading or trailing '-' are trimmed. "Œnologie Côte-Rôtie" gives
// "oenologie-cote-rotie" and "L'Atelier & Fils" gives "l-atelier-fils".
func Slug(s string) string {
	var a [64]byte
	return string(appendSlug(a[:0], s))
}

// appendSlug appends Slug(src) to b. src may alias b[:len(b)].
func appendSlug[S text](b []byte, src S) []byte {
	start := len(b)
	sep := false
	emit := func(c byte) {
		if sep && len(b) > start {
			b = append(b, '-')
		}
		sep = false
		b = append(b, c)
	}
	for i := 0; i < len(src); {
		c := src[i]
		if c < 0x80 {
			i++
			switch {
			case c >= 'A' && c <= 'Z':
				emit(c + 'a' - 'A')
			case isLowerAlnum(c):
				emit(c)
			default:
				sep = true
			}
			continue
		}
		r, n := decodeRune(src, i)
		i += n
		f := foldRune(r)
		if f == "" {
			sep = true
			continue
		}
		for j := 0; j < len(f); j++ {
			emit(f[j])
		}
	}
	return b
}

// appendLocalPart appends the e-mail local-part spelling of a name: folded
// to lower-case ASCII, letters, digits and inner hyphens kept, everything
// else (spaces, apostrophes) dropped. "Jean-Pierre" → "jean-pierre",
// "N'Diaye" → "ndiaye", "Le Goff" → "legoff".
func appendLocalPart[S text](b []byte, src S) []byte {
	start := len(b)
	for i := 0; i < len(src); {
		c := src[i]
		if c < 0x80 {
			i++
			switch {
			case c >= 'A' && c <= 'Z':
				b = append(b, c+'a'-'A')
			case isLowerAlnum(c):
				b = append(b, c)
			case c == '-':
				if len(b) > start && b[len(b)-1] != '-' {
					b = append(b, '-')
				}
			}
			continue
		}
		r, n := decodeRune(src, i)
		i += n
		b = append(b, foldRune(r)...)
	}
	for len(b) > start && b[len(b)-1] == '-' {
		b = b[:len(b)-1]
	}
	return b
}

// appendUpper appends src upper-cased ("l'Œuvre" → "L'ŒUVRE"). src may
// alias b[:len(b)].
func appendUpper[S text](b []byte, src S) []byte {
	for i := 0; i < len(src); {
		c := src[i]
		if c < 0x80 {
			if c >= 'a' && c <= 'z' {
				c -= 'a' - 'A'
			}
			b = append(b, c)
			i++
			continue
		}
		r, n := decodeRune(src, i)
		i += n
		b = utf8.AppendRune(b, unicode.ToUpper(r))
	}
	return b
}

// appendLowerASCII appends s with ASCII letters lower-cased.
func appendLowerASCII(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}
