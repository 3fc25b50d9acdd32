package classify_test

import (
	"math/rand/v2"
	"strings"
)

// corpus generates n labelled texts over classes with disjoint topic
// vocabularies plus shared filler words, from a fixed seed, so tests get
// data a classifier can learn without shipping any.
func corpus(n int, seed uint64) (texts, labels []string) {
	topics := map[string][]string{
		"tax":     {"vat", "rate", "jurisdiction", "exempt", "nexus", "withholding"},
		"erp":     {"posting", "ledger", "journal", "sync", "netsuite", "export"},
		"dispute": {"refund", "charged", "twice", "cancel", "complaint", "chargeback"},
	}
	names := []string{"dispute", "erp", "tax"}
	filler := []string{"the", "invoice", "customer", "please", "account", "again"}
	r := rand.New(rand.NewPCG(seed, 1))
	for i := range n {
		name := names[i%len(names)]
		words := make([]string, 0, 8)
		for range 8 {
			if r.IntN(3) == 0 {
				words = append(words, filler[r.IntN(len(filler))])
			} else {
				words = append(words, topics[name][r.IntN(len(topics[name]))])
			}
		}
		texts, labels = append(texts, strings.Join(words, " ")), append(labels, name)
	}
	return texts, labels
}
