package triage_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// axis is a unit vector near axis i of 16 dimensions: items on the same
// axis are alike, items on different axes unrelated.
func axis(r *rand.Rand, i int, noise float64) []float32 {
	v := make([]float32, 16)
	v[i] = 1
	var n float64
	for j := range v {
		v[j] += float32(noise * r.NormFloat64())
		n += float64(v[j] * v[j])
	}
	for j := range v {
		v[j] /= float32(math.Sqrt(n))
	}
	return v
}

var patternNow = time.Date(2031, 3, 12, 9, 0, 0, 0, time.UTC)

// item is an open-shaped item of type t and cause rc on axis ax, days
// before patternNow, with the facts given as place, value pairs.
func item(r *rand.Rand, id int64, t triage.Type, rc string, ax int, days float64, facts ...string) triage.PatternItem {
	it := triage.PatternItem{ExceptionID: id, Type: t, RootCause: rc, Action: "act_" + rc, Open: true,
		OccurredAt: patternNow.Add(-time.Duration(days * float64(24*time.Hour))), Vector: axis(r, ax, 0.05), Facts: map[string]string{}}
	for i := 0; i+1 < len(facts); i += 2 {
		it.Facts[facts[i]] = facts[i+1]
	}
	return it
}

func TestFindPatternsGroupsByCauseAndText(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var items []triage.PatternItem
	id := int64(0)
	add := func(n int, typ triage.Type, rc string, ax int) []int64 {
		var ids []int64
		for i := range n {
			id++
			items = append(items, item(r, id, typ, rc, ax, float64(i)))
			ids = append(ids, id)
		}
		return ids
	}
	a := add(5, triage.Other, "feed_stalled", 0)
	b := add(4, triage.Other, "feed_stalled", 7)                                                                                                     // same cause, other wording: its own pattern
	c := add(6, triage.Other, "ledger_locked", 0)                                                                                                    // same wording, other cause: its own pattern
	add(2, triage.Other, "one_off", 3)                                                                                                               // too few to recur
	d := add(3, triage.TaxInconsistency, "feed_stalled", 0)                                                                                          // same cause name, other type
	items = append(items, triage.PatternItem{ExceptionID: 99, Type: triage.Other, OccurredAt: patternNow.Add(-time.Hour), Vector: axis(r, 0, 0.05)}) // no cause yet
	ps := triage.FindPatterns(items, nil, patternNow, triage.PatternConfig{Similarity: 0.8, MinSize: 3})
	got := map[string][]int64{}
	for _, p := range ps {
		var ids []int64
		for _, m := range p.Refs {
			ids = append(ids, m.ExceptionID)
		}
		slices.Sort(ids)
		got[string(p.Type)+"/"+p.RootCause+"/"+p.ID] = ids
		if p.Size != len(p.Refs) || p.Open != p.Size || p.Action != "act_"+p.RootCause {
			t.Errorf("pattern %+v: size, open or action wrong", p)
		}
	}
	if len(ps) != 4 {
		t.Fatalf("%d patterns, want 4: %v", len(ps), got)
	}
	for _, want := range [][]int64{a, b, c, d} {
		found := false
		for _, ids := range got {
			found = found || slices.Equal(ids, want)
		}
		if !found {
			t.Errorf("no pattern is exactly %v: %v", want, got)
		}
	}
	if ps[0].Size != 6 {
		t.Errorf("largest first: got %d first", ps[0].Size)
	}
	again := triage.FindPatterns(slices.Clone(items), nil, patternNow, triage.PatternConfig{Similarity: 0.8, MinSize: 3})
	for i := range ps {
		if again[i].ID != ps[i].ID {
			t.Fatalf("ids differ between runs: %s vs %s", again[i].ID, ps[i].ID)
		}
	}
}

