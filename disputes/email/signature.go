package email

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

var (
	// signOffRe matches a closing line such as "Best regards,", "Thanks!"
	// or "Cheers, Jane Doe": a sign-off phrase, optionally punctuation and
	// a capitalised name of up to four words, and nothing else, so that
	// "Thanks for looking into this" stays in the body.
	signOffRe = regexp.MustCompile(`(?i)^(?:best regards|kind regards|warm regards|warmest regards|many regards|regards|rgds|best wishes|all the best|best|thanks and regards|thanks & regards|thanks in advance|thank you in advance|thanks again|thanks so much|many thanks|thank you|thanks|thx|cheers|sincerely|yours sincerely|yours truly|yours faithfully|respectfully|cordialement|bien cordialement|bien à vous|merci d'avance|merci|mit freundlichen grüßen|mit freundlichen grüssen|freundliche grüße|viele grüße|beste grüße|liebe grüße|gruß|saludos|un saludo|atentamente|cordiali saluti|met vriendelijke groet)` +
		`(?:\s*[,.!:;-]+(?-i:\s*(?:\p{Lu}[\p{L}.'-]*(?:\s+\p{Lu}[\p{L}.'-]*){0,3})?))?$`)
	// mobileRe matches the footer mobile mail apps append.
	mobileRe = regexp.MustCompile(`(?i)^(?:sent from my\b|sent from (?:outlook|mail|yahoo)|get outlook for\b|envoyé de mon\b|envoyé depuis\b|von meinem\b.*\bgesendet$|enviado desde\b)`)
	// postscriptRe marks a P.S., which is message text even below a
	// sign-off.
	postscriptRe = regexp.MustCompile(`(?i)^p\.?\s?s\b`)
)

// Limits on what may follow a signature marker for it to count: a
// signature is a short block at the very end.
const (
	maxDashSigLines    = 20 // lines after a "-- " delimiter
	maxMobileSigLines  = 3  // lines after "Sent from my iPhone"
	maxSignOffSigLines = 7  // lines after a sign-off: name, title, phone...
	maxSigLineLen      = 80 // characters in each of those lines
)

// splitSignature separates the signature at the end of the body. It
// starts at the earliest of: a "-- " delimiter, a mobile footer, or a
// sign-off followed only by a few short lines. A marker on the first
// non-blank line is ignored, since the customer must have written
// something above their signature.
func splitSignature(lines []string) (body, sig []string) {
	end := len(lines)
	if i := lastMarker(lines, isDashLine, maxDashSigLines); i >= 0 {
		end = i
	}
	if i := lastMarker(lines[:end], isMobileLine, maxMobileSigLines); i >= 0 {
		end = i
	}
	if i := signOffStart(lines[:end]); i >= 0 {
		end = i
	}
	return lines[:end], lines[end:]
}

// lastMarker returns the last line matching is that has text above it and
// at most limit non-blank lines below it, or -1.
func lastMarker(lines []string, is func(string) bool, limit int) int {
	below := 0
	for i := len(lines) - 1; i > 0 && below <= limit; i-- {
		l := strings.TrimSpace(lines[i])
		if is(l) {
			if hasText(lines[:i]) {
				return i
			}
			return -1
		}
		if l != "" {
			below++
		}
	}
	return -1
}

// signOffStart returns the line of a sign-off followed only by a few short
// lines, or -1.
func signOffStart(lines []string) int {
	below := 0
	for i := len(lines) - 1; i > 0 && below <= maxSignOffSigLines; i-- {
		l := strings.TrimSpace(lines[i])
		if l == "" {
			continue
		}
		if utf8.RuneCountInString(l) <= maxSigLineLen && signOffRe.MatchString(l) {
			if hasText(lines[:i]) {
				return i
			}
			return -1
		}
		if utf8.RuneCountInString(l) > maxSigLineLen || postscriptRe.MatchString(l) || strings.HasSuffix(l, "?") {
			return -1
		}
		below++
	}
	return -1
}

func isDashLine(l string) bool { return l == "--" }

func isMobileLine(l string) bool { return len(l) <= maxSigLineLen*2 && mobileRe.MatchString(l) }

// hasText reports whether any line has non-space text.
func hasText(lines []string) bool { return firstText(lines) < len(lines) }
