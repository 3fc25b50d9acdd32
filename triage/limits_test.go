package triage_test

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// limitCase edits a valid exception; field is the field Validate must name,
// "" when the edit is just within the limits.
type limitCase struct {
	name  string
	edit  func(*triage.Exception)
	field string
}

func validException() triage.Exception {
	return triage.Exception{Source: "erp", ExternalID: "EXC-1", Type: triage.ERPPostingFailure,
		OccurredAt: time.Now().Add(-time.Hour), Text: "posting failed", Currency: "EUR",
		Attributes: map[string]any{"erp": "netsuite", "retries": 2.0}}
}

// nested is an attributes object levels deep, counting itself.
func nested(levels int) map[string]any {
	var v any = "leaf"
	for range levels - 1 {
		v = map[string]any{"k": v}
	}
	return map[string]any{"k": v}
}

// entries is an attributes object with n keys in total.
func entries(n int) map[string]any {
	m := make(map[string]any, n)
	for i := range n {
		m[strings.Repeat("k", 1+i%7)+string(rune('a'+i/7%26))+string(rune('a'+i/182))] = 1.0
	}
	return m
}

// sized is an attributes object whose JSON encoding is n bytes, in values
// within MaxAttrValueBytes.
func sized(n int) map[string]any {
	m := map[string]any{}
	size := len("{}")
	for i := 0; size < n; i++ {
		k := fmt.Sprintf("k%03d", i)
		overhead := len(k) + len(`"":""`) + min(i, 1) // a comma before all but the first
		v := max(0, min(triage.MaxAttrValueBytes, n-size-overhead))
		m[k] = strings.Repeat("v", v)
		size += overhead + v
	}
	return m
}

func encodedLen(t *testing.T, m map[string]any) int {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return len(b)
}

func limitCases() []limitCase {
	long := func(n int) string { return strings.Repeat("x", n) }
	amount := func(v float64) func(*triage.Exception) { return func(e *triage.Exception) { e.Amount = &v } }
	now := time.Now()
	return []limitCase{
		{"valid", func(*triage.Exception) {}, ""},
		{"text at its limit", func(e *triage.Exception) { e.Text = long(triage.MaxTextBytes) }, ""},
		{"text over", func(e *triage.Exception) { e.Text = long(triage.MaxTextBytes + 1) }, "text"},
		{"text NUL", func(e *triage.Exception) { e.Text = "a\x00b" }, "text"},
		{"text invalid UTF-8", func(e *triage.Exception) { e.Text = "caf\xe9" }, "text"},
		{"source at its limit", func(e *triage.Exception) { e.Source = long(triage.MaxIDBytes) }, ""},
		{"source over", func(e *triage.Exception) { e.Source = long(triage.MaxIDBytes + 1) }, "source"},
		{"id at its limit", func(e *triage.Exception) { e.ExternalID = long(triage.MaxIDBytes) }, ""},
		{"id over", func(e *triage.Exception) { e.ExternalID = long(triage.MaxIDBytes + 1) }, "id"},
		{"customer_id at its limit", func(e *triage.Exception) { e.CustomerID = long(triage.MaxIDBytes) }, ""},
		{"customer_id over", func(e *triage.Exception) { e.CustomerID = long(2400) }, "customer_id"},
		{"invoice_id over", func(e *triage.Exception) { e.InvoiceID = long(triage.MaxIDBytes + 1) }, "invoice_id"},
		{"region over", func(e *triage.Exception) { e.Region = long(triage.MaxIDBytes + 1) }, "region"},
		{"customer_id NUL", func(e *triage.Exception) { e.CustomerID = "C\x00" }, "customer_id"},
		{"region invalid UTF-8", func(e *triage.Exception) { e.Region = "\xff" }, "region"},
		{"currency active", func(e *triage.Exception) { e.Currency = "CHF" }, ""},
		{"currency ZZZ", func(e *triage.Exception) { e.Currency = "ZZZ" }, "currency"},
		{"currency XXX", func(e *triage.Exception) { e.Currency = "XXX" }, "currency"},
		{"currency XTS", func(e *triage.Exception) { e.Currency = "XTS" }, "currency"},
		{"currency withdrawn HRK", func(e *triage.Exception) { e.Currency = "HRK" }, "currency"},
		{"currency lower case", func(e *triage.Exception) { e.Currency = "eur" }, "currency"},
		{"amount at its limit", amount(-triage.MaxAmount), ""},
		{"amount over", amount(math.Nextafter(triage.MaxAmount, math.Inf(1))), "amount"},
		{"amount 1e17", amount(1e17), "amount"},
		{"amount NaN", amount(math.NaN()), "amount"},
		{"amount -Inf", amount(math.Inf(-1)), "amount"},
		{"occurred_at earliest", func(e *triage.Exception) { e.OccurredAt = triage.EarliestOccurredAt }, ""},
		{"occurred_at before", func(e *triage.Exception) { e.OccurredAt = triage.EarliestOccurredAt.Add(-time.Second) }, "occurred_at"},
		{"occurred_at year 0", func(e *triage.Exception) { e.OccurredAt = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC) }, "occurred_at"},
		{"occurred_at within a year", func(e *triage.Exception) { e.OccurredAt = now.Add(triage.MaxFuture - time.Minute) }, ""},
		{"occurred_at over a year ahead", func(e *triage.Exception) { e.OccurredAt = now.Add(triage.MaxFuture + time.Minute) }, "occurred_at"},
		{"occurred_at 9999", func(e *triage.Exception) { e.OccurredAt = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC) }, "occurred_at"},
	}
}

