package email

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Redaction counts the personal data of one kind that Redact replaced.
type Redaction struct {
	// Kind is "card", "email", "iban" or "phone".
	Kind string `json:"kind"`
	// Count is the number of replacements, at least 1.
	Count int `json:"count"`
}

// Redact returns text with e-mail addresses, phone numbers, payment card
// numbers and IBANs replaced by [EMAIL], [PHONE], [CARD] and [IBAN], and
// the count of each kind replaced, sorted by kind. It runs before any text
// leaves the process, e.g. to a language model.
//
// Precision matters as much as recall: the billing facts a reviewer needs
// (INV-10042, 1,180.00, 2025-03-03, order numbers) must survive. So a card
// number must pass the Luhn check and an IBAN the mod-97 check; a phone
// number needs an international "+" prefix, North American punctuation
// ((555) 123-4567, 555-123-4567) or a leading trunk 0 with spaced groups
// (020 7946 0958); and a number glued to a word, an amount, a date or a
// time (INV-10042, 2,524.75, 03/04, 10:15) is left alone. Invalid UTF-8 is
// replaced by U+FFFD. Redact is idempotent and linear in the text's size.
func Redact(text string) (string, []Redaction) {
	counts := make(map[string]int)
	text = strings.ToValidUTF8(text, "\uFFFD")
	text = redactEmails(text, counts)
	// IBANs contain digit groups and cards look like long phone numbers, so
	// each kind is replaced before the looser ones that could eat part of it.
	for _, sw := range sweeps {
		text = sw.run(text, counts)
	}
	return text, redactionList(counts)
}

// Kinds of personal data, in the order of Redaction lists.
const (
	redactCard  = "card"
	redactEmail = "email"
	redactIBAN  = "iban"
	redactPhone = "phone"
)

// redactEmails replaces e-mail addresses: a local part of letters,
// digits and "._%+-", "@", and a domain of two or more dot-separated
// labels of letters, digits and "-", the last beginning with at least two
// letters, which end the address. It is wider than addressRe (any script,
// no word boundary): a missed address leaks, a wrongly matched one only
// costs a reviewer a glance at the original.
func redactEmails(text string, counts map[string]int) string {
	var b strings.Builder
	last := 0
	for i := 0; ; {
		k := strings.IndexByte(text[i:], '@')
		if k < 0 {
			break
		}
		at := i + k
		start, end := localStart(text, last, at), domainEnd(text, at+1)
		if start < at && end > 0 {
			b.WriteString(text[last:start])
			b.WriteString("[EMAIL]")
			last = end
			counts[redactEmail]++
		}
		i = max(at+1, last)
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// localStart returns where the local part ending at at begins, not before
// from.
func localStart(text string, from, at int) int {
	for at > from {
		r, n := utf8.DecodeLastRuneInString(text[from:at])
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) && !strings.ContainsRune("._%+-", r) {
			break
		}
		at -= n
	}
	return at
}

// domainEnd returns the end of the domain starting at i, or -1. The last
// label is the latest one that begins with two letters, and only its
// letters belong to the address.
func domainEnd(text string, i int) int {
	end := -1
	for label := 0; ; label++ {
		j := labelEnd(text, i)
		if j == i {
			return end
		}
		if n, size := leadingLetters(text[i:j]); label > 0 && n >= 2 {
			end = i + size
		}
		if j == len(text) || text[j] != '.' {
			return end
		}
		i = j + 1
	}
}

// labelEnd returns the end of the run of letters, digits and "-" at i.
func labelEnd(text string, i int) int {
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) && r != '-' {
			break
		}
		i += n
	}
	return i
}

// leadingLetters returns the number of letters s starts with and their
// length in bytes.
func leadingLetters(s string) (n, size int) {
	for i, r := range s {
		if !unicode.IsLetter(r) {
			return n, i
		}
		n++
	}
	return n, len(s)
}

// redactionList turns counts into a list sorted by kind.
func redactionList(counts map[string]int) []Redaction {
	var out []Redaction
	for kind, n := range counts {
		out = append(out, Redaction{Kind: kind, Count: n})
	}
	slices.SortFunc(out, func(a, b Redaction) int { return strings.Compare(a.Kind, b.Kind) })
	return out
}

// A sweep replaces one kind of identifier written as words (digit groups
// or alphanumeric groups) joined by single spaces. At each word it takes
// the longest valid run of words starting there, so "+1 555 123 4567" is
// one phone number and not three; a run that fails validation is retried
// shorter. Every start and length is tried, which is what makes Redact
// idempotent: whatever a first pass leaves was already tried and refused.
type sweep struct {
	kind        string
	placeholder string
	// words finds the tokens; wordCount counts what the length limits
	// apply to (digits, or letters and digits).
	words     func(text string, from int) span
	wordCount func(string) int
	// min and max bound the count of a valid run; max also ends the search.
	min, max int
	// trimParens drops unbalanced parentheses at a word's ends, so that
	// "(call 555-123-4567)" yields "555-123-4567".
	trimParens bool
	// valid reports whether run is one of the kind; first says that no
	// word of the same sort is joined to it on the left.
	valid func(run string, first bool) bool
}

// maxRunBytes bounds a candidate run, so that a word of thousands of
// parentheses costs no more than a real number.
const maxRunBytes = 96

var sweeps = []*sweep{
	{kind: redactIBAN, placeholder: "[IBAN]", words: alnumWords, wordCount: utf8.RuneCountInString,
		min: 15, max: 34, valid: validIBAN},
	{kind: redactCard, placeholder: "[CARD]", words: numberWords, wordCount: countDigits,
		min: 13, max: 19, trimParens: true, valid: validCard},
	{kind: redactPhone, placeholder: "[PHONE]", words: numberWords, wordCount: countDigits,
		min: 7, max: 16, trimParens: true, valid: validPhone},
}

// span is a word's byte range.
type span struct{ start, end int }

// run replaces the valid runs in text and adds their number to counts.
func (sw *sweep) run(text string, counts map[string]int) string {
	words := sw.tokens(text)
	var b strings.Builder
	last := 0
	for i := 0; i < len(words); i++ {
		// A word right after a replacement counts as first, as it will on
		// the next pass, when a placeholder stands before it.
		first := i == 0 || (last > 0 && last == words[i-1].end) || !joined(text, words[i-1].end, words[i].start)
		j := sw.longest(text, words, i, first)
		if j < 0 {
			continue
		}
		b.WriteString(text[last:words[i].start])
		b.WriteString(sw.placeholder)
		last, i = words[j].end, j
		counts[sw.kind]++
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// tokens returns the words of text.
func (sw *sweep) tokens(text string) []span {
	var words []span
	for w := sw.words(text, 0); w.start < len(text); w = sw.words(text, w.end) {
		if sw.trimParens {
			w = trimUnbalanced(text, w)
		}
		words = append(words, w)
	}
	return words
}

// Words are found by hand-written scanners: an unanchored regexp FindAll
// over a text of a few kilobytes resets its backtracker's state for every
// match, which costs far more than the scan.

// alnumWords returns the first maximal run of letters, digits and "_" at
// or after from; its start is len(text) when there is none.
func alnumWords(text string, from int) span {
	w := span{len(text), len(text)}
	for i, r := range text[from:] {
		if isWordRune(r) == (w.start == len(text)) {
			if w.start < len(text) {
				w.end = from + i
				return w
			}
			w.start = from + i
		}
	}
	return w
}

func isWordRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r) }

// numberWords returns the first digit group at or after from: digits with
// the punctuation phone numbers use inside a group, as in 555-123-4567,
// (555), +44 or (0)20. Its start is len(text) when there is none.
func numberWords(text string, from int) span {
	for i := from; i < len(text); i++ {
		if n := numberWordStart(text, i); n > 0 {
			return span{i, numberWordEnd(text, i+n)}
		}
	}
	return span{len(text), len(text)}
}

// numberWordStart returns the length of a "+", "(" or "+(" prefix and the
// digit after it at i, or 0.
func numberWordStart(text string, i int) int {
	n := 0
	for _, c := range []byte{'+', '('} {
		if i+n < len(text) && text[i+n] == c {
			n++
		}
	}
	if i+n < len(text) && isDigit(text[i+n]) {
		return n + 1
	}
	return 0
}

// numberWordEnd extends a digit group from i over digits, ")", and "-" or
// "(" followed by a digit.
func numberWordEnd(text string, i int) int {
	for i < len(text) {
		switch c := text[i]; {
		case isDigit(c) || c == ')':
			i++
		case (c == '-' || c == '(') && i+1 < len(text) && isDigit(text[i+1]):
			i += 2
		default:
			return i
		}
	}
	return i
}

