package email

import "strings"

// tag is one start or end tag.
type tag struct {
	name        string // lower case
	closing     bool   // </name>
	selfClosing bool   // <name/>
	attrs       string // the raw text between the name and '>'
	end         int    // index just after '>'
}

// readTag reads the tag starting at the '<' at i. ok is false when the '<'
// does not start a tag ("a < b", "<jane@example.com>") or when no '>'
// follows; in the latter case noTagEnd remembers it so later '<' are not
// scanned to the end again, which would be quadratic.
func (c *htmlConv) readTag(i int) (tag, bool) {
	if i >= c.noTagEnd {
		return tag{}, false
	}
	j := i + 1
	t := tag{}
	if j < len(c.lower) && c.lower[j] == '/' {
		t.closing = true
		j++
	}
	k := j
	for k < len(c.lower) && isTagNameByte(c.lower[k], k == j) {
		k++
	}
	if k == j || (k < len(c.lower) && !strings.ContainsRune(" \t\n\r\f/>", rune(c.lower[k]))) {
		return tag{}, false
	}
	end := tagEnd(c.src, k)
	if end < 0 {
		c.noTagEnd = i
		return tag{}, false
	}
	t.name, t.attrs, t.end = c.lower[j:k], c.src[k:end-1], end
	t.selfClosing = strings.HasSuffix(strings.TrimSpace(t.attrs), "/")
	return t, true
}

func isTagNameByte(b byte, first bool) bool {
	if 'a' <= b && b <= 'z' {
		return true
	}
	return !first && (('0' <= b && b <= '9') || b == ':' || b == '-')
}

// tagEnd returns the index after the '>' closing a tag whose attributes
// start at k, skipping '>' inside quoted attribute values; -1 if there is
// none. An unclosed quote falls back to the first '>', so each call scans
// at most to the next '>' or quote pair and never rescans the whole input
// for every tag.
func tagEnd(src string, k int) int {
	for p := k; p < len(src); p++ {
		switch ch := src[p]; ch {
		case '>':
			return p + 1
		case '"', '\'':
			if !strings.HasSuffix(strings.TrimRight(src[k:p], " \t\n\r"), "=") {
				continue
			}
			q := strings.IndexByte(src[p+1:], ch)
			if q < 0 {
				return firstGT(src, k)
			}
			p += q + 1
		}
	}
	return -1
}

func firstGT(src string, k int) int {
	j := strings.IndexByte(src[k:], '>')
	if j < 0 {
		return -1
	}
	return k + j + 1
}

// attr returns the value of the named attribute (lower case), "" when
// absent. It walks the attributes once, honouring quotes.
func attr(attrs, name string) string {
	s := attrs
	for s != "" {
		s = strings.TrimLeft(s, " \t\n\r\f/")
		n := strings.IndexAny(s, " \t\n\r\f=/")
		if n < 0 {
			n = len(s)
		}
		key := asciiLower(s[:n])
		s = strings.TrimLeft(s[n:], " \t\n\r\f")
		if !strings.HasPrefix(s, "=") {
			continue // a bare attribute such as "nowrap"
		}
		var val string
		val, s = attrValue(strings.TrimLeft(s[1:], " \t\n\r\f"))
		if key == name {
			return textOf(val)
		}
	}
	return ""
}

// attrValue splits a quoted or bare attribute value off the front of s.
func attrValue(s string) (val, rest string) {
	if s != "" && (s[0] == '"' || s[0] == '\'') {
		if q := strings.IndexByte(s[1:], s[0]); q >= 0 {
			return s[1 : q+1], s[q+2:]
		}
		return s[1:], ""
	}
	n := strings.IndexAny(s, " \t\n\r\f")
	if n < 0 {
		return s, ""
	}
	return s[:n], s[n:]
}
