package chart

import "strconv"

// Column is one position on the x axis: its label and one value per
// series, bottom of the stack first.
type Column struct {
	Label  string
	Values []float64
}

// Segment is one series' part of one column.
type Segment struct {
	Rect
	// Series indexes the series, so a template can pick its colour class.
	Series int
	Column int
	Value  float64
}

// Stacked is the geometry of a stacked column chart.
type Stacked struct {
	Size     Size
	Plot     Rect
	Segments []Segment
	Ticks    []Tick
	XLabels  []Label
	Top      float64
}

// maxXLabels bounds the x labels, so a 90-day chart stays legible: every
// k-th column is labelled.
const maxXLabels = 8

// StackedColumns lays out cols as stacked columns in size. Zero and
// negative values take no space; columns share the width equally with a
// gap of a quarter column between them.
func StackedColumns(cols []Column, size Size) Stacked {
	c := Stacked{Size: size, Plot: size.plot()}
	maxTotal := 0.0
	for _, col := range cols {
		maxTotal = max(maxTotal, total(col.Values))
	}
	step, top := Ticks(maxTotal, 4)
	c.Top = top
	for v := 0.0; v <= top; v += step {
		c.Ticks = append(c.Ticks, Tick{Y: c.y(v), Label: strconv.FormatFloat(v, 'f', -1, 64)})
	}
	if len(cols) == 0 {
		return c
	}
	slot := c.Plot.W / float64(len(cols))
	every := (len(cols) + maxXLabels - 1) / maxXLabels
	for i, col := range cols {
		x := c.Plot.X + float64(i)*slot
		c.stack(i, col, x+slot*0.125, slot*0.75)
		if i%every == 0 {
			c.XLabels = append(c.XLabels, Label{X: x + slot/2, Y: size.Height - 6, Text: col.Label})
		}
	}
	return c
}

// stack adds the segments of column i from the baseline upwards.
func (c *Stacked) stack(i int, col Column, x, w float64) {
	base := 0.0
	for s, v := range col.Values {
		if v <= 0 {
			continue
		}
		y0, y1 := c.y(base), c.y(base+v)
		c.Segments = append(c.Segments, Segment{Rect: Rect{X: x, Y: y1, W: w, H: y0 - y1}, Series: s, Column: i, Value: v})
		base += v
	}
}

// y maps a value to its SVG coordinate.
func (c *Stacked) y(v float64) float64 {
	return c.Plot.Y + c.Plot.H - v/c.Top*c.Plot.H
}

func total(vs []float64) float64 {
	t := 0.0
	for _, v := range vs {
		if v > 0 {
			t += v
		}
	}
	return t
}
