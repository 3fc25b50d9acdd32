package triage

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"
)

// series is one count series spikes are looked for in.
type series struct {
	spike Spike // its kind and names
	idx   []int
}

// FindSpikes compares each series' current window (the last
// cfg.SpikeDays 24-hour bins before now) with its own baseline (the
// cfg.BaselineDays bins before): the series of each pattern, and of each
// type's items from each source. The baseline's rate per weekday, shrunk
// towards its overall rate (weekdays with few items borrow from the
// mean), forecasts the current window's count; a count at least
// cfg.MinRise and cfg.Ratio times the forecast whose Poisson tail
// probability is below cfg.Alpha divided by the number of series is a
// spike. With cfg.Relative each forecast is first scaled by the general
// volume's rise (see volumeFactor), so a rise of everything alike flags
// nothing. A spike says which dimension value the rise concentrates on when
// one does.
func FindSpikes(items []PatternItem, patterns []Pattern, dims []DimRule, now time.Time, cfg PatternConfig) []Spike {
	cfg = cfg.withDefaults()
	all := patternSeries(patterns)
	all = append(all, typeSourceSeries(items)...)
	alpha := cfg.Alpha / float64(max(1, len(all)))
	everything := make([]int, len(items))
	for i := range everything {
		everything[i] = i
	}
	total := dailyCounts(items, everything, now, cfg.BaselineDays+cfg.SpikeDays)
	var out []Spike
	for _, s := range all {
		if sp, ok := testSeries(items, s, total, dims, now, cfg, alpha); ok {
			out = append(out, sp)
		}
	}
	slices.SortStableFunc(out, func(a, b Spike) int { return cmp.Compare(a.PValue, b.PValue) })
	return out
}

// volumeFactor is how much more than forecast everything else (all items
// but the series' own) came in the current window, at least 1: when every
// series rises alike (an invoice run, a backlog let through at once) each
// forecast is scaled by it, so only a series that rises beyond the
// general volume is a spike. Leaving the series out keeps a large rise
// from raising its own bar; a quiet window never lowers it.
func volumeFactor(total, own []int, now time.Time, cfg PatternConfig) float64 {
	rest := make([]int, len(total))
	for i := range total {
		rest[i] = total[i] - own[i]
	}
	observed, expected := forecast(rest, now, cfg)
	return max(1, (float64(observed)+1)/(expected+1))
}

func patternSeries(ps []Pattern) []series {
	out := make([]series, 0, len(ps))
	for _, p := range ps {
		out = append(out, series{spike: Spike{Kind: SpikePattern, PatternID: p.ID, Type: p.Type, RootCause: p.RootCause}, idx: p.idx})
	}
	return out
}

func typeSourceSeries(items []PatternItem) []series {
	groups := map[[2]string][]int{}
	for i, it := range items {
		k := [2]string{string(it.Type), it.Facts["source"]}
		groups[k] = append(groups[k], i)
	}
	var out []series
	for _, k := range slices.SortedFunc(mapKeys(groups), func(a, b [2]string) int {
		return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1]))
	}) {
		out = append(out, series{spike: Spike{Kind: SpikeTypeSource, Type: Type(k[0]), Source: k[1]}, idx: groups[k]})
	}
	return out
}

// weekdayPrior is how many bins' worth of the overall rate each weekday's
// rate starts from: a weekday seen eight times in the baseline weighs its
// own count 2:1 against the mean.
const weekdayPrior = 4

func testSeries(items []PatternItem, s series, total []int, dims []DimRule, now time.Time, cfg PatternConfig, alpha float64) (Spike, bool) {
	counts := dailyCounts(items, s.idx, now, cfg.BaselineDays+cfg.SpikeDays)
	observed, expected := forecast(counts, now, cfg)
	volume := 1.0
	if cfg.Relative {
		volume = volumeFactor(total, counts, now, cfg)
	}
	expected *= volume
	if observed < cfg.MinRise || float64(observed) < cfg.Ratio*expected {
		return Spike{}, false
	}
	p := PoissonTail(observed, expected)
	if p >= alpha {
		return Spike{}, false
	}
	sp := s.spike
	sp.Observed, sp.Expected, sp.PValue, sp.Volume = observed, expected, p, volume
	sp.From, sp.To = now.Add(-time.Duration(cfg.SpikeDays)*24*time.Hour), now
	cur, base := splitWindow(items, s.idx, now, cfg)
	for _, i := range cur {
		sp.Members = append(sp.Members, items[i].Ref())
	}
	sp.Where, sp.WhereShare, sp.WhereBaseShare = concentration(items, cur, base, dims)
	return sp, true
}

