package email

import (
	"bytes"
	"io"
	"net/mail"
	"net/textproto"
)

// Header fields that tell a real message or MIME entity from pasted text
// that happens to start with "Word: value" lines.
var (
	mimeFields      = []string{"Content-Type", "Mime-Version", "Content-Transfer-Encoding"}
	transportFields = []string{"Date", "Message-Id", "Received", "Return-Path", "Delivered-To", "In-Reply-To", "References", "Dkim-Signature", "X-Mailer", "User-Agent"}
	addressFields   = []string{"From", "To", "Subject"}
)

// readMessage parses data as an RFC 5322 message or a bare MIME entity.
// kind is "eml" for a message, "mime" for an entity with MIME fields only;
// ok is false for anything else, including Outlook-style pasted headers
// (they have "Sent" and no transport or MIME fields), which are plain text
// with a header block.
func readMessage(data []byte) (h textproto.MIMEHeader, body []byte, kind string, ok bool) {
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return nil, nil, "", false
	}
	h = textproto.MIMEHeader(msg.Header)
	hasMIME, hasTransport, hasAddress := hasAny(h, mimeFields), hasAny(h, transportFields), hasAny(h, addressFields)
	switch {
	case h.Get("Sent") != "" && !hasMIME:
		return nil, nil, "", false
	case hasAddress && (hasMIME || hasTransport):
		kind = "eml"
	case hasMIME && !hasAddress:
		kind = "mime"
	default:
		return nil, nil, "", false
	}
	body, _ = io.ReadAll(msg.Body)
	return h, body, kind, true
}

func hasAny(h textproto.MIMEHeader, names []string) bool {
	for _, n := range names {
		if len(h.Values(n)) > 0 {
			return true
		}
	}
	return false
}

// setHeaders fills the envelope fields of e from a message header.
func (e *Email) setHeaders(h textproto.MIMEHeader, refYear int) {
	if v := h.Get("From"); v != "" {
		e.From = parseAddress(v)
	}
	if v := h.Get("To"); v != "" {
		e.To = parseAddressList(v)
	}
	e.Subject = decodeHeader(h.Get("Subject"))
	if t, ok := parseHeaderDate(h.Get("Date"), refYear); ok {
		e.Date = &t
	}
}

// setPasted fills the envelope fields of e from a pasted header block.
func (e *Email) setPasted(fields map[string]string, refYear int) {
	e.From = parseAddress(fields["from"])
	if v := fields["to"]; v != "" {
		e.To = parseAddressList(v)
	}
	e.Subject = decodeHeader(fields["subject"])
	if t, ok := parseHeaderDate(fields["date"], refYear); ok {
		e.Date = &t
	}
}
