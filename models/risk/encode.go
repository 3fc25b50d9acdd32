package risk

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/billtriage/billtriage/features"
)

// Format names the encoding Encode writes.
const Format = "billtriage-risk-model/v1"

// ErrFeatureMismatch is returned by Decode for a model trained on other
// feature columns than this build computes: its scores would be garbage.
var ErrFeatureMismatch = errors.New("risk: model was trained on other features")

// wire is the stored form of a Model.
type wire struct {
	Format      string             `json:"format"`
	Version     string             `json:"version"`
	Family      Family             `json:"family"`
	FeatureHash string             `json:"feature_hash"`
	Features    []string           `json:"features"`
	LateDays    int                `json:"late_days"`
	FX          map[string]float64 `json:"fx,omitempty"`
	Calibration Calibration        `json:"calibration"`
	Logistic    *logistic          `json:"logistic,omitempty"`
	Forest      *forest            `json:"forest,omitempty"`
	Report      Report             `json:"report"`
}

// Encode returns the model as JSON, for storage in the model registry. The
// same model always gives the same bytes.
func (m *Model) Encode() ([]byte, error) {
	return json.Marshal(m.w)
}

// Decode reads a model written by Encode. It refuses a model of another
// format, one whose feature hash is not features.FeatureHash()
// (ErrFeatureMismatch), and one whose content does not match its version.
func Decode(b []byte) (*Model, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var w wire
	if err := dec.Decode(&w); err != nil {
		return nil, fmt.Errorf("risk: decode model: %w", err)
	}
	switch {
	case w.Format != Format:
		return nil, fmt.Errorf("risk: model format %q, want %q", w.Format, Format)
	case w.FeatureHash != features.FeatureHash():
		return nil, fmt.Errorf("%w: model %s has feature hash %.12s, this build %.12s", ErrFeatureMismatch, w.Version, w.FeatureHash, features.FeatureHash())
	case (w.Family == Logistic) == (w.Logistic == nil) || (w.Family == Forest) == (w.Forest == nil):
		return nil, fmt.Errorf("risk: model %s of family %q lacks its parameters", w.Version, w.Family)
	}
	if err := w.check(); err != nil {
		return nil, err
	}
	v, err := w.version()
	if err != nil || v != w.Version {
		return nil, fmt.Errorf("risk: model content does not match its version %q", w.Version)
	}
	return &Model{w: w}, nil
}

// check rejects parameters whose shapes would make Predict panic.
func (w *wire) check() error {
	d := features.NumFeatures
	if l := w.Logistic; l != nil && (len(l.Coef) != d || len(l.Scaler.Mean) != d || len(l.Scaler.SD) != d) {
		return fmt.Errorf("risk: logistic parameters do not have %d columns", d)
	}
	if f := w.Forest; f != nil {
		if len(f.Edges) != d || len(f.Trees) == 0 {
			return fmt.Errorf("risk: forest does not have %d columns and at least one tree", d)
		}
		for _, t := range f.Trees {
			if err := t.check(f.Edges); err != nil {
				return err
			}
		}
	}
	return nil
}

// check verifies that every split names a column and has one child slot
// per bin pointing forward in the node list, so a walk always ends.
func (t *tree) check(edges [][]float64) error {
	if len(t.Nodes) == 0 {
		return fmt.Errorf("risk: empty tree")
	}
	for i, nd := range t.Nodes {
		if nd.Feature < 0 {
			continue
		}
		if nd.Feature >= len(edges) || len(nd.Child) != len(edges[nd.Feature])+1 {
			return fmt.Errorf("risk: tree node %d has a bad split", i)
		}
		for _, c := range nd.Child {
			if c != 0 && (c <= i || c >= len(t.Nodes)) {
				return fmt.Errorf("risk: tree node %d has a bad child %d", i, c)
			}
		}
	}
	return nil
}

// version hashes the encoding with the version left empty.
func (w wire) version() (string, error) {
	w.Version = ""
	b, err := json.Marshal(w)
	if err != nil {
		return "", fmt.Errorf("risk: encode model: %w", err)
	}
	sum := sha256.Sum256(b)
	return "risk-" + hex.EncodeToString(sum[:])[:12], nil
}
