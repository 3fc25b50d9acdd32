package triage

import "time"

// PatternConfig tunes pattern detection. Zero fields take DefaultPatterns'.
type PatternConfig struct {
	// Similarity is the cosine similarity at which two items of the same
	// type and root cause are linked; a pattern is a connected component
	// of such links.
	Similarity float64 `json:"similarity"`
	// MinSize is the fewest members a pattern has; smaller components are
	// isolated errors.
	MinSize int `json:"min_size"`
	// SpikeDays is the current window, BaselineDays the baseline before
	// it; the run reads both.
	SpikeDays    int `json:"spike_days"`
	BaselineDays int `json:"baseline_days"`
	// Alpha is the false-alarm rate of one run across all its series: each
	// series is tested at Alpha divided by their number (Bonferroni).
	Alpha float64 `json:"alpha"`
	// MinRise is the fewest items in the current window a spike needs,
	// and Ratio how many times the expected count.
	MinRise int     `json:"min_rise"`
	Ratio   float64 `json:"ratio"`
	// MaxItems bounds one run's items (the newest are kept), MaxBlock the
	// items of one type and root cause compared pairwise.
	MaxItems int `json:"max_items"`
	MaxBlock int `json:"max_block"`
	// Relative scales each series' forecast by how much everything else
	// rose (see volumeFactor), so a rise of all exceptions alike flags
	// nothing; off, such a rise flags every series it lifts enough.
	Relative bool `json:"relative"`
}

// DefaultPatterns is the configuration the service runs with; see
// ARCHITECTURE.md for why these values.
var DefaultPatterns = PatternConfig{Similarity: 0.5, MinSize: 3, SpikeDays: 3, BaselineDays: 56,
	Alpha: 0.01, MinRise: 4, Ratio: 2, MaxItems: 20000, MaxBlock: 3000}

func (c PatternConfig) withDefaults() PatternConfig {
	d := DefaultPatterns
	if c.Similarity > 0 {
		d.Similarity = c.Similarity
	}
	for _, f := range []struct{ dst, src *int }{{&d.MinSize, &c.MinSize}, {&d.SpikeDays, &c.SpikeDays},
		{&d.BaselineDays, &c.BaselineDays}, {&d.MinRise, &c.MinRise}, {&d.MaxItems, &c.MaxItems}, {&d.MaxBlock, &c.MaxBlock}} {
		if *f.src > 0 {
			*f.dst = *f.src
		}
	}
	if c.Alpha > 0 {
		d.Alpha = c.Alpha
	}
	if c.Ratio > 0 {
		d.Ratio = c.Ratio
	}
	d.Relative = c.Relative
	return d
}

// Window is how far back a run reads: the baseline and the current window.
func (c PatternConfig) Window() time.Duration {
	c = c.withDefaults()
	return time.Duration(c.SpikeDays+c.BaselineDays) * 24 * time.Hour
}
