package eval

import (
	"fmt"
	"image/color"
	"path/filepath"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Plot file names, as report.md links them.
const (
	PrecisionCoveragePNG = "precision_coverage.png"
	LatencyPNG           = "latency.png"
	ReliabilityPNG       = "reliability.png"
)

var (
	plotW, plotH = 8 * vg.Inch, 5 * vg.Inch
	dashes       = []vg.Length{vg.Points(4), vg.Points(3)}
)

// writePlots draws the PNGs into dir; the reliability diagram only when a
// risk model was scored.
func writePlots(dir string, res *Result) error {
	if err := plotPrecisionCoverage(res).Save(plotW, plotH, filepath.Join(dir, PrecisionCoveragePNG)); err != nil {
		return fmt.Errorf("eval: %s: %w", PrecisionCoveragePNG, err)
	}
	if err := plotLatency(res).Save(plotW, plotH, filepath.Join(dir, LatencyPNG)); err != nil {
		return fmt.Errorf("eval: %s: %w", LatencyPNG, err)
	}
	if res.Metrics.Risk == nil {
		return nil
	}
	if err := plotReliability(res).Save(plotW, plotH, filepath.Join(dir, ReliabilityPNG)); err != nil {
		return fmt.Errorf("eval: %s: %w", ReliabilityPNG, err)
	}
	return nil
}

// plotPrecisionCoverage draws one precision-versus-coverage curve per type,
// a ring where the recommended threshold sits, a cross where the policy in
// force operated, and the target precision as a dashed line. A curve stops
// where fewer than min_support cases are automated: precision over a
// handful of cases swings too much to read, and no recommendation rests
// on it.
func plotPrecisionCoverage(res *Result) *plot.Plot {
	p := plot.New()
	p.Title.Text = "Precision versus coverage per type (ring: recommended threshold, cross: policy in force)"
	p.X.Label.Text = "coverage (share of the type's test cases automated)"
	p.Y.Label.Text = "precision (root cause and action right)"
	p.X.Min, p.X.Max, p.Y.Max = 0, 1, 1
	p.Legend.Top, p.Legend.Left = false, false // bottom right: where no useful curve goes
	p.Add(plotter.NewGrid())
	for i, t := range sortedKeys(res.Curves) {
		col := plotutil.Color(i)
		addCurve(p, t, supported(res.Curves[t], res.Metrics.Run.MinSupport), col)
		if rec := res.Metrics.RecommendedThresholds[t]; rec != nil {
			addMark(p, rec.Coverage, rec.Precision, col, draw.RingGlyph{})
		}
		if m := res.Metrics.PerType[t]; m.AutoCoverage != nil && m.AutoPrecision != nil {
			addMark(p, *m.AutoCoverage, *m.AutoPrecision, col, draw.CrossGlyph{})
		}
	}
	target := plotter.NewFunction(func(float64) float64 { return res.Metrics.Run.TargetPrecision })
	target.Dashes = dashes
	p.Add(target)
	p.Legend.Add(fmt.Sprintf("target precision %.2f", res.Metrics.Run.TargetPrecision), target)
	return p
}

func addCurve(p *plot.Plot, name string, curve []CurvePoint, col color.Color) {
	if len(curve) == 0 {
		return
	}
	xys := make(plotter.XYs, len(curve))
	for i, c := range curve {
		xys[i].X, xys[i].Y = c.Coverage, c.Precision
	}
	l, err := plotter.NewLine(xys)
	if err != nil {
		return // NewLine only fails on NaN or infinite points, which a ratio of counts is not
	}
	l.Color, l.Width = col, vg.Points(1.5)
	p.Add(l)
	p.Legend.Add(name, l)
}

func supported(curve []CurvePoint, minSupport int) []CurvePoint {
	var out []CurvePoint
	for _, c := range curve {
		if c.Support >= minSupport {
			out = append(out, c)
		}
	}
	return out
}

func addMark(p *plot.Plot, x, y float64, col color.Color, shape draw.GlyphDrawer) {
	s, err := plotter.NewScatter(plotter.XYs{{X: x, Y: y}})
	if err != nil {
		return
	}
	s.Shape, s.Color, s.Radius = shape, col, vg.Points(5)
	p.Add(s)
}

// plotLatency draws the distribution of Submit latencies. The axis stops at
// twice the p99 so a few stragglers do not squash the histogram; the title
// says how many were left out.
func plotLatency(res *Result) *plot.Plot {
	p := plot.New()
	l := res.Metrics.LatencyMS
	limit := 2 * l.P99
	var vs plotter.Values
	for _, c := range res.Cases {
		if v := float64(c.Latency) / 1e6; v <= limit {
			vs = append(vs, v)
		}
	}
	p.Title.Text = fmt.Sprintf("Triage latency per exception (p50 %.1f ms, p95 %.1f ms, p99 %.1f ms)", l.P50, l.P95, l.P99)
	if out := len(res.Cases) - len(vs); out > 0 {
		p.Title.Text += fmt.Sprintf("; %d above %.0f ms not shown", out, limit)
	}
	p.X.Label.Text = "milliseconds (timing: differs between runs)"
	p.Y.Label.Text = "exceptions"
	if len(vs) == 0 {
		return p
	}
	h, err := plotter.NewHist(vs, 50)
	if err == nil {
		h.FillColor = plotutil.Color(2)
		p.Add(h)
	}
	return p
}

// plotReliability draws the risk model's reliability diagram: observed
// rate against mean predicted probability per bin, and the diagonal a
// calibrated model would follow.
func plotReliability(res *Result) *plot.Plot {
	p := plot.New()
	r := res.Metrics.Risk
	p.Title.Text = fmt.Sprintf("Risk model %s: reliability (ECE %.3f, Brier %.3f)", r.Model, r.ECE, r.Brier)
	p.X.Label.Text = "mean predicted probability"
	p.Y.Label.Text = "observed rate"
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	p.Add(plotter.NewGrid())
	diag := plotter.NewFunction(func(x float64) float64 { return x })
	diag.Dashes = dashes
	p.Add(diag)
	xys := make(plotter.XYs, len(res.Reliability))
	for i, b := range res.Reliability {
		xys[i].X, xys[i].Y = b.MeanP, b.Observed
	}
	if l, s, err := plotter.NewLinePoints(xys); err == nil {
		l.Color, s.Color = plotutil.Color(2), plotutil.Color(2)
		p.Add(l, s)
		p.Legend.Add("model", l, s)
	}
	p.Legend.Add("perfect calibration", diag)
	return p
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
