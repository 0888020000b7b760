package errs

import (
	"fmt"
	"regexp"
	"sync"

	"carnet/internal/lang"
)

// In returns e's message in language l. Arguments are translated too:
// label turns an enum value into its label (nil: none are), and texts
// the catalogue knows (a validation error, a right's description) are
// shown in French. A message without a French text stays English.
func (e *Error) In(l lang.Language, label func(any, lang.Language) (string, bool)) string {
	if l != lang.FR || e.Format == "" {
		return e.Message
	}
	fr, ok := french[e.Format]
	if !ok {
		return e.Message
	}
	args := make([]any, len(e.Args))
	for i, a := range e.Args {
		args[i] = translateArg(a, l, label)
	}
	return fmt.Sprintf(fr, args...)
}

func translateArg(a any, l lang.Language, label func(any, lang.Language) (string, bool)) any {
	if label != nil {
		if s, ok := label(a, l); ok {
			return s
		}
	}
	switch v := a.(type) {
	case error:
		if s, ok := Fragment(v.Error()); ok {
			return s
		}
	case string:
		if s, ok := Fragment(v); ok {
			return s
		}
	}
	return a
}

// fragment is a compiled entry of frenchFragments.
type fragment struct {
	match *regexp.Regexp
	fr    string // the French format, every verb turned into %s
}

var (
	fragmentsOnce sync.Once
	fragments     []fragment
)

// verb matches a fmt verb.
var verb = regexp.MustCompile(`%[-+# 0]*[0-9]*(?:\.[0-9]+)?[a-zA-Z%]`)

// Fragment returns the French text of a fragment of a message (see
// frenchFragments), if the catalogue has one.
func Fragment(text string) (string, bool) {
	fragmentsOnce.Do(func() {
		for en, fr := range frenchFragments {
			pattern := "^" + verb.ReplaceAllStringFunc(regexp.QuoteMeta(en), func(string) string { return "(.+?)" }) + "$"
			fragments = append(fragments, fragment{regexp.MustCompile(pattern), verb.ReplaceAllString(fr, "%s")})
		}
	})
	for _, f := range fragments {
		m := f.match.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		args := make([]any, len(m)-1)
		for i, s := range m[1:] {
			args[i] = s
		}
		return fmt.Sprintf(f.fr, args...), true
	}
	return "", false
}

// French returns the French text of an English format: of a message, or
// of a fragment quoted in messages when fragment is true (tests walk the
// sources with it).
func French(format string, fragment bool) (string, bool) {
	if fragment {
		fr, ok := frenchFragments[format]
		return fr, ok
	}
	fr, ok := french[format]
	return fr, ok
}

// Catalogue returns every English text with its French text, messages and
// fragments together.
func Catalogue() map[string]string {
	all := make(map[string]string, len(french)+len(frenchFragments))
	for en, fr := range frenchFragments {
		all[en] = fr
	}
	for en, fr := range french {
		all[en] = fr
	}
	return all
}