func TestFindPatternsCountsTheTrendPerDay(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var items []triage.PatternItem
	for i, days := range []float64{0.1, 0.2, 1.5, 9.5, 80} { // the last is outside the window
		items = append(items, item(r, int64(i+1), triage.Other, "x", 0, days))
	}
	ps := triage.FindPatterns(items, nil, patternNow, triage.PatternConfig{Similarity: 0.8, MinSize: 3})
	if len(ps) != 1 {
		t.Fatalf("%d patterns", len(ps))
	}
	d := ps[0].Daily
	if len(d) != 59 || d[58] != 2 || d[57] != 1 || d[49] != 1 {
		t.Fatalf("daily %v", d)
	}
	sum := 0
	for _, c := range d {
		sum += c
	}
	if sum != 4 {
		t.Fatalf("%d counted in the window, want 4", sum)
	}
	// The breakdown by weekday counts every member, the old one included.
	wd := ps[0].Breakdown[len(ps[0].Breakdown)-1]
	n, today := 0, 0
	for _, v := range wd.Values {
		n += v.Count
		if v.Value == patternNow.Weekday().String() {
			today = v.Count
		}
	}
	if wd.Dim != triage.WeekdayDim || n != 5 || today != 2 {
		t.Fatalf("weekday breakdown %+v", wd)
	}
}

func TestLearnDims(t *testing.T) {
	var items []triage.PatternItem
	for i := range 60 {
		items = append(items, triage.PatternItem{Facts: map[string]string{
			"zone":              []string{"north", "south", "east"}[i%3],                                             // few values: a dimension
			"attributes.part":   []string{"PX-AB-", "PX-CD-"}[i%2] + string(rune('0'+i%10)) + string(rune('0'+i/10)), // many values, two families
			"attributes.ticket": "T" + string(rune('a'+i%26)) + string(rune('a'+i/26)),                               // unique, no family
			"attributes.rare":   "",
		}})
		if i >= 2 {
			delete(items[i].Facts, "attributes.rare") // stated by too few
		}
	}
	got := triage.LearnDims(items)
	want := []triage.DimRule{{Place: "attributes.part", Family: true}, {Place: "zone"}}
	if !slices.Equal(got, want) {
		t.Fatalf("dims %+v, want %+v", got, want)
	}
	if n, v := got[0].Name(), got[0].Value(items[3]); n != "part family" || v != "PX-CD" {
		t.Fatalf("family dim %q value %q", n, v)
	}
}

func TestPoissonTail(t *testing.T) {
	for _, tc := range []struct {
		k    int
		mean float64
		want float64
	}{
		{0, 3, 1},
		{1, 2, 1 - math.Exp(-2)},
		{3, 1, 1 - math.Exp(-1)*(1+1+0.5)},
		{2, 0, 0},
		{40, 2, 0}, // tiny but positive, checked below
	} {
		got := triage.PoissonTail(tc.k, tc.mean)
		if tc.k == 40 {
			if got <= 0 || got > 1e-30 {
				t.Errorf("P(X>=40; 2) = %g, want tiny and positive", got)
			}
			continue
		}
		if math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("P(X>=%d; %g) = %g, want %g", tc.k, tc.mean, got, tc.want)
		}
	}
}

// steady returns items of one cause on axis 0, one every `every` days over
// the baseline, with the given facts.
func steady(r *rand.Rand, start int64, every float64, facts ...string) []triage.PatternItem {
	var out []triage.PatternItem
	for d := 3.5; d < 59; d += every {
		out = append(out, item(r, start+int64(len(out)), triage.UsageMismatch, "late_feed", 0, d, facts...))
	}
	return out
}

