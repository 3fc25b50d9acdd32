package eval

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Comparison puts two runs' metrics side by side.
type Comparison struct {
	Other string // the other run's name, e.g. its directory
	Rows  []CompareRow
}

// CompareRow is one metric in both runs. A value is "" when that run does
// not have the key; Delta is set when both values are numbers.
type CompareRow struct {
	Key         string
	This, Other string
	Delta       *float64
}

// Compare lines up two metrics.json files key by key (dotted paths, in
// this run's order, then keys only the other run has). Reading the other
// run as plain JSON rather than as Metrics keeps runs of older or newer
// versions comparable.
func Compare(this, other []byte, otherName string) (*Comparison, error) {
	a, err := flatten(this)
	if err != nil {
		return nil, fmt.Errorf("eval: this run's metrics: %w", err)
	}
	b, err := flatten(other)
	if err != nil {
		return nil, fmt.Errorf("eval: %s: %w", otherName, err)
	}
	bv := map[string]string{}
	for _, kv := range b {
		bv[kv[0]] = kv[1]
	}
	c := &Comparison{Other: otherName}
	seen := map[string]bool{}
	for _, kv := range a {
		seen[kv[0]] = true
		c.Rows = append(c.Rows, row(kv[0], kv[1], bv[kv[0]]))
	}
	for _, kv := range b {
		if !seen[kv[0]] {
			c.Rows = append(c.Rows, row(kv[0], "", kv[1]))
		}
	}
	return c, nil
}

func row(key, this, other string) CompareRow {
	r := CompareRow{Key: key, This: this, Other: other}
	x, errX := strconv.ParseFloat(this, 64)
	y, errY := strconv.ParseFloat(other, 64)
	if errX == nil && errY == nil {
		d := round6(x - y)
		r.Delta = &d
	}
	return r
}

// Markdown renders the comparison as a table; rows whose values are equal
// are kept, so the table reads the same for every pair of runs.
func (c *Comparison) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "| metric | this run | %s | Δ (this − other) |\n|---|---:|---:|---:|\n", c.Other)
	for _, r := range c.Rows {
		d := ""
		if r.Delta != nil {
			d = strconv.FormatFloat(*r.Delta, 'f', -1, 64)
			if *r.Delta > 0 {
				d = "+" + d
			}
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", r.Key, dash(r.This), dash(r.Other), d)
	}
	return b.String()
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// flatten turns a JSON object into (dotted key, scalar text) pairs in
// document order.
func flatten(data []byte) ([][2]string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var out [][2]string
	if err := flattenValue(dec, "", &out); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("trailing data after the JSON object")
	}
	return out, nil
}

func flattenValue(dec *json.Decoder, prefix string, out *[][2]string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch v := tok.(type) {
	case json.Delim:
		if v != '{' {
			return skipArray(dec, prefix, out)
		}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return err
			}
			if err := flattenValue(dec, join(prefix, k.(string)), out); err != nil {
				return err
			}
		}
		_, err = dec.Token() // the closing brace
		return err
	case nil:
		*out = append(*out, [2]string{prefix, "null"})
	default:
		*out = append(*out, [2]string{prefix, fmt.Sprint(v)})
	}
	return nil
}

// skipArray records an array by its length: metrics.json has none today,
// and a count is a fair summary of one tomorrow.
func skipArray(dec *json.Decoder, prefix string, out *[][2]string) error {
	n := 0
	for dec.More() {
		var discard json.RawMessage
		if err := dec.Decode(&discard); err != nil {
			return err
		}
		n++
	}
	*out = append(*out, [2]string{prefix + ".length", strconv.Itoa(n)})
	_, err := dec.Token()
	return err
}

func join(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}
