package email

import (
	"bytes"
	"regexp"
	"strings"
)

// trimStart drops what agents' pastes often start with before the message
// proper: a byte order mark, blank lines, and the "From sender date" line
// of an mbox file, none of which net/mail accepts before the headers.
func trimStart(raw []byte) []byte {
	data := bytes.TrimLeft(bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf")), " \t\r\n")
	if first, rest, ok := bytes.Cut(data, []byte("\n")); ok && mboxFromRe.Match(first) && looksLikeHeader(rest) {
		return rest
	}
	return data
}

// mboxFromRe matches the envelope line starting each message of an mbox
// file: "From" and the sender's address, no colon.
var mboxFromRe = regexp.MustCompile(`^From (?:\S+@\S+|MAILER-DAEMON) `)

// looksLikeHeader reports whether data starts with a "Name: value" line.
func looksLikeHeader(data []byte) bool {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	name, _, ok := bytes.Cut(line, []byte(":"))
	return ok && len(name) > 0 && !bytes.ContainsAny(name, " \t")
}

// bareMultipart reads a multipart body pasted without its headers: it
// starts with a "--boundary" line followed by part headers.
func bareMultipart(data []byte) (content, bool) {
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	first, rest, _ := bytes.Cut(trimmed, []byte("\n"))
	boundary := strings.TrimSpace(strings.TrimPrefix(string(first), "--"))
	if !bytes.HasPrefix(first, []byte("--")) || boundary == "" || len(boundary) > 200 ||
		strings.ContainsAny(boundary, " \t") || !bytes.HasPrefix(bytes.TrimLeft(rest, " \t"), []byte("Content-")) {
		return content{}, false
	}
	children := (&walker{}).children(trimmed, boundary, 1)
	return joinContents(children)
}

// htmlMarkers are tags whose presence makes pasted text HTML. Plain text
// rarely contains them, while HTML mail always contains some.
var htmlMarkers = []string{"<html", "<body", "<div", "<p>", "<p ", "<br", "<table", "<span", "<blockquote", "<!doctype html", "<font", "<a href", "<pre>", "<ul>", "<ol>", "<li>", "<h1", "<h2", "<h3", "<strong>"}

func looksLikeHTML(s string) bool {
	lower := asciiLower(s)
	for _, m := range htmlMarkers {
		if strings.Contains(lower, m) {
			return true
		}
	}
	return false
}
