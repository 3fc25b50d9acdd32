package embeddings

// stopWords are removed from both the word channel and the character
// channel. They carry no topic, and because nearly every text contains
// them, their n-grams would add a shared background component that raises
// the similarity of unrelated texts. Negations (no, not, never, without)
// and words that signal billing events (again, same, up, down, due, off)
// are deliberately kept: "payment not received" must not equal "payment
// received". Email pleasantries are included because billing exceptions
// often arrive as emails and the greetings would otherwise match.
var stopWords = map[string]struct{}{}

func init() {
	for _, w := range stopWordList {
		stopWords[w] = struct{}{}
	}
}

// isStop reports whether the lowercased token b is a stop word. The
// string(b) conversion in a map index does not allocate.
func isStop(b []byte) bool {
	_, ok := stopWords[string(b)]
	return ok
}

var stopWordList = []string{
	"a", "about", "above", "after", "all", "also", "am", "an", "and", "any",
	"are", "as", "at", "be", "because", "been", "before", "being", "below",
	"between", "both", "but", "by", "can", "could", "did", "do", "does",
	"doing", "during", "each", "few", "for", "from", "further", "had", "has",
	"have", "having", "he", "her", "here", "hers", "herself", "him",
	"himself", "his", "how", "i", "if", "im", "in", "into", "is", "it", "its",
	"itself", "ive", "just", "let", "lets", "may", "me", "might", "more",
	"most", "must", "my", "myself", "of", "once", "only", "or", "other",
	"ought", "our", "ours", "ourselves", "own", "shall", "she", "should",
	"so", "some", "such", "than", "that", "thats", "the", "their", "theirs",
	"them", "themselves", "then", "there", "theres", "these", "they", "this",
	"those", "through", "to", "too", "under", "until", "us", "very", "was",
	"we", "were", "what", "when", "where", "which", "while", "who", "whom",
	"why", "will", "with", "would", "you", "your", "yours", "yourself",
	"yourselves",
	// Email boilerplate.
	"best", "cheers", "dear", "hello", "hey", "hi", "kind", "please",
	"regards", "thank", "thanks",
}
