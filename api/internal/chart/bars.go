package chart

import "strconv"

// Bar is one labelled value of a horizontal bar chart.
type Bar struct {
	Label string
	Value float64
	// Note is shown after the value, e.g. the oldest item's age.
	Note string
}

// HBar is the geometry of one horizontal bar: the bar itself, its label
// left of the plot and its value text right of the bar.
type HBar struct {
	Rect
	Bar
	Name  Label
	Text  Label
	Index int
}

// HBars is the geometry of a horizontal bar chart.
type HBars struct {
	Size Size
	Plot Rect
	Bars []HBar
}

// HorizontalBars lays out one bar per row in size, scaled to the largest
// value; the value text sits right of each bar, so size.Right must leave
// room for it.
func HorizontalBars(bars []Bar, size Size) HBars {
	c := HBars{Size: size, Plot: size.plot()}
	if len(bars) == 0 {
		return c
	}
	largest := 0.0
	for _, b := range bars {
		largest = max(largest, b.Value)
	}
	_, top := Ticks(largest, 4)
	row := c.Plot.H / float64(len(bars))
	for i, b := range bars {
		y := c.Plot.Y + float64(i)*row
		w := max(b.Value, 0) / top * c.Plot.W
		mid := y + row/2
		c.Bars = append(c.Bars, HBar{
			Rect: Rect{X: c.Plot.X, Y: y + row*0.2, W: w, H: row * 0.6}, Bar: b, Index: i,
			Name: Label{X: c.Plot.X - 8, Y: mid, Text: b.Label},
			Text: Label{X: c.Plot.X + w + 6, Y: mid, Text: valueText(b)},
		})
	}
	return c
}

// valueText is the value and the note, e.g. "12 · oldest 3d 4h".
func valueText(b Bar) string {
	t := strconv.FormatFloat(b.Value, 'f', -1, 64)
	if b.Note != "" {
		t += " · " + b.Note
	}
	return t
}
