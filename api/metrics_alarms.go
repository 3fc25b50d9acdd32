package api

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/billtriage/billtriage/triage"
)

// WatchAlarms adds the drift alarms' gauges, read from d at scrape time so
// that every replica reports the cluster's state: which alerts are
// active, each alarm's latest measure and threshold, and which types the
// brake paused.
func (m *Metrics) WatchAlarms(d triage.AlarmStore) {
	m.reg.MustRegister(&alarmCollector{alarms: d})
}

type alarmCollector struct{ alarms triage.AlarmStore }

var (
	alertActive = prometheus.NewDesc("billtriage_alert_active",
		"1 while an alert of this type and kind is open or acknowledged, else 0.", []string{"type", "kind"}, nil)
	driftValue = prometheus.NewDesc("billtriage_drift_value",
		"The latest known measure of a drift alarm (the newest ISO week with enough samples).", []string{"type", "kind"}, nil)
	driftThreshold = prometheus.NewDesc("billtriage_drift_threshold",
		"The threshold the latest measure of a drift alarm was held to.", []string{"type", "kind"}, nil)
	automationPaused = prometheus.NewDesc("billtriage_automation_paused",
		"1 while the automatic brake holds automation of a type paused, else 0.", []string{"type"}, nil)
)

func (c *alarmCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- alertActive
	ch <- driftValue
	ch <- driftThreshold
	ch <- automationPaused
}

func (c *alarmCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	active, err := c.alarms.Alerts(ctx, "", triage.MaxAlerts)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(alertActive, err)
		return
	}
	on := map[[2]string]bool{}
	for _, a := range active {
		on[[2]string{string(a.Type), string(a.Kind)}] = true
	}
	for _, t := range triage.Types {
		for _, k := range triage.AlertKinds {
			v := 0.0
			if on[[2]string{string(t), string(k)}] {
				v = 1
			}
			ch <- prometheus.MustNewConstMetric(alertActive, prometheus.GaugeValue, v, string(t), string(k))
		}
	}
	c.collectMeasures(ctx, ch)
	c.collectPauses(ctx, ch)
}

// collectMeasures reports each alarm's newest known measure.
func (c *alarmCollector) collectMeasures(ctx context.Context, ch chan<- prometheus.Metric) {
	ms, err := c.alarms.Measures(ctx, triage.WeekStart(time.Now()).AddDate(0, 0, -7))
	if err != nil {
		ch <- prometheus.NewInvalidMetric(driftValue, err)
		return
	}
	seen := map[[2]string]bool{}
	for _, m := range ms { // newest week first
		key := [2]string{string(m.Type), string(m.Kind)}
		if !m.Known || seen[key] {
			continue
		}
		seen[key] = true
		ch <- prometheus.MustNewConstMetric(driftValue, prometheus.GaugeValue, m.Value, key[0], key[1])
		ch <- prometheus.MustNewConstMetric(driftThreshold, prometheus.GaugeValue, m.Threshold, key[0], key[1])
	}
}

func (c *alarmCollector) collectPauses(ctx context.Context, ch chan<- prometheus.Metric) {
	ps, err := c.alarms.Pauses(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(automationPaused, err)
		return
	}
	paused := map[triage.Type]bool{}
	for _, p := range ps {
		paused[p.Type] = p.Paused
	}
	for _, t := range triage.Types {
		v := 0.0
		if paused[t] {
			v = 1
		}
		ch <- prometheus.MustNewConstMetric(automationPaused, prometheus.GaugeValue, v, string(t))
	}
}
