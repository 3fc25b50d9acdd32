package email

import (
	"html"
	"strings"
)

// htmlToText renders an HTML e-mail as plain text in one forward pass, no
// recursion and no DOM, so that any input costs time linear in its size.
// Scripts, styles and the head are dropped; block elements and <br> become
// line breaks; entities are unescaped and whitespace collapsed as a browser
// would. Lines inside <blockquote> get a "> " prefix and known reply
// containers a separator line, so that the quote detector treats them as
// history; known signature containers get a "-- " line before them.
func htmlToText(src string) string {
	c := &htmlConv{src: src, lower: asciiLower(src), lineStart: true, noTagEnd: len(src) + 1}
	c.run()
	return c.out.String()
}

// htmlConv holds the state of one conversion.
type htmlConv struct {
	src, lower string // lower is src with ASCII letters lower-cased, same offsets
	out        strings.Builder
	quote      int  // blockquote depth
	pre        int  // <pre> depth: whitespace kept
	lineStart  bool // nothing written on the current output line yet
	space      bool // a collapsed space is pending
	newlines   int  // line breaks at the end of the output
	noTagEnd   int  // no '<' at or after this index starts a tag
}

func (c *htmlConv) run() {
	for i := 0; i < len(c.src); {
		lt := strings.IndexByte(c.src[i:], '<')
		if lt < 0 {
			c.text(c.src[i:])
			return
		}
		c.text(c.src[i : i+lt])
		i += lt
		next, ok := c.markup(i)
		if !ok {
			c.text("<")
			next = i + 1
		}
		i = next
	}
}

// markup handles the comment, declaration or tag starting at i and returns
// where the text after it starts. ok is false when the '<' starts none of
// them and is plain text. Unterminated markup swallows the rest, as in a
// browser.
func (c *htmlConv) markup(i int) (next int, ok bool) {
	switch rest := c.lower[i:]; {
	case strings.HasPrefix(rest, "<!--"):
		return skipPast(c.lower, i+4, "-->"), true
	case strings.HasPrefix(rest, "<!"), strings.HasPrefix(rest, "<?"):
		return skipPast(c.lower, i+2, ">"), true
	}
	t, ok := c.readTag(i)
	if !ok {
		return 0, false
	}
	c.tag(t)
	if !t.closing && !t.selfClosing && rawTextElements[t.name] {
		return c.skipElement(t), true
	}
	return t.end, true
}

// skipElement skips the content of a script, style, head or title element
// and its end tag. A head without an end tag is not skipped, since HTML
// pasted from a mail client often leaves it open before the body.
func (c *htmlConv) skipElement(t tag) int {
	end := strings.Index(c.lower[t.end:], "</"+t.name)
	if end < 0 {
		if t.name == "head" {
			return t.end
		}
		return len(c.src)
	}
	return skipPast(c.lower, t.end+end, ">")
}

// skipPast returns the index just after the first sep at or after from,
// or len(s) when there is none.
func skipPast(s string, from int, sep string) int {
	if from > len(s) {
		return len(s)
	}
	j := strings.Index(s[from:], sep)
	if j < 0 {
		return len(s)
	}
	return from + j + len(sep)
}

// asciiLower lower-cases ASCII letters only, so byte offsets in the result
// match the input (strings.ToLower may change the length of UTF-8 text).
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// rawTextElements have content that is not text to show.
var rawTextElements = map[string]bool{
	"script": true, "style": true, "head": true, "title": true,
	"noscript": true, "template": true, "xml": true,
}

// textOf unescapes HTML entities; it is separate so the tag handler and
// the text writer agree on decoding.
func textOf(raw string) string {
	if strings.IndexByte(raw, '&') < 0 {
		return raw
	}
	return html.UnescapeString(raw)
}
