package duplicates

import (
	"context"
	"slices"
	"strings"

	entgo "entgo.io/ent"

	"carnet/ent"
	"carnet/ent/hook"
	"carnet/internal/search"
)

// legalForms are the words of a name that say what a company is, not
// which one: "SARL Dupont" and "Dupont" name the same company.
var legalForms = map[string]bool{
	"sarl": true, "sas": true, "sasu": true, "sa": true, "eurl": true, "sci": true, "snc": true,
	"selarl": true, "scop": true, "gie": true, "ets": true, "etablissement": true, "etablissements": true,
	"ste": true, "societe": true, "cie": true,
}

// MinTypoLen is the length from which a word may differ by one typo: on
// shorter words one letter changes the word ("Bati", "Bato").
const MinTypoLen = 5

// NameKey returns a name as the rules compare it: its words folded by
// search.Words (the search field's one normaliser), without legal forms,
// sorted. "Ets Dupont & Fils" and "fils dupont" have the key "dupont fils".
func NameKey(name string) string {
	words := slices.DeleteFunc(search.Words(name), func(w string) bool { return legalForms[w] })
	slices.Sort(words)
	return strings.Join(words, " ")
}

// Reversed returns s backwards, byte by byte: keys are compared as bytes,
// and a prefix of the reversed key is a suffix of the key.
func Reversed(s string) string {
	b := []byte(s)
	slices.Reverse(b)
	return string(b)
}

// SimilarNames reports whether two name keys (NameKey) name the same
// company: the same words, or the same words but one that differs by one
// typo (a letter changed, added, removed, or two swapped) where both
// spellings have MinTypoLen letters or more. Empty keys match nothing.
func SimilarNames(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if a == b {
		return true
	}
	wa, wb := strings.Fields(a), strings.Fields(b)
	if len(wa) != len(wb) {
		return false
	}
	// Remove the words both have; one must be left on each side.
	left := slices.Clone(wb)
	var odd []string
	for _, w := range wa {
		if i := slices.Index(left, w); i >= 0 {
			left = slices.Delete(left, i, i+1)
			continue
		}
		odd = append(odd, w)
	}
	if len(odd) != 1 || len(left) != 1 {
		return false
	}
	x, y := odd[0], left[0]
	return min(len(x), len(y)) >= MinTypoLen && oneEdit(x, y)
}

// oneEdit reports whether x becomes y by one edit: a byte changed, added
// or removed, or two neighbours swapped.
func oneEdit(x, y string) bool {
	if len(x) > len(y) {
		x, y = y, x
	}
	switch len(y) - len(x) {
	case 0:
		var diff []int
		for i := range len(x) {
			if x[i] != y[i] {
				diff = append(diff, i)
			}
		}
		switch len(diff) {
		case 1:
			return true
		case 2:
			i, j := diff[0], diff[1]
			return j == i+1 && x[i] == y[j] && x[j] == y[i]
		}
		return false
	case 1:
		i := 0
		for i < len(x) && x[i] == y[i] {
			i++
		}
		return x[i:] == y[i+1:]
	}
	return false
}

// probeHalves returns the parts of a name key that one edit leaves
// intact, one or the other: a prefix of the key, and a prefix of the
// reversed key (the key's end). An edit at position i < p (a swap of i
// and i+1 included) leaves the key from p+1 on intact; at i ≥ p, its
// first p bytes.
func probeHalves(key string) (prefix, reversedPrefix string) {
	p := (len(key) - 1) / 2
	return key[:p], Reversed(key[p+1:])
}

// prefixEnd returns the smallest string above every string that starts
// with p: prefix matching as a range the (organisation_id, key) index
// answers. "" when there is none (p is empty or all 0xff).
func prefixEnd(p string) string {
	b := []byte(p)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return string(b[:i+1])
		}
	}
	return ""
}

// NameKeyHook keeps a third party's name_key and name_key_reversed in
// step with its name, on every create and update.
func NameKeyHook(next entgo.Mutator) entgo.Mutator {
	return hook.ThirdPartyFunc(func(ctx context.Context, m *ent.ThirdPartyMutation) (entgo.Value, error) {
		if name, ok := m.Name(); ok {
			key := NameKey(name)
			m.SetNameKey(key)
			m.SetNameKeyReversed(Reversed(key))
		}
		return next.Mutate(ctx, m)
	})
}
