package dataset

import (
	"encoding/json"
	"strconv"
)

// frame is one open object or array of the JSON being scanned, with the
// key or index the scan is at inside it.
type frame struct {
	object  bool
	wantKey bool   // in an object, the next string is a key
	key     []byte // quoted, as in raw: decoded only to name a place
	index   int
}

// Nesting reports where raw first opens an object or array more than max
// levels deep (the outermost value is level 1): the path to it, keys as
// they are and array positions as "[i]", and false. It reads raw once and
// builds nothing, so a value nested thousands deep is refused before a
// decoder recurses into it or builds it; decoding it instead would cost
// memory and time in proportion to the depth. Malformed JSON is left to
// the decoder that follows: Nesting only promises not to go over max.
func Nesting(raw []byte, max int) ([]string, bool) {
	var stack []frame
	for i := 0; i < len(raw); i++ {
		switch raw[i] {
		case '"':
			end := stringEnd(raw, i)
			if n := len(stack); n > 0 && stack[n-1].wantKey {
				stack[n-1].key, stack[n-1].wantKey = raw[i:end], false
			}
			i = end - 1
		case '{', '[':
			if len(stack) >= max {
				return path(stack), false
			}
			stack = append(stack, frame{object: raw[i] == '{', wantKey: raw[i] == '{'})
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case ',':
			if n := len(stack); n > 0 {
				stack[n-1].index++
				stack[n-1].wantKey = stack[n-1].object
			}
		}
	}
	return nil, true
}

// stringEnd is the index just after the string starting with the quote
// at start, or len(raw) when it is not closed.
func stringEnd(raw []byte, start int) int {
	for i := start + 1; i < len(raw); i++ {
		switch raw[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(raw)
}

// maxPathKey bounds a key named in a path, which may be echoed to a
// caller; a longer key is named "…".
const maxPathKey = 200

// unquote decodes a key, keeping its raw text when it is malformed: it is
// only used to name a place.
func unquote(quoted []byte) string {
	var s string
	switch {
	case len(quoted) > maxPathKey+2:
		return "…"
	case json.Unmarshal(quoted, &s) != nil:
		return string(quoted)
	}
	return s
}

func path(stack []frame) []string {
	p := make([]string, len(stack))
	for i, f := range stack {
		if f.object {
			p[i] = unquote(f.key)
		} else {
			p[i] = "[" + strconv.Itoa(f.index) + "]"
		}
	}
	return p
}

// loneSurrogate reports whether raw holds a \u escape of a UTF-16
// surrogate that is not part of a high-low pair.
func loneSurrogate(raw []byte) bool {
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		u, ok := escapedUnit(raw, i)
		switch {
		case !ok:
			i++ // \n, \", \\ and the like: skip the escaped character
		case u >= 0xDC00 && u <= 0xDFFF:
			return true
		case u >= 0xD800 && u <= 0xDBFF:
			low, ok := escapedUnit(raw, i+6)
			if !ok || low < 0xDC00 || low > 0xDFFF {
				return true
			}
			i += 11
		default:
			i += 5
		}
	}
	return false
}

// escapedUnit decodes the \uXXXX escape at raw[i:], if there is one.
func escapedUnit(raw []byte, i int) (uint64, bool) {
	if i+6 > len(raw) || raw[i] != '\\' || raw[i+1] != 'u' {
		return 0, false
	}
	u, err := strconv.ParseUint(string(raw[i+2:i+6]), 16, 16)
	return u, err == nil
}
