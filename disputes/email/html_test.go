package email_test

import (
	"strings"
	"testing"
)

func TestHTMLToText(t *testing.T) {
	for _, tc := range []struct {
		name, html   string
		body, quoted string
	}{
		{
			name: "blocks and breaks",
			html: "<div>Line one<br>Line two</div><p>Para</p><h2>Head</h2>tail",
			body: "Line one\nLine two\n\nPara\n\nHead\n\ntail",
		},
		{
			name: "whitespace collapses",
			html: "<p>  a \n\t b&nbsp;&nbsp;c  </p>",
			body: "a b c",
		},
		{
			name: "entities",
			html: "<p>&lt;b&gt; &amp; &quot;x&quot; &#8364;5 &euro;6 &#x41;</p>",
			body: "<b> & \"x\" €5 €6 A",
		},
		{
			name: "script style head and comments dropped",
			html: "<html><head><title>T</title><style>.a{}</style></head><body><script>var a = '<p>';</script>" +
				"<!-- note --><!--[if mso]>x<![endif]-->Visible<noscript>n</noscript></body></html>",
			body: "Visible",
		},
		{
			name: "pre keeps whitespace",
			html: "<pre>a   b\n  c</pre>",
			body: "a   b\n  c",
		},
		{
			name: "list items",
			html: "<div>Charges:<ul><li>$10</li><li>$20</li></ul></div>",
			body: "Charges:\n- $10\n- $20",
		},
		{
			name: "table cells",
			html: "<table><tr><td>Seats</td><td>40</td></tr><tr><td>Price</td><td>$5</td></tr></table>",
			body: "Seats 40\nPrice $5",
		},
		{
			name: "blockquote is history",
			html: "<div>New text</div><blockquote><div>Old</div><blockquote>Older</blockquote></blockquote><div>After</div>",
			body: "New text\n\nAfter", quoted: "> Old\n> Older",
		},
		{
			name: "outlook reply container",
			html: "<div>Please refund.</div><div id=\"divRplyFwdMsg\"><b>From:</b> Billing<br><b>Sent:</b> Monday</div><div>old</div>",
			body: "Please refund.", quoted: "________________________________\nFrom: Billing\nSent: Monday\nold",
		},
		{
			name: "quoted '>' inside attribute",
			html: "<div title=\"a > b\" class='x'>Text</div>",
			body: "Text",
		},
		{
			name: "less-than in text",
			html: "<p>if a < b and <jane@x.example> then</p>",
			body: "if a < b and <jane@x.example> then",
		},
		{
			name: "unterminated tag",
			html: "<p>Start</p><div class=\"x",
			body: "Start\n\n<div class=\"x",
		},
		{
			name: "unterminated comment",
			html: "<p>Start</p><!-- never closed <p>hidden</p>",
			body: "Start",
		},
		{
			name: "unclosed script swallows the rest",
			html: "<p>Start</p><script>alert(1)",
			body: "Start",
		},
		{
			name: "unclosed head is not skipped",
			html: "<html><head><meta charset=utf-8><body><p>Text</p>",
			body: "Text",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := parse(t, tc.html)
			if e.Format != "html" {
				t.Fatalf("Format = %q, want html", e.Format)
			}
			checkEqual(t, "Body", e.Body, tc.body)
			checkEqual(t, "Quoted", e.Quoted, tc.quoted)
		})
	}
}

func TestHTMLPathological(t *testing.T) {
	for _, unit := range []string{"<a b='", "<a b=\"x\" ", "<", "<!--", "<blockquote>", "</blockquote>", "<pre>", "<li>", "<br>", "&amp;", "<div class=gmail_signature>"} {
		t.Run(unit, func(t *testing.T) {
			e := parse(t, "<div>x</div>"+strings.Repeat(unit, (1<<17)/len(unit)))
			checkEmail(t, e)
		})
	}
}
