package chart_test

import (
	"math"
	"testing"

	"github.com/billtriage/billtriage/api/internal/chart"
)

func TestTicks(t *testing.T) {
	tests := []struct {
		max       float64
		n         int
		step, top float64
	}{
		{0, 4, 1, 1},
		{-3, 4, 1, 1},
		{math.NaN(), 4, 1, 1},
		{1, 4, 1, 1},
		{3, 4, 1, 3},
		{7, 4, 2, 8},
		{10, 4, 5, 10},
		{100, 5, 20, 100},
		{101, 5, 50, 150},
		{2345, 4, 1000, 3000},
	}
	for _, tc := range tests {
		step, top := chart.Ticks(tc.max, tc.n)
		if step != tc.step || top != tc.top {
			t.Errorf("Ticks(%v, %d) = %v, %v; want %v, %v", tc.max, tc.n, step, top, tc.step, tc.top)
		}
	}
}

var size = chart.Size{Width: 600, Height: 200, Left: 40, Right: 10, Top: 10, Bottom: 30}

func TestStackedColumnsGeometry(t *testing.T) {
	cols := []chart.Column{
		{Label: "d1", Values: []float64{3, 0, 5}},
		{Label: "d2", Values: []float64{}},
		{Label: "d3", Values: []float64{1, 1, 1, 1}},
		{Label: "d4", Values: []float64{-2, 4}},
	}
	c := chart.StackedColumns(cols, size)
	plot := chart.Rect{X: 40, Y: 10, W: 550, H: 160}
	if c.Plot != plot {
		t.Fatalf("plot %+v, want %+v", c.Plot, plot)
	}
	if c.Top != 8 {
		t.Errorf("top %v, want 8 (largest stack)", c.Top)
	}
	// Zero and negative values take no space: 2 + 0 + 4 + 1 segments.
	if len(c.Segments) != 7 {
		t.Fatalf("%d segments, want 7: %+v", len(c.Segments), c.Segments)
	}
	perUnit := plot.H / c.Top
	heights := map[int]float64{}
	for i, s := range c.Segments {
		if !near(s.H, s.Value*perUnit) {
			t.Errorf("segment %d: height %v for value %v, want %v", i, s.H, s.Value, s.Value*perUnit)
		}
		if s.X < plot.X || s.X+s.W > plot.X+plot.W || s.Y < plot.Y-1e-9 || s.Y+s.H > plot.Y+plot.H+1e-9 {
			t.Errorf("segment %d %+v leaves the plot", i, s.Rect)
		}
		heights[s.Column] += s.H
		// Each segment sits on the one below it (or on the baseline).
		if i > 0 && c.Segments[i-1].Column == s.Column && !near(c.Segments[i-1].Y, s.Y+s.H) {
			t.Errorf("segment %d does not sit on segment %d", i, i-1)
		}
		if (i == 0 || c.Segments[i-1].Column != s.Column) && !near(s.Y+s.H, plot.Y+plot.H) {
			t.Errorf("segment %d: first of its column does not start at the baseline", i)
		}
	}
	for col, want := range map[int]float64{0: 8, 2: 4, 3: 4} {
		if !near(heights[col], want*perUnit) {
			t.Errorf("column %d stack height %v, want %v", col, heights[col], want*perUnit)
		}
	}
	if len(c.XLabels) != 4 || c.XLabels[0].Text != "d1" || c.XLabels[3].Text != "d4" {
		t.Errorf("x labels %+v", c.XLabels)
	}
	// Column slots are equal and bars do not touch their neighbours.
	slot := plot.W / 4
	if s := c.Segments[0]; !near(s.X, plot.X+slot/8) || !near(s.W, slot*0.75) {
		t.Errorf("first bar x %v w %v, want %v %v", s.X, s.W, plot.X+slot/8, slot*0.75)
	}
}

func TestStackedColumnsTicksAndLabels(t *testing.T) {
	cols := make([]chart.Column, 30)
	for i := range cols {
		cols[i] = chart.Column{Label: string(rune('a' + i%26)), Values: []float64{float64(i)}}
	}
	c := chart.StackedColumns(cols, size)
	if len(c.XLabels) > 8 {
		t.Errorf("%d x labels for 30 columns, want at most 8", len(c.XLabels))
	}
	if len(c.Ticks) < 2 || c.Ticks[0].Label != "0" || !near(c.Ticks[0].Y, c.Plot.Y+c.Plot.H) {
		t.Fatalf("ticks %+v: want a 0 tick on the baseline", c.Ticks)
	}
	last := c.Ticks[len(c.Ticks)-1]
	if !near(last.Y, c.Plot.Y) || last.Label != "30" {
		t.Errorf("top tick %+v, want 30 at the top of the plot", last)
	}
	for i := 1; i < len(c.Ticks); i++ {
		if c.Ticks[i].Y >= c.Ticks[i-1].Y {
			t.Errorf("ticks not rising: %+v", c.Ticks)
		}
	}
}

func TestStackedColumnsEmpty(t *testing.T) {
	c := chart.StackedColumns(nil, size)
	if len(c.Segments) != 0 || len(c.XLabels) != 0 {
		t.Errorf("empty chart has geometry: %+v", c)
	}
	if c.Top != 1 || len(c.Ticks) != 2 {
		t.Errorf("empty chart scale: top %v ticks %+v", c.Top, c.Ticks)
	}
}

func TestHorizontalBars(t *testing.T) {
	bsize := chart.Size{Width: 500, Height: 120, Left: 80, Right: 120, Top: 0, Bottom: 0}
	c := chart.HorizontalBars([]chart.Bar{
		{Label: "finance", Value: 10, Note: "oldest 2d"},
		{Label: "revops", Value: 5},
		{Label: "tax", Value: 0},
	}, bsize)
	if len(c.Bars) != 3 {
		t.Fatalf("%d bars, want 3", len(c.Bars))
	}
	full := bsize.Width - bsize.Left - bsize.Right
	tests := []struct {
		w      float64
		text   string
		nameAt float64
	}{
		{full, "10 · oldest 2d", 20},
		{full / 2, "5", 60},
		{0, "0", 100},
	}
	for i, tc := range tests {
		b := c.Bars[i]
		if !near(b.W, tc.w) || b.X != bsize.Left {
			t.Errorf("bar %d: x %v w %v, want %v %v", i, b.X, b.W, bsize.Left, tc.w)
		}
		if b.Text.Text != tc.text || !near(b.Text.X, b.X+b.W+6) {
			t.Errorf("bar %d: value label %+v, want %q right of the bar", i, b.Text, tc.text)
		}
		if !near(b.Name.Y, tc.nameAt) || b.Name.X >= bsize.Left {
			t.Errorf("bar %d: name label %+v, want left of the plot at y %v", i, b.Name, tc.nameAt)
		}
		if b.Y < b.Name.Y-20 || b.Y+b.H > b.Name.Y+20 {
			t.Errorf("bar %d %+v leaves its row", i, b.Rect)
		}
	}
	if got := chart.HorizontalBars(nil, bsize); len(got.Bars) != 0 {
		t.Errorf("no bars wanted, got %+v", got.Bars)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
