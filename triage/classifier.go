package triage

import (
	"context"
	"strings"
)

// ClassScore is a label with its calibrated probability.
type ClassScore struct {
	Label string  `json:"label"`
	P     float64 `json:"p"`
}

// Classifier is a model learned from the history that predicts the
// resolution (root cause and action together) of a prepared text. The
// precedents stay the explanation; the classifier makes the call where
// nearest-neighbour voting alone is weaker.
type Classifier interface {
	// Predict returns the labels of type t, best first, or nil when no
	// model for t is trained yet. vec is the text's embedding and ns its
	// nearest precedents, which a classifier may use beside the text (or
	// ignore).
	Predict(t Type, text string, vec []float32, ns []Neighbor) []ClassScore
	// Observe tells the classifier n resolutions of type t joined the
	// history, so it can retrain when enough have arrived.
	Observe(ctx context.Context, t Type, n int)
	// Version names the models in use, for the decision record.
	Version() string
}

// pairSep joins a root cause and action into one key: the unit separator,
// which no code contains.
const pairSep = "\x1f"

// PairLabel is the one key of a root cause and action pair: the
// classifier's label and the precedents' vote alike.
func PairLabel(rootCause, action string) string { return rootCause + pairSep + action }

// SplitPair splits a PairLabel.
func SplitPair(label string) (rootCause, action string) {
	rootCause, action, _ = strings.Cut(label, pairSep)
	return rootCause, action
}
