package triage

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// CorrectionKey is a key of a field's corrections as the store hands it to
// the shape learner: the key and the attribute names of the corrected
// exception whose value was that key (empty when the history was imported
// without its exceptions).
type CorrectionKey struct {
	Key   string
	Attrs []string
}

// ShapeConfig bounds what the shape learner accepts.
type ShapeConfig struct {
	// MinSupport is how many distinct keys a shape (or an attribute name)
	// needs before it is trusted: one or two odd keys are typos, not a
	// shape customers use.
	MinSupport int
	// MaxShapes caps the shapes kept per field, the best supported first,
	// so a noisy history cannot turn identification into a scan of dozens
	// of patterns.
	MaxShapes int
	// PrefixShare is the share of a group's keys a letter run must start
	// for it to become a literal prefix. Random hex (UUIDs, tenant hashes)
	// starts a column with any one letter in about 4% of keys, so 10% keeps
	// chance out while a real prefix (acct_, CUST/) is far above it.
	PrefixShare float64
	// MaxSegments skips keys of more alphanumeric runs than this: they are
	// sentences or paths, not identifiers that appear in text.
	MaxSegments int
}

// DefaultShapes is the learner's configuration in the service.
var DefaultShapes = ShapeConfig{MinSupport: 5, MaxShapes: 8, PrefixShare: 0.1, MaxSegments: 12}

// KeyShapes is what a field's correction history teaches about where its
// keys are: the shapes the keys take and the attributes that carried them.
type KeyShapes struct {
	Field  string
	Shapes []KeyShape
	// Attrs are attribute names that carried at least MinSupport distinct
	// keys, the most used first.
	Attrs []string
}

// KeyShape is one learned shape of a field's keys.
type KeyShape struct {
	// Pattern is the regular expression, unanchored; a match in text must
	// also stand alone (see find).
	Pattern string
	// Support is how many distinct keys of the history have this shape.
	Support int
	re      *regexp.Regexp
	whole   *regexp.Regexp
}

// keyParts is a key split into its alphanumeric runs and the separators
// around them: seps[0] leads, seps[i+1] follows runs[i].
type keyParts struct {
	key  string
	runs []string
	seps []string
}

// splitKey tokenizes a key. Only ASCII letters and digits form runs;
// everything else (., /, -, _, spaces, other scripts) is a separator kept
// literally, because separators are what make a key's structure.
func splitKey(key string) keyParts {
	p := keyParts{key: key}
	sep, start := 0, -1
	for i := 0; i <= len(key); i++ {
		if i < len(key) && isAlnum(key[i]) {
			if start < 0 {
				p.seps = append(p.seps, key[sep:i])
				start = i
			}
			continue
		}
		if start >= 0 {
			p.runs = append(p.runs, key[start:i])
			start, sep = -1, i
		}
	}
	p.seps = append(p.seps, key[sep:])
	return p
}

func isAlnum(c byte) bool { return isLetter(c) || isDigit(c) }

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// skeleton identifies the separators of p: keys are only generalized
// together when they are built the same way.
func (p keyParts) skeleton() string { return strings.Join(p.seps, "\x00") }

// literalCandidate is the letters of a run that could be a literal word of
// the shape: the whole run if it is letters only (CUST, acct, tnt), or a
// leading letter run of at least two letters followed by digits (acct in
// acct217). A single leading letter of a mixed run is not one: in hex it
// is chance.
func literalCandidate(run string) string {
	n := 0
	for n < len(run) && isLetter(run[n]) {
		n++
	}
	if n == len(run) || n >= 2 {
		return run[:n]
	}
	return ""
}