// longest returns the index of the last word of the longest valid run
// starting at word i, or -1. A run starts at a word not glued to what
// precedes it and ends at one not glued to what follows; first says that
// word i is not joined to a word before it.
func (sw *sweep) longest(text string, words []span, i int, first bool) int {
	if !freeBefore(text, words[i].start) {
		return -1
	}
	// Each word adds at least one to the count, so max-min+1 ends at most.
	var buf [24]int
	ends, n := buf[:0], 0
	for j := i; j < len(words); j++ {
		if j > i && !joined(text, words[j-1].end, words[j].start) {
			break
		}
		n += sw.wordCount(text[words[j].start:words[j].end])
		if n > sw.max || words[j].end-words[i].start > maxRunBytes {
			break
		}
		if n >= sw.min {
			ends = append(ends, j)
		}
	}
	for _, j := range slices.Backward(ends) {
		if freeAfter(text, words[j].end) && sw.valid(text[words[i].start:words[j].end], first) {
			return j
		}
	}
	return -1
}

// trimUnbalanced drops a trailing ")" or leading "(" that has no partner
// inside the word.
func trimUnbalanced(text string, w span) span {
	s := text[w.start:w.end]
	open, closing := strings.Count(s, "("), strings.Count(s, ")")
	for closing > open && strings.HasSuffix(s, ")") {
		s, w.end, closing = s[:len(s)-1], w.end-1, closing-1
	}
	for open > closing && strings.HasPrefix(s, "(") {
		s, w.start, open = s[1:], w.start+1, open-1
	}
	return w
}

// joined reports whether text[end:start] is the single space (or no-break
// space) that joins two groups of one number.
func joined(text string, end, start int) bool {
	r, n := utf8.DecodeRuneInString(text[end:])
	return n == start-end && isGroupSpace(r)
}

func isGroupSpace(r rune) bool { return r == ' ' || r == '\u00a0' || r == '\u202f' }

// Characters that may touch an identifier without making it part of a
// longer token: spaces, brackets, quotes, and sentence punctuation.
const (
	openers = `([{<"'«“‘*|;!?>]`
	closers = `)]}>"'»”’*|;!?<[`
)

// freeBefore reports whether a token may start at i. A letter, digit or
// symbol before it ("INV-", "$", "#", "/", "@") makes it part of something
// else; so do "-", ".", "," and ":" unless a space comes before them
// (1,180 and 10:15 are not phone numbers) — except ":" after a letter, as
// in "Tel:+44 …".
func freeBefore(text string, i int) bool {
	r, n := utf8.DecodeLastRuneInString(text[:i])
	switch {
	case n == 0 || unicode.IsSpace(r) || strings.ContainsRune(openers, r):
		return true
	case r == ':' && i > n:
		p, _ := utf8.DecodeLastRuneInString(text[:i-n])
		return unicode.IsLetter(p) || unicode.IsSpace(p)
	case strings.ContainsRune("-.,:", r):
		return spaceBefore(text, i-n)
	}
	return false
}

// freeAfter reports whether a token may end at i, the mirror of
// freeBefore: a full stop or comma ends a sentence only when a space or
// the end of the text follows.
func freeAfter(text string, i int) bool {
	r, n := utf8.DecodeRuneInString(text[i:])
	switch {
	case n == 0 || unicode.IsSpace(r) || strings.ContainsRune(closers, r):
		return true
	case strings.ContainsRune("-.,:", r):
		return spaceAfter(text, i+n)
	}
	return false
}

// spaceBefore reports whether text[:i] is empty or ends in a space.
func spaceBefore(text string, i int) bool {
	r, n := utf8.DecodeLastRuneInString(text[:i])
	return n == 0 || unicode.IsSpace(r)
}

// spaceAfter reports whether text[i:] is empty or starts with a space.
func spaceAfter(text string, i int) bool {
	r, n := utf8.DecodeRuneInString(text[i:])
	return n == 0 || unicode.IsSpace(r)
}

func countDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			n++
		}
	}
	return n
}

// intlPhoneRe is "+", a country code and groups, with an optional trunk
// "(0)" as in +44 (0)20 7946 0958; nanpPhoneRe is (555) 123-4567 or
// 555-123-4567 with an optional leading 1; nationalPhoneRe is a trunk 0
// and spaced groups, as in 020 7946 0958 or 01 21 75 99 54.
var (
	intlPhoneRe     = regexp.MustCompile(`^\+[1-9][0-9]{0,2}(?:[ \x{a0}\x{202f}-]?\(0\))?(?:[ \x{a0}\x{202f}-]?(?:\([0-9]{1,4}\)|[0-9]{1,14}))+$`)
	nanpPhoneRe     = regexp.MustCompile(`^(?:1[ \x{a0}\x{202f}-])?(?:\([2-9][0-9]{2}\)[ \x{a0}\x{202f}]?[0-9]{3}[ \x{a0}\x{202f}-][0-9]{4}|[2-9][0-9]{2}-[0-9]{3}-[0-9]{4})$`)
	nationalPhoneRe = regexp.MustCompile(`^0[1-9][0-9]{0,3}(?:[ \x{a0}\x{202f}][0-9]{2,4}){2,4}$`)
)

// validPhone reports whether run is written like a phone number. Bare
// digit strings are not: they are far more often order or account numbers.
// Nor is a national number in the middle of other digit groups, which are
// more likely an account number or a rejected IBAN.
func validPhone(run string, first bool) bool {
	n := countDigits(run)
	switch {
	case run[0] == '+':
		if strings.Contains(run, "(0)") {
			n-- // the trunk 0 is dialled only from inside the country
		}
		return n >= 7 && n <= 15 && intlPhoneRe.MatchString(run)
	case run[0] == '0':
		return first && n >= 9 && n <= 11 && nationalPhoneRe.MatchString(run)
	}
	return (n == 10 || n == 11) && nanpPhoneRe.MatchString(run)
}

// validCard reports whether run is 13 to 19 digits passing the Luhn check,
// either ungrouped or in groups split by one kind of separator, the first
// of four digits and the others of three to six (4-4-4-4, Amex 4-6-5).
func validCard(run string, _ bool) bool {
	var buf [19]byte
	digits := buf[:0]
	sep, group := rune(-1), 0
	for _, r := range run {
		switch {
		case '0' <= r && r <= '9':
			if len(digits) == len(buf) {
				return false
			}
			digits, group = append(digits, byte(r-'0')), group+1
		case (r == '-' || isGroupSpace(r)) && (sep < 0 || r == sep):
			if !cardGroup(group, sep < 0) {
				return false
			}
			sep, group = r, 0
		default:
			return false
		}
	}
	return (sep < 0 || cardGroup(group, false)) && len(digits) >= 13 && luhn(digits)
}

func cardGroup(n int, first bool) bool {
	if first {
		return n == 4
	}
	return n >= 3 && n <= 6
}

// luhn reports whether digits pass the Luhn check: doubling every second
// digit from the right, the digit sum is a multiple of ten.
func luhn(digits []byte) bool {
	sum := 0
	for i, d := range slices.Backward(digits) {
		if (len(digits)-1-i)%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += int(d)
	}
	return sum%10 == 0
}

// validIBAN reports whether run is an IBAN, in either case: two letters,
// two check digits and 11 to 30 letters or digits, written in one word or
// in groups of four (the last shorter), passing the ISO 13616 mod-97 check.
func validIBAN(run string, _ bool) bool {
	var buf [34]byte
	iban, group, grouped := buf[:0], 0, false
	for _, r := range run {
		switch {
		case isGroupSpace(r):
			if group != 4 {
				return false
			}
			group, grouped = 0, true
		case r < utf8.RuneSelf && isAlnumASCII(byte(r)) && len(iban) < len(buf):
			iban, group = append(iban, upperASCII(byte(r))), group+1
		default:
			return false
		}
	}
	if (grouped && group > 4) || len(iban) < 15 || !isUpperASCII(iban[0]) || !isUpperASCII(iban[1]) || !isDigit(iban[2]) || !isDigit(iban[3]) {
		return false
	}
	// The check moves the country code and check digits to the end.
	return mod97(mod97(0, iban[4:]), iban[:4]) == 1
}

// mod97 continues the remainder r modulo 97 of a number with the digits
// of s, where the letters A to Z stand for 10 to 35.
func mod97(r int, s []byte) int {
	for _, c := range s {
		if isDigit(c) {
			r = (r*10 + int(c-'0')) % 97
		} else {
			r = (r*100 + int(c-'A') + 10) % 97
		}
	}
	return r
}

func isAlnumASCII(b byte) bool { return isDigit(b) || isUpperASCII(upperASCII(b)) }

func upperASCII(b byte) byte {
	if 'a' <= b && b <= 'z' {
		return b - 'a' + 'A'
	}
	return b
}

func isUpperASCII(b byte) bool { return 'A' <= b && b <= 'Z' }