func attributeCases() []limitCase {
	attrs := func(m map[string]any) func(*triage.Exception) { return func(e *triage.Exception) { e.Attributes = m } }
	long := func(n int) string { return strings.Repeat("x", n) }
	return []limitCase{
		{"depth at its limit", attrs(nested(triage.MaxAttrDepth)), ""},
		{"depth over", attrs(nested(triage.MaxAttrDepth + 1)), "attributes"},
		{"depth 9990", attrs(nested(9990)), "attributes"},
		{"array depth over", attrs(map[string]any{"a": []any{[]any{[]any{[]any{1.0}}}}}), "attributes"},
		{"entries at the limit", attrs(entries(triage.MaxAttrEntries)), ""},
		{"entries over", attrs(entries(triage.MaxAttrEntries + 1)), "attributes"},
		{"200,000 keys", attrs(entries(200_000)), "attributes"},
		{"array elements count", attrs(map[string]any{"a": make([]any, triage.MaxAttrEntries)}), "attributes"},
		{"encoded at its limit", attrs(sized(triage.MaxAttrBytes)), ""},
		{"encoded over", attrs(sized(triage.MaxAttrBytes + 1)), "attributes"},
		{"key at its limit", attrs(map[string]any{long(triage.MaxAttrKeyBytes): 1.0}), ""},
		{"key over", attrs(map[string]any{long(triage.MaxAttrKeyBytes + 1): 1.0}), "attributes"},
		{"key NUL", attrs(map[string]any{"a\x00": 1.0}), "attributes"},
		{"nested key invalid UTF-8", attrs(map[string]any{"a": map[string]any{"\xc3": 1.0}}), "attributes.a"},
		{"value at its limit", attrs(map[string]any{"sender_domain": long(triage.MaxAttrValueBytes)}), ""},
		{"value over", attrs(map[string]any{"sender_domain": long(3000)}), "attributes.sender_domain"},
		{"value NUL in array", attrs(map[string]any{"a": []any{"ok", "b\x00"}}), "attributes.a[1]"},
		{"value invalid UTF-8", attrs(map[string]any{"a": map[string]any{"b": "\xed\xa0\x80"}}), "attributes.a.b"},
		{"Go types are checked as JSON", attrs(map[string]any{"a": []string{"ok", long(triage.MaxAttrValueBytes + 1)}}), "attributes.a[1]"},
		{"original at the text's limit", attrs(map[string]any{triage.OriginalAttr: long(triage.MaxTextBytes)}), ""},
		{"original over", attrs(map[string]any{triage.OriginalAttr: long(triage.MaxTextBytes + 1)}), "attributes." + triage.OriginalAttr},
		{"original not a string", attrs(map[string]any{triage.OriginalAttr: 1.0}), "attributes." + triage.OriginalAttr},
	}
}

func TestValidateLimits(t *testing.T) {
	for _, tc := range append(limitCases(), attributeCases()...) {
		t.Run(tc.name, func(t *testing.T) {
			e := validException()
			tc.edit(&e)
			err := e.Validate()
			switch {
			case tc.field == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tc.field == "":
			case triage.ErrorCode(err) != triage.EINVALID || triage.ErrorField(err) != tc.field:
				t.Fatalf("Validate() = %v, want invalid naming %q", err, tc.field)
			}
		})
	}
}

// The size check is exact at the boundary the helper builds.
func TestSizedHelper(t *testing.T) {
	for _, n := range []int{triage.MaxAttrBytes, triage.MaxAttrBytes + 1} {
		if got := encodedLen(t, sized(n)); got != n {
			t.Errorf("sized(%d) encodes to %d bytes", n, got)
		}
	}
}

func TestResolutionInputIsBounded(t *testing.T) {
	long := strings.Repeat("k", triage.MaxIDBytes+1)
	tests := []struct {
		name  string
		in    triage.ResolutionInput
		field string
	}{
		{"a note too long", triage.ResolutionInput{Verdict: triage.VerdictReject, Note: strings.Repeat("n", triage.MaxNoteBytes+1)}, "note"},
		{"a NUL in the note", triage.ResolutionInput{Verdict: triage.VerdictReject, Note: "a\x00b"}, "note"},
		{"params too deep", triage.ResolutionInput{Verdict: triage.VerdictEdit, RootCause: "r", Action: "a",
			Params: map[string]any{"a": map[string]any{"b": map[string]any{"c": map[string]any{"d": map[string]any{"e": 1}}}}}}, "params"},
	}
	for _, tc := range tests {
		if err := tc.in.Validate(); triage.ErrorField(err) != tc.field && !strings.HasPrefix(triage.ErrorField(err), tc.field) {
			t.Errorf("%s: %v (field %q), want field %s", tc.name, err, triage.ErrorField(err), tc.field)
		}
	}
	params := map[string]any{"corrections": []any{map[string]any{"field": "account_id", "key": long, "to": "C-1"}}}
	if _, err := triage.CorrectionsFromParams(params); triage.ErrorField(err) != "params.corrections[0]" {
		t.Errorf("a correction key over %d bytes: %v", triage.MaxIDBytes, err)
	}
	ok := triage.ResolutionInput{Verdict: triage.VerdictEdit, RootCause: "r", Action: "a", Note: "fine",
		Params: map[string]any{"gl_account": "4010", "corrections": []any{map[string]any{"field": "account_id", "key": "acct_1", "to": "C-1"}}}}
	if err := ok.Validate(); err != nil {
		t.Errorf("a plain resolution: %v", err)
	}
}
