package assist

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/billtriage/billtriage/triage"
)

// answer is the decoded model answer, before validation.
type answer struct {
	Summary    string
	Reason     string
	InvoiceIDs []string
	Amounts    []triage.AssistAmount
}

// parseAnswer decodes and validates content against the email text the
// model saw and the allowed codes.
func parseAnswer(content, text string, codes []string) (triage.Assist, error) {
	ans, err := decodeAnswer(content)
	if err != nil {
		return triage.Assist{}, err
	}
	summary, err := cleanSummary(ans.Summary)
	if err != nil {
		return triage.Assist{}, err
	}
	ids, err := checkInvoiceIDs(ans.InvoiceIDs, text)
	if err != nil {
		return triage.Assist{}, err
	}
	if err := checkAmounts(ans.Amounts); err != nil {
		return triage.Assist{}, err
	}
	reason := ans.Reason
	if !slices.Contains(codes, reason) {
		reason = "unknown"
	}
	return triage.Assist{Summary: summary, Reason: reason, InvoiceIDs: ids, Amounts: ans.Amounts}, nil
}

// decodeAnswer reads content as a JSON object with exactly the schema's
// fields, none null. encoding/json alone would accept missing fields,
// nulls and keys in another case, which strict mode promises never to send
// but a misbehaving server may.
func decodeAnswer(content string) (answer, error) {
	var ans answer
	fields, err := exactObject([]byte(content), "summary", "reason", "invoice_ids", "amounts")
	if err != nil {
		return ans, err
	}
	var rawAmounts []json.RawMessage
	if err := errors.Join(
		decodeField(fields, "summary", &ans.Summary),
		decodeField(fields, "reason", &ans.Reason),
		decodeField(fields, "invoice_ids", &ans.InvoiceIDs),
		decodeField(fields, "amounts", &rawAmounts),
	); err != nil {
		return ans, err
	}
	ans.Amounts, err = decodeAmounts(rawAmounts)
	return ans, err
}

// decodeAmounts reads each amount as an object with exactly value and
// currency.
func decodeAmounts(raw []json.RawMessage) ([]triage.AssistAmount, error) {
	if len(raw) > MaxAmounts {
		return nil, fmt.Errorf("%d amounts, more than %d", len(raw), MaxAmounts)
	}
	var out []triage.AssistAmount
	for i, r := range raw {
		fields, err := exactObject(r, "value", "currency")
		if err != nil {
			return nil, fmt.Errorf("amounts[%d]: %w", i, err)
		}
		var a triage.AssistAmount
		if err := errors.Join(decodeField(fields, "value", &a.Value), decodeField(fields, "currency", &a.Currency)); err != nil {
			return nil, fmt.Errorf("amounts[%d]: %w", i, err)
		}
		out = append(out, a)
	}
	return out, nil
}

// exactObject decodes data as a JSON object whose keys are exactly names.
func exactObject(data []byte, names ...string) (map[string]json.RawMessage, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return nil, fmt.Errorf("not a JSON object: %w", err)
	}
	if fields == nil {
		return nil, errors.New("null instead of an object")
	}
	for key := range fields {
		if !slices.Contains(names, key) {
			return nil, fmt.Errorf("unexpected field %.40q", key)
		}
	}
	for _, name := range names {
		if _, ok := fields[name]; !ok {
			return nil, fmt.Errorf("missing field %q", name)
		}
	}
	return fields, nil
}

// decodeField decodes the named field into v, refusing null.
func decodeField(fields map[string]json.RawMessage, name string, v any) error {
	raw := fields[name]
	if string(raw) == "null" {
		return fmt.Errorf("field %q is null", name)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("field %q: %w", name, err)
	}
	return nil
}

// cleanSummary removes control and bidirectional-override characters
// (line breaks become spaces), trims, refuses an empty summary and cuts a
// long one at MaxSummary characters.
func cleanSummary(s string) (string, error) {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r):
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errors.New("empty summary")
	}
	if utf8.RuneCountInString(s) > MaxSummary {
		s = strings.TrimSpace(string([]rune(s)[:MaxSummary]))
	}
	return s, nil
}

// invoiceIDRe is the shape of an invoice id in an answer.
var invoiceIDRe = regexp.MustCompile(`^INV-[0-9A-Z-]{1,30}$`)

// checkInvoiceIDs upper-cases the ids and refuses any that is malformed or
// not written in text as a whole token: a model that invents an invoice
// number would send the reviewer to the wrong invoice.
func checkInvoiceIDs(ids []string, text string) ([]string, error) {
	if len(ids) > MaxInvoiceIDs {
		return nil, fmt.Errorf("%d invoice ids, more than %d", len(ids), MaxInvoiceIDs)
	}
	upper := strings.ToUpper(text)
	var out []string
	for i, id := range ids {
		id = strings.ToUpper(strings.TrimSpace(id))
		if !invoiceIDRe.MatchString(id) {
			return nil, fmt.Errorf("invoice_ids[%d] is not an invoice id", i)
		}
		if !mentions(upper, id) {
			return nil, fmt.Errorf("invoice id %s is not in the email", id)
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

// mentions reports whether id occurs in text neither preceded by a letter
// or digit nor followed by a letter, digit or "-", so that INV-1004 is not
// found in INV-10042.
func mentions(text, id string) bool {
	for i := 0; ; {
		k := strings.Index(text[i:], id)
		if k < 0 {
			return false
		}
		start, end := i+k, i+k+len(id)
		before, _ := utf8.DecodeLastRuneInString(text[:start])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if !isIDRune(before) && !isIDRune(after) && after != '-' {
			return true
		}
		i = start + 1
	}
}

func isIDRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// currencyRe is the shape of an ISO 4217 code.
var currencyRe = regexp.MustCompile(`^[A-Z]{3}$`)

// checkAmounts refuses amounts that are not finite or lack a currency code.
func checkAmounts(amounts []triage.AssistAmount) error {
	for i, a := range amounts {
		if math.IsNaN(a.Value) || math.IsInf(a.Value, 0) {
			return fmt.Errorf("amounts[%d] is not a finite number", i)
		}
		if !currencyRe.MatchString(a.Currency) {
			return fmt.Errorf("amounts[%d] has currency %.10q, not an ISO 4217 code", i, a.Currency)
		}
	}
	return nil
}
