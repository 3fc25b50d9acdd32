// Package classify, one of the trained models under models/ (beside
// models/risk), learns a text classifier from the resolution history:
// multinomial logistic regression over hashed word and character n-grams,
// with calibrated probabilities. It complements the kNN Matcher in triage:
// matching alone tops out well below the accuracy target, because a vote of
// neighbours cannot learn which words matter for which label, while a
// learned linear model can. It is a pipeline component for every exception
// type and every label (root cause, action, a dispute's reason code), one
// model per (type, label) pair.
//
// # Features
//
// A text is tokenised and hashed with the local embedder's code (package
// features/text): lowercased words, with numbers, amounts, dates and
// identifiers reduced to shape tokens (<num>, <amount>, <date>, <id>) so
// that INV-2041 and INV-7730 read alike. Unlike
// the embedder it keeps stop words, since "how do I" and "why did I" are
// different intents and the weights decide what a word is worth. Word
// unigrams and bigrams (not across sentences) and char n-grams of each
// padded word (2–5 runes by default) are hashed with FNV-1a into 2^18
// signed buckets, weighted by sublinear tf and a smoothed IDF learnt from
// the training texts, normalised per channel (words and chars share the
// energy equally) and then as a whole. Buckets seen in fewer than two
// training texts are dropped, which shrinks the model several-fold at no
// cost in accuracy.
//
// # Dense channel
//
// Examples may also carry an embedding (Example.Vector). The model then
// learns weights for its components too: the vector is L2-normalised and
// appended after the vocabulary's rows, so it has as much energy as the
// whole n-gram part (0.5 and 2 were worse on BANKING77). It is worth it
// only for a pretrained embedder: n-grams learnt from the history cannot
// know that "card arrival" and "delivery estimate" mean alike, a model
// trained on much more text does. Through the pipeline on BANKING77
// (`make eval-pretrained`, the Universal Sentence Encoder served locally)
// accuracy rises from 0.9075 with the local embedder to 0.9150; linear
// n-gram models of the kinds tried stay near 0.90 on this data
// (scripts/baselines/banking77.py). An example without a vector, or with one of another length,
// counts through its n-grams only, as does PredictVector without one.
// The local embedder's vectors are hashes of the same n-grams and add
// nothing, so the service feeds the channel only from a pretrained
// embedder (an OpenAI-compatible endpoint).
//
// # Precedent mix
//
// A model with a dense channel also fits, on the calibration hold-out and
// by likelihood, a share of its probability for the vote of the text's
// nearest precedents (PredictNeighbors; the caller finds them, the service
// with pgvector), and how sharply that vote favours the closest. One
// linear layer cannot learn a label held by a small cluster of look-alike
// cases; the vote can. On BANKING77 with USE the fitted share is small
// (0.03) and the pipeline gains 2 cases of 2,001 (0.9150 → 0.9160); on
// CFPB 2 of 307 (0.8143 → 0.8208): within noise on both, and the fit gives
// a share of 0 where the vote would hurt.
//
// # Training
//
// Plain SGD on the softmax cross-entropy with exact L2 regularisation (the
// shrinkage is kept as one scalar, so a step costs only the example's
// features), a learning rate decaying linearly to zero over a fixed number
// of epochs, and a SplitMix64-seeded shuffle per epoch. There is no early
// stopping and no concurrency inside an optimisation, so the same examples,
// Config and seed give the same model bytes. On BANKING77 (8,033 texts, 77
// classes) training, calibration included, takes 3–6 s on 2 cores.
//
// # Calibration
//
// The last CalibrationFraction (15%) of the examples, in the order given,
// are held out; a model trained on the rest scores them, and a single
// temperature T minimising their negative log-likelihood is found by
// golden-section search (the NLL is convex in 1/T). The final model is
// then trained on all examples and keeps that T. Give examples oldest
// first, so T is fitted on the most recent cases, as production will see.
// Temperature scaling changes confidences, never the ranking, so accuracy
// is unaffected. On BANKING77 the expected calibration error falls from
// 0.11 to 0.02 (the raw softmax is under-confident, T ≈ 0.62).
//
// # Retraining
//
// Retrain from the full history, in the background, and swap the model
// atomically (an atomic.Pointer[Model] read by the pipeline); do not update
// a model in place. Suggested schedule: when 200 new resolutions of a type
// have arrived or 30 minutes have passed since the last training with at
// least one new resolution, whichever comes first, and never two trainings
// of the same type at once. Full retraining is cheap (seconds), keeps the
// IDF and the calibration consistent with the data, and stays
// deterministic, so the model version recorded in a decision (store the
// MarshalBinary bytes and their hash) can be reproduced. Incremental SGD
// updates would drift: the IDF would go stale, the temperature would no
// longer match, and the result would depend on arrival order. In the
// meantime nothing is lost: a new resolution is a kNN precedent at once,
// which is why the two are combined.
//
// With several replicas, give the Learner a Registry: the models are then
// stored with their versions, retrained once per cluster and loaded by
// every replica (see Registry).
//
// # Combining with the precedents
//
// Let the classifier decide the label and its confidence, and let the kNN
// precedents explain it: show the nearest precedents that carry the chosen
// label. Measured on the BANKING77 split of the tests, with a
// similarity^4-weighted vote of the 10 nearest training texts over this
// package's own vectors: the vote alone is right 83% of the time, and
// mixing it into the classifier's probabilities (linear, or as a product
// of experts) moves accuracy by at most 0.2 points, which does not pay for
// losing the calibration. Agreement is the useful signal: the two agree on
// 86% of cases, and there the classifier is right 95% of the time, against
// 65% where they disagree. Above a calibrated confidence of 0.9 it matters
// little (98% right when they agree, 96% when not, 4% of cases), so use
// it as a gate for mid-confidence suggestions, and require at least one
// close precedent with the chosen label before anything is applied
// automatically, so that the reviewer always has one to check.
package classify
