package embeddings

import "github.com/billtriage/billtriage/internal/textshape"

// addMixed handles a chunk of letters and digits; see textshape.Mixed.
func (sc *scratch) addMixed(c string) { textshape.Mixed(c, sc) }

// AddWord implements textshape.Sink.
func (sc *scratch) AddWord(w string) { sc.addWord(w) }

// AddShape implements textshape.Sink.
func (sc *scratch) AddShape(s string) { sc.addShape(s) }