// LearnKeyShapes derives the shapes of field's keys from its correction
// history. The rule:
//
//  1. Keys are split into alphanumeric runs and separators, and grouped
//     by their separators (CUST/7/0042 and CUST/12/0815 together, never
//     with ACC.7.0042).
//  2. Within a group, a letter word in a run position becomes a literal
//     when at least MinSupport keys and PrefixShare of the group share
//     it; keys are regrouped by those literals (acct_ apart from tnt_).
//  3. Each position of a group is generalized from its values: literal,
//     literal plus a run, or a digit, letter, hex or alphanumeric class
//     with the observed length (widened by one each way when lengths vary,
//     kept exact when fixed, as padded numbers and UUID parts are).
//  4. A shape is kept when MinSupport distinct keys have it and it is
//     specific (see specific): a bare number, word or hex string, or
//     numbers joined by separators (dates, amounts, versions) are refused,
//     because ordinary text is full of them.
func LearnKeyShapes(field string, keys []CorrectionKey, cfg ShapeConfig) *KeyShapes {
	out := &KeyShapes{Field: field, Attrs: learnAttrs(keys, cfg.MinSupport)}
	groups := map[string][]keyParts{}
	seen := map[string]bool{}
	for _, k := range keys {
		p := splitKey(k.Key)
		if seen[k.Key] || len(p.runs) == 0 || len(p.runs) > cfg.MaxSegments {
			continue
		}
		seen[k.Key] = true
		groups[p.skeleton()] = append(groups[p.skeleton()], p)
	}
	for _, g := range groups {
		for _, sub := range splitByLiterals(g, cfg) {
			if len(sub.keys) < cfg.MinSupport {
				continue
			}
			if sh, ok := generalize(sub); ok {
				out.Shapes = append(out.Shapes, sh)
			}
		}
	}
	sort.Slice(out.Shapes, func(i, j int) bool {
		a, b := out.Shapes[i], out.Shapes[j]
		return a.Support > b.Support || a.Support == b.Support && a.Pattern < b.Pattern
	})
	if len(out.Shapes) > cfg.MaxShapes {
		out.Shapes = out.Shapes[:cfg.MaxShapes]
	}
	return out
}

// learnAttrs lists the attribute names under which at least min distinct
// keys were found, the most used first.
func learnAttrs(keys []CorrectionKey, min int) []string {
	byName := map[string]map[string]bool{}
	for _, k := range keys {
		for _, a := range k.Attrs {
			if byName[a] == nil {
				byName[a] = map[string]bool{}
			}
			byName[a][k.Key] = true
		}
	}
	var out []string
	for a, ks := range byName {
		if len(ks) >= min {
			out = append(out, a)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		ni, nj := len(byName[out[i]]), len(byName[out[j]])
		return ni > nj || ni == nj && out[i] < out[j]
	})
	return out
}

// keyGroup is keys of one skeleton sharing the same literal words; lits[i]
// is the literal of run i ("" when the position is generalized).
type keyGroup struct {
	keys []keyParts
	lits []string
}

// splitByLiterals regroups a skeleton's keys by the letter words that
// enough of them share (rule 2 of LearnKeyShapes).
func splitByLiterals(g []keyParts, cfg ShapeConfig) []keyGroup {
	n := len(g[0].runs)
	counts := make([]map[string]int, n)
	for i := range counts {
		counts[i] = map[string]int{}
	}
	for _, p := range g {
		for i, r := range p.runs {
			if lit := literalCandidate(r); lit != "" {
				counts[i][lit]++
			}
		}
	}
	need := max(cfg.MinSupport, int(cfg.PrefixShare*float64(len(g))+0.999))
	bySig := map[string]*keyGroup{}
	var order []string
	for _, p := range g {
		lits := make([]string, n)
		for i, r := range p.runs {
			if lit := literalCandidate(r); lit != "" && counts[i][lit] >= need {
				lits[i] = lit
			}
		}
		sig := strings.Join(lits, "\x00")
		if bySig[sig] == nil {
			bySig[sig] = &keyGroup{lits: lits}
			order = append(order, sig)
		}
		bySig[sig].keys = append(bySig[sig].keys, p)
	}
	out := make([]keyGroup, 0, len(order))
	for _, sig := range order {
		out = append(out, *bySig[sig])
	}
	return out
}

