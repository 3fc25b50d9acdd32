// Package text is the text feature extraction the local embedder (package
// embeddings) and the text classifier (models/classify) share: which runes
// make words, the shape tokens that replace numbers, amounts, dates and
// identifiers, so that both see the same tokens and an invoice number never
// decides a match, and the hashing of words, bigrams and char n-grams
// (FNV-1a with channel tags, then Mix). What each does with the hashes
// (buckets, signs, weights, dimensions) is its own, and so are the bytes
// of its vectors or model: a change here moves both, which their golden
// tests catch.
package text
