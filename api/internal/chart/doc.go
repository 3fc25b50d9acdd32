// Package chart computes the geometry of the small charts the web UI draws
// server-side as SVG: stacked columns and horizontal bars. It returns
// rectangles and labels in SVG user units and draws nothing itself; the
// templates turn the geometry into SVG elements, so html/template escapes
// every label and the pages need no JavaScript to show a chart.
package chart
