package email

import (
	"regexp"
	"strings"
)

var (
	// attributionRe matches the line a mail client writes above quoted
	// history: "On <date>, <name> wrote:" and its French, German, Spanish,
	// Italian, Dutch, Portuguese and Scandinavian forms. Gmail may wrap it,
	// so it is tried on up to three joined lines.
	attributionRe = regexp.MustCompile(`(?i)^(?:on|le|am|el|il|op|em|den|w dniu)\s.*\b(?:wrote|a écrit|schrieb|escribió|ha scritto|schreef|escreveu|skrev|napisał)\b.*:$`)
	// wroteRe matches an attribution without a leading date, "Jane Doe
	// <jane@example.com> wrote:", accepted only when it names an address.
	wroteRe = regexp.MustCompile(`(?i)\b(?:wrote|a écrit|schrieb)\s*:$`)
	// attributionStart is the first word of attributionRe, tested before
	// joining lines so that ordinary lines cost one cheap check.
	attributionStart = regexp.MustCompile(`(?i)^(?:on|le|am|el|il|op|em|den|w dniu)\s`)
	// historySeparatorRe matches the banner lines clients put above
	// quoted or forwarded messages.
	historySeparatorRe = regexp.MustCompile(`(?i)^(?:-{2,}\s*(?:original message|forwarded message|message d'origine|message transféré|ursprüngliche nachricht|weitergeleitete nachricht|mensaje original|messaggio originale)\s*-{2,}|_{8,}|begin forwarded message:|début du message réexpédié\s*:)$`)
	// headerFromRe and headerNextRe match an Outlook reply header block
	// ("From: ... / Sent: ... / To: ... / Subject: ...") in the body.
	headerFromRe = regexp.MustCompile(`(?i)^\*?(?:from|de|von|van|da)\s*:\*?\s*\S`)
	headerNextRe = regexp.MustCompile(`(?i)^\*?(?:sent|date|to|subject|cc|envoyé|à|objet|gesendet|an|betreff|datum|verzonden|aan|onderwerp|enviado|para|asunto|inviato|oggetto)\s*:`)
)

// maxAttributionLen bounds the attribution text tried against the
// patterns; real ones are well under it.
const maxAttributionLen = 400

// splitQuoted separates the new text from the quoted history. Lines
// starting with '>' are history wherever they are, so inline replies keep
// the customer's answers. An attribution, banner or Outlook header block
// starts history that runs to the end, unless the attribution only
// introduces a '>' block (bottom posting), in which case the text after
// that block is still the customer's.
func splitQuoted(lines []string) (body, quoted []string) {
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		switch {
		case l == "":
			body = append(body, lines[i])
			continue
		case l[0] == '>':
			quoted = append(quoted, lines[i])
			continue
		}
		if n := attributionLines(lines, i); n > 0 {
			if !quoteBlockFollows(lines, i+n) {
				return body, append(quoted, lines[i:]...)
			}
			quoted = append(quoted, lines[i:i+n]...)
			i += n - 1
			continue
		}
		if historySeparatorRe.MatchString(l) || headerBlockAt(lines, i) {
			return body, append(quoted, lines[i:]...)
		}
		body = append(body, lines[i])
	}
	return body, quoted
}

// attributionLines returns how many lines, one to three, starting at i
// form an attribution, or 0.
func attributionLines(lines []string, i int) int {
	first := strings.TrimSpace(lines[i])
	if len(first) > maxAttributionLen {
		return 0
	}
	if !attributionStart.MatchString(first) {
		if strings.Contains(first, "@") && wroteRe.MatchString(first) {
			return 1
		}
		return 0
	}
	joined := first
	for n := 1; n <= 3 && i+n <= len(lines); n++ {
		if n > 1 {
			joined += " " + strings.TrimSpace(lines[i+n-1])
		}
		if len(joined) > maxAttributionLen {
			return 0
		}
		if attributionRe.MatchString(joined) {
			return n
		}
	}
	return 0
}

// quoteBlockFollows reports whether the next non-blank line at or after i,
// looking at most a few lines ahead, starts with '>'.
func quoteBlockFollows(lines []string, i int) bool {
	for j := i; j < len(lines) && j < i+3; j++ {
		l := strings.TrimSpace(lines[j])
		if l != "" {
			return strings.HasPrefix(l, ">")
		}
	}
	return false
}

// headerBlockAt reports whether an Outlook reply header starts at line i:
// a From line followed within four lines by another header field.
func headerBlockAt(lines []string, i int) bool {
	if !headerFromRe.MatchString(strings.TrimSpace(lines[i])) {
		return false
	}
	for j := i + 1; j < len(lines) && j <= i+4; j++ {
		if headerNextRe.MatchString(strings.TrimSpace(lines[j])) {
			return true
		}
	}
	return false
}
