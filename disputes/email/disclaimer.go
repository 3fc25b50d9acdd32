package email

import (
	"regexp"
	"strings"
)

var (
	// disclaimerStartRe matches how legal footers begin, after any "*" or
	// "_" emphasis.
	disclaimerStartRe = regexp.MustCompile(`(?i)^[*_\s]*(?:confidentiality notice|confidential notice|disclaimer|legal notice|important notice|privileged (?:and|&) confidential|this (?:e-?mail|message|communication|transmission)\b|the information (?:contained )?in this|if you (?:are not|have received this)|avis de confidentialit|ce (?:message|courriel|mail)\b|diese (?:e-?mail|nachricht)\b|dieses e-?mail\b)`)
	// disclaimerWordRe must also occur in the paragraph, so that "This
	// email is about invoice 2041" is not taken for a legal footer.
	disclaimerWordRe = regexp.MustCompile(`(?i)confidential|privileged|intended (?:solely|only|recipient)|addressee|destinataire|vertraulich|riservat`)
)

// maxDisclaimerLines bounds how far from the end a disclaimer may start;
// a "disclaimer" with more text after it is probably part of the message.
const maxDisclaimerLines = 60

// splitDisclaimer separates a legal footer at the end of the body: from the
// first line that opens a paragraph with a footer phrase, and whose
// paragraph has a legal keyword, to the end. The customer must have written
// something above it.
func splitDisclaimer(lines []string) (body, disclaimer []string) {
	first := firstText(lines)
	from := max(len(lines)-maxDisclaimerLines, first+1)
	for i := from; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if l == "" || !disclaimerStartRe.MatchString(l) {
			continue
		}
		if disclaimerWordRe.MatchString(paragraph(lines, i)) {
			return lines[:i], lines[i:]
		}
	}
	return lines, nil
}

// firstText returns the index of the first non-blank line, len(lines) if
// there is none.
func firstText(lines []string) int {
	for i, l := range lines {
		if strings.TrimSpace(l) != "" {
			return i
		}
	}
	return len(lines)
}

// paragraph returns the text from line i to the next blank line, at most
// a dozen lines, for the keyword test.
func paragraph(lines []string, i int) string {
	var b strings.Builder
	for j := i; j < len(lines) && j < i+12; j++ {
		if strings.TrimSpace(lines[j]) == "" {
			break
		}
		b.WriteString(lines[j])
		b.WriteByte(' ')
	}
	return b.String()
}
