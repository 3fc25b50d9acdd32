package email

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/textproto"
	"strings"
)

// content is decoded text from one or more MIME parts.
type content struct {
	text string
	html bool // text is HTML still to be converted
}

// walker extracts the readable text of a MIME entity. It counts parts over
// the whole message so that a message of thousands of tiny parts, or parts
// nested deeper than maxMIMEDepth, is cut short instead of walked.
type walker struct {
	parts int
}

// entity returns the text of an entity with header h and raw body. A
// multipart/alternative yields its text/plain part if it has text, else
// its HTML; other multiparts yield the text of all their inline text
// parts joined. Attachments and non-text parts yield nothing.
func (w *walker) entity(h textproto.MIMEHeader, body []byte, depth int) (content, bool) {
	mediaType, params := contentType(h.Get("Content-Type"))
	if isAttachment(h) {
		return content{}, false
	}
	switch {
	case strings.HasPrefix(mediaType, "multipart/"):
		if depth >= maxMIMEDepth || params["boundary"] == "" {
			return content{}, false
		}
		children := w.children(body, params["boundary"], depth+1)
		if mediaType == "multipart/alternative" {
			return pickAlternative(children)
		}
		return joinContents(children)
	case mediaType == "text/plain", mediaType == "text/html":
		raw := decodeTransfer(body, h.Get("Content-Transfer-Encoding"))
		return content{text: decodeCharset(raw, params["charset"]), html: mediaType == "text/html"}, true
	}
	return content{}, false
}

// contentType parses a Content-Type value, defaulting to text/plain as RFC
// 2045 says. A damaged parameter list still yields the media type.
func contentType(v string) (string, map[string]string) {
	if strings.TrimSpace(v) == "" {
		return "text/plain", nil
	}
	mediaType, params, err := mime.ParseMediaType(v)
	if mediaType == "" {
		mediaType, _, _ = strings.Cut(strings.ToLower(strings.TrimSpace(v)), ";")
		mediaType = strings.TrimSpace(mediaType)
	}
	if err != nil && params == nil {
		params = map[string]string{}
	}
	return mediaType, params
}

// isAttachment reports parts the sender attached rather than wrote.
func isAttachment(h textproto.MIMEHeader) bool {
	disposition, params, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
	return disposition == "attachment" || params["filename"] != ""
}

// children walks the parts of a multipart body. A damaged multipart
// (missing final boundary, bad part header) yields the parts read before
// the damage.
func (w *walker) children(body []byte, boundary string, depth int) []content {
	r := multipart.NewReader(bytes.NewReader(body), boundary)
	var out []content
	for w.parts < maxMIMEParts {
		p, err := r.NextRawPart()
		if err != nil {
			break
		}
		w.parts++
		b, _ := io.ReadAll(p)
		if c, ok := w.entity(p.Header, b, depth); ok {
			out = append(out, c)
		}
	}
	return out
}

// pickAlternative prefers plain text, which needs no conversion and is
// what the sender's client considered the text form, over HTML.
func pickAlternative(cs []content) (content, bool) {
	for _, wantHTML := range []bool{false, true} {
		for _, c := range cs {
			if c.html == wantHTML && strings.TrimSpace(c.text) != "" {
				return c, true
			}
		}
	}
	return content{}, false
}

// joinContents joins the inline text parts of a mixed or related
// multipart, converting HTML when the parts differ in kind.
func joinContents(cs []content) (content, bool) {
	switch len(cs) {
	case 0:
		return content{}, false
	case 1:
		return cs[0], true
	}
	allHTML := true
	for _, c := range cs {
		allHTML = allHTML && c.html
	}
	texts := make([]string, len(cs))
	for i, c := range cs {
		texts[i] = c.text
		if c.html && !allHTML {
			texts[i] = htmlToText(c.text)
		}
	}
	return content{text: strings.Join(texts, "\n\n"), html: allHTML}, true
}
