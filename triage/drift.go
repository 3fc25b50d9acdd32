package triage

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// DriftKind names what changed in a source's payloads.
type DriftKind string

// The kinds of schema drift.
const (
	DriftNewField         DriftKind = "new_field"
	DriftVanishedField    DriftKind = "vanished_field"
	DriftTypeChange       DriftKind = "type_change"
	DriftShapeChange      DriftKind = "shape_change"
	DriftTemplateVanished DriftKind = "template_vanished"
)

// DriftFinding is a change in what a source sends, beyond noise: the
// field (or text template) it concerns, what it was and what it is, and
// the first records that show it.
type DriftFinding struct {
	ID       int64     `json:"id,omitempty"`
	Source   string    `json:"source"`
	Kind     DriftKind `json:"kind"`
	Field    string    `json:"field"`
	Before   string    `json:"before"`
	After    string    `json:"after"`
	Examples []string  `json:"examples"`
	// Baseline and Current are how many records each side profiled.
	Baseline    int       `json:"baseline_records"`
	Current     int       `json:"current_records"`
	DetectedAt  time.Time `json:"detected_at"`
	ExceptionID int64     `json:"exception_id,omitempty"`
}

// Key is what makes two findings the same drift.
func (f DriftFinding) Key() string { return f.Source + "|" + string(f.Kind) + "|" + f.Field }

// DriftConfig sets what counts as drift rather than noise.
type DriftConfig struct {
	// Current is how many of a source's latest records are compared with
	// the Baseline records before them; 20 and 500 when zero.
	Current, Baseline int
	// MinBaseline is the fewest baseline records a source needs before it
	// is judged; 50 when zero.
	MinBaseline int
	// Lookback bounds how old a baseline record may be; 90 days when zero.
	Lookback time.Duration
	// Quiet is how long a drift, once found, is not reported again; the
	// Lookback when zero, by when the baseline holds only the new schema.
	Quiet time.Duration
	// Queue is where the exceptions drift raises go: the integration
	// owners; revops when empty.
	Queue Queue
}

// WithDefaults fills zero fields.
func (c DriftConfig) WithDefaults() DriftConfig {
	if c.Current == 0 {
		c.Current = 20
	}
	if c.Baseline == 0 {
		c.Baseline = 500
	}
	if c.MinBaseline == 0 {
		c.MinBaseline = 50
	}
	if c.Lookback == 0 {
		c.Lookback = 90 * 24 * time.Hour
	}
	if c.Quiet == 0 {
		c.Quiet = c.Lookback
	}
	if c.Queue == "" {
		c.Queue = QueueRevOps
	}
	return c
}

// Validate checks the configuration.
func (c DriftConfig) Validate() error {
	switch {
	case c.Current < 0 || c.Baseline < 0 || c.MinBaseline < 0 || c.Lookback < 0 || c.Quiet < 0:
		return Invalid("drift", "window sizes and durations must not be negative")
	case c.Queue != "" && !c.Queue.Valid():
		return Invalid("drift_queue", "unknown queue %q", c.Queue)
	}
	return nil
}

// Thresholds of CompareProfiles. A feature is new only when the baseline
// never showed it and it is no one-off now; gone only when the baseline
// had it so often that its absence from every current record is
// improbable (a Poisson expectation of minExpected gives e^-8 < 0.04%).
const (
	minNew      = 3
	minNewShare = 0.2
	minExpected = 8.0
	minSeen     = 20
	minTemplate = 0.1
)

