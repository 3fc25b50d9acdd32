package triage

import (
	"encoding/json"
	"reflect"
	"sort"
)

// DiffEntry is one setting that differs between two policies: its path
// in the policy's JSON (e.g. "type_thresholds.usage_mismatch") and its
// values before and after (absent when the setting was not there).
type DiffEntry struct {
	Path   string `json:"path"`
	Before any    `json:"before,omitempty"`
	After  any    `json:"after,omitempty"`
}

// DiffPolicies lists the settings that differ from before to after, by
// path. Objects are compared key by key; a list is one setting. A nil
// before (the first version) lists every setting of after.
func DiffPolicies(before, after *Policy) []DiffEntry {
	b, a := map[string]any{}, map[string]any{}
	flattenPolicy(before, b)
	flattenPolicy(after, a)
	paths := map[string]bool{}
	for k := range b {
		paths[k] = true
	}
	for k := range a {
		paths[k] = true
	}
	out := []DiffEntry{}
	for k := range paths {
		if !reflect.DeepEqual(b[k], a[k]) {
			out = append(out, DiffEntry{Path: k, Before: b[k], After: a[k]})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// flattenPolicy puts p's settings in out by path, as its canonical JSON
// has them.
func flattenPolicy(p *Policy, out map[string]any) {
	if p == nil {
		return
	}
	raw, _ := json.Marshal(p)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	flatten("", m, out)
}

func flatten(prefix string, m map[string]any, out map[string]any) {
	for k, v := range m {
		path := k
		if prefix != "" {
			path = prefix + "." + k
		}
		if sub, ok := v.(map[string]any); ok && len(sub) > 0 {
			flatten(path, sub, out)
			continue
		}
		out[path] = v
	}
}