// runClass is the generalization of the values of one position.
type runClass int

const (
	classDigit   runClass = iota // 0042
	classLetter                  // abc
	classHex                     // 9f2c31: letters a-f mixed with digits
	classAlnum                   // anything else alphanumeric
	classLiteral                 // the position is the literal word alone
)

// column is one generalized run position of a shape.
type column struct {
	lit   string
	class runClass
	set   string // the character class, e.g. [0-9a-f]
	lo    int
	hi    int
}

// generalize turns a group into a shape, or refuses it (rule 3 and 4).
func generalize(g keyGroup) (KeyShape, bool) {
	cols := make([]column, len(g.lits))
	for i, lit := range g.lits {
		vals := make([]string, len(g.keys))
		for j, p := range g.keys {
			vals[j] = strings.TrimPrefix(p.runs[i], lit)
		}
		cols[i] = generalizeColumn(lit, vals)
	}
	if !specific(cols) {
		return KeyShape{}, false
	}
	var b strings.Builder
	seps := g.keys[0].seps
	for i, c := range cols {
		b.WriteString(regexp.QuoteMeta(seps[i]))
		b.WriteString(c.pattern())
	}
	b.WriteString(regexp.QuoteMeta(seps[len(seps)-1]))
	sh, err := compileShape(b.String(), len(g.keys))
	return sh, err == nil
}

// generalizeColumn generalizes the values left after lit at one position.
func generalizeColumn(lit string, vals []string) column {
	c := column{lit: lit, lo: len(vals[0]), hi: len(vals[0])}
	var digit, lower, upper, nonHex, mixed bool
	for _, v := range vals {
		c.lo, c.hi = min(c.lo, len(v)), max(c.hi, len(v))
		var d, l bool
		for k := 0; k < len(v); k++ {
			ch := v[k]
			d = d || isDigit(ch)
			l = l || isLetter(ch)
			lower = lower || ch >= 'a' && ch <= 'z'
			upper = upper || ch >= 'A' && ch <= 'Z'
			nonHex = nonHex || isLetter(ch) && !strings.ContainsRune("abcdefABCDEF", rune(ch))
		}
		digit, mixed = digit || d, mixed || d && l
	}
	letters := lower || upper
	switch {
	case c.hi == 0: // runs are never empty, so lit is the whole run
		c.class = classLiteral
	case digit && !letters:
		c.class, c.set = classDigit, "0-9"
	case letters && !digit:
		c.class, c.set = classLetter, caseSet("", lower, upper, "a-z", "A-Z")
	case !nonHex && mixed:
		c.class, c.set = classHex, caseSet("0-9", lower, upper, "a-f", "A-F")
	default:
		c.class, c.set = classAlnum, caseSet("0-9", lower, upper, "a-z", "A-Z")
	}
	return c
}

// caseSet keeps a class to the letter case the keys used: keys in upper
// case do not make a lower-case word a candidate.
func caseSet(base string, lower, upper bool, lo, up string) string {
	if lower {
		base += lo
	}
	if upper {
		base += up
	}
	return base
}

// pattern is the regexp of a column. A varying length is widened by one
// each way: 20 keys rarely show the whole range of a counter, while a
// length that never varied (padded numbers, UUID parts) is a format.
func (c column) pattern() string {
	lit := regexp.QuoteMeta(c.lit)
	if c.class == classLiteral {
		return lit
	}
	lo, hi := c.lo, c.hi
	if lo != hi {
		lo, hi = max(lo-1, min(lo, 1)), hi+1
	}
	if lo == hi {
		return fmt.Sprintf("%s[%s]{%d}", lit, c.set, lo)
	}
	return fmt.Sprintf("%s[%s]{%d,%d}", lit, c.set, lo, hi)
}

// specific says whether a shape would find keys rather than ordinary
// text. It needs two pieces (a literal word and a run count as two, so
// acct217 qualifies but a bare number, word or hex string does not),
// digits somewhere (a key without them is a word), and an anchor: a
// literal word, or a hex run that mixes letters into digits. Numbers
// joined by separators have no anchor (dates, amounts, times, versions,
// phone numbers look exactly like that), and a letter class is no anchor
// either: [A-Z]{3}-[0-9]{5} is every invoice number.
func specific(cols []column) bool {
	pieces, digits, anchor := 0, false, false
	for _, c := range cols {
		if c.lit != "" {
			pieces++
			anchor = true
		}
		switch c.class {
		case classDigit, classAlnum:
			pieces++
			digits = true
		case classHex:
			pieces++
			digits, anchor = true, true
		case classLetter:
			pieces++
		}
	}
	return pieces >= 2 && digits && anchor
}

func compileShape(pattern string, support int) (KeyShape, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return KeyShape{}, err
	}
	whole, err := regexp.Compile(`^(?:` + pattern + `)$`)
	if err != nil {
		return KeyShape{}, err
	}
	return KeyShape{Pattern: pattern, Support: support, re: re, whole: whole}, nil
}

// Matches says whether s is, as a whole, a key of this shape.
func (k KeyShape) Matches(s string) bool { return k.whole != nil && k.whole.MatchString(s) }

// maxRejects bounds the matches find discards for touching other
// characters, so a pathological text cannot make it quadratic.
const maxRejects = 64

// find returns the first match of the shape in text that stands alone:
// not preceded or followed by a letter, digit or underscore, so that
// acct_217 is not found inside acct_2170 or xacct_217.
func (k KeyShape) find(text string) (int, int, bool) {
	if k.re == nil {
		return 0, 0, false
	}
	for off, rejects := 0, 0; off <= len(text) && rejects < maxRejects; rejects++ {
		loc := k.re.FindStringIndex(text[off:])
		if loc == nil {
			return 0, 0, false
		}
		s, e := off+loc[0], off+loc[1]
		if standsAlone(text, s, e) {
			return s, e, true
		}
		off = s + 1
	}
	return 0, 0, false
}

func standsAlone(text string, s, e int) bool {
	word := func(c byte) bool { return isAlnum(c) || c == '_' }
	return (s == 0 || !word(text[s-1])) && (e == len(text) || !word(text[e]))
}

// Matches says whether s is a key of any learned shape.
func (ks *KeyShapes) Matches(s string) bool {
	if ks == nil {
		return false
	}
	for _, sh := range ks.Shapes {
		if sh.Matches(s) {
			return true
		}
	}
	return false
}

// Find looks for a key of the field on ex: under the attribute names that
// carried keys before, then in any string attribute whose whole value has
// a learned shape, then the first key of a learned shape in the text.
func (ks *KeyShapes) Find(ex *Exception) (string, bool) {
	if ks == nil {
		return "", false
	}
	for _, a := range ks.Attrs {
		if v, _ := ex.Attributes[a].(string); v != "" {
			return v, true
		}
	}
	names := make([]string, 0, len(ex.Attributes))
	for a := range ex.Attributes {
		names = append(names, a)
	}
	sort.Strings(names)
	for _, a := range names {
		if v, _ := ex.Attributes[a].(string); a != ks.Field && ks.Matches(v) {
			return v, true
		}
	}
	return ks.findInText(ex.Text)
}

// findInText returns the leftmost key of any learned shape in text, the
// longest when two start at the same place.
func (ks *KeyShapes) findInText(text string) (string, bool) {
	best, bs, be := false, 0, 0
	for _, sh := range ks.Shapes {
		s, e, ok := sh.find(text)
		if ok && (!best || s < bs || s == bs && e > be) {
			best, bs, be = true, s, e
		}
	}
	return text[bs:be], best
}
