package email

import "strings"

// blockElements start and end on their own line.
var blockElements = map[string]bool{
	"address": true, "article": true, "aside": true, "center": true, "dd": true,
	"div": true, "dl": true, "dt": true, "fieldset": true, "figcaption": true,
	"figure": true, "footer": true, "form": true, "header": true, "hr": true,
	"main": true, "nav": true, "ol": true, "section": true, "tbody": true,
	"thead": true, "tfoot": true, "tr": true, "ul": true, "caption": true,
}

// paragraphElements are separated from their neighbours by a blank line.
var paragraphElements = map[string]bool{
	"p": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true,
	"h6": true, "table": true, "blockquote": true, "pre": true,
}

// quoteMarkers are class or id values mail clients give the container of
// the quoted history; the history is not always in a <blockquote>.
var quoteMarkers = []string{"gmail_quote", "divrplyfwdmsg", "yahoo_quoted", "outlookmessageheader", "appendonsend"}

// separatorLine is what Outlook writes above the quoted history in plain
// text; the converter emits it for quoteMarkers so one rule finds both.
const separatorLine = "________________________________"

// tag applies the layout effect of a tag to the output.
func (c *htmlConv) tag(t tag) {
	switch {
	case t.name == "br":
		c.newline()
	case t.name == "li" && !t.closing:
		c.ensureLines(1)
		c.word("-")
		c.space = true
	case t.name == "td" || t.name == "th":
		c.space = !c.lineStart
	case paragraphElements[t.name]:
		c.ensureLines(2)
	case blockElements[t.name]:
		c.ensureLines(1)
	}
	c.nest(t)
	if !t.closing {
		c.markers(t)
	}
}

// nest tracks the elements that change how text is written.
func (c *htmlConv) nest(t tag) {
	delta := 1
	if t.closing {
		delta = -1
	}
	switch t.name {
	case "blockquote":
		c.quote = max(c.quote+delta, 0)
	case "pre":
		c.pre = max(c.pre+delta, 0)
	}
}

// markers writes the separator or signature line for containers that mail
// clients mark by class or id.
func (c *htmlConv) markers(t tag) {
	if c.quote > 0 || !strings.Contains(t.attrs, "=") {
		return // inside quoted history every line is already marked
	}
	ids := asciiLower(attr(t.attrs, "class") + " " + attr(t.attrs, "id"))
	for _, m := range quoteMarkers {
		if strings.Contains(ids, m) {
			c.ensureLines(1)
			c.word(separatorLine)
			c.ensureLines(1)
			return
		}
	}
	if strings.Contains(ids, "signature") {
		c.ensureLines(1)
		c.word("--")
		c.ensureLines(1)
	}
}

// text writes character data, collapsing whitespace outside <pre>.
func (c *htmlConv) text(raw string) {
	for _, r := range textOf(raw) {
		switch {
		case c.pre > 0 && r == '\n':
			c.newline()
		case c.pre > 0 && r != '\r':
			c.put(r)
		case isHTMLSpace(r):
			c.space = c.space || !c.lineStart
		default:
			c.put(r)
		}
	}
}

// isHTMLSpace reports whitespace that collapses; the no-break space is
// included because mail HTML uses runs of it for layout.
func isHTMLSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\u00a0'
}

// word writes s as text that is not subject to collapsing.
func (c *htmlConv) word(s string) {
	for _, r := range s {
		c.put(r)
	}
}

// put writes one rune, first the quote prefix at a line start and any
// pending collapsed space.
func (c *htmlConv) put(r rune) {
	if c.lineStart {
		if c.quote > 0 {
			c.out.WriteString("> ")
		}
		c.lineStart, c.space = false, false
	}
	if c.space {
		c.out.WriteByte(' ')
		c.space = false
	}
	c.out.WriteRune(r)
	c.newlines = 0
}

func (c *htmlConv) newline() {
	c.out.WriteByte('\n')
	c.lineStart, c.space = true, false
	c.newlines++
}

// ensureLines ends the output with at least n line breaks, so that blocks
// are separated without piling up blank lines; nothing is added at the
// very start.
func (c *htmlConv) ensureLines(n int) {
	if c.out.Len() == 0 {
		return
	}
	for c.newlines < n {
		c.newline()
	}
}
