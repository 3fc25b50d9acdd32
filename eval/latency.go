package eval

import (
	"math"
	"sort"
	"time"
)

// Percentile is the nearest-rank p-th percentile (0 < p ≤ 100) of ds: the
// smallest value with at least p% of the values at or below it. It is
// always an observed latency, never an interpolation. It is 0 for no data.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	rank := int(math.Ceil(p / 100 * float64(len(s))))
	return s[min(max(rank, 1), len(s))-1]
}

// timings summarises how long each Submit took, and the throughput of one
// client submitting one exception at a time (the cases over the time spent
// in Submit; the replay's own bookkeeping and the resolutions are not
// counted).
func timings(cases []Case) (LatencyMS, float64) {
	ds := make([]time.Duration, len(cases))
	for i, c := range cases {
		ds[i] = c.Latency
	}
	if len(ds) == 0 {
		return LatencyMS{}, 0
	}
	total := elapsed(cases)
	l := LatencyMS{P50: ms(Percentile(ds, 50)), P95: ms(Percentile(ds, 95)), P99: ms(Percentile(ds, 99)),
		Mean: ms(total / time.Duration(len(ds))), Max: ms(Percentile(ds, 100))}
	tput := 0.0
	if total > 0 {
		tput = math.Round(float64(len(ds))/total.Seconds()*10) / 10
	}
	return l, tput
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }
