package triage

import (
	"regexp"
	"strings"
)

// textExtractor reads one parameter's value from text. It is learned from
// the cases whose text stated the value a person recorded:
//
//   - candidates are the text's standalone tokens of a value shape seen in
//     the history (the separators of the values and the class and length
//     of each run, as for identifier shapes, but without refusing bare
//     numbers or words: a discount of "12" is a bare number) and any value
//     the history recorded;
//   - each candidate is scored by how often, in the history, a candidate
//     after the same word and before the same word or sign was the
//     recorded value (naive Bayes with add-one smoothing), so "discount of
//     12%" wins over "INV 10023" and "30 postings";
//   - the best is taken when no other value scores as high.
//
// Its own precision on the history decides whether it is used (see
// learnSources), so a parameter the text states ambiguously is simply not
// read from text.
type textExtractor struct {
	shapes []*regexp.Regexp
	vocab  map[string]bool
	// known lists vocab sorted, so candidates come in a fixed order.
	known []string
	good  map[string]int
	all   map[string]int
	// numeric is set when the history recorded the parameter as numbers:
	// a value read from text is then given as a number too.
	numeric bool
	// right of tried on the cases it was learned from.
	right, tried int
}

// Extractor limits: a parameter is a short token, and a text may not make
// extraction scan without bound.
const (
	maxValueChars  = 64
	maxValueShapes = 8
	maxCandidates  = 64
)

// learnTextExtractor learns the parameter's extractor from the cases that
// stated it, or returns nil when its values never stand alone in text.
func learnTextExtractor(name string, cases []ParamExample) *textExtractor {
	x := &textExtractor{vocab: map[string]bool{}, good: map[string]int{}, all: map[string]int{}}
	var inText []string
	x.numeric = true
	for _, ex := range cases {
		if _, ok := ex.Params[name].(float64); !ok {
			x.numeric = false
		}
		s := valueString(ex.Params[name])
		if s == "" || len(s) > maxValueChars || strings.ContainsAny(s, " \t\n") {
			continue
		}
		x.vocab[s] = true
		if ContainsToken(ex.Text, s) {
			inText = append(inText, s)
		}
	}
	if len(inText) == 0 {
		return nil
	}
	x.shapes = valueShapes(inText)
	x.known = sortedKeys(x.vocab)
	for _, ex := range cases {
		want := valueString(ex.Params[name])
		for _, c := range x.candidates(ex.Text) {
			ok := c.value == want
			for _, f := range c.features {
				x.all[f]++
				if ok {
					x.good[f]++
				}
			}
		}
	}
	for _, ex := range cases {
		if v, ok := x.extract(ex.Text); ok {
			x.tried++
			if SameValue(ex.Params[name], v) {
				x.right++
			}
		}
	}
	return x
}

// trusted says whether the extractor is right often enough to check other
// sources' values against.
func (x *textExtractor) trusted() bool {
	return x.right >= DefaultParams.MinSupport && float64(x.right) >= DefaultParams.MinPrecision*float64(x.tried)
}

// candidate is a token of text that may be the value, with its context.
type candidate struct {
	value    string
	features []string
}

// candidates lists the standalone tokens of text that have a learned shape
// or are a known value.
func (x *textExtractor) candidates(text string) []candidate {
	var out []candidate
	seen := map[[2]int]bool{}
	add := func(s, e int) {
		if seen[[2]int{s, e}] || len(out) >= maxCandidates || !wholeToken(text, s, e) {
			return
		}
		seen[[2]int{s, e}] = true
		v := text[s:e]
		out = append(out, candidate{value: v, features: []string{
			"prev:" + prevWord(text, s), "next:" + nextWord(text, e), "known:" + boolWord(x.vocab[v])}})
	}
	for _, re := range x.shapes {
		for _, loc := range re.FindAllStringIndex(text, maxCandidates) {
			add(loc[0], loc[1])
		}
	}
	for _, v := range x.known {
		for off := 0; off < len(text) && len(out) < maxCandidates; {
			i := strings.Index(text[off:], v)
			if i < 0 {
				break
			}
			add(off+i, off+i+len(v))
			off += i + 1
		}
	}
	return out
}

