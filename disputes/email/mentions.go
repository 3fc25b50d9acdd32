package email

import (
	"regexp"
	"strings"
)

// addressRe finds e-mail addresses in running text. It is deliberately
// narrower than RFC 5322 (no quoted local parts, no IP literals) because
// it must not swallow the punctuation around an address in prose.
var addressRe = regexp.MustCompile(`[A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9][A-Za-z0-9\-]*(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,24}\b`)

// extractAddresses returns the lower-cased addresses in s other than those
// in skip, in order, without repeats.
func extractAddresses(s string, skip []Address) []string {
	seen := make(map[string]bool)
	for _, a := range skip {
		seen[strings.ToLower(a.Address)] = true
	}
	var out []string
	if !strings.Contains(s, "@") {
		return nil
	}
	for _, m := range addressRe.FindAllString(s, -1) {
		if len(out) == maxFound {
			break
		}
		addr := strings.ToLower(m)
		if !seen[addr] {
			seen[addr] = true
			out = append(out, addr)
		}
	}
	return out
}
