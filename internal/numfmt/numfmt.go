// Package numfmt formats numbers for people: the risk model's explanations
// and the web UI group thousands the same way.
package numfmt

import "strings"

// Group inserts a comma between every three digits from the right:
// "1234567" becomes "1,234,567". digits holds ASCII digits only.
func Group(digits string) string {
	var b strings.Builder
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