// extract returns the best candidate's value, unless another value scores
// as high.
func (x *textExtractor) extract(text string) (string, bool) {
	if x == nil {
		return "", false
	}
	best, bestScore, tie := "", -1.0, false
	for _, c := range x.candidates(text) {
		score := 1.0
		for _, f := range c.features {
			score *= float64(x.good[f]+1) / float64(x.all[f]+2)
		}
		switch {
		case score > bestScore:
			best, bestScore, tie = c.value, score, false
		case score == bestScore && c.value != best:
			tie = true
		}
	}
	return best, best != "" && !tie
}

// valueShapes turns values into patterns: values with the same separators
// share one, each run generalized to its class and observed lengths.
func valueShapes(values []string) []*regexp.Regexp {
	groups := map[string][]keyParts{}
	var order []string
	for _, v := range values {
		p := splitKey(v)
		if len(p.runs) == 0 || len(p.runs) > DefaultShapes.MaxSegments {
			continue
		}
		k := p.skeleton()
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], p)
	}
	var out []*regexp.Regexp
	for _, k := range order {
		g := groups[k]
		var b strings.Builder
		for i := range g[0].runs {
			vals := make([]string, len(g))
			for j, p := range g {
				vals[j] = p.runs[i]
			}
			b.WriteString(regexp.QuoteMeta(g[0].seps[i]))
			b.WriteString(generalizeColumn("", vals).pattern())
		}
		b.WriteString(regexp.QuoteMeta(g[0].seps[len(g[0].seps)-1]))
		if re, err := regexp.Compile(b.String()); err == nil {
			out = append(out, re)
		}
		if len(out) == maxValueShapes {
			break
		}
	}
	return out
}

// ContainsToken says whether s is a whole token somewhere in text: not
// inside a longer word or number, nor joined to one by - / . : $ @ + # &
// (the "5" of "INV-10005", the "10" of "11:10", the "CA" of "CA-BC"). It is
// how a value counts as stated by a text, for the text extractor and for a
// generator deciding what a label may state.
func ContainsToken(text, s string) bool {
	if s == "" {
		return false
	}
	for off := 0; off < len(text); {
		i := strings.Index(text[off:], s)
		if i < 0 {
			return false
		}
		if wholeToken(text, off+i, off+i+len(s)) {
			return true
		}
		off += i + 1
	}
	return false
}

// joiners glue runs into one token: the "CA" of "CA$374" or "CA-BC", the
// "10" of "11:10" or "INV-10" are parts of another value, not values.
// "=" is not one, so key=value pairs of log lines yield their values.
const joiners = "-/.:$@+#&"

// wholeToken says whether text[s:e] stands alone and is not a part of a
// longer token joined by one of joiners.
func wholeToken(text string, s, e int) bool {
	if !standsAlone(text, s, e) {
		return false
	}
	before := s >= 2 && strings.IndexByte(joiners, text[s-1]) >= 0 && isAlnum(text[s-2])
	after := e+1 < len(text) && strings.IndexByte(joiners, text[e]) >= 0 && isAlnum(text[e+1])
	return !before && !after
}

// prevWord is the word before position s, lower-cased, skipping spaces
// and punctuation; digits read as "#".
func prevWord(text string, s int) string {
	i := s
	for i > 0 && !isAlnum(text[i-1]) && s-i < 4 {
		i--
	}
	j := i
	for j > 0 && isAlnum(text[j-1]) {
		j--
	}
	return wordClass(text[j:i])
}

// nextWord is the sign right after position e when there is one (the % of
// "12%"), else the next word.
func nextWord(text string, e int) string {
	if e < len(text) && text[e] != ' ' && !isAlnum(text[e]) {
		return string(text[e])
	}
	i := e
	for i < len(text) && !isAlnum(text[i]) && i-e < 4 {
		i++
	}
	j := i
	for j < len(text) && isAlnum(text[j]) {
		j++
	}
	return wordClass(text[i:j])
}

func wordClass(w string) string {
	if w == "" {
		return ""
	}
	for k := 0; k < len(w); k++ {
		if !isDigit(w[k]) {
			return strings.ToLower(w)
		}
	}
	return "#"
}

func boolWord(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// typed gives a value read from text the type the history recorded it as.
func (x *textExtractor) typed(v string) any {
	if x.numeric {
		if f, ok := asNumber(v); ok {
			return f
		}
	}
	return v
}
