package eval

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/dataset/generate"
	"github.com/billtriage/billtriage/triage"
)

// PatternsInput is what `billtriage eval patterns` measures on: a labelled
// history with seeded incidents, embedded as the service embeds.
type PatternsInput struct {
	Records   []dataset.Record
	Incidents []generate.Incident
	Embedder  triage.Embedder
	Prepare   triage.Preparer
	Config    triage.PatternConfig
	// Step is how often detection runs in the replay; 6 hours when zero.
	Step time.Duration
	// Similarities are the thresholds the clustering is scored at.
	Similarities []float64
}

// PatternsReport is what eval patterns measured.
type PatternsReport struct {
	Items      int             `json:"items"`
	Clustering []ClusterScore  `json:"clustering"`
	Incidents  []IncidentScore `json:"incidents"`
	Runs       int             `json:"runs"`
	Months     float64         `json:"months"`
	// Alarms are the spike episodes (one series flagged in consecutive
	// runs); false ones explain no seeded incident.
	Alarms              int     `json:"alarms"`
	FalseAlarms         int     `json:"false_alarms"`
	FalseAlarmsPerMonth float64 `json:"false_alarms_per_month"`
	// FalseByKind counts the false alarms per spike kind; FalseList
	// lists them.
	FalseByKind map[string]int `json:"false_by_kind"`
	FalseList   []FalseAlarm   `json:"false_list"`
}

// FalseAlarm is one spike episode no seeded incident explains: its
// series, its first run and how many runs it lasted.
type FalseAlarm struct {
	Series string    `json:"series"`
	First  time.Time `json:"first"`
	Runs   int       `json:"runs"`
}

// ClusterScore scores one way of grouping against the labels: purity (the
// share of pattern members whose label is their pattern's most common)
// and completeness (the share of each label's items in that label's
// largest pattern, items outside any pattern counting as alone), with the
// share of items placed in a pattern.
type ClusterScore struct {
	Mode         string  `json:"mode"`
	Similarity   float64 `json:"similarity"`
	Patterns     int     `json:"patterns"`
	Coverage     float64 `json:"coverage"`
	Purity       float64 `json:"purity"`
	Completeness float64 `json:"completeness"`
}

// IncidentScore is how one seeded incident was found.
type IncidentScore struct {
	Name    string `json:"name"`
	Records int    `json:"records"`
	// Completeness is the share of its records in the one pattern that
	// holds most of them, at the incident's end; Purity the share of that
	// pattern's members during the incident that are its records.
	Completeness float64 `json:"completeness"`
	Purity       float64 `json:"purity"`
	// Detected says a spike explained by it was flagged; TTDHours is from
	// its start to the first such run, Where the concentration it named.
	Detected bool    `json:"detected"`
	TTDHours float64 `json:"ttd_hours,omitempty"`
	Where    string  `json:"where,omitempty"`
	Kind     string  `json:"kind,omitempty"`
}

// Patterns runs the measurement: the clustering scored on the whole
// history at each similarity, then detection replayed every Step over the
// history, each run seeing only what had occurred by then. The labels
// stand in for suggestions, as if every open item were suggested its true
// label: the spike figures measure detection, not the classifier.
func Patterns(ctx context.Context, in PatternsInput) (PatternsReport, error) {
	items, err := patternItems(ctx, in)
	if err != nil {
		return PatternsReport{}, err
	}
	rep := PatternsReport{Items: len(items)}
	dims := triage.LearnDims(items)
	end := items[len(items)-1].OccurredAt
	for _, sim := range in.Similarities {
		cfg := in.Config
		cfg.Similarity = sim
		rep.Clustering = append(rep.Clustering, scoreClusters("root cause + text", sim, items, triage.FindPatterns(items, dims, end, cfg)))
		rep.Clustering = append(rep.Clustering, scoreClusters("text only", sim, items, triage.FindPatterns(unlabelled(items), dims, end, cfg)))
	}
	ids := itemIDs(in.Records)
	rep.Incidents = scoreIncidents(items, ids, in)
	replaySpikes(ctx, items, ids, in, &rep)
	return rep, nil
}

// patternItems embeds the records as the service would and turns them
// into detection's items, in time order.
func patternItems(ctx context.Context, in PatternsInput) ([]triage.PatternItem, error) {
	recs := slices.Clone(in.Records)
	slices.SortStableFunc(recs, func(a, b dataset.Record) int { return a.OccurredAt.Compare(b.OccurredAt) })
	items := make([]triage.PatternItem, 0, len(recs))
	for start := 0; start < len(recs); start += 256 {
		part := recs[start:min(start+256, len(recs))]
		texts := make([]string, len(part))
		for i, r := range part {
			texts[i] = in.Prepare(r.Text, r.Attributes)
		}
		vecs, err := in.Embedder.Embed(ctx, texts)
		if err != nil {
			return nil, err
		}
		for i, r := range part {
			items = append(items, recordItem(start+i, r, vecs[i]))
		}
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("no records to detect patterns in")
	}
	return items, nil
}

// recordItem is a record as detection sees it; ResolutionID numbers it.
func recordItem(i int, r dataset.Record, vec []float32) triage.PatternItem {
	ex := r.Exception()
	it := triage.PatternItem{ResolutionID: int64(i + 1), Type: ex.Type, OccurredAt: r.OccurredAt, Vector: vec, Facts: map[string]string{}}
	if r.Resolution != nil {
		it.RootCause, it.Action = r.Resolution.RootCause, r.Resolution.Action
	}
	for place, v := range ex.Facts().Places() {
		if s, ok := v.(string); ok {
			it.Facts[place] = s
		}
	}
	return it
}

// itemIDs maps an item's number to its record's id, in the items' order.
func itemIDs(recs []dataset.Record) map[int64]string {
	sorted := slices.Clone(recs)
	slices.SortStableFunc(sorted, func(a, b dataset.Record) int { return a.OccurredAt.Compare(b.OccurredAt) })
	out := make(map[int64]string, len(sorted))
	for i, r := range sorted {
		out[int64(i+1)] = r.ID
	}
	return out
}

// unlabelled gives every item of a type the same cause, so grouping
// rests on the text alone.
func unlabelled(items []triage.PatternItem) []triage.PatternItem {
	out := slices.Clone(items)
	for i := range out {
		out[i].RootCause = "?"
	}
	return out
}

func scoreClusters(mode string, sim float64, items []triage.PatternItem, ps []triage.Pattern) ClusterScore {
	label := map[int64]string{}
	for _, it := range items {
		label[it.ResolutionID] = string(it.Type) + "/" + it.RootCause
	}
	s := ClusterScore{Mode: mode, Similarity: sim, Patterns: len(ps)}
	placed, majority := 0, 0
	best := map[string]int{} // label → its largest count in one pattern
	for _, p := range ps {
		counts := map[string]int{}
		for _, m := range p.Refs {
			counts[label[m.ResolutionID]]++
		}
		top := 0
		for l, c := range counts {
			top = max(top, c)
			best[l] = max(best[l], c)
		}
		placed += len(p.Refs)
		majority += top
	}
	total := map[string]int{}
	for _, it := range items {
		total[label[it.ResolutionID]]++
	}
	kept := 0
	for l, n := range total {
		kept += max(best[l], min(n, 1))
	}
	s.Coverage = share(placed, len(items))
	s.Purity = share(majority, placed)
	s.Completeness = share(kept, len(items))
	return s
}

func share(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
