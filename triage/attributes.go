package triage

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
)

// ValidateAttributes checks a JSON object of free values (an exception's
// attributes, a resolution's params) against MaxAttrDepth,
// MaxAttrEntries, MaxAttrKeyBytes, MaxAttrValueBytes and MaxAttrBytes and
// names field, or field.key for a bad value, on failure. Values of any Go
// type are checked as their JSON encoding. The shape is checked before
// anything is sorted or encoded, so an oversized object costs no more than
// counting MaxAttrEntries of it.
func ValidateAttributes(field string, attrs map[string]any) error {
	if attrs == nil {
		return nil
	}
	norm, err := normalize(attrs)
	if err != nil {
		return Invalid(field, "is not encodable as JSON: %v", err)
	}
	if err := checkShape(field, norm); err != nil {
		return err
	}
	size := 1 // "{}", less the comma encodedSize counts before the first entry
	for _, k := range slices.Sorted(maps.Keys(norm)) {
		if err := checkTop(field, k, norm[k]); err != nil {
			return err
		}
		size += encodedSize(k, norm[k])
	}
	if size > MaxAttrBytes {
		return Invalid(field, "is %d bytes as JSON, more than %d", size, MaxAttrBytes)
	}
	return nil
}

// normalize turns values of other Go types ([]string, structs) into the
// map[string]any, []any and scalars JSON decoding gives, so one walk checks
// them all; attributes decoded from JSON already are and are not copied.
func normalize(attrs map[string]any) (map[string]any, error) {
	if plainJSON(attrs) {
		return attrs, nil
	}
	b, err := json.Marshal(attrs)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal(b, &m)
}

// plainJSON reports whether v holds only the types JSON decoding gives.
func plainJSON(v any) bool {
	switch v := v.(type) {
	case map[string]any:
		for _, x := range v {
			if !plainJSON(x) {
				return false
			}
		}
	case []any:
		for _, x := range v {
			if !plainJSON(x) {
				return false
			}
		}
	case nil, bool, float64, string, json.Number:
	default:
		return false
	}
	return true
}

// checkShape refuses nesting past MaxAttrDepth and more than
// MaxAttrEntries entries, stopping as soon as either is exceeded.
func checkShape(field string, attrs map[string]any) error {
	entries := 0
	var walk func(v any, depth int) error
	walk = func(v any, depth int) error {
		var children []any
		switch v := v.(type) {
		case map[string]any:
			for _, x := range v {
				children = append(children, x)
				if entries++; entries > MaxAttrEntries {
					break
				}
			}
		case []any:
			entries += len(v)
			children = v
		default:
			return nil
		}
		switch {
		case depth > MaxAttrDepth:
			return Invalid(field, "nests deeper than %d levels", MaxAttrDepth)
		case entries > MaxAttrEntries:
			return Invalid(field, "has more than %d keys and array elements", MaxAttrEntries)
		}
		for _, c := range children {
			if err := walk(c, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(attrs, 1)
}

// checkTop checks one top-level entry; OriginalAttr is held to the text's
// bound instead of an attribute value's.
func checkTop(field, key string, v any) error {
	if key != OriginalAttr {
		return checkEntry(field, key, v)
	}
	s, ok := v.(string)
	if !ok {
		return Invalid(field+"."+key, "must be a string")
	}
	return checkString(field+"."+key, s, MaxTextBytes)
}

// checkEntry checks one attribute: its key, and every key and
// string value under it, naming the path to a bad value.
func checkEntry(field, key string, v any) error {
	if err := checkString(field, key, MaxAttrKeyBytes); err != nil {
		return Invalid(field, "has a key that %s", ErrorMessage(err))
	}
	return checkValue(field+"."+key, v)
}

func checkValue(path string, v any) error {
	switch v := v.(type) {
	case string:
		return checkString(path, v, MaxAttrValueBytes)
	case []any:
		for i, x := range v {
			if err := checkValue(fmt.Sprintf("%s[%d]", path, i), x); err != nil {
				return err
			}
		}
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(v)) {
			if err := checkEntry(path, k, v[k]); err != nil {
				return err
			}
		}
	}
	return nil
}

// encodedSize is the bytes key and v add to the encoded object, OriginalAttr
// aside.
func encodedSize(key string, v any) int {
	if key == OriginalAttr {
		return 0
	}
	b, _ := json.Marshal(map[string]any{key: v}) // checked encodable by normalize
	return len(b) - 1                            // less "{}", plus the comma
}
