package generate

import (
	"fmt"
	"strings"
)

// Templates use a tiny language so that each phrasing can be written once and
// still produce many distinct texts:
//
//	{a|b|c}   one alternative, uniformly; alternatives nest and may be empty
//	${name}   a record variable (see vars.go)
//	${@name}  a shared fragment (see fragments.go), itself a template
//	\x        the character x literally, for JSON braces and pipes
//
// render assumes a well-formed template; templatesWellFormed in the tests
// checks every template with lint, so a malformed one never ships.
func render(b *strings.Builder, tmpl string, r *rng, lookup func(string) string) {
	for i := 0; i < len(tmpl); {
		switch c := tmpl[i]; {
		case c == '\\' && i+1 < len(tmpl):
			b.WriteByte(tmpl[i+1])
			i += 2
		case c == '$' && strings.HasPrefix(tmpl[i:], "${"):
			end := i + strings.IndexByte(tmpl[i:], '}')
			name := tmpl[i+2 : end]
			if frag, ok := strings.CutPrefix(name, "@"); ok {
				render(b, pick(r, fragments[frag]), r, lookup)
			} else {
				b.WriteString(lookup(name))
			}
			i = end + 1
		case c == '{':
			alts, n := splitChoice(tmpl[i:])
			render(b, pick(r, alts), r, lookup)
			i += n
		default:
			b.WriteByte(c)
			i++
		}
	}
}

// splitChoice splits "{a|b{c|d}|e}..." into its top-level alternatives and
// returns how many bytes the choice spans.
func splitChoice(s string) (alts []string, n int) {
	depth, start := 0, 1
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\':
			i++
		case strings.HasPrefix(s[i:], "${"):
			i += strings.IndexByte(s[i:], '}')
		case s[i] == '{':
			depth++
		case s[i] == '|' && depth == 1:
			alts, start = append(alts, s[start:i]), i+1
		case s[i] == '}':
			depth--
			if depth == 0 {
				return append(alts, s[start:i]), i + 1
			}
		}
	}
	return []string{s[1:]}, len(s) // unbalanced: lint rejects it
}

// lint checks that tmpl is well formed and returns the variables it uses.
func lint(tmpl string) (vars []string, err error) {
	depth := 0
	for i := 0; i < len(tmpl); i++ {
		switch {
		case tmpl[i] == '\\':
			i++
		case strings.HasPrefix(tmpl[i:], "${"):
			end := strings.IndexByte(tmpl[i:], '}')
			if end < 0 {
				return nil, fmt.Errorf("unterminated ${ at %d", i)
			}
			vars = append(vars, tmpl[i+2:i+end])
			i += end
		case tmpl[i] == '{':
			depth++
		case tmpl[i] == '}':
			if depth--; depth < 0 {
				return nil, fmt.Errorf("unbalanced } at %d", i)
			}
		}
	}
	if depth != 0 {
		return nil, fmt.Errorf("%d unclosed {", depth)
	}
	return vars, nil
}
