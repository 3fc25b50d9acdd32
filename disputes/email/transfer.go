package email

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime/quotedprintable"
	"strings"
)

// decodeTransfer undoes a Content-Transfer-Encoding. It never fails: a
// pasted message is often damaged (trimmed lines, stray characters), and a
// partly decoded or raw body is more use to the agent than an error.
func decodeTransfer(body []byte, encoding string) []byte {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "base64":
		return decodeBase64(body)
	case "quoted-printable":
		return decodeQP(body)
	}
	return body
}

// decodeBase64 decodes base64 leniently: whitespace, line breaks, padding
// and any stray non-alphabet byte are skipped, and a dangling final
// character (which cannot encode a whole byte) is dropped.
func decodeBase64(body []byte) []byte {
	clean := make([]byte, 0, len(body))
	for _, c := range body {
		if isBase64Char(c) {
			clean = append(clean, c)
		}
	}
	if len(clean)%4 == 1 {
		clean = clean[:len(clean)-1]
	}
	out := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean)))
	n, _ := base64.RawStdEncoding.Decode(out, clean)
	return out[:n]
}

func isBase64Char(c byte) bool {
	return ('A' <= c && c <= 'Z') || ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') || c == '+' || c == '/'
}

// decodeQP decodes quoted-printable. The standard reader rejects raw control
// bytes; those carry no text, so they are dropped and decoding retried, and
// if it still fails the raw body is kept rather than a truncated one.
func decodeQP(body []byte) []byte {
	if out, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body))); err == nil {
		return out
	}
	clean := make([]byte, 0, len(body))
	for _, c := range body {
		if !isControl(c) {
			clean = append(clean, c)
		}
	}
	if out, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(clean))); err == nil {
		return out
	}
	return body
}

// isControl reports C0 controls other than tab and line breaks, and DEL:
// bytes that carry no text in a mail body.
func isControl(c byte) bool {
	return (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7F
}