// forecast sums a series' daily counts over the current window and
// forecasts that sum from its baseline: each current bin's weekday rate,
// shrunk towards the overall rate.
func forecast(counts []int, now time.Time, cfg PatternConfig) (observed int, expected float64) {
	days := cfg.BaselineDays + cfg.SpikeDays
	start := now.Add(-time.Duration(days) * 24 * time.Hour)
	weekday := func(bin int) time.Weekday { return start.Add(time.Duration(bin) * 24 * time.Hour).Weekday() }
	var byDay, binsByDay [7]float64
	total := 0.0
	for b := range cfg.BaselineDays {
		byDay[weekday(b)] += float64(counts[b])
		binsByDay[weekday(b)]++
		total += float64(counts[b])
	}
	// Half an item over the baseline keeps a series never seen before from
	// forecasting exactly zero.
	mean := (total + 0.5) / float64(cfg.BaselineDays)
	for b := cfg.BaselineDays; b < days; b++ {
		w := weekday(b)
		expected += (byDay[w] + weekdayPrior*mean) / (binsByDay[w] + weekdayPrior)
		observed += counts[b]
	}
	return observed, expected
}

// splitWindow separates a series' items of the current window from those
// of its baseline.
func splitWindow(items []PatternItem, idx []int, now time.Time, cfg PatternConfig) (cur, base []int) {
	days := cfg.BaselineDays + cfg.SpikeDays
	for _, i := range idx {
		switch b := dayBin(items[i].OccurredAt, now, days); {
		case b >= cfg.BaselineDays:
			cur = append(cur, i)
		case b >= 0:
			base = append(base, i)
		}
	}
	return cur, base
}

// concentration finds the dimension value whose share of the current
// window most exceeds its share of the baseline: the one product, region
// or entity a rise comes from. It must hold at least half of the current
// items and a quarter more than before.
func concentration(items []PatternItem, cur, base []int, dims []DimRule) (string, float64, float64) {
	best, bestShare, bestBase, bestGain := "", 0.0, 0.0, 0.25
	for _, d := range dims {
		now, before := valueCounts(items, cur, d), valueCounts(items, base, d)
		for _, v := range slices.Sorted(mapKeys(now)) {
			share := float64(now[v]) / float64(len(cur))
			bshare := 0.0
			if len(base) > 0 {
				bshare = float64(before[v]) / float64(len(base))
			}
			if share >= 0.5 && share-bshare > bestGain {
				best, bestShare, bestBase, bestGain = fmt.Sprintf("%s=%s", d.Name(), v), share, bshare, share-bshare
			}
		}
	}
	return best, bestShare, bestBase
}

func valueCounts(items []PatternItem, idx []int, d DimRule) map[string]int {
	out := map[string]int{}
	for _, i := range idx {
		if v := d.Value(items[i]); v != "" {
			out[v]++
		}
	}
	return out
}

// PoissonTail is P(X ≥ k) for X ~ Poisson(mean). Above the mean it sums
// the upper tail's terms in log space, so a tiny probability is reported
// as it is rather than as 1 minus nearly 1.
func PoissonTail(k int, mean float64) float64 {
	switch {
	case k <= 0:
		return 1
	case mean <= 0:
		return 0
	}
	logPMF := func(j int) float64 {
		lg, _ := math.Lgamma(float64(j) + 1)
		return float64(j)*math.Log(mean) - mean - lg
	}
	if float64(k) > mean {
		sum := 0.0
		for j := k; ; j++ {
			t := math.Exp(logPMF(j))
			sum += t
			if t <= sum*1e-16 || j > k+100000 {
				return math.Min(1, sum)
			}
		}
	}
	below := 0.0
	for j := range k {
		below += math.Exp(logPMF(j))
	}
	return math.Max(0, math.Min(1, 1-below))
}
