package api

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/billtriage/billtriage/triage"
)

// WatchPatterns adds the gauges of the latest pattern run, read from ps
// at scrape time so every replica reports the cluster's one run: an alert
// on billtriage_pattern_spikes_new > 0 is the notification of a new spike.
func (m *Metrics) WatchPatterns(ps triage.PatternStore) {
	m.reg.MustRegister(&patternCollector{store: ps})
}

var (
	patternsGauge   = prometheus.NewDesc("billtriage_patterns", "Recurring patterns in the latest detection run.", nil, nil)
	spikesGauge     = prometheus.NewDesc("billtriage_pattern_spikes", "Spikes flagged by the latest detection run, by kind (pattern, type_source).", []string{"kind"}, nil)
	newSpikesGauge  = prometheus.NewDesc("billtriage_pattern_spikes_new", "Spikes the latest run flagged that the run before did not, by kind.", []string{"kind"}, nil)
	patternRunGauge = prometheus.NewDesc("billtriage_pattern_run_timestamp_seconds", "When the latest detection run ran.", nil, nil)
)

type patternCollector struct{ store triage.PatternStore }

func (c *patternCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- patternsGauge
	ch <- spikesGauge
	ch <- newSpikesGauge
	ch <- patternRunGauge
}

func (c *patternCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	run, _, err := c.store.LatestPatternRun(ctx)
	if triage.ErrorCode(err) == triage.ENOTFOUND {
		return // no run yet: nothing to report, nothing wrong
	}
	if err != nil {
		ch <- prometheus.NewInvalidMetric(spikesGauge, err)
		return
	}
	count, fresh := map[string]float64{triage.SpikePattern: 0, triage.SpikeTypeSource: 0}, map[string]float64{triage.SpikePattern: 0, triage.SpikeTypeSource: 0}
	for _, sp := range run.Spikes {
		count[sp.Kind]++
		if sp.New {
			fresh[sp.Kind]++
		}
	}
	ch <- prometheus.MustNewConstMetric(patternsGauge, prometheus.GaugeValue, float64(run.Patterns))
	for kind, n := range count {
		ch <- prometheus.MustNewConstMetric(spikesGauge, prometheus.GaugeValue, n, kind)
		ch <- prometheus.MustNewConstMetric(newSpikesGauge, prometheus.GaugeValue, fresh[kind], kind)
	}
	ch <- prometheus.MustNewConstMetric(patternRunGauge, prometheus.GaugeValue, float64(run.At.Unix()))
}
