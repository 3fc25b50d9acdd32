package classify

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"slices"
	"sync"
)

// Example is one labelled text of the history: the exception's text and
// the resolution's label (a root cause, an action, a product...), and
// optionally the text's embedding. When examples carry embeddings the
// model learns from them too (see dense.go); give every example the same
// embedder's vector, and the same embedder's to PredictVector.
type Example struct {
	Text   string
	Label  string
	Vector []float32
}

// Train learns a model from texts and their labels, which must have the
// same length. It is TrainFrom without cancellation; see there.
func Train(texts, labels []string, cfg Config) (*Model, error) {
	if len(texts) != len(labels) {
		return nil, fmt.Errorf("%w: %d texts but %d labels", ErrData, len(texts), len(labels))
	}
	return TrainFrom(context.Background(), func(yield func(Example) bool) {
		for i, t := range texts {
			if !yield(Example{Text: t, Label: labels[i]}) {
				return
			}
		}
	}, cfg)
}

// TrainFrom learns a model from examples, which it reads once, in order.
// Give them oldest first: the last cfg.CalibrationFraction of them are
// held out to fit the temperature on a model trained on the rest; then
// the model is trained again on all of them and keeps that temperature.
// The refit sees more data, so its raw confidences can be a little sharper
// than those the temperature was fitted to; on BANKING77 the calibration
// still held on unseen data (ECE 0.02). It returns ctx.Err() if ctx ends
// first.
func TrainFrom(ctx context.Context, examples iter.Seq[Example], cfg Config) (*Model, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	docs, labels, dims, err := collect(ctx, examples, cfg.Features)
	if err != nil {
		return nil, err
	}
	classes, y, err := encodeLabels(labels)
	if err != nil {
		return nil, err
	}
	m, err := fitCalibrated(ctx, docs, y, shape{k: len(classes), dims: dims}, cfg)
	if err != nil {
		return nil, err
	}
	m.classes = classes
	return m, nil
}

// fitCalibrated trains the final model on all docs and, beside it, the
// calibration model whose temperature and precedent mix the final one
// takes. The two are independent, so they run side by side, each
// deterministic on its own.
func fitCalibrated(ctx context.Context, docs []rawDoc, y []int32, sh shape, cfg Config) (*Model, error) {
	var (
		wg     sync.WaitGroup
		cal    calibration
		errCal error
	)
	wg.Go(func() { cal, errCal = calibrate(ctx, docs, y, sh, cfg) })
	m, err := fit(ctx, docs, y, sh, cfg)
	wg.Wait()
	if err := cmp.Or(err, errCal); err != nil {
		return nil, err
	}
	m.temperature, m.mix = cal.temperature, cal.mix
	return m, nil
}

// collectCheckEvery is how many examples collect reads between looks at
// ctx.
const collectCheckEvery = 256

// collect reads the examples and extracts their raw features. The first
// example with an embedding sets the dense channel's dims.
func collect(ctx context.Context, examples iter.Seq[Example], fc FeatureConfig) (docs []rawDoc, labels []string, dims int, err error) {
	sc := new(scratch)
	for e := range examples {
		if len(docs)%collectCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, nil, 0, err
			}
		}
		if e.Label == "" {
			return nil, nil, 0, fmt.Errorf("%w: example %d has an empty label", ErrData, len(docs))
		}
		if dims == 0 {
			dims = len(e.Vector)
		}
		sc.extract(e.Text, fc)
		docs = append(docs, rawDoc{word: slices.Clone(sc.word), char: slices.Clone(sc.char), dense: denseOf(e.Vector, dims)})
		labels = append(labels, e.Label)
	}
	return docs, labels, dims, ctx.Err()
}

// shape is the size of a model's output and of its dense channel.
type shape struct{ k, dims int }

// encodeLabels returns the sorted distinct labels and each example's
// index among them. Sorting makes the class order, and so the model
// bytes, independent of which label happens to come first.
func encodeLabels(labels []string) ([]string, []int32, error) {
	classes := slices.Compact(slices.Sorted(slices.Values(labels)))
	if len(classes) < 2 {
		return nil, nil, fmt.Errorf("%w: %d examples of %d classes, need at least 2 classes", ErrData, len(labels), len(classes))
	}
	y := make([]int32, len(labels))
	for i, l := range labels {
		c, _ := slices.BinarySearch(classes, l)
		y[i] = int32(c)
	}
	return classes, y, nil
}

// calibration is what the held-out slice decides.
type calibration struct {
	temperature float64
	mix         mixing
}

// calibrate trains on the leading examples and fits the temperature, and
// then the precedent mix (see precedents.go), on the trailing
// cfg.CalibrationFraction. Held-out examples of a class the leading part
// lacks are left out: the final model will have seen their class, and
// counting them would calibrate for a blindness it does not have. The
// temperature stays 1, and there is no mix, when calibration is skipped
// or the hold-out would be too small to trust.
func calibrate(ctx context.Context, docs []rawDoc, y []int32, sh shape, cfg Config) (calibration, error) {
	none := calibration{temperature: 1}
	cut := len(docs) - int(float64(len(docs))*cfg.CalibrationFraction)
	if cfg.SkipCalibration || len(docs)-cut < minCalibration {
		return none, nil
	}
	known := make([]bool, sh.k)
	for _, c := range y[:cut] {
		known[c] = true
	}
	m, err := fit(ctx, docs[:cut], y[:cut], sh, cfg)
	if err != nil {
		return none, err
	}
	var held []int
	var zs [][]float64
	var ys []int32
	for i, d := range docs[cut:] {
		if c := y[cut+i]; known[c] {
			held, zs, ys = append(held, cut+i), append(zs, m.docLogits(d)), append(ys, c)
		}
	}
	if len(zs) < minCalibration {
		return none, nil
	}
	cal := calibration{temperature: fitTemperature(zs, ys)}
	if sh.dims > 0 {
		cal.mix = fitMix(heldOuts(docs, y, held, zs, cut, cal.temperature))
	}
	return cal, ctx.Err()
}

// maxMixHeldOut caps the held-out examples the precedent mix is fitted
// on, the newest kept: the neighbour search is brute force, so the cap
// keeps a retrain's cost linear in the history (2,000 × 50,000 × 512
// dims is about 50 G multiply-adds) while two numbers still rest on
// plenty of cases.
const maxMixHeldOut = 2000

// heldOuts pairs each held-out example's calibrated probabilities with
// its PrecedentK nearest precedents among docs[:cut], for the newest
// maxMixHeldOut of them.
func heldOuts(docs []rawDoc, y []int32, held []int, zs [][]float64, cut int, temperature float64) []heldOut {
	if skip := len(held) - maxMixHeldOut; skip > 0 {
		held, zs = held[skip:], zs[skip:]
	}
	hs := make([]heldOut, 0, len(held))
	for i, j := range held {
		if docs[j].dense == nil {
			continue
		}
		p := slices.Clone(zs[i])
		softmaxInPlace(p, 1/temperature)
		class, sim := nearest(docs[j].dense, docs[:cut], y, PrecedentK)
		hs = append(hs, heldOut{y: y[j], p: p, class: class, sim: sim})
	}
	return hs
}

// fit learns the vocabulary and the weights from docs; the caller sets
// classes and temperature.
func fit(ctx context.Context, docs []rawDoc, y []int32, sh shape, cfg Config) (*Model, error) {
	v := fitVocab(docs, cfg.Features)
	lin := newLinear(len(v.buckets)+sh.dims, sh.k)
	if err := lin.fit(ctx, newDataset(v, docs, y), cfg); err != nil {
		return nil, err
	}
	m := &Model{vocab: v, dims: sh.dims, w: make([]float32, len(lin.w)), b: make([]float32, sh.k), temperature: 1}
	for i, w := range lin.w {
		m.w[i] = float32(w)
	}
	for i, b := range lin.b {
		m.b[i] = float32(b)
	}
	return m, nil
}
