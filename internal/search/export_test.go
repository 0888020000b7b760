package search

// SetRareEnough sets how many matches of one word a multi-word query
// reads at most by that word (0: never, the tiers always run) and returns
// a function that restores it.
func SetRareEnough(n int) (restore func()) {
	old := rareEnough
	rareEnough = n
	return func() { rareEnough = old }
}

// Terms exposes the parsing of Entry.Terms.
func Terms(s string) (words []string, leading []bool) {
	for _, t := range terms(s) {
		words = append(words, t.word)
		leading = append(leading, t.leading)
	}
	return words, leading
}
