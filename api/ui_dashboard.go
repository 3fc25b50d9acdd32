package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/billtriage/billtriage/api/internal/chart"
	"github.com/billtriage/billtriage/triage"
)

// dashboardDays are the windows the dashboard offers; 30 is the default.
var dashboardDays = []int{7, 30, 90}

const defaultDays = 30

// dashboardView is the KPI page.
type dashboardView struct {
	Days       int
	DayOptions []int
	Stats      triage.Stats
	KPIs       []kpi
	Volume     chart.Stacked
	// ColumnLabels and SeriesLabels name the chart's columns (days) and
	// series (types) for the bars' tooltips.
	ColumnLabels []string
	SeriesLabels []string
	Legend       []legendItem
	Queues       chart.HBars
}

// kpi is one figure tile.
type kpi struct{ Label, Value, Note string }

// legendItem names a chart series and its total.
type legendItem struct {
	Series int
	Label  string
	Count  int
}

var (
	volumeChart = chart.Size{Width: 720, Height: 240, Left: 40, Right: 8, Top: 10, Bottom: 26}
	queueChart  = chart.Size{Width: 480, Height: 132, Left: 104, Right: 126, Top: 2, Bottom: 2}
)

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	days := defaultDays
	if d := r.URL.Query().Get("days"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n < 1 || n > 366 {
			s.failPage(w, r, triage.Invalid("days", "must be a whole number of days from 1 to 366"))
			return
		}
		days = n
	}
	now := s.now().UTC()
	// The window starts at midnight so every day on the chart is whole.
	since := now.Truncate(24*time.Hour).AddDate(0, 0, 1-days)
	st, err := s.stats.Stats(r.Context(), since)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	v := dashboardView{Days: days, DayOptions: dayOptions(days), Stats: st, KPIs: kpis(st)}
	v.volume(st, since, days)
	v.Queues = chart.HorizontalBars(queueBars(st.Queues), queueChart)
	s.render(w, r, http.StatusOK, "dashboard", "Dashboard", v)
}

// dayOptions offers the usual windows and the one asked for.
func dayOptions(days int) []int {
	for _, d := range dashboardDays {
		if d == days {
			return dashboardDays
		}
	}
	return append([]int{days}, dashboardDays...)
}

// volume lays out one column per day of the window, every type stacked,
// days without exceptions included so the time axis stays even.
func (v *dashboardView) volume(st triage.Stats, since time.Time, days int) {
	series := map[triage.Type]int{}
	for i, t := range triage.Types {
		series[t] = i
		v.SeriesLabels = append(v.SeriesLabels, typeLabel(t))
	}
	totals := make([]int, len(triage.Types))
	cols := make([]chart.Column, days)
	for d := range cols {
		day := since.AddDate(0, 0, d)
		cols[d] = chart.Column{Label: day.Format("Jan 2"), Values: make([]float64, len(triage.Types))}
		v.ColumnLabels = append(v.ColumnLabels, day.Format("Mon Jan 2"))
	}
	for _, p := range st.Volume {
		d := int(p.Day.UTC().Sub(since).Hours() / 24)
		i, ok := series[p.Type]
		if d < 0 || d >= days || !ok {
			continue
		}
		cols[d].Values[i] += float64(p.Count)
		totals[i] += p.Count
	}
	v.Volume = chart.StackedColumns(cols, volumeChart)
	for i, t := range triage.Types {
		v.Legend = append(v.Legend, legendItem{Series: i, Label: typeLabel(t), Count: totals[i]})
	}
}

func queueBars(qs []triage.QueueStat) []chart.Bar {
	bars := make([]chart.Bar, len(qs))
	for i, q := range qs {
		bars[i] = chart.Bar{Label: triage.QueueName(q.Queue), Value: float64(q.Size)}
		if q.Size > 0 {
			bars[i].Note = "oldest " + duration(q.OldestAge)
		}
	}
	return bars
}

// kpis are the figure tiles: rates, resolution times and shares.
func kpis(st triage.Stats) []kpi {
	resolved := "—"
	p90 := "—"
	if st.Resolved+st.Rejected > 0 {
		resolved, p90 = duration(st.ResolutionMedian), duration(st.ResolutionP90)
	}
	ks := []kpi{
		{"Received", count(st.Received), count(st.Decided) + " decided"},
		{"Auto-enrichment rate", pct(st.AutoRate), count(st.Auto) + " applied automatically"},
		{"Manual touch rate", pct(st.ManualTouchRate), "decided items a person acted on"},
		{"Median resolution", resolved, "from receipt to a person's resolution"},
		{"p90 resolution", p90, "nine in ten were resolved within"},
		{"Dispute share", pct(st.DisputeShare), "customer disputes among all received"},
		{"ERP posting failures", pct(st.ERPFailureShare), "failed postings among all received"},
	}
	// Only once an integration reports postings is there a real rate to
	// show; before that the tile would read 0% and mean nothing.
	if st.PostingsTotal > 0 {
		ks = append(ks, kpi{"ERP postings failed", pct(float64(st.PostingsFailed) / float64(st.PostingsTotal)),
			count(st.PostingsFailed) + " of " + count(st.PostingsTotal) + " postings the ERP answered"})
	}
	return ks
}
