package api

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/billtriage/billtriage/triage"
)

// driftWindow is how far back the drift gauge counts findings.
const driftWindow = 30 * 24 * time.Hour

// driftReader is what the drift gauge reads; the store implements it.
type driftReader interface {
	DriftFindings(ctx context.Context, since time.Time, limit int) ([]triage.DriftFinding, error)
}

var driftFindings = prometheus.NewDesc("billtriage_schema_drift_findings",
	"Schema drift found in the last 30 days, by source and kind (new_field, vanished_field, type_change, shape_change, template_vanished).",
	[]string{"source", "kind"}, nil)

// driftCollector reads the findings when Prometheus scrapes, so every
// replica reports what the cluster's job found.
type driftCollector struct{ store driftReader }

func (c *driftCollector) Describe(ch chan<- *prometheus.Desc) { ch <- driftFindings }

func (c *driftCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	fs, err := c.store.DriftFindings(ctx, time.Now().Add(-driftWindow), triage.MaxDriftFindings)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(driftFindings, err)
		return
	}
	counts := map[[2]string]int{}
	for _, f := range fs {
		counts[[2]string{f.Source, string(f.Kind)}]++
	}
	for k, n := range counts {
		ch <- prometheus.MustNewConstMetric(driftFindings, prometheus.GaugeValue, float64(n), k[0], k[1])
	}
}
