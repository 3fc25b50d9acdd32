// Package textshape is the text normalisation the local embedder and the
// classifier share: which runes make words, and the shape tokens that
// replace numbers, amounts, dates and identifiers, so that both see the
// same tokens and an invoice number never decides a match.
package textshape
