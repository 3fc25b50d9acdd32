package generate

import (
	"slices"
	"strings"
)

// addTypos misspells one or two plain lowercase words, as hurried analyst
// notes do. Ids, codes and amounts are never touched, so the facts survive.
func addTypos(r *rng, s string) string {
	words := strings.Split(s, " ")
	var candidates []int
	for i, w := range words {
		if len(w) >= 4 && isLowerWord(w) {
			candidates = append(candidates, i)
		}
	}
	if len(candidates) == 0 {
		return s
	}
	for range r.between(1, 2) {
		i := pick(r, candidates)
		words[i] = misspell(r, words[i])
	}
	return strings.Join(words, " ")
}

func isLowerWord(w string) bool {
	for i := range len(w) {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// misspell swaps, drops or doubles one letter.
func misspell(r *rng, w string) string {
	b := []byte(w)
	p := r.IntN(len(b) - 1)
	switch r.IntN(3) {
	case 0:
		b[p], b[p+1] = b[p+1], b[p]
	case 1:
		b = slices.Delete(b, p, p+1)
	default:
		b = slices.Insert(b, p, b[p])
	}
	return string(b)
}