// CompareProfiles lists how cur departs from base beyond noise.
func CompareProfiles(base, cur *Profile) []DriftFinding {
	var out []DriftFinding
	add := func(kind DriftKind, field, before, after, feature string) {
		out = append(out, DriftFinding{Source: cur.Source, Kind: kind, Field: field, Before: before, After: after,
			Examples: cur.firstOf[feature], Baseline: base.Records, Current: cur.Records})
	}
	for _, name := range sortedNames(cur.Fields) {
		f, b := cur.Fields[name], base.Fields[name]
		if b == nil {
			b = &FieldProfile{}
		}
		if rare(b.Present, base.Records) {
			if f.Present >= minNew && float64(f.Present) >= minNewShare*float64(cur.Records) && surprising(f.Present, cur.Records, b.Present, base.Records) {
				add(DriftNewField, name, fmt.Sprintf("in %d of %d records", b.Present, base.Records),
					fmt.Sprintf("in %d of %d records", f.Present, cur.Records), "field:"+name)
			}
			continue
		}
		if b.Present < minSeen {
			continue
		}
		if t, n := dominant(f.Types); n >= minNew && float64(n) >= 0.5*float64(f.Present) && rare(b.Types[t], b.Present) &&
			surprising(n, f.Present, b.Types[t], b.Present) {
			add(DriftTypeChange, name, describe(b.Types), describe(f.Types), "type:"+name+":"+t)
		}
		if sh, n := dominant(f.Shapes); n >= minNew && float64(n) >= 0.5*float64(f.Present) && sumOf(b.Shapes) >= minSeen &&
			rare(b.Shapes[sh], sumOf(b.Shapes)) && surprising(n, f.Present, b.Shapes[sh], sumOf(b.Shapes)) {
			add(DriftShapeChange, name, describe(b.Shapes), describe(f.Shapes), "shape:"+name+":"+sh)
		}
	}
	for _, name := range sortedNames(base.Fields) {
		b := base.Fields[name]
		rate := float64(b.Present) / float64(base.Records)
		if cur.Fields[name] == nil && b.Present >= minSeen && rate*float64(cur.Records) >= minExpected {
			add(DriftVanishedField, name, fmt.Sprintf("in %d of %d records", b.Present, base.Records),
				fmt.Sprintf("absent from %d records", cur.Records), "")
			out[len(out)-1].Examples = cur.firstRecords()
		}
	}
	for _, t := range sortedNames(base.Templates) {
		share := float64(base.Templates[t]) / float64(base.Records)
		if cur.Templates[t] == 0 && base.Templates[t] >= minSeen && share >= minTemplate && share*float64(cur.Records) >= minExpected {
			add(DriftTemplateVanished, "text", fmt.Sprintf("%q in %d of %d records", t, base.Templates[t], base.Records),
				fmt.Sprintf("in none of %d records", cur.Records), "")
			out[len(out)-1].Examples = cur.firstRecords()
		}
	}
	return out
}

// rare reports whether n of total is under maxRare: a baseline that
// already saw the change in its newest records (the job ran late) still
// tells it from what the source always sent.
func rare(n, total int) bool { return float64(n) < maxRare*float64(total) }

// surprising reports whether k of n is more than chance allows at the
// baseline's rate of bk of bn (with half a sighting when it had none): a
// rare feature that happens to cluster in a few records is noise.
func surprising(k, n, bk, bn int) bool {
	p := max(float64(bk), 0.5) / float64(bn)
	return binomialTail(k, n, min(p, 1)) < maxChance
}

// maxChance is the largest chance of a change arising from noise that
// still counts as drift.
const maxChance = 1e-4

// binomialTail is P(X ≥ k) for X ~ Binomial(n, p).
func binomialTail(k, n int, p float64) float64 {
	sum, term := 0.0, math.Pow(1-p, float64(n)) // P(X = 0)
	for i := 0; i <= n; i++ {
		if i >= k {
			sum += term
		}
		if p == 1 || i == n {
			break
		}
		term *= float64(n-i) / float64(i+1) * p / (1 - p)
	}
	if p == 1 {
		return 1
	}
	return sum
}

// maxRare is the largest baseline share of a feature that counts as new.
const maxRare = 0.02

// firstRecords names the first records profiled.
func (p *Profile) firstRecords() []string { return p.first }

func dominant(m map[string]int) (string, int) {
	best, n := "", 0
	for _, k := range sortedNames(m) {
		if m[k] > n {
			best, n = k, m[k]
		}
	}
	return best, n
}

func sumOf(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// describe writes counts as "string 480, number 2", most first.
func describe(m map[string]int) string {
	names := sortedNames(m)
	sortByCount(names, m)
	var parts []string
	for _, k := range names[:min(4, len(names))] {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func sortByCount(names []string, m map[string]int) {
	for i := 1; i < len(names); i++ {
		for j := i; j > 0 && m[names[j]] > m[names[j-1]]; j-- {
			names[j], names[j-1] = names[j-1], names[j]
		}
	}
}

// FindDrift compares, for every source, its latest cfg.Current records
// with the cfg.Baseline before them (recs oldest first, of all sources)
// and returns the findings whose key is not in quiet (drifts already
// reported), stamped at now.
func FindDrift(recs []Exception, cfg DriftConfig, quiet map[string]bool, now time.Time) []DriftFinding {
	cfg = cfg.WithDefaults()
	bySource := map[string][]Exception{}
	for _, ex := range recs {
		bySource[ex.Source] = append(bySource[ex.Source], ex)
	}
	var out []DriftFinding
	for _, src := range sortedNames(bySource) {
		exs := bySource[src]
		if len(exs) < cfg.Current+cfg.MinBaseline {
			continue
		}
		cut := len(exs) - cfg.Current
		base := exs[max(0, cut-cfg.Baseline):cut]
		for len(base) > 0 && exs[cut].OccurredAt.Sub(base[0].OccurredAt) > cfg.Lookback {
			base = base[1:]
		}
		if len(base) < cfg.MinBaseline {
			continue
		}
		for _, f := range CompareProfiles(ProfileOf(base)[src], ProfileOf(exs[cut:])[src]) {
			if !quiet[f.Key()] {
				f.DetectedAt = now
				out = append(out, f)
			}
		}
	}
	return out
}
