package dataset_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/dataset"
)

func TestNesting(t *testing.T) {
	tests := []struct {
		raw  string
		max  int
		path []string // nil when within max
	}{
		{`{"a":1}`, 1, nil},
		{`"[[[{"`, 0, nil},
		{`{"a":[1,{"b":2}]}`, 3, nil},
		{`{"a":[1,{"b":2}]}`, 2, []string{"a", "[1]"}},
		{`[[],[[]]]`, 2, []string{"[1]", "[0]"}},
		{`{"x":"}{","a\"b":{"c":[{}]}}`, 3, []string{`a"b`, "c", "[0]"}},
		{`{"a\u0062":{"c":1}}`, 1, []string{"ab"}},
		{`{"` + strings.Repeat("k", 300) + `":[]}`, 1, []string{"…"}},
		{strings.Repeat(`{"attributes":`, 9990), 4, []string{"attributes", "attributes", "attributes", "attributes"}},
	}
	for _, tt := range tests {
		path, ok := dataset.Nesting([]byte(tt.raw), tt.max)
		if ok != (tt.path == nil) || !reflect.DeepEqual(path, tt.path) {
			t.Errorf("Nesting(%.40q, %d) = %q, %v; want %q", tt.raw, tt.max, path, ok, tt.path)
		}
	}
}

// depth is how deep v nests objects and arrays, v itself at level 1.
func depth(v any) int {
	var children []any
	switch v := v.(type) {
	case map[string]any:
		for _, c := range v {
			children = append(children, c)
		}
	case []any:
		children = v
	default:
		return 0
	}
	d := 0
	for _, c := range children {
		d = max(d, depth(c))
	}
	return d + 1
}

// Nesting agrees with encoding/json on every valid document, and its path
// leads to a container of the decoded value.
func FuzzNesting(f *testing.F) {
	for _, s := range []string{`{"a":[1,{"b":"]"}]}`, `[[[["\\\""]]]]`, `{"\ud83d\ude00":{}}`, `"\\"`, `{"a":{"b":{"c":{"d":{}}}}}`} {
		f.Add([]byte(s), 3)
	}
	f.Fuzz(func(t *testing.T, raw []byte, max int) {
		max = (max%8 + 8) % 8
		path, ok := dataset.Nesting(raw, max)
		var v any
		if json.Unmarshal(raw, &v) != nil {
			return
		}
		if want := depth(v) <= max; ok != want {
			t.Fatalf("Nesting(%q, %d) = %q, %v; depth is %d", raw, max, path, ok, depth(v))
		}
		if !ok && len(path) != max {
			t.Fatalf("Nesting(%q, %d) path %q has not %d elements", raw, max, path, max)
		}
	})
}

func TestDecodeExceptionRefusesBeforeDecoding(t *testing.T) {
	base := `{"id":"a","type":"other","text":"t"`
	tests := []struct {
		name, extra, field string
	}{
		{"deep attributes", `,"attributes":` + strings.Repeat(`{"a":`, 9990) + "1" + strings.Repeat("}", 9990), "attributes"},
		{"five levels", `,"attributes":{"a":{"b":{"c":{"d":{}}}}}`, "attributes"},
		{"invalid UTF-8 in a string", ",\"customer_id\":\"C-\xff\"", "customer_id"},
		{"invalid UTF-8 in an attribute key", ",\"attributes\":{\"\xc3\":1}", "attributes"},
		{"lone high surrogate", `,"region":"\ud800x"`, "region"},
		{"lone low surrogate in attributes", `,"attributes":{"a":"\udc00"}`, "attributes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, err := dataset.DecodeException([]byte(base + tt.extra + "}"))
			var le *dataset.LineError
			if !errors.As(err, &le) || le.Field != tt.field {
				t.Fatalf("DecodeException = %v, want an error naming %q", err, tt.field)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
	for _, ok := range []string{`,"text":"\ud83d\ude00 \ufffd \\ud800"`, `,"attributes":{"a":{"b":{"c":[1]}}}`} {
		if _, err := dataset.DecodeException([]byte(base + ok + "}")); err != nil {
			t.Errorf("DecodeException(%s) = %v, want nil", ok, err)
		}
	}
}
