package eval_test

import (
	"strings"
	"testing"

	"github.com/billtriage/billtriage/eval"
)

func TestCompare(t *testing.T) {
	this := `{"auto":{"coverage":0.75,"precision":null},"run":{"embedder":"x"},"new":1}`
	other := `{"auto":{"coverage":0.5,"precision":0.9},"run":{"embedder":"y"},"old":[1,2]}`
	c, err := eval.Compare([]byte(this), []byte(other), "base")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		key, this, other string
		hasDelta         bool
		delta            float64
	}{
		{"auto.coverage", "0.75", "0.5", true, 0.25},
		{"auto.precision", "null", "0.9", false, 0},
		{"run.embedder", "x", "y", false, 0},
		{"new", "1", "", false, 0},
		{"old.length", "", "2", false, 0},
	}
	if len(c.Rows) != len(want) {
		t.Fatalf("rows %+v", c.Rows)
	}
	for i, w := range want {
		r := c.Rows[i]
		if r.Key != w.key || r.This != w.this || r.Other != w.other || (r.Delta != nil) != w.hasDelta || (r.Delta != nil && !near(*r.Delta, w.delta)) {
			t.Errorf("row %d = %+v, want %+v", i, r, w)
		}
	}
	md := c.Markdown()
	if !strings.Contains(md, "| auto.coverage | 0.75 | 0.5 | +0.25 |") || !strings.Contains(md, "| new | 1 | — |  |") {
		t.Errorf("markdown:\n%s", md)
	}
	if _, err := eval.Compare([]byte(this), []byte("{"), "broken"); err == nil {
		t.Error("a truncated metrics.json should be an error")
	}
}