func TestFindSpikesFlagsARiseAndWhereItComesFrom(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	items := steady(r, 1, 2, "source", "feed", "attributes.unit", "alpha")
	for i := range 9 { // a burst in the current window, from one unit
		items = append(items, item(r, int64(500+i), triage.UsageMismatch, "late_feed", 0, 0.2+0.25*float64(i), "source", "feed", "attributes.unit", "beta"))
	}
	det := triage.Detect(items, patternNow, triage.PatternConfig{Similarity: 0.8})
	if len(det.Patterns) != 1 || det.Patterns[0].Spike == nil {
		t.Fatalf("patterns %+v: want one, spiking", det.Patterns)
	}
	sp := *det.Patterns[0].Spike
	if sp.Observed != 9 || sp.Expected > 2 || sp.PValue > 1e-4 || sp.Where != "unit=beta" || sp.WhereShare != 1 || sp.WhereBaseShare != 0 {
		t.Fatalf("spike %+v", sp)
	}
	if len(sp.Members) != 9 {
		t.Fatalf("%d members in the current window, want 9", len(sp.Members))
	}
	kinds := map[string]bool{}
	for _, s := range det.Spikes {
		kinds[s.Kind] = true
	}
	if !kinds[triage.SpikePattern] || !kinds[triage.SpikeTypeSource] {
		t.Fatalf("spikes %+v: want the pattern's and the type × source's", det.Spikes)
	}
}

func TestFindSpikesLeavesSteadyAndWeeklySeriesAlone(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	steadyItems := steady(r, 1, 0.5, "source", "feed")
	// Every Monday brings a batch: a Monday in the current window is
	// expected to, by its weekday's rate.
	var weekly []triage.PatternItem
	for d := 0.0; d < 59; d++ {
		day := patternNow.Add(-time.Duration((d + 0.5) * float64(24*time.Hour)))
		n := 0
		if day.Weekday() == time.Monday {
			n = 20 // three times the weekly mean per day: a spike were weekdays ignored
		}
		for i := range n {
			weekly = append(weekly, item(r, int64(1000+len(weekly)), triage.Other, "monday_batch", 2, d+0.5+0.01*float64(i), "source", "batch"))
		}
	}
	for name, items := range map[string][]triage.PatternItem{"steady": steadyItems, "weekly": weekly} {
		det := triage.Detect(items, patternNow, triage.PatternConfig{Similarity: 0.8})
		if len(det.Spikes) != 0 {
			t.Errorf("%s: spikes %+v, want none", name, det.Spikes)
		}
		if len(det.Patterns) != 1 {
			t.Errorf("%s: %d patterns, want 1", name, len(det.Patterns))
		}
	}
}

func TestARiseOfEverythingAlikeIsNoSpikeWhenRelative(t *testing.T) {
	build := func(rising []int) []triage.PatternItem {
		r := rand.New(rand.NewPCG(9, 10))
		var items []triage.PatternItem
		id := int64(0)
		for c := range 4 {
			rc := []string{"alpha_cause", "beta_cause", "gamma_cause", "delta_cause"}[c]
			for d := 3.25; d < 59; d += 1.5 {
				id++
				items = append(items, item(r, id, triage.Other, rc, c, d, "source", "src-"+rc))
			}
			if slices.Contains(rising, c) {
				for i := range 8 {
					id++
					items = append(items, item(r, id, triage.Other, rc, c, 0.1+0.3*float64(i), "source", "src-"+rc))
				}
			}
		}
		return items
	}
	rel := triage.PatternConfig{Similarity: 0.8, Relative: true}
	all := triage.Detect(build([]int{0, 1, 2, 3}), patternNow, rel)
	if len(all.Spikes) != 0 {
		t.Errorf("every cause rose alike: spikes %+v, want none", all.Spikes)
	}
	if abs := triage.Detect(build([]int{0, 1, 2, 3}), patternNow, triage.PatternConfig{Similarity: 0.8}); len(abs.Spikes) == 0 {
		t.Errorf("without Relative a rise of everything flags the series it lifts: none flagged")
	}
	one := triage.Detect(build([]int{2}), patternNow, rel)
	if len(one.Spikes) == 0 {
		t.Fatal("one cause rose alone: no spike")
	}
	for _, sp := range one.Spikes {
		if sp.RootCause != "gamma_cause" && sp.Source != "src-gamma_cause" || sp.Volume < 1 || sp.Volume > 1.5 {
			t.Errorf("spike %+v: want gamma's, with the others' volume steady", sp)
		}
	}
}
