package email

import (
	"regexp"
	"slices"
	"strings"
)

// idToken is an invoice id as written: letters, digits and inner dashes,
// at least one digit. Case folding is off inside it because (?i) would let
// letters such as the Kelvin sign match [A-Z].
const idToken = `(?-i:(?:[Ii][Nn][Vv][-_#]?)?[A-Za-z0-9]*[0-9][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)`

// invoiceRe reads an invoice reference at the start of its input, in two
// shapes: a code with the INV prefix glued on (INV-2041, INV2041), or a
// keyword ("invoice", "inv", French "facture", German "Rechnung") with an
// optional label ("No.", "number", "#", "n°") and then the id. Groups: 1
// the glued code; 2 the label; 3 a "#"; 4 the id after a keyword. It is
// anchored and run only where a keyword starts (see invoiceKeywords),
// because an unanchored case-insensitive search over the whole text is the
// slowest step of parsing.
var invoiceRe = regexp.MustCompile(`^(?i)(?:inv[-_#]?([0-9](?-i:[A-Za-z0-9]*)(?:-(?-i:[A-Za-z0-9]+))*)` +
	`|(?:invoices?|invs?|factures?|rechnungs?(?:nummer)?)\b\.?\s*` +
	`(?:((?:number|num|nr|no|id|ref)\b|n°|nº)\.?\s*)?(?::\s*)?(#\s*)?(` + idToken + `))\b`)

// invoiceKeywords are the lower-case starts of every invoiceRe match.
var invoiceKeywords = []string{"inv", "factur", "rechnung"}

// invoiceWindow is how much text after a keyword invoiceRe may read; a
// match reaching the end of the window could be cut short, so it is
// dropped.
const invoiceWindow = 160

// invoiceListRe continues a keyword match over a list: "invoices 2041,
// 2042 and #2043". Groups: 1 a "#"; 2 the id.
var invoiceListRe = regexp.MustCompile(`^(?i)\s*(?:,|/|&|and|or|et|und)\s*(#\s*)?(` + idToken + `)\b`)

// validInvoiceID is the normalised form every extracted id has.
var validInvoiceID = regexp.MustCompile(`^INV-[0-9A-Z]+(?:-[0-9A-Z]+)*$`)

// isoDate rules out ids that are really dates ("invoice 2025-03-03").
var isoDate = regexp.MustCompile(`^\d{4}-\d{1,2}-\d{1,2}$`)

// extractInvoiceIDs returns the normalised invoice ids in the texts, in
// order, without repeats.
func extractInvoiceIDs(texts ...string) []string {
	var out []string
	seen := make(map[string]bool)
	for _, s := range texts {
		next := 0
		for _, p := range keywordStarts(s) {
			if p < next || len(out) == maxFound {
				continue
			}
			ids, end := invoiceAt(s, p)
			for _, id := range ids {
				if len(out) < maxFound && !seen[id] && validInvoiceID.MatchString(id) {
					seen[id] = true
					out = append(out, id)
				}
			}
			next = max(next, end)
		}
	}
	return out
}

// keywordStarts returns, in order, the offsets in s where an invoice
// keyword starts a word.
func keywordStarts(s string) []int {
	lower := asciiLower(s)
	var out []int
	for _, kw := range invoiceKeywords {
		for i := 0; ; {
			j := strings.Index(lower[i:], kw)
			if j < 0 {
				break
			}
			if p := i + j; p == 0 || !isWordByte(lower[p-1]) {
				out = append(out, p)
			}
			i += j + len(kw)
		}
	}
	slices.Sort(out)
	return out
}

// invoiceAt reads the invoice reference, and any list after it, starting
// at p. It returns the ids and where the reference ends.
func invoiceAt(s string, p int) ([]string, int) {
	m, ok := windowMatch(invoiceRe, s, p)
	if !ok {
		return nil, p
	}
	if m[2] >= 0 {
		return []string{"INV-" + strings.ToUpper(s[p+m[2]:p+m[3]])}, p + m[1]
	}
	var ids []string
	if id, ok := keywordID(s[p+m[8]:p+m[9]], m[4] >= 0 || m[6] >= 0); ok {
		ids = append(ids, id)
	}
	end := p + m[1]
	for len(ids) < maxFound {
		l, ok := windowMatch(invoiceListRe, s, end)
		if !ok {
			break
		}
		id, ok := keywordID(s[end+l[4]:end+l[5]], l[2] >= 0)
		if !ok {
			break
		}
		ids = append(ids, id)
		end += l[1]
	}
	return ids, end
}

// windowMatch runs an anchored regexp on the invoiceWindow bytes of s from
// p. A match running to the end of a window that cut the text off is
// rejected, since the id in it may be truncated.
func windowMatch(re *regexp.Regexp, s string, p int) ([]int, bool) {
	window := s[p:min(len(s), p+invoiceWindow)]
	m := re.FindStringSubmatchIndex(window)
	if m == nil || (m[1] == len(window) && p+len(window) < len(s)) {
		return nil, false
	}
	return m, true
}

// keywordID normalises an id found after a keyword. A bare number needs a
// label or "#", or three digits or more, so that "invoice 2 of 3" is not
// read as an id; dates are never ids.
func keywordID(token string, labelled bool) (string, bool) {
	up := strings.ToUpper(token)
	if rest, ok := strings.CutPrefix(up, "INV"); ok {
		return "INV-" + strings.TrimLeft(rest, "-_#"), true
	}
	if isoDate.MatchString(up) || (!labelled && isDigits(up) && len(up) < 3) {
		return "", false
	}
	return "INV-" + up, true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
