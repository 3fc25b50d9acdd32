package chart

// Rect is a rectangle in SVG user units, Y growing downwards.
type Rect struct {
	X, Y, W, H float64
}

// Label is a piece of text anchored at X, Y.
type Label struct {
	X, Y float64
	Text string
}

// Tick is a horizontal gridline at Y with its value label.
type Tick struct {
	Y     float64
	Label string
}

// Size is a chart's outer size and the margins that hold its axis labels.
type Size struct {
	Width, Height            float64
	Left, Right, Top, Bottom float64
}

// plot is the area inside the margins.
func (s Size) plot() Rect {
	return Rect{X: s.Left, Y: s.Top, W: s.Width - s.Left - s.Right, H: s.Height - s.Top - s.Bottom}
}
