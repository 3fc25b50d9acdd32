package embeddings

import "testing"

// TestWordFeatureCounts checks which unigrams and bigrams are emitted:
// stop words drop out, bigrams skip them but stop at sentence ends, and a
// text of only stop words keeps them.
func TestWordFeatureCounts(t *testing.T) {
	tests := []struct {
		name              string
		in                string
		unigrams, bigrams int
	}{
		{"plain", "payment failed twice", 3, 2},
		{"stop words skipped", "posting of the invoice", 2, 1},
		{"sentence break", "payment failed. card expired", 4, 2},
		{"break carried over stop word", "payment failed. the card expired", 4, 2},
		{"only stop words kept", "it is what it is", 5, 4},
		{"empty text", "", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := newScratch(64)
			sc.Tokenize(tt.in)
			sc.markStops()
			sc.wordFeatures()
			var uni, bi int
			for _, f := range sc.word {
				switch f & 3 {
				case classUnigram, classShape:
					uni++
				case classBigram:
					bi++
				}
			}
			if uni != tt.unigrams || bi != tt.bigrams {
				t.Errorf("%q: %d unigrams, %d bigrams; want %d, %d", tt.in, uni, bi, tt.unigrams, tt.bigrams)
			}
		})
	}
}
