package email

import (
	"regexp"
	"strings"
)

// pastedFields maps the field names of header lines pasted from a mail
// client (English, French, German, Dutch, Spanish, Italian Outlook) to the
// fields of Email. "other" fields are accepted and ignored.
var pastedFields = map[string]string{
	"from": "from", "de": "from", "von": "from", "van": "from", "da": "from",
	"sent": "date", "date": "date", "envoyé": "date", "gesendet": "date",
	"datum": "date", "verzonden": "date", "enviado": "date", "inviato": "date",
	"to": "to", "à": "to", "an": "to", "aan": "to", "para": "to",
	"subject": "subject", "objet": "subject", "betreff": "subject",
	"onderwerp": "subject", "asunto": "subject", "oggetto": "subject",
	"cc": "other", "bcc": "other", "reply-to": "other", "importance": "other",
	"attachments": "other", "pièces jointes": "other", "priority": "other",
}

// pastedLineRe splits a pasted header line into name and value, allowing
// the bold markers Outlook adds in plain text ("*From:*") and the space
// French puts before a colon.
var pastedLineRe = regexp.MustCompile(`^\*?([\p{L}][\p{L} -]{0,20}?)\s*\*?:\*?(?:\s+(.*)|$)`)

// maxPastedLines bounds the header block; real ones have four to eight.
const maxPastedLines = 30

// pastedHeaders reads header lines pasted at the top of the text, Outlook
// style. It needs a From line first and at least one more known field, so
// that a body starting "Note: ..." is not mistaken for headers. It returns
// the fields found (first value of each wins) and the text after them.
func pastedHeaders(text string) (map[string]string, string, bool) {
	fields := make(map[string]string)
	rest := strings.TrimLeft(text, " \t\r\n")
	last := ""
	for n := 0; n < maxPastedLines && rest != ""; n++ {
		line, after, _ := strings.Cut(rest, "\n")
		line = strings.TrimRight(line, "\r")
		if last != "" && line != "" && (line[0] == ' ' || line[0] == '\t') {
			fields[last] += " " + strings.TrimSpace(line)
			rest = after
			continue
		}
		name, value, ok := pastedField(line)
		if !ok || (n == 0 && name != "from") {
			break
		}
		if _, seen := fields[name]; !seen {
			fields[name] = value
		}
		last, rest = name, after
	}
	if len(fields) < 2 || !hasKnown(fields) {
		return nil, text, false
	}
	return fields, strings.TrimLeft(rest, " \t\r\n"), true
}

// pastedField parses one header line into a known field name and value.
func pastedField(line string) (string, string, bool) {
	m := pastedLineRe.FindStringSubmatch(line)
	if m == nil {
		return "", "", false
	}
	name, ok := pastedFields[strings.ToLower(strings.TrimSpace(m[1]))]
	return name, strings.TrimSpace(m[2]), ok
}

// hasKnown reports whether a header block has a field besides From that
// Email uses.
func hasKnown(fields map[string]string) bool {
	for _, k := range []string{"date", "to", "subject"} {
		if _, ok := fields[k]; ok {
			return true
		}
	}
	return false
}
