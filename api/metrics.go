package api

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/billtriage/billtriage/triage"
)

// Metrics exposes the KPIs for Prometheus: counters of decisions and
// resolutions (auto-enrichment and manual-touch rates are ratios of them),
// histograms of triage latency, confidence and time to resolution, and
// queue gauges read from the database at scrape time. It implements
// triage.Observer.
type Metrics struct {
	reg         *prometheus.Registry
	decisions   *prometheus.CounterVec
	resolutions *prometheus.CounterVec
	latency     prometheus.Histogram
	confidence  *prometheus.HistogramVec
	toResolve   *prometheus.HistogramVec
	// authFailures and authRefusals show key guessing: failed key checks,
	// and attempts refused for too many of them, by door (api, ui).
	authFailures *prometheus.CounterVec
	authRefusals *prometheus.CounterVec
}

var _ triage.Observer = (*Metrics)(nil)

// NewMetrics registers the metrics; stats feeds the queue gauges.
func NewMetrics(stats triage.StatsStore) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "billtriage_decisions_total",
			Help: "Triage decisions by exception type and outcome (auto or queue)."}, []string{"type", "outcome"}),
		resolutions: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "billtriage_resolutions_total",
			Help: "Resolutions by people, by exception type and verdict (accept, edit, reject)."}, []string{"type", "verdict"}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "billtriage_triage_duration_seconds",
			Help: "Time to match, decide and record one exception.", Buckets: prometheus.ExponentialBuckets(0.001, 2, 12)}),
		confidence: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "billtriage_decision_confidence",
			Help: "Confidence of suggestions by type.", Buckets: prometheus.LinearBuckets(0.1, 0.1, 10)}, []string{"type"}),
		toResolve: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "billtriage_time_to_resolution_seconds",
			Help:    "Time from receipt to a person's resolution, by queue.",
			Buckets: []float64{60, 300, 900, 3600, 4 * 3600, 8 * 3600, 86400, 3 * 86400, 7 * 86400, 30 * 86400}}, []string{"queue"}),
		authFailures: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "billtriage_auth_failures_total",
			Help: "Failed API key checks by door: api (/v1, /metrics) or ui (sign-in)."}, []string{"door"}),
		authRefusals: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "billtriage_auth_rate_limited_total",
			Help: "Attempts refused with 429 because their client failed too many key checks, by door."}, []string{"door"}),
	}
	m.reg.MustRegister(m.decisions, m.resolutions, m.latency, m.confidence, m.toResolve, m.authFailures, m.authRefusals,
		&queueCollector{stats: stats}, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if d, ok := stats.(driftReader); ok {
		m.reg.MustRegister(&driftCollector{store: d})
	}
	return m
}

// Decided implements triage.Observer.
func (m *Metrics) Decided(ex triage.Exception, d triage.Decision, took time.Duration) {
	m.decisions.WithLabelValues(string(ex.Type), string(d.Outcome)).Inc()
	m.latency.Observe(took.Seconds())
	m.confidence.WithLabelValues(string(ex.Type)).Observe(d.Confidence)
}

// Resolved implements triage.Observer.
func (m *Metrics) Resolved(ex triage.Exception, r triage.Resolution) {
	m.resolutions.WithLabelValues(string(ex.Type), string(r.Verdict)).Inc()
	m.toResolve.WithLabelValues(string(r.Queue)).Observe(r.ResolvedAt.Sub(ex.CreatedAt).Seconds())
}

// authFailed counts a failed key check; a server without metrics has a
// nil *Metrics, which counts nothing.
func (m *Metrics) authFailed(door string) {
	if m != nil {
		m.authFailures.WithLabelValues(door).Inc()
	}
}

// authLimited counts an attempt refused by the failure limit.
func (m *Metrics) authLimited(door string) {
	if m != nil {
		m.authRefusals.WithLabelValues(door).Inc()
	}
}

// Handler serves the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// queueCollector reads queue sizes and ages when Prometheus scrapes, so the
// gauges are right across restarts and across several service instances.
type queueCollector struct{ stats triage.StatsStore }

var (
	queueSize    = prometheus.NewDesc("billtriage_queue_size", "Items waiting in a queue.", []string{"queue"}, nil)
	queueAge     = prometheus.NewDesc("billtriage_queue_oldest_age_seconds", "Age of the oldest item waiting in a queue.", []string{"queue"}, nil)
	received     = prometheus.NewDesc("billtriage_exceptions_received_24h", "Exceptions received in the last 24 hours by type.", []string{"type"}, nil)
	undecided    = prometheus.NewDesc("billtriage_undecided_exceptions", "Exceptions accepted but not decided yet (the sweep's backlog).", nil, nil)
	undecidedAge = prometheus.NewDesc("billtriage_undecided_oldest_age_seconds", "Age of the oldest exception accepted but not decided yet.", nil, nil)
)

func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- queueSize
	ch <- queueAge
	ch <- received
	ch <- undecided
	ch <- undecidedAge
}

func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := c.stats.Stats(ctx, time.Now().Add(-24*time.Hour))
	if err != nil {
		ch <- prometheus.NewInvalidMetric(queueSize, err)
		return
	}
	for _, q := range st.Queues {
		ch <- prometheus.MustNewConstMetric(queueSize, prometheus.GaugeValue, float64(q.Size), string(q.Queue))
		ch <- prometheus.MustNewConstMetric(queueAge, prometheus.GaugeValue, q.OldestAge.Seconds(), string(q.Queue))
	}
	byType := map[triage.Type]int{}
	for _, v := range st.Volume {
		byType[v.Type] += v.Count
	}
	for _, t := range triage.Types {
		ch <- prometheus.MustNewConstMetric(received, prometheus.GaugeValue, float64(byType[t]), string(t))
	}
	ch <- prometheus.MustNewConstMetric(undecided, prometheus.GaugeValue, float64(st.Undecided))
	ch <- prometheus.MustNewConstMetric(undecidedAge, prometheus.GaugeValue, st.UndecidedOldest.Seconds())
}

// CounterFunc exports a counter an adapter keeps itself, read at scrape
// time: the wiring hands in, say, the store's count of standby reads that
// fell back to the primary, so api needs no import of the adapter.
func (m *Metrics) CounterFunc(name, help string, read func() float64) {
	m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, read))
}
