package triage

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
)

// CauseExample is one resolved case of a type as cause-word learning reads
// it: its matched text and the root cause a person recorded.
type CauseExample struct {
	Text      string
	RootCause string
}

// CauseWords is what a type's history teaches about its words: how
// strongly each one points to a single root cause. A word that appears
// under every cause alike ("invoice", "please", "check", a customer's
// name) weighs 0; one that appears under one cause only weighs 1.
//
// A text's informativeness is the sum of its distinct words' weights: how
// much of any prediction can rest on words that say something about the
// cause rather than on names, ids and numbers (which carry no letters-only
// words, or weigh nothing). A vague text ("Invoice 123 looks wrong,
// please check") scores near 0 however confident a classifier is about it.
type CauseWords struct {
	weight map[string]float64
	// Cases is the number of resolutions learned from, Causes the number
	// of distinct root causes among them.
	Cases, Causes int
}

// Cause-word learning constants: a word needs minWordCases cases before
// its spread across causes means anything, and the add-half prior keeps a
// word seen a few times under one cause from counting as decisive.
const (
	minWordCases  = 5
	wordPrior     = 0.5
	causeHistory  = 3000
	minWordLength = 3
)

// LearnCauseWords learns the weights of a type's words from its cases.
func LearnCauseWords(exs []CauseExample) *CauseWords {
	cw := &CauseWords{weight: map[string]float64{}, Cases: len(exs)}
	causes := map[string]bool{}
	byWord := map[string]map[string]int{}
	docs := map[string]int{}
	for _, ex := range exs {
		causes[ex.RootCause] = true
		for w := range words(ex.Text) {
			if byWord[w] == nil {
				byWord[w] = map[string]int{}
			}
			byWord[w][ex.RootCause]++
			docs[w]++
		}
	}
	cw.Causes = len(causes)
	k := float64(len(causes))
	if k < 2 {
		return cw
	}
	for w, counts := range byWord {
		if docs[w] < minWordCases {
			continue
		}
		total := float64(docs[w]) + wordPrior*k
		h := 0.0
		for c := range causes {
			p := (float64(counts[c]) + wordPrior) / total
			h -= p * math.Log(p)
		}
		cw.weight[w] = math.Max(0, 1-h/math.Log(k))
	}
	return cw
}

// Informativeness scores text: the sum of its distinct words' weights.
func (cw *CauseWords) Informativeness(text string) float64 {
	if cw == nil {
		return 0
	}
	sum := 0.0
	for w := range words(text) {
		sum += cw.weight[w]
	}
	return math.Round(sum*1000) / 1000
}

// Explain names the words that weigh most in text, for a reason a person
// reads.
func (cw *CauseWords) Explain(text string, n int) string {
	type ww struct {
		w string
		v float64
	}
	var ws []ww
	for w := range words(text) {
		if v := cw.weight[w]; v > 0.2 {
			ws = append(ws, ww{w, v})
		}
	}
	sort.Slice(ws, func(i, j int) bool { return ws[i].v > ws[j].v || ws[i].v == ws[j].v && ws[i].w < ws[j].w })
	if len(ws) == 0 {
		return "no word of it points to a cause"
	}
	var parts []string
	for _, x := range ws[:min(n, len(ws))] {
		parts = append(parts, fmt.Sprintf("%q %.2f", x.w, x.v))
	}
	return "words pointing to a cause: " + strings.Join(parts, ", ")
}

// words returns the distinct lower-case letter-only words of text of at
// least minWordLength letters: ids and numbers are left out by
// construction.
func words(text string) map[string]bool {
	out := map[string]bool{}
	start := -1
	flush := func(end int) {
		if start >= 0 && end-start >= minWordLength {
			out[strings.ToLower(text[start:end])] = true
		}
		start = -1
	}
	for i := 0; i <= len(text); i++ {
		if i < len(text) && isLetter(text[i]) {
			if start < 0 {
				start = i
			}
			continue
		}
		if i < len(text) && (isDigit(text[i]) || text[i] == '_') && start >= 0 {
			// A letter run glued to digits is an id (acct_9869, SKU123),
			// not a word: skip the rest of the token.
			for i < len(text) && (isAlnum(text[i]) || text[i] == '_') {
				i++
			}
			start = -1
			continue
		}
		flush(i)
	}
	return out
}

// youngWords says whether cause words were learned from few cases.
func youngWords(cw *CauseWords) bool { return cw.Cases < youngSchema }

// causeWords returns the type's learned cause words, from the cache while
// fresh.
func (s *Service) causeWords(ctx context.Context, t Type) (*CauseWords, error) {
	now := s.now()
	if cw, ok := s.words.get(string(t), now); ok {
		return cw, nil
	}
	exs, err := s.store.CauseHistory(ctx, t, causeHistory)
	if err != nil {
		return nil, err
	}
	cw := LearnCauseWords(exs)
	s.words.put(string(t), cw, now)
	return cw, nil
}

// measureInformativeness scores the prepared text against the type's
// cause words.
func (s *Service) measureInformativeness(ctx context.Context, t Type, text string, sug *Suggestion) error {
	cw, err := s.causeWords(ctx, t)
	if err != nil {
		return err
	}
	if cw.Cases < minWordCases || cw.Causes < 2 {
		// Nothing to tell causes apart by: the confidence rules decide.
		return nil
	}
	v := cw.Informativeness(text)
	sug.Informativeness, sug.InformativeWords = &v, cw.Explain(text, 3)
	return nil
}
