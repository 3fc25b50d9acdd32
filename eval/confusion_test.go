package eval_test

import (
	"reflect"
	"testing"

	"github.com/billtriage/billtriage/eval"
)

func TestConfusion(t *testing.T) {
	c := eval.NewConfusion([]string{"b", "a", "a", "b", "b"}, []string{"b", "b", "", "a", "a"})
	if !reflect.DeepEqual(c.Truth, []string{"a", "b"}) || !reflect.DeepEqual(c.Predicted, []string{"a", "b", ""}) {
		t.Errorf("classes: truth %q, predicted %q", c.Truth, c.Predicted)
	}
	want := []eval.Pair{{"b", "a", 2}, {"a", "", 1}, {"a", "b", 1}}
	if got := c.Errors(); !reflect.DeepEqual(got, want) {
		t.Errorf("Errors() = %v, want %v", got, want)
	}
	if c.Counts[[2]string{"b", "b"}] != 1 {
		t.Errorf("diagonal b = %d, want 1", c.Counts[[2]string{"b", "b"}])
	}
}
